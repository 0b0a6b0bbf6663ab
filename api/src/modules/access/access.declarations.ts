/**
 * Who may read each GraphQL object type, in words a reviewer can check against DOMAIN.md.
 * A type in the schema without an entry here fails the policy test (deny by default): adding a
 * type means declaring who sees it, and the policy snapshot shows the change for review.
 * Operations declare their callers with @Authorized at the operation (see common/auth/policy.ts).
 */
export const TYPE_POLICIES: Record<string, string> = {
  Customer: 'per field group (access.masks.ts CUSTOMER_FIELD_GROUPS): the directory card to every user, the rest by access level and, for API keys, scope',
  Address: 'part of the customer profile group',
  Contact: 'follows its customer (contacts group); email, phone, mobile and IM handles need pii:read for API keys',
  ImHandle: 'personal data of a contact: pii:read for API keys',
  Interaction: 'follows its customer (interactions group)',
  Order: 'follows its customer (orders group)',
  OrderLine: 'follows its order',
  Payment: 'follows its order',
  Evaluation: 'follows its customer (evaluations group)',
  EvaluationCycle: 'cycle definitions: every user; API keys with evaluations:read',
  Region: 'the territory tree: every user; API keys with customers:read',
  User: 'colleagues by name: every user (directory cards name the owner); lists for managers and admins',
  AuthPayload: 'the signed-in user only (login result)',
  ApiKey: 'admins only',
  CreatedApiKey: 'admins only, once',
  TransferRequest: 'the requester, managers of the source or target region, admins',
  OwnershipPeriod: 'follows its customer (ownership group)',
  AuditEvent: 'admins; managers for events within their regions',
  AccessExplanation: 'the viewer about themselves; admins about anyone',
  AccessRule: 'part of an access explanation',
  FieldGroupAccess: 'part of an access explanation',
  ReassignmentResult: 'admins and managers: the result of their own reassignment',
};
