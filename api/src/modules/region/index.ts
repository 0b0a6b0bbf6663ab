export { REGION_SUBTREE_SQL } from './region.service.js';
export { REGION_CHILDREN_ORDER_BY, REGION_FIELDS } from './region.compiled.js';
export type { RegionRow } from './region.rows.js';
