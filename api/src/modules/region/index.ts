export { REGION_SUBTREE_SQL } from './region.service.js';
