import type { EntityManager } from '@mikro-orm/postgresql';
import { type Viewer, Scope } from '../../common/access/index.js';
import {
  type AppError,
  BadUserInputError,
  ConflictError,
  CustomerMergedError,
  ForbiddenError,
  NotFoundError,
} from '../../common/errors/errors.js';
import { DEFAULT_PAGE_SIZE, SortDirection, decodeCursor, encodeCursor, type Connection } from '../../common/graphql/connection.js';
import type { Row } from '../../common/orm/loaders.js';
import { customerForWrite, readableCustomers } from '../access/index.js';
import { canRead, customerAccess, GROUP_SCOPES, hasScope, ownerFitsSql, placementRefusal, type CustomerGroup } from '../access/index.js';
import { LATEST_PUBLISHED_CYCLE_SQL, latestGradeInSql, latestGradeJoins, latestGradeRankSql } from '../evaluation/index.js';
import { connectionOf } from '../../common/graphql/connection.js';
import type { Actor } from '../access/index.js';
import { requireId } from '../../common/graphql/ids.js';
import { Conditions, keysetPage, lazyCount, likePattern, type SortKey } from '../../common/orm/keyset.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import type { RequestScope } from '../../context.js';
import { Region, RegionKind } from '../region/region.entity.js';
import { REGION_SUBTREE_SQL } from '../region/index.js';
import {
  CustomerSortField,
  type AddressInput,
  type CreateCustomerInput,
  type CustomersArgs,
  type UpdateCustomerInput,
} from './customer.inputs.js';
import { mayApproveStageChanges } from '../lifecycle/index.js';
import { placeByRules, placementFor, type PlacementFacts } from '../assignment/index.js';
import { Customer, LifecycleStage } from './customer.entity.js';
import { IdentityKind } from './customer-identity.entity.js';
import { normalizeDomain, normalizeName, normalizeRegistrationId, registrationKey } from './customer.normalize.js';

/** "None yet" sorts as the earliest time, so the key is never null and (key, id) stays a total order. */
const latestOrNever = (column: string) => (c: string) => `coalesce(${c}.${column}, '-infinity'::timestamptz)`;

/**
 * Every sort of the customer list. Each key is one never-null expression that ORDER BY and the
 * cursor comparison share (keyset.ts), with the id as the tie-breaker. The activity keys are the
 * columns the triggers keep and the indexes cover (customer.entity.ts); the territory, owner and
 * grade keys are read through to-one joins. The grade sorts by its position in the cycle's grade
 * list, never by the score behind it (company-wide: evaluation.permissions.ts).
 */
const SORT: Record<CustomerSortField, SortKey> = {
  [CustomerSortField.LEGAL_NAME]: { property: 'legalName', cast: 'text' },
  [CustomerSortField.CREATED_AT]: { property: 'createdAt', cast: 'timestamptz' },
  [CustomerSortField.UPDATED_AT]: { property: 'updatedAt', cast: 'timestamptz' },
  [CustomerSortField.TERRITORY]: {
    property: 'territoryName',
    cast: 'text',
    expression: (c) => `${c}_t.name`,
    joins: (c) => `join region ${c}_t on ${c}_t.id = ${c}.territory_id`,
  },
  [CustomerSortField.OWNER]: {
    property: 'ownerName',
    cast: 'text',
    expression: (c) => `${c}_u.name`,
    joins: (c) => `join app_user ${c}_u on ${c}_u.id = ${c}.owner_id`,
  },
  // lifecycle_stage is an enum declared in funnel order (migration Migration20261123114556), so
  // the column itself sorts in funnel order and its (lifecycle_stage, id) index serves the sort.
  [CustomerSortField.STAGE]: { property: 'lifecycleStage', cast: 'lifecycle_stage' },
  [CustomerSortField.GRADE]: { property: 'gradeRank', cast: 'integer', expression: latestGradeRankSql, joins: latestGradeJoins },
  [CustomerSortField.LAST_INTERACTION]: {
    property: 'lastInteractionAt',
    cast: 'timestamptz',
    expression: latestOrNever('last_interaction_at'),
  },
  [CustomerSortField.LAST_ORDER]: { property: 'lastOrderAt', cast: 'timestamptz', expression: latestOrNever('last_order_at') },
};

