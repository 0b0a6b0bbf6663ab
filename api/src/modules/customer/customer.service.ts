import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../common/auth/viewer.js';
import { BadUserInputError, NotFoundError } from '../../common/errors/errors.js';
import { SortDirection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { Conditions, keysetPage, likePattern, type SortKey } from '../../common/orm/keyset.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import { Region, RegionKind } from '../region/region.entity.js';
import { REGION_SUBTREE_SQL } from '../region/region.service.js';
import { Role, User } from '../user/user.entity.js';
import { Customer } from './customer.entity.js';
import { CustomerSortField, type AddressInput, type CreateCustomerInput, type CustomersArgs, type UpdateCustomerInput } from './customer.inputs.js';
import { normalizeDomain, normalizeName } from './customer.normalize.js';

const SORT: Record<CustomerSortField, SortKey> = {
  [CustomerSortField.LEGAL_NAME]: { property: 'legalName', cast: 'text' },
  [CustomerSortField.CREATED_AT]: { property: 'createdAt', cast: 'timestamptz' },
  [CustomerSortField.UPDATED_AT]: { property: 'updatedAt', cast: 'timestamptz' },
};

/** The filters every customer list understands, as SQL over alias `c`. */
export function customerConditions(filter: CustomersArgs['filter']): Conditions {
  const where = new Conditions();
  if (!filter?.includeArchived) where.add('c.archived_at is null');
  if (!filter) return where;
  if (filter.regionId) where.add(`c.territory_id in (${REGION_SUBTREE_SQL})`, requireId(filter.regionId, 'filter.regionId'));
  if (filter.territoryId) where.add('c.territory_id = ?', requireId(filter.territoryId, 'filter.territoryId'));
  if (filter.ownerId) where.add('c.owner_id = ?', requireId(filter.ownerId, 'filter.ownerId'));
  if (filter.stages?.length) where.add('c.lifecycle_stage = any(?::lifecycle_stage[])', pgArray(filter.stages));
  if (filter.industry) where.add('c.industry = ?', filter.industry);
  if (filter.tag) where.add('? = any(c.tags)', filter.tag);
  if (filter.createdAfter) where.add('c.created_at >= ?', filter.createdAfter);
  if (filter.createdBefore) where.add('c.created_at < ?', filter.createdBefore);
  if (filter.updatedAfter) where.add('c.updated_at >= ?', filter.updatedAfter);
  if (filter.updatedBefore) where.add('c.updated_at < ?', filter.updatedBefore);
  if (filter.search?.trim()) {
    const pattern = likePattern(filter.search.trim());
    where.add(
      `(c.legal_name ilike ? or c.registration_id ilike ? or exists (select 1 from contact s where s.customer_id = c.id and (s.name ilike ? or s.email ilike ? or s.mobile ilike ?)))`,
      pattern, pattern, pattern, pattern, pattern,
    );
  }
  return where;
}

function applyAddress(customer: Customer, address: AddressInput | null | undefined): void {
  if (address === undefined) return;
  customer.addressLine = address?.line ?? null;
  customer.city = address?.city ?? null;
  customer.province = address?.province ?? null;
  customer.postalCode = address?.postalCode ?? null;
  customer.country = address?.country ?? null;
}

function applyProfile(customer: Customer, input: CreateCustomerInput | UpdateCustomerInput): void {
  const optional = ['registrationId', 'industry', 'products', 'industryStanding', 'sizeBand', 'ownershipType', 'sourceChannel', 'notes'] as const;
  for (const key of optional) {
    if (input[key] !== undefined) (customer as unknown as Record<string, unknown>)[key] = input[key] ?? null;
  }
  if (input.creditStanding != null) customer.creditStanding = input.creditStanding;
  if (input.relationshipLevel != null) customer.relationshipLevel = input.relationshipLevel;
  if (input.tags != null) customer.tags = [...new Set(input.tags.map((tag) => tag.trim()).filter(Boolean))];
  if (input.websiteDomain !== undefined) {
    const domain = input.websiteDomain ? normalizeDomain(input.websiteDomain) : null;
    if (input.websiteDomain && !domain) throw new BadUserInputError('websiteDomain', 'websiteDomain is not a valid domain');
    customer.websiteDomain = domain;
  }
  applyAddress(customer, input.address);
}

export class CustomerService {
  list(em: EntityManager, args: CustomersArgs) {
    const sort = SORT[args.orderBy?.field ?? CustomerSortField.LEGAL_NAME];
    return keysetPage<Customer>(em, Customer, 'c', customerConditions(args.filter), { first: args.first, after: args.after, sort, direction: args.orderBy?.direction ?? SortDirection.ASC });
  }

  create(em: EntityManager, viewer: Viewer, input: CreateCustomerInput): Promise<Customer> {
    return transactional(em, async (tx) => {
      const territory = await tx.findOne(Region, { id: requireId(input.territoryId, 'territoryId') });
      if (!territory) throw new NotFoundError('Region', input.territoryId);
      if (territory.kind !== RegionKind.TERRITORY) throw new BadUserInputError('territoryId', 'Customers belong to a territory, the lowest level of the region tree');
      const ownerId = input.ownerId ? requireId(input.ownerId, 'ownerId') : viewer.id;
      const owner = await tx.findOne(User, { id: ownerId });
      if (!owner || !owner.active) throw new BadUserInputError('ownerId', 'The owner must be an active user');
      if (owner.role === Role.ADMIN) throw new BadUserInputError('ownerId', 'Accounts are owned by reps or managers, not admins');
      const name = input.legalName.trim();
      const customer = tx.create(Customer, { legalName: name, normalizedName: normalizeName(name), territory, owner });
      applyProfile(customer, input);
      if (input.lifecycleStage) customer.lifecycleStage = input.lifecycleStage;
      await tx.flush();
      return customer;
    });
  }

  update(em: EntityManager, id: string, input: UpdateCustomerInput): Promise<Customer> {
    return transactional(em, async (tx) => {
      const customer = await loadForUpdate(tx, Customer, requireId(id, 'id'), input.version);
      if (input.legalName != null) {
        customer.legalName = input.legalName.trim();
        customer.normalizedName = normalizeName(customer.legalName);
      }
      applyProfile(customer, input);
      await tx.flush();
      return customer;
    });
  }

  setArchived(em: EntityManager, id: string, version: number, archived: boolean): Promise<Customer> {
    return transactional(em, async (tx) => {
      const customer = await loadForUpdate(tx, Customer, requireId(id, 'id'), version);
      customer.archivedAt = archived ? (customer.archivedAt ?? new Date()) : null;
      await tx.flush();
      return customer;
    });
  }
}
