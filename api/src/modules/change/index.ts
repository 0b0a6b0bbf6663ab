export { pruneChanges } from './change.service.js';
