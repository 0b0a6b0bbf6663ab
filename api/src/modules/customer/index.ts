export { directoryCardById } from './customer.loaders.js';
export { InteractionConnection, OrderConnection } from './customer.resolver.js';
// The normalisation of names and ids: imports validate rows as a create does.
export { normalizeDomain, normalizeName, normalizeRegistrationId, registrationKey } from './customer.normalize.js';
export { compiledFollowUps, compiledInteraction, compiledInteractions, compiledOrder, compiledOrders } from './customer.compiled.js';
// What Customer's field resolvers in other modules (merge, lifecycle, ownership) receive.
export type { CustomerRow, MaskedCustomerRow } from './customer.rows.js';
