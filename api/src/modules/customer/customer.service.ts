import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../common/auth/viewer.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../common/errors/errors.js';
import { DEFAULT_PAGE_SIZE, SortDirection, decodeCursor, encodeCursor, type Connection } from '../../common/graphql/connection.js';
import { lazy } from '../../common/graphql/thenable.js';
import type { Loaders, Row } from '../../common/orm/loaders.js';
import { customerForWrite, readableCustomers } from '../access/access.service.js';
import { canRead, customerAccess, hasScope, placementRefusal, type Reach, type TerritoryAccess } from '../access/access.policy.js';
import { Scope } from '../api-key/api-key.entity.js';
import { requireId } from '../../common/graphql/ids.js';
import { Conditions, keysetPage, likePattern, type SortKey } from '../../common/orm/keyset.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { inSubtree } from '../../common/orm/subtree.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import { Region, RegionKind } from '../region/region.entity.js';
import { REGION_SUBTREE_SQL } from '../region/region.service.js';
import { Customer } from './customer.entity.js';
import { CustomerSortField, type AddressInput, type CreateCustomerInput, type CustomersArgs, type UpdateCustomerInput } from './customer.inputs.js';
import { normalizeDomain, normalizeName } from './customer.normalize.js';

const SORT: Record<CustomerSortField, SortKey> = {
  [CustomerSortField.LEGAL_NAME]: { property: 'legalName', cast: 'text' },
  [CustomerSortField.CREATED_AT]: { property: 'createdAt', cast: 'timestamptz' },
  [CustomerSortField.UPDATED_AT]: { property: 'updatedAt', cast: 'timestamptz' },
};

/** The filters every customer list understands, as SQL over alias `c`. */
export function customerConditions(filter: CustomersArgs['filter'], viewer: Viewer): Conditions {
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
    // Contacts' details are personal data of the contacts group: a key without contacts:read and
    // pii:read searches names and ids only (what it cannot read, it cannot match on either).
    if (hasScope(viewer, Scope.CONTACTS_READ) && hasScope(viewer, Scope.PII_READ)) {
      where.add(
        `(c.legal_name ilike ? or c.registration_id ilike ? or exists (select 1 from contact s where s.customer_id = c.id and (s.name ilike ? or s.email ilike ? or s.mobile ilike ?)))`,
        pattern, pattern, pattern, pattern, pattern,
      );
    } else {
      where.add('(c.legal_name ilike ? or c.registration_id ilike ?)', pattern, pattern);
    }
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

/** Where a viewer may open accounts (access.policy.ts `placementRefusal`): FORBIDDEN naming the refused input. */
function assertMayPlace(viewer: Viewer, territoryId: string, ownerId: string): void {
  const refusal = placementRefusal(viewer, { owner: ownerId, territory: territoryId });
  if (refusal) throw new ForbiddenError(refusal.message, { field: refusal.field });
}

/** An owner is an active rep of the territory, or an active manager of its region. */
async function assertOwnerFits(em: EntityManager, ownerId: string, territoryId: string): Promise<void> {
  const [row] = await em.execute<{ fits: boolean }[]>(
    `select exists (
       select 1 from app_user u where u.id = ? and u.active and (
         (u.role = 'REP' and exists (select 1 from user_territory t where t.user_id = u.id and t.region_id = ?))
         or (u.role = 'MANAGER' and exists (select 1 from user_managed_region m join region a on a.id = m.region_id join region d on ${inSubtree('d.path', 'a.path')}
                                            where m.user_id = u.id and d.id = ?)))) as fits`,
    [ownerId, territoryId, territoryId],
  );
  if (!row?.fits) throw new BadUserInputError('ownerId', 'The owner must be an active rep of the territory or a manager of its region');
}

export class DuplicateOwnedError extends ConflictError {
  override readonly code = 'DUPLICATE_OWNED';
}

async function assertNoDuplicate(em: EntityManager, viewer: Viewer, territoryAccess: TerritoryAccess, keys: { normalizedName: string; registrationId: string | null; domain: string | null }): Promise<void> {
  const [match] = await em.execute<{ id: string; owner: string; territory: string; territoryName: string; ownerName: string }[]>(
    `select d.customer_id as id, d.owner_id as owner, d.territory_id as territory, r.name as "territoryName", u.name as "ownerName"
     from customer_directory d join region r on r.id = d.territory_id join app_user u on u.id = d.owner_id
     where d.normalized_name = ? or (?::text is not null and d.registration_id = ?) or (?::text is not null and (d.website_domain = ? or ? = any(d.email_domains)))
     limit 1`,
    [keys.normalizedName, keys.registrationId, keys.registrationId, keys.domain, keys.domain, keys.domain],
  );
  if (!match) return;
  if (canRead(customerAccess(viewer, match, territoryAccess))) {
    throw new ConflictError('This customer already exists', { existingId: match.id });
  }
  throw new DuplicateOwnedError(`This customer already exists in ${match.territoryName}, owned by ${match.ownerName}; request a transfer instead`, {
    territory: { id: match.territory, name: match.territoryName },
    owner: { id: match.owner, name: match.ownerName },
  });
}

/** Filters a directory listing may use: the directory card's own fields. */
const DIRECTORY_FILTERS = new Set(['regionId', 'territoryId', 'ownerId', 'search', 'includeArchived']);

function directoryConditions(filter: CustomersArgs['filter']): Conditions {
  const where = new Conditions();
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (value !== undefined && value !== null && !DIRECTORY_FILTERS.has(key)) {
      throw new ForbiddenError(`filter.${key} is not a directory field; use scope ACCESSIBLE`, { field: `filter.${key}` });
    }
  }
  if (!filter?.includeArchived) where.add('d.archived_at is null');
  if (filter?.regionId) where.add(`d.territory_id in (${REGION_SUBTREE_SQL})`, requireId(filter.regionId, 'filter.regionId'));
  if (filter?.territoryId) where.add('d.territory_id = ?', requireId(filter.territoryId, 'filter.territoryId'));
  if (filter?.ownerId) where.add('d.owner_id = ?', requireId(filter.ownerId, 'filter.ownerId'));
  if (filter?.search?.trim()) where.add('d.legal_name ilike ?', likePattern(filter.search.trim()));
  return where;
}

