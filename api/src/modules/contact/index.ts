export { imHandleList } from './contact.resolver.js';
export { accountForWrite, type ChildOf, readableById, scopeToReadableAccounts, writableCustomer } from './contact.service.js';
export type { ContactsArgs } from './contact.inputs.js';
export type { ContactRow, MaskedContactRow } from './contact.rows.js';
