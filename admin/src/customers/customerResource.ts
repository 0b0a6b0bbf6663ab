import {
  AdminArchiveCustomerDocument,
  AdminCreateCustomerDocument,
  AdminCustomer360Document,
  AdminCustomerDocument,
  AdminCustomersDocument,
  AdminUpdateCustomerDocument,
  type AdminCustomerRowFragment,
  type CreateCustomerInput,
  type CustomerSortField,
  type UpdateCustomerInput,
} from '../../../schema/generated/graphql';
import {
  compact,
  deleteOperation,
  listOperation,
  pick,
  readOperation,
  sortBy,
  versionOf,
  writeOperation,
  type RaFilter,
  type ResourceAdapter,
} from '../providers/resource';

const PROFILE_FIELDS = [
  'legalName',
  'registrationId',
  'industry',
  'industryStanding',
  'products',
  'sizeBand',
  'ownershipType',
  'creditStanding',
  'relationshipLevel',
  'sourceChannel',
  'tags',
  'websiteDomain',
  'notes',
] as const;

const ADDRESS_FIELDS = ['line', 'city', 'province', 'postalCode', 'country'] as const;

function profileOf(data: Record<string, any>): Record<string, unknown> {
  const profile: Record<string, unknown> = pick(data, PROFILE_FIELDS);
  if (data.address && typeof data.address === 'object') profile.address = pick(data.address, ADDRESS_FIELDS);
  return profile;
}

function asList<T>(value: T | T[] | undefined | null): T[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return Array.isArray(value) ? value : [value];
}

/**
 * react-admin's customer filters → CustomerFilter. `directory: true` searches every account's
 * directory card (scope DIRECTORY), where only directory fields can be filtered on.
 */
export function customerFilter(filter: RaFilter) {
  if (filter.directory === true) {
    return compact({ search: filter.q?.trim(), regionId: filter.regionId, territoryId: filter.territoryId, ownerId: filter.ownerId });
  }
  return compact({
    search: filter.q?.trim(),
    regionId: filter.regionId,
    territoryId: filter.territoryId,
    ownerId: filter.ownerId,
    stages: asList(filter.lifecycleStage),
    industry: filter.industry?.trim() || undefined,
    grades: asList(filter.grade),
    tag: filter.tag,
    includeArchived: filter.includeArchived === true ? true : undefined,
  });
}

/** The list's column sources → CustomerSortField; every sortable column of CustomerList is here. */
export const CUSTOMER_SORTS = {
  legalName: 'LEGAL_NAME',
  createdAt: 'CREATED_AT',
  updatedAt: 'UPDATED_AT',
  territory: 'TERRITORY',
  'owner.name': 'OWNER',
  lifecycleStage: 'STAGE',
  grade: 'GRADE',
  lastInteractionAt: 'LAST_INTERACTION',
  lastOrderAt: 'LAST_ORDER',
} as const satisfies Record<string, CustomerSortField>;

const customerSort = sortBy(CUSTOMER_SORTS);
const directorySort = sortBy({ legalName: 'LEGAL_NAME' as const });

export const customerResource: ResourceAdapter<AdminCustomerRowFragment> = {
  list: listOperation(AdminCustomersDocument, (data) => data.customers, {
    filter: customerFilter,
    // Column → sort; a directory listing sorts by legal name only (the API refuses the rest there).
    orderBy: (sort, filter) => (filter.directory === true ? directorySort(sort) : customerSort(sort)),
    arguments: (filter) => (filter.directory === true ? { scope: 'DIRECTORY' as const } : {}),
  }),
  one: readOperation(AdminCustomerDocument, (data) => data.customer),
  views: {
    '360': readOperation(AdminCustomer360Document, (data) => data.customer),
  },
  create: writeOperation(
    AdminCreateCustomerDocument,
    ({ data }) => ({
      input: {
        ...profileOf(data),
        legalName: String(data.legalName ?? '').trim(),
        territoryId: data.territoryId || undefined,
        ownerId: data.ownerId || undefined,
        lifecycleStage: data.lifecycleStage || undefined,
      } as CreateCustomerInput,
    }),
    (data) => data.createCustomer,
  ),
  update: writeOperation(
    AdminUpdateCustomerDocument,
    ({ id, data, previousData }) => ({
      id: id!,
      input: { ...profileOf(data), version: versionOf({ data, previousData }) } as UpdateCustomerInput,
    }),
    (data) => data.updateCustomer,
  ),
  // Customers are archived, never deleted: their history stays.
  delete: deleteOperation(AdminArchiveCustomerDocument, ({ id, previousData }) => ({ id, version: versionOf({ data: {}, previousData }) })),
};