/** The field group whose values a sort reads, where it is not the profile or the directory card. */
const SORT_GROUPS: Partial<Record<CustomerSortField, Exclude<CustomerGroup, 'directory'>>> = {
  [CustomerSortField.GRADE]: 'evaluations',
  [CustomerSortField.LAST_INTERACTION]: 'interactions',
  [CustomerSortField.LAST_ORDER]: 'orders',
};

/**
 * A sort or filter on a value is an oracle for it: walking the order (or counting the matches)
 * tells what the field would say. So it is allowed only where the viewer may read the value on
 * every row it ranges over. In an ACCESSIBLE list every row is READ or EDIT, which opens every
 * group to a user; an API key opens a group by its scope alone, the same for every row. A key
 * without the scope is therefore refused (FORBIDDEN naming the scope) rather than given the rows
 * where it may read the value — there are none, and an empty page would pass for "no match".
 * DIRECTORY listings refuse every non-directory filter and sort (`directory`), which covers the
 * card-only rows.
 */
function assertMayRangeOver(viewer: Viewer, group: Exclude<CustomerGroup, 'directory'>, field: string): void {
  const scope = GROUP_SCOPES[group];
  if (!hasScope(viewer, scope)) {
    throw new ForbiddenError(`${field} reads the ${group} of accounts, which needs the scope ${scope}`, { field, scope });
  }
}

