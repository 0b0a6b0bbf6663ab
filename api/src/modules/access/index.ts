export {
  assertPiiReadable,
  assertReadable,
  CONTACT_PII_FIELDS,
  CUSTOMER_FIELD_GROUPS,
  CUSTOMER_GROUP_OF,
  type CustomerGroup,
  GROUP_SCOPES,
  HIDDEN,
  type CustomerReadability,
  type DirectoryCard,
  type MaskedContactOf,
  type MaskedCustomerOf,
} from './access.masks.js';
export { AccessLevel, canRead, customerAccess, hasScope, isApiKey, mayOpenCycle, placementRefusal } from './access.rules.js';
export { customerForWrite, readableCustomers, type Actor } from './access.service.js';
export { ownerFitsSql } from './owner-fits.js';
export { ADMINS, ANY_USER, MANAGERS, scope, usersAndScope } from './operation.policy.js';
export { subjectForUser } from './subject-viewer.js';
