export { mayApproveStageChanges } from './lifecycle.permissions.js';
export { becameConfirmed, onOrdersConfirmed, PURCHASED_SQL } from './lifecycle.service.js';