/** The filters every customer list understands, as SQL over alias `c`. */
export function customerConditions(filter: CustomersArgs['filter'], viewer: Viewer): Conditions {
  const where = new Conditions();
  if (!filter?.includeArchived) where.add('c.archived_at is null');
  if (!filter) return where;
  if (filter.regionId) where.add(`c.territory_id in (${REGION_SUBTREE_SQL})`, requireId(filter.regionId, 'filter.regionId'));
  if (filter.territoryId) where.add('c.territory_id = ?', requireId(filter.territoryId, 'filter.territoryId'));
  if (filter.ownerId) where.add('c.owner_id = ?', requireId(filter.ownerId, 'filter.ownerId'));
  if (filter.stages?.length) where.add('c.lifecycle_stage = any(?::lifecycle_stage[])', pgArray(filter.stages));
  if (filter.industry?.trim()) where.add('lower(c.industry) = lower(?)', filter.industry.trim());
  if (filter.grades?.length) {
    assertMayRangeOver(viewer, 'evaluations', 'filter.grades');
    where.add(latestGradeInSql('c'), pgArray(filter.grades.map((grade) => grade.trim().toLowerCase())));
  }
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
        pattern,
        pattern,
        pattern,
        pattern,
        pattern,
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
  const optional = ['industry', 'products', 'industryStanding', 'sizeBand', 'ownershipType', 'sourceChannel', 'notes'] as const;
  for (const key of optional) {
    if (input[key] !== undefined) (customer as unknown as Record<string, unknown>)[key] = input[key] ?? null;
  }
  if (input.registrationId !== undefined) {
    const registrationId = input.registrationId?.trim() ? normalizeRegistrationId(input.registrationId) : null;
    if (input.registrationId?.trim() && !registrationId)
      throw new BadUserInputError(
        'registrationId',
        'registrationId must be 1–40 letters A–Z or digits (spaces and separators are dropped)',
      );
    customer.registrationId = registrationId;
    customer.registrationKey = registrationId ? registrationKey(registrationId) : null;
  }
  if (input.externalId !== undefined) customer.externalId = input.externalId?.trim() || null;
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

/** What the assignment rules match a new account on. */
function placementFacts(input: CreateCustomerInput): PlacementFacts {
  return {
    province: input.address?.province,
    city: input.address?.city,
    industry: input.industry,
    sizeBand: input.sizeBand,
    sourceChannel: input.sourceChannel,
  };
}

/** Where a viewer may open accounts (access.rules.ts `placementRefusal`): FORBIDDEN naming the refused input. */
function assertMayPlace(viewer: Viewer, territoryId: string, ownerId: string): void {
  const refusal = placementRefusal(viewer, { owner: ownerId, territory: territoryId });
  if (refusal) throw new ForbiddenError(refusal.message, { field: refusal.field });
}

/** An owner is an active rep of the territory, or an active manager of its region (`ownerFitsSql`). */
async function assertOwnerFits(em: EntityManager, ownerId: string, territoryId: string): Promise<void> {
  const [row] = await em.execute<{ fits: boolean }[]>(`select ${ownerFitsSql('?::uuid', '?::uuid')} as fits`, [ownerId, territoryId]);
  if (!row?.fits) throw new BadUserInputError('ownerId', 'The owner must be an active rep of the territory or a manager of its region');
}

export class DuplicateOwnedError extends ConflictError {
  override readonly code = 'DUPLICATE_OWNED';
}

/** A write met the unique key of `customer_identity`: another live customer is the same company. */
class IdentityTakenError extends ConflictError {}

/** Which input field each identity key comes from, most specific first. */
const IDENTITY_FIELDS: [IdentityKind, 'registrationId' | 'websiteDomain' | 'legalName'][] = [
  [IdentityKind.REGISTRATION, 'registrationId'],
  [IdentityKind.DOMAIN, 'websiteDomain'],
  [IdentityKind.NAME, 'legalName'],
];

interface Holder {
  kind: IdentityKind;
  id: string;
  owner: string;
  territory: string;
}

/**
 * The answer to a write refused because the company already has a record. The lookup sees every
 * live customer (`app_identity_holders`, past row-level security); the answer tells only what
 * the asker may know: the record itself when they may open it (CONFLICT with its id), else
 * DUPLICATE_OWNED with the directory card's territory and owner for a user — so a rep can ask
 * for a transfer — and nothing more than "it exists" for an API key, which sees no directory.
 */
async function identityRefusal(em: EntityManager, { viewer, territoryAccess }: Actor, customer: Customer): Promise<AppError> {
  const holders = await em.execute<Holder[]>(
    'select kind, customer_id as id, owner_id as owner, territory_id as territory from app_identity_holders(?, ?, ?) where customer_id <> ?',
    [customer.normalizedName, customer.registrationKey ?? null, customer.websiteDomain ?? null, customer.id],
  );
  const ranked = IDENTITY_FIELDS.flatMap(([kind, field]) =>
    holders.filter((holder) => holder.kind === kind).map((holder) => ({ holder, field })),
  );
  const match = ranked[0];
  // The holder let go of the key between the refusal and this lookup (archived, renamed): the write may simply be tried again.
  if (!match) return new ConflictError('This customer was changed at the same moment; try again', { field: 'legalName' });
  const { holder, field } = match;
  if (canRead(customerAccess(viewer, holder, territoryAccess)))
    return new ConflictError('This customer already exists', { field, existingId: holder.id });
  if (viewer.kind === 'API_KEY')
    return new DuplicateOwnedError('This customer already exists outside the territories of this key', { field });
  const [card] = await em.execute<{ territoryName: string; ownerName: string }[]>(
    'select r.name as "territoryName", u.name as "ownerName" from region r, app_user u where r.id = ? and u.id = ?',
    [holder.territory, holder.owner],
  );
  return new DuplicateOwnedError(
    `This customer already exists in ${card?.territoryName}, owned by ${card?.ownerName}; request a transfer instead`,
    {
      field,
      territory: { id: holder.territory, name: card?.territoryName },
      owner: { id: holder.owner, name: card?.ownerName },
    },
  );
}

/**
 * Runs a write that sets a customer's identity keys (`write` prepares the customer; the flush
 * happens here). Nothing is checked beforehand: the write
 * itself claims the keys (the triggers on `customer`), and PostgreSQL's unique key decides
 * between concurrent claimants; the loser's savepoint is rolled back and it learns who won.
 */
async function claimingIdentity(em: EntityManager, actor: Actor, write: (tx: EntityManager) => Promise<Customer>): Promise<Customer> {
  // The customer as it was about to be written: its keys name what was refused.
  let written: Customer | undefined;
  try {
    return await transactional(
      em,
      async (tx) => {
        written = await write(tx);
        await tx.flush();
        return written;
      },
      {
        customer_identity_pkey: new IdentityTakenError('This customer already exists'),
        customer_external_id_live_unique: new ConflictError('Another account has this external id', { field: 'externalId' }),
      },
    );
  } catch (error) {
    if (error instanceof IdentityTakenError && written) throw await identityRefusal(em, actor, written);
    throw error;
  }
}

/**
 * The stage a new account may start in: POTENTIAL, or one step on (INTENTION), as its owner could
 * move it at once; later stages come from orders or an approved stage change, so only those who
 * approve stage changes in the territory may open an account further along.
 */
function initialStage(viewer: Viewer, territoryId: string, stage: LifecycleStage | undefined): LifecycleStage | undefined {
  if (!stage || stage === LifecycleStage.POTENTIAL || stage === LifecycleStage.INTENTION) return stage;
  if (mayApproveStageChanges(viewer, territoryId)) return stage;
  throw new BadUserInputError(
    'lifecycleStage',
    'A new account starts as POTENTIAL or INTENTION; later stages come from orders or an approved stage change',
  );
}

/**
 * Filters a directory listing may use: the directory card's own fields. Archived accounts are
 * not in it (whether a card-only account is archived is not the viewer's to know).
 */
const DIRECTORY_FILTERS = new Set(['regionId', 'territoryId', 'ownerId', 'search']);

function directoryConditions(filter: CustomersArgs['filter']): Conditions {
  const where = new Conditions();
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (value !== undefined && value !== null && !DIRECTORY_FILTERS.has(key)) {
      throw new ForbiddenError(`filter.${key} is not a directory field; use scope ACCESSIBLE`, { field: `filter.${key}` });
    }
  }
  where.add('d.archived_at is null');
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
  constructor(private readonly scope: RequestScope) {}

  /** Accounts the viewer may open, with every filter and sort; row-level security agrees. */
  /**
   * What a `customers` page reads: the viewer's readable accounts under the filter, and the sort.
   * The resolvers and the compiled statement (customer.compiled.ts) both page by it.
   */
  listQuery(args: CustomersArgs): { where: Conditions; sort: SortKey; direction: SortDirection } {
    const { reach, viewer } = this.scope;
    const field = args.orderBy?.field ?? CustomerSortField.LEGAL_NAME;
    const group = SORT_GROUPS[field];
    if (group) assertMayRangeOver(viewer, group, 'orderBy.field');
    const where = readableCustomers(reach);
    const filtered = customerConditions(args.filter, viewer);
    where.parts.push(...filtered.parts);
    where.params.push(...filtered.params);
    return {
      where,
      sort: SORT[field],
      direction: args.orderBy?.direction ?? SortDirection.ASC,
    };
  }

  list(args: CustomersArgs) {
    const { where, sort, direction } = this.listQuery(args);
    return keysetPage<Customer>(this.scope.em, Customer, 'c', where, { first: args.first, after: args.after, sort, direction });
  }

  /**
   * The industries of the accounts the viewer may open, for the list's industry filter: one entry
   * per industry whatever its case (the filter matches case-insensitively), spelled as most of
   * its accounts spell it.
   */
  async industries(): Promise<string[]> {
    const { em, reach } = this.scope;
    const where = readableCustomers(reach);
    where.add('c.archived_at is null').add(`trim(c.industry) <> ''`);
    const rows = await em.execute<{ industry: string }[]>(
      `select mode() within group (order by c.industry) as industry from customer c ${where.sql()}
       group by lower(c.industry) order by lower(c.industry) limit 500`,
      where.params,
    );
    return rows.map((row) => row.industry);
  }

  /** The grade names of the latest published cycle, best first: what `Customer.grade` and `filter.grades` take. */
  async grades(): Promise<string[]> {
    const [row] = await this.scope.em.execute<{ grades: string[] | null }[]>(
      `select array(select g.v ->> 'name' from jsonb_array_elements(y.settings -> 'grades') with ordinality g(v, o) order by g.o) as grades
       from evaluation_cycle y where y.id = ${LATEST_PUBLISHED_CYCLE_SQL}`,
    );
    return row?.grades ?? [];
  }

  /**
   * Every account the viewer may know of, by legal name: the ones they may open come back in
   * full, the others as directory cards built from the directory alone.
   */
  async directory(args: CustomersArgs): Promise<Connection<Row>> {
    const { em, loaders } = this.scope;
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
    return connectionOf(edges, {
      hasNextPage: rows.length > first,
      after: args.after,
      totalCount: lazyCount(em, `select count(*)::int as count from customer_directory d ${count.sql()}`, count.params),
    });
  }

  /**
   * Creates an account. The whole input is validated first, so a refused create tells nothing;
   * then the insert claims the company's identity keys, and a company that already has a record
   * is refused with what the viewer may know of it (`identityRefusal`): a match they may open is
   * a CONFLICT naming it, one owned elsewhere DUPLICATE_OWNED, so the rep can ask for a transfer
   * instead of poaching it.
   */
  create(input: CreateCustomerInput): Promise<Customer> {
    const { em, viewer } = this.scope;
    return claimingIdentity(em, this.scope, async (tx) => {
      // No territory (integrators, web forms): the assignment rules place the account, and every check below still applies.
      const rule = input.territoryId ? null : await placeByRules(tx, placementFacts(input));
      const placed = rule && placementFor(viewer, rule);
      const territoryId = input.territoryId ?? placed?.territoryId;
      if (!territoryId) throw new BadUserInputError('territoryId', 'No assignment rule places this account; name its territory');
      const territory = await tx.findOne(Region, { id: requireId(territoryId, 'territoryId') });
      if (!territory) throw new NotFoundError('Region', territoryId);
      if (territory.kind !== RegionKind.TERRITORY)
        throw new BadUserInputError('territoryId', 'Customers belong to a territory, the lowest level of the region tree');
      const ownerId = input.ownerId
        ? requireId(input.ownerId, 'ownerId')
        : (placed?.ownerId ?? (viewer.kind === 'USER' ? viewer.id : null));
      if (!ownerId) throw new BadUserInputError('ownerId', 'ownerId is required');
      assertMayPlace(viewer, territory.id, ownerId);
      await assertOwnerFits(tx, ownerId, territory.id);
      const name = input.legalName.trim();
      const normalizedName = normalizeName(name);
      if (!normalizedName) throw new BadUserInputError('legalName', 'legalName must contain letters or digits');
      const stage = initialStage(viewer, territory.id, input.lifecycleStage);
      const customer = tx.create(Customer, { legalName: name, normalizedName, territory, owner: ownerId });
      applyProfile(customer, input);
      if (stage) customer.lifecycleStage = stage;
      return customer;
    });
  }

  /** Profile changes; a new name, registration id or website claims its identity keys as a create does. */
  update(id: string, input: UpdateCustomerInput): Promise<Customer> {
    const { em } = this.scope;
    return claimingIdentity(em, this.scope, async (tx) => {
      await customerForWrite(tx, this.scope, id);
      const customer = await loadForUpdate(tx, Customer, requireId(id, 'id'), input.version);
      // Terminal until an undo, which moves the version on: a merge racing this edit fails its version check.
      if (customer.mergedInto) throw new CustomerMergedError(customer.id);
      if (input.legalName != null) {
        const name = input.legalName.trim();
        const normalizedName = normalizeName(name);
        if (!normalizedName) throw new BadUserInputError('legalName', 'legalName must contain letters or digits');
        customer.legalName = name;
        customer.normalizedName = normalizedName;
      }
      applyProfile(customer, input);
      return customer;
    });
  }

  /** Archiving lets go of the identity keys; restoring claims them again (refused if the company was opened anew meanwhile). */
  setArchived(id: string, version: number, archived: boolean): Promise<Customer> {
    const { em } = this.scope;
    return claimingIdentity(em, this.scope, async (tx) => {
      await customerForWrite(tx, this.scope, id);
      const customer = await loadForUpdate(tx, Customer, requireId(id, 'id'), version);
      if (customer.mergedInto) throw new CustomerMergedError(customer.id);
      customer.archivedAt = archived ? (customer.archivedAt ?? new Date()) : null;
      return customer;
    });
  }
}
