// Other modules use this module's entities (its *.entity.ts files) and who may see a request
// (the change feed shows transfer events); nothing else here is public.
export { canSeeTransfer } from './transfer.permissions.js';
export { partiesOf } from './transfer.service.js';
