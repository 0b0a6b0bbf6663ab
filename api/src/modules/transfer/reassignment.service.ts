import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../../common/access/index.js';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../common/errors/errors.js';
import { requireId } from '../../common/graphql/ids.js';
import { Conditions } from '../../common/orm/keyset.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { transactional } from '../../common/orm/transaction.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import type { RequestScope } from '../../context.js';
import type { ReassignCustomersInput } from './transfer.inputs.js';
import { requireTerritory, setChangeReason, territoriesOwnerMisfits } from './transfer.service.js';

export interface Reassignment {
  /** Accounts that changed owner or territory. */
  count: number;
  /** Accounts selected that already had this owner and territory. */
  skipped: number;
  elapsedMs: number;
  /** Ids of the accounts moved, in id order. */
  customerIds: string[];
}

interface Selection {
  existing: number;
  selected: number;
  outside: number;
  territories: string[];
}

/** The selection as SQL over `alias` (customer or customer_directory, whose key column differs). */
function selection(alias: string, key: string, ids: string[] | null, fromOwnerId: string | null): Conditions {
  const where = new Conditions();
  if (ids) where.add(`${alias}.${key} = any(?::uuid[])`, pgArray(ids));
  if (fromOwnerId) where.add(`${alias}.owner_id = ?`, fromOwnerId);
  return where;
}

/** A refusal names at most this many accounts; `count` says how many there are in all. */
const NAMED_AT_MOST = 50;

// A type, not an interface: it goes into an error's extensions record.
type Refused = {
  /** How many accounts are at fault, named or not. */
  count: number;
  customers: { id: string; legalName: string }[];
  territories: { id: string; name: string }[];
};

/**
 * The accounts of the selection that `fault` picks out, by legal name (at most NAMED_AT_MOST), and
 * their territories: what a refusal names so the console can tell which accounts are at fault.
 * Read from the directory, which every user may read.
 */
async function refusedAccounts(tx: EntityManager, where: Conditions, fault: string, params: unknown[]): Promise<Refused> {
  const at = new Conditions();
  at.parts.push(...where.parts, fault);
  at.params.push(...where.params, ...params);
  const [row] = await tx.execute<Refused[]>(
    `select
       (select count(*)::int from customer_directory d ${at.sql()}) as count,
       coalesce((select json_agg(json_build_object('id', a.id, 'legalName', a.legal_name) order by a.legal_name, a.id) from (
         select d.customer_id as id, d.legal_name from customer_directory d ${at.sql()} order by d.legal_name, d.customer_id limit ${NAMED_AT_MOST}
       ) a), '[]') as customers,
       coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name) order by r.path) from region r
         where r.id in (select d.territory_id from customer_directory d ${at.sql()})), '[]') as territories`,
    [...at.params, ...at.params, ...at.params],
  );
  return row ?? { count: 0, customers: [], territories: [] };
}

async function territoryNames(tx: EntityManager, territoryIds: string[]): Promise<Refused['territories']> {
  return tx.execute<Refused['territories']>('select r.id, r.name from region r where r.id = any(?::uuid[]) order by r.path', [
    pgArray(territoryIds),
  ]);
}

/**
 * Admins move any accounts; managers only accounts that lie in their regions, into a territory
 * of their regions. Everything is checked first against the directory (readable by every user),
 * then written with one UPDATE … FROM whose row-level security agrees.
 */
export class ReassignmentService {
  constructor(private readonly scope: RequestScope) {}

  reassign(input: ReassignCustomersInput): Promise<Reassignment> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const started = process.hrtime.bigint();
      const reason = input.reason.trim();
      if (reason.length < 5) throw new BadUserInputError('reason', 'reason must be 5–2000 characters');
      if (!input.customerIds?.length && !input.fromOwnerId)
        throw new BadUserInputError('customerIds', 'Name the accounts to move: customerIds, fromOwnerId, or both');
      const ids = input.customerIds?.length ? [...new Set(input.customerIds.map((id) => requireId(id, 'customerIds')))] : null;
      const fromOwnerId = input.fromOwnerId ? requireId(input.fromOwnerId, 'fromOwnerId') : null;
      const toOwnerId = requireId(input.toOwnerId, 'toOwnerId');
      const toTerritoryId = input.toTerritoryId ? await requireTerritory(tx, input.toTerritoryId, 'toTerritoryId') : null;
      const manager = viewer.role === Role.MANAGER;
      const owned = fromOwnerId ? 'd.owner_id = ?' : 'true';
      const ownedParams = fromOwnerId ? [fromOwnerId] : [];

