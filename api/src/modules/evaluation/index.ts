export { seesCompanyTotals } from './evaluation.permissions.js';
