import { type Viewer, Scope, type TerritoryAccess } from '../../common/access/index.js';
import { ForbiddenError } from '../../common/errors/errors.js';
import { AccessLevel, canRead, customerAccess, hasScope } from './access.rules.js';

/**
 * Masks are decided once per object, when a row is loaded: a masked row says what the viewer may
 * read of it (a customer's `readable` groups, a contact's `piiReadable`) and holds no hidden value.
 * The refusal is the field's (access.fields.ts): a field of a group the row does not have answers
 * null with this FORBIDDEN error for its path.
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

/** A customer's directory card: what the mask reads of any row, and all it keeps without the profile. */
export type DirectoryCard = {
  id: string;
  legalName: string;
  territory: string;
  owner: string;
};

/** What a customer row carries once masked: its level for the viewer, and what it may read of it. */
export type CustomerReadability = {
  access: AccessLevel;
  /** Groups this viewer may read on this row; the properties of the others are absent. */
  readable: ReadonlySet<CustomerGroup>;
};

/** A masked customer row: the directory card, its readability, and whatever else of `T` the viewer may read. */
export type MaskedCustomerOf<T extends DirectoryCard> = DirectoryCard & Partial<T> & CustomerReadability;

export function readableGroups(viewer: Viewer, level: AccessLevel): Set<CustomerGroup> {
  const groups = new Set<CustomerGroup>(['directory']);
  if (!canRead(level)) return groups;
  for (const [group, scope] of Object.entries(GROUP_SCOPES) as [Exclude<CustomerGroup, 'directory'>, Scope][]) {
    if (hasScope(viewer, scope)) groups.add(group);
  }
  return groups;
}

/**
 * The row as this viewer may see it, or null when the viewer may not know it exists. Without the
 * profile only the directory card is copied; the properties of any other group the viewer may
 * not read are left out.
 */
export function maskCustomer<T extends DirectoryCard>(
  row: T,
  viewer: Viewer | null,
  territoryAccess: TerritoryAccess,
): MaskedCustomerOf<T> | null {
  if (!viewer) return null;
  const level = customerAccess(viewer, { owner: row.owner, territory: row.territory }, territoryAccess);
  if (level === AccessLevel.NONE) return null;
  const readable = readableGroups(viewer, level);
  if (!readable.has('profile')) {
    const card: DirectoryCard & CustomerReadability = {
      id: row.id,
      legalName: row.legalName,
      territory: row.territory,
      owner: row.owner,
      access: level,
      readable,
    };
    return card as MaskedCustomerOf<T>;
  }
  const masked: Record<string, unknown> = Object.assign(row, { access: level, readable });
  for (const [group, properties] of Object.entries(ROW_PROPERTIES_BY_GROUP) as [CustomerGroup, string[]][]) {
    if (!readable.has(group)) for (const property of properties) delete masked[property];
  }
  return masked as MaskedCustomerOf<T>;
}

/** Throws FORBIDDEN unless the group is readable on this customer row. */
export function assertReadable(customer: { readable?: ReadonlySet<CustomerGroup> }, group: CustomerGroup): void {
  if (!customer.readable?.has(group)) throw HIDDEN;
}

/** Contact fields that are personal data. */
export const CONTACT_PII_FIELDS = ['email', 'phone', 'mobile', 'imHandles'] as const;

type ContactPiiField = (typeof CONTACT_PII_FIELDS)[number];

/** A masked contact row: its personal data present only where `piiReadable`. */
export type MaskedContactOf<T extends { id: string }> = Omit<T, ContactPiiField> &
  Partial<Pick<T, ContactPiiField & keyof T>> & { piiReadable: boolean };

/** Contact details are personal data: API keys need `pii:read` for them; without it they are left out. */
export function maskContact<T extends { id: string }>(row: T, viewer: Viewer | null): MaskedContactOf<T> | null {
  if (!viewer) return null;
  if (hasScope(viewer, Scope.PII_READ)) return Object.assign(row, { piiReadable: true as const });
  const masked: Record<string, unknown> = { ...row, piiReadable: false };
  for (const property of CONTACT_PII_FIELDS) delete masked[property];
  return masked as MaskedContactOf<T>;
}

/** Throws FORBIDDEN unless the contact's personal data is readable. */
export function assertPiiReadable(contact: { piiReadable?: boolean }): void {
  if (contact.piiReadable !== true) throw HIDDEN;
}