interface DirectoryRow extends Row {
  legalName: string;
  territory: string;
  owner: string;
}

export class CustomerService {
  /** Accounts the viewer may open, with every filter and sort; row-level security agrees. */
  list(em: EntityManager, reach: Reach, viewer: Viewer, args: CustomersArgs) {
    const sort = SORT[args.orderBy?.field ?? CustomerSortField.LEGAL_NAME];
    const where = customerConditions(args.filter, viewer);
    const scoped = readableCustomers(reach);
    where.parts.unshift(...scoped.parts);
    where.params.unshift(...scoped.params);
    return keysetPage<Customer>(em, Customer, 'c', where, { first: args.first, after: args.after, sort, direction: args.orderBy?.direction ?? SortDirection.ASC });
  }

  /**
   * Every account the viewer may know of, by legal name: the ones they may open come back in
   * full, the others as directory cards built from the directory alone.
   */
  async directory(em: EntityManager, loaders: Loaders, args: CustomersArgs): Promise<Connection<Row>> {
    if (args.orderBy && args.orderBy.field !== CustomerSortField.LEGAL_NAME) {
      throw new ForbiddenError('A directory listing sorts by legal name only', { field: 'orderBy.field' });
    }
    const direction = args.orderBy?.direction === SortDirection.DESC ? 'desc' : 'asc';
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const where = directoryConditions(args.filter);
    const count = new Conditions();
    count.parts.push(...where.parts);
    count.params.push(...where.params);
    if (args.after) {
      const [name, id] = decodeCursor(args.after);
      where.add(`(d.legal_name, d.customer_id) ${direction === 'asc' ? '>' : '<'} (?::text, ?::uuid)`, name, id);
    }
    const rows = await em.execute<DirectoryRow[]>(
      `select d.customer_id as id, d.legal_name as "legalName", d.territory_id as territory, d.owner_id as owner
       from customer_directory d ${where.sql()} order by d.legal_name ${direction}, d.customer_id ${direction} limit ${first + 1}`,
      where.params,
    );
    const page = rows.slice(0, first);
    const full = await loaders.byId(Customer).loadMany(page.map((row) => row.id));
    const edges = page.flatMap((card, index) => {
      const loaded = full[index];
      const node = loaded && !(loaded instanceof Error) ? loaded : loaders.guard(Customer, [card])[0];
      return node ? [{ node, cursor: encodeCursor(card.legalName, card.id) }] : [];
    });
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: Boolean(args.after), startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: lazy(async () => {
        const [row] = await em.execute<{ count: number }[]>(`select count(*)::int as count from customer_directory d ${count.sql()}`, count.params);
        return row?.count ?? 0;
      }),
    };
  }

  /**
   * Creates an account after looking for the same customer under another name: a match the
   * viewer may open is a CONFLICT naming it; a match owned elsewhere is DUPLICATE_OWNED naming
   * only its territory and owner, so the rep can ask for a transfer instead of poaching it.
   */
  create(em: EntityManager, viewer: Viewer, territoryAccess: TerritoryAccess, input: CreateCustomerInput): Promise<Customer> {
    return transactional(em, async (tx) => {
      const territory = await tx.findOne(Region, { id: requireId(input.territoryId, 'territoryId') });
      if (!territory) throw new NotFoundError('Region', input.territoryId);
      if (territory.kind !== RegionKind.TERRITORY) throw new BadUserInputError('territoryId', 'Customers belong to a territory, the lowest level of the region tree');
      const ownerId = input.ownerId ? requireId(input.ownerId, 'ownerId') : viewer.kind === 'USER' ? viewer.id : null;
      if (!ownerId) throw new BadUserInputError('ownerId', 'ownerId is required');
      assertMayPlace(viewer, territory.id, ownerId);
      await assertOwnerFits(tx, ownerId, territory.id);
      const name = input.legalName.trim();
      const normalizedName = normalizeName(name);
      if (!normalizedName) throw new BadUserInputError('legalName', 'legalName must contain letters or digits');
      const domain = input.websiteDomain ? normalizeDomain(input.websiteDomain) : null;
      await assertNoDuplicate(tx, viewer, territoryAccess, { normalizedName, registrationId: input.registrationId ?? null, domain });
      const customer = tx.create(Customer, { legalName: name, normalizedName, territory, owner: ownerId });
      applyProfile(customer, input);
      if (input.lifecycleStage) customer.lifecycleStage = input.lifecycleStage;
      await tx.flush();
      return customer;
    });
  }

  update(em: EntityManager, viewer: Viewer, territoryAccess: TerritoryAccess, id: string, input: UpdateCustomerInput): Promise<Customer> {
    return transactional(em, async (tx) => {
      await customerForWrite(tx, viewer, territoryAccess, id);
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

  setArchived(em: EntityManager, viewer: Viewer, territoryAccess: TerritoryAccess, id: string, version: number, archived: boolean): Promise<Customer> {
    return transactional(em, async (tx) => {
      await customerForWrite(tx, viewer, territoryAccess, id);
      const customer = await loadForUpdate(tx, Customer, requireId(id, 'id'), version);
      customer.archivedAt = archived ? (customer.archivedAt ?? new Date()) : null;
      await tx.flush();
      return customer;
    });
  }
}
