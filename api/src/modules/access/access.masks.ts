import { type Viewer, Scope, type TerritoryAccess } from '../../common/access/index.js';
import { ForbiddenError } from '../../common/errors/errors.js';
import type { Row } from '../../common/orm/loaders.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { AccessLevel, canRead, customerAccess, hasScope } from './access.rules.js';

/**
 * Masks are decided once per object, when a row is loaded: hidden properties are replaced by
 * an error, which GraphQL reports as a FORBIDDEN entry for that path with a null value. The
 * hidden values never reach the GraphQL layer.
 */
export const HIDDEN = new ForbiddenError('Not visible to you');

/** What every user may know of any account: enough to see it is taken, and by whom. */
export const DIRECTORY_FIELDS = ['id', 'legalName', 'territory', 'region', 'owner', 'access'] as const;

/** Customer fields by what they disclose; every GraphQL field of Customer is in exactly one group. */
export const CUSTOMER_FIELD_GROUPS = {
  directory: DIRECTORY_FIELDS,
  profile: [
    'registrationId',
    'externalId',
    'industry',
    'products',
    'industryStanding',
    'sizeBand',
    'ownershipType',
    'creditStanding',
    'address',
    'websiteDomain',
    'lifecycleStage',
    'relationshipLevel',
    'tags',
    'sourceChannel',
    'notes',
    'archivedAt',
    'createdAt',
    'updatedAt',
    'version',
    'lifecycleHistory',
    'mergedInto',
    'mergedFrom',
  ],
  contacts: ['contacts'],
  interactions: ['interactions', 'lastInteractionAt'],
  orders: ['orders', 'lastOrderAt'],
  evaluations: ['evaluations', 'grade'],
  ownership: ['ownershipHistory'],
} as const;

export type CustomerGroup = keyof typeof CUSTOMER_FIELD_GROUPS;

/** The group of each Customer field, for readers that decide per field (compiled reads, the change feed). */
export const CUSTOMER_GROUP_OF: ReadonlyMap<string, CustomerGroup> = new Map(
  (Object.entries(CUSTOMER_FIELD_GROUPS) as [CustomerGroup, readonly string[]][]).flatMap(([group, fields]) =>
    fields.map((field) => [field, group] as const),
  ),
);

/** The scope an API key needs for each group (users are governed by the access level alone). */
export const GROUP_SCOPES: Record<Exclude<CustomerGroup, 'directory'>, Scope> = {
  profile: Scope.CUSTOMERS_READ,
  contacts: Scope.CONTACTS_READ,
  interactions: Scope.INTERACTIONS_READ,
  orders: Scope.ORDERS_READ,
  evaluations: Scope.EVALUATIONS_READ,
  ownership: Scope.CUSTOMERS_READ,
};

const ROW_PROPERTIES_BY_GROUP: Partial<Record<CustomerGroup, string[]>> = {
  profile: [
    'registrationId',
    'externalId',
    'industry',
    'products',
    'industryStanding',
    'sizeBand',
    'ownershipType',
    'creditStanding',
    'addressLine',
    'city',
    'province',
    'postalCode',
    'country',
    'websiteDomain',
    'lifecycleStage',
    'relationshipLevel',
    'tags',
    'sourceChannel',
    'notes',
    'archivedAt',
    'createdAt',
    'updatedAt',
    'version',
    'normalizedName',
    'mergedInto',
  ],
  interactions: ['lastInteractionAt'],
  orders: ['lastOrderAt'],
};

export interface MaskedCustomer extends Row {
  access: AccessLevel;
  /** Groups this viewer may read on this row. */
  readable: ReadonlySet<CustomerGroup>;
}

export function readableGroups(viewer: Viewer, level: AccessLevel): Set<CustomerGroup> {
  const groups = new Set<CustomerGroup>(['directory']);
  if (!canRead(level)) return groups;
  for (const [group, scope] of Object.entries(GROUP_SCOPES) as [Exclude<CustomerGroup, 'directory'>, Scope][]) {
    if (hasScope(viewer, scope)) groups.add(group);
  }
  return groups;
}

/** The row as this viewer may see it, or null when the viewer may not know it exists. */
export function maskCustomer(row: Row, viewer: Viewer | null, territoryAccess: TerritoryAccess): MaskedCustomer | null {
  if (!viewer) return null;
  const level = customerAccess(
    viewer,
    { owner: idOf(row.owner as RelationValue)!, territory: idOf(row.territory as RelationValue)! },
    territoryAccess,
  );
  if (level === AccessLevel.NONE) return null;
  const readable = readableGroups(viewer, level);
  const masked: MaskedCustomer = readable.has('profile')
    ? Object.assign(row, { access: level, readable })
    : { id: row.id, legalName: row.legalName, territory: row.territory, owner: row.owner, access: level, readable };
  for (const [group, properties] of Object.entries(ROW_PROPERTIES_BY_GROUP) as [CustomerGroup, string[]][]) {
    if (!readable.has(group)) for (const property of properties) masked[property] = HIDDEN;
  }
  return masked;
}

/** Throws FORBIDDEN unless the group is readable on this customer row. */
export function assertReadable(customer: { readable?: ReadonlySet<CustomerGroup> }, group: CustomerGroup): void {
  if (!customer.readable?.has(group)) throw HIDDEN;
}

/** Contact fields that are personal data. */
export const CONTACT_PII_FIELDS = ['email', 'phone', 'mobile', 'imHandles'] as const;

/** Contact details are personal data: API keys need `pii:read` for them. */
export function maskContact(row: Row, viewer: Viewer | null): Row | null {
  if (!viewer) return null;
  if (hasScope(viewer, Scope.PII_READ)) return row;
  const masked: Row = { ...row };
  for (const property of CONTACT_PII_FIELDS) masked[property] = HIDDEN;
  return masked;
}