      // Plain filters over the directory, no joins against the id list: the plans stay linear
      // even when statistics lag behind a bulk load.
      const where = selection('d', 'customer_id', ids, ids ? null : fromOwnerId);
      // Whether another region's account is archived is not a manager's to know (docs/permissions.md):
      // picked by owner, those are neither counted nor named. Named by id, they were the caller's choice.
      if (manager && !ids) where.add('(d.archived_at is null or d.territory_id = any(?::uuid[]))', pgArray(viewer.managedTerritories));
      const [stats] = await tx.execute<Selection[]>(
        `select count(*)::int as existing,
           count(*) filter (where ${owned})::int as selected,
           count(*) filter (where ${owned} and not d.territory_id = any(?::uuid[]))::int as outside,
           coalesce(array_agg(distinct d.territory_id) filter (where ${owned}), '{}') as territories
         from customer_directory d ${where.sql()}`,
        [...ownedParams, ...ownedParams, pgArray(viewer.managedTerritories), ...ownedParams, ...where.params],
      );
      if (ids && (stats?.existing ?? 0) < ids.length) {
        const [missing] = await tx.execute<{ id: string }[]>(
          'select k.id from unnest(?::uuid[]) as k(id) except select d.customer_id from customer_directory d where d.customer_id = any(?::uuid[]) limit 1',
          [pgArray(ids), pgArray(ids)],
        );
        throw new NotFoundError('Customer', missing?.id);
      }
      const selected = stats ?? { existing: 0, selected: 0, outside: 0, territories: [] };
      if (manager && selected.outside > 0) {
        const outside = await refusedAccounts(tx, where, `${owned} and not d.territory_id = any(?::uuid[])`, [
          ...ownedParams,
          pgArray(viewer.managedTerritories),
        ]);
        throw new ForbiddenError(`${selected.outside} of the selected accounts lie outside your regions`, {
          field: ids ? 'customerIds' : 'fromOwnerId',
          ...outside,
        });
      }
      if (manager && toTerritoryId && !viewer.managedTerritories.includes(toTerritoryId)) {
        throw new ForbiddenError('The target territory is outside your regions', { field: 'toTerritoryId' });
      }
      const destinations = toTerritoryId ? [toTerritoryId] : selected.territories;
      const misfits = await territoriesOwnerMisfits(tx, toOwnerId, destinations);
      if (misfits.length) {
        // With a target territory every account is at fault, so only the territory is named.
        const refused = toTerritoryId
          ? { count: selected.selected, customers: [], territories: await territoryNames(tx, misfits) }
          : await refusedAccounts(tx, where, `${owned} and d.territory_id = any(?::uuid[])`, [...ownedParams, pgArray(misfits)]);
        throw new BadUserInputError('toOwnerId', 'The new owner must be an active rep or manager of every target territory', refused);
      }
      if (selected.selected === 0) return { count: 0, skipped: 0, elapsedMs: 0, customerIds: [] };

      await setChangeReason(tx, `Bulk reassignment: ${reason}`);
      // The customer triggers' statements are cached per connection, planned for the one-row
      // updates they usually see; reused for thousands of rows those plans go quadratic (10 000
      // accounts ran past the statement timeout). Replan them for this batch, and again after it
      // so later single-row edits on this pooled connection do not inherit a bulk-sized plan.
      await tx.execute('discard plans');
      const target = selection('c', 'id', ids, fromOwnerId);
      // One statement: lock the selection in id order (concurrent reassignments cannot
      // deadlock), move it, and append one audit event per moved account. The statement-level
      // triggers on customer then update the directory and the ownership history, set-based.
      const moved = await tx.execute<{ id: string; fromPath: string; toPath: string }[]>(
        `with target as (
           select c.id, c.owner_id, c.territory_id from customer c ${target.sql()} order by c.id for update
         ), moved as (
           update customer c set owner_id = ?::uuid, territory_id = coalesce(?::uuid, t.territory_id), version = c.version + 1, updated_at = now()
           from target t
           where c.id = t.id and (t.owner_id <> ?::uuid or t.territory_id <> coalesce(?::uuid, t.territory_id))
           returning c.id, t.owner_id as old_owner, t.territory_id as old_territory, c.owner_id as new_owner, c.territory_id as new_territory, c.version
         ), paths as (
           select m.*, ro.path as from_path, rn.path as to_path
           from moved m join region ro on ro.id = m.old_territory join region rn on rn.id = m.new_territory
         ), audited as (
           insert into audit_event (actor_kind, actor_id, actor_name, action, entity_type, entity_id, region_paths, before, after, reason)
           select ?, ?::uuid, ?, ?, 'Customer', p.id,
             case when p.from_path = p.to_path then array[p.from_path] else array[p.from_path, p.to_path] end,
             jsonb_build_object('ownerId', p.old_owner, 'territoryId', p.old_territory),
             jsonb_build_object('ownerId', p.new_owner, 'territoryId', p.new_territory, 'version', p.version),
             ?
           from paths p
         )
         select p.id, p.from_path as "fromPath", p.to_path as "toPath" from paths p order by p.id`,
        [
          ...target.params,
          toOwnerId,
          toTerritoryId,
          toOwnerId,
          toTerritoryId,
          viewer.kind,
          viewer.id,
          viewer.name,
          AuditAction.CUSTOMER_REASSIGNED,
          reason,
        ],
      );
      await tx.execute('discard plans');
      await setChangeReason(tx, '');
      const regionPaths = [...new Set(moved.flatMap((row) => [row.fromPath, row.toPath]))];
      const elapsedMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
      await recordAudit(tx, viewer, {
        action: AuditAction.CUSTOMERS_BULK_REASSIGNED,
        regionPaths,
        after: {
          count: moved.length,
          skipped: selected.selected - moved.length,
          customerIds: ids?.length ?? null,
          fromOwnerId,
          toOwnerId,
          toTerritoryId,
          elapsedMs,
        },
        reason,
      });
      return { count: moved.length, skipped: selected.selected - moved.length, elapsedMs, customerIds: moved.map((row) => row.id) };
    });
  }
}
