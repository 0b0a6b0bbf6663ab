import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, VersionConflictError } from '../../common/errors/errors.js';
import { DEFAULT_PAGE_SIZE, connectionOf, decodeCursor, encodeCursor, type Connection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { transactional } from '../../common/orm/transaction.js';
import type { Viewer } from '../../common/access/index.js';
import type { RequestScope } from '../../context.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { duplicateCandidates } from './duplicates.sql.js';
import { mayMerge, mayReadMoves, mayReadProfile } from './merge.permissions.js';
import {
  type CustomerMerge,
  type DuplicateCandidate,
  type DuplicateCandidatesArgs,
  MergeChildKind,
  MergeField,
  type MergeCustomersInput,
  type MergeFieldValue,
  type MergeMove,
  type MergeResult,
  type MergesArgs,
  UndoRefusal,
} from './merge.types.js';

/** The columns of each profile field (snake case, as in the row's to_jsonb). */
const FIELD_COLUMNS: Record<MergeField, string[]> = {
  // The derived identity keys travel with their source (the row's own, computed when it was written).
  [MergeField.LEGAL_NAME]: ['legal_name', 'normalized_name'],
  [MergeField.REGISTRATION_ID]: ['registration_id', 'registration_key'],
  [MergeField.WEBSITE_DOMAIN]: ['website_domain'],
  [MergeField.INDUSTRY]: ['industry'],
  [MergeField.PRODUCTS]: ['products'],
  [MergeField.INDUSTRY_STANDING]: ['industry_standing'],
  [MergeField.SIZE_BAND]: ['size_band'],
  [MergeField.OWNERSHIP_TYPE]: ['ownership_type'],
  [MergeField.CREDIT_STANDING]: ['credit_standing'],
  [MergeField.RELATIONSHIP_LEVEL]: ['relationship_level'],
  [MergeField.SOURCE_CHANNEL]: ['source_channel'],
  [MergeField.ADDRESS]: ['address_line', 'city', 'province', 'postal_code', 'country'],
  [MergeField.TAGS]: ['tags'],
  [MergeField.NOTES]: ['notes'],
};
const ADDRESS_KEYS: Record<string, string> = {
  address_line: 'line',
  city: 'city',
  province: 'province',
  postal_code: 'postalCode',
  country: 'country',
};
/** Every column a merge (or its undo) may rewrite on the survivor. */
const PROFILE_COLUMNS = Object.values(FIELD_COLUMNS).flat();

/** The children that move, by table; payments follow their orders and evaluations are linked, not moved. */
const MOVED: { kind: MergeChildKind; table: string; versioned: boolean }[] = [
  { kind: MergeChildKind.CONTACT, table: 'contact', versioned: true },
  { kind: MergeChildKind.INTERACTION, table: 'interaction', versioned: true },
  { kind: MergeChildKind.ORDER, table: 'sales_order', versioned: true },
  { kind: MergeChildKind.LIFECYCLE_TRANSITION, table: 'lifecycle_transition', versioned: false },
  { kind: MergeChildKind.LIFECYCLE_ALERT, table: 'lifecycle_alert', versioned: false },
];
/** Children of every kind, by record: what a dry run lists and a merge records. */
const CHILDREN_SQL = `
  select 'CONTACT' as kind, id, customer_id as "from" from contact where customer_id = any(?::uuid[])
  union all select 'INTERACTION', id, customer_id from interaction where customer_id = any(?::uuid[])
  union all select 'ORDER', id, customer_id from sales_order where customer_id = any(?::uuid[])
  union all select 'PAYMENT', p.id, o.customer_id from payment p join sales_order o on o.id = p.order_id where o.customer_id = any(?::uuid[])
  union all select 'LIFECYCLE_TRANSITION', id, customer_id from lifecycle_transition where customer_id = any(?::uuid[])
  union all select 'LIFECYCLE_ALERT', id, customer_id from lifecycle_alert where customer_id = any(?::uuid[])
  union all select 'EVALUATION', id, customer_id from evaluation where customer_id = any(?::uuid[])`;
const LISTED_AT_MOST = 200;

interface Card {
  id: string;
  legalName: string;
  owner: string;
  territory: string;
}
type LockedRow = Card & { version: number; archived: boolean; row: Record<string, unknown> };
interface ChildRow {
  kind: MergeChildKind;
  id: string;
  from: string;
}

/** A record refused, named as the viewer may know it (its directory card: id and legal name). */
function named(cards: Card[]): { id: string; legalName: string }[] {
  return cards.map((card) => ({ id: card.id, legalName: card.legalName }));
}

/** What moves, by kind, as the viewer may read it (mayReadMoves; null: every kind, for the audit). */
function movesOf(children: ChildRow[], viewer: Viewer | null): MergeMove[] {
  return Object.values(MergeChildKind)
    .filter((kind) => !viewer || mayReadMoves(viewer, kind))
    .map((kind) => {
      const ids = children.filter((child) => child.kind === kind).map((child) => child.id);
      return { kind, count: ids.length, ids: ids.sort().slice(0, LISTED_AT_MOST) };
    });
}

function fieldValue(field: MergeField, row: Record<string, unknown>): unknown {
  if (field === MergeField.ADDRESS) {
    return Object.fromEntries(FIELD_COLUMNS[field].map((column) => [ADDRESS_KEYS[column], row[column] ?? null]));
  }
  return row[FIELD_COLUMNS[field][0]!] ?? null;
}

interface MergeRow {
  id: string;
  survivorId: string;
  actorId: string | null;
  mergedAt: Date;
  undoableUntil: Date;
  undoneAt: Date | null;
  fields: MergeFieldValue[];
  mergedIds: string[];
  children: ChildRow[] | null;
}

const MERGE_SELECT = `select m.id, m.survivor_id as "survivorId", m.actor_id as "actorId", m.merged_at as "mergedAt",
    m.undoable_until as "undoableUntil", m.undone_at as "undoneAt", m.fields,
    array(select x.customer_id from customer_merge_member x where x.merge_id = m.id order by x.customer_id) as "mergedIds",
    (select json_agg(json_build_object('kind', k.kind, 'id', k.child_id, 'from', k.from_customer_id)) from customer_merge_child k where k.merge_id = m.id) as children
  from customer_merge m`;

function toMerge(row: MergeRow, viewer: Viewer): CustomerMerge {
  return {
    id: row.id,
    survivorId: row.survivorId,
    mergedIds: row.mergedIds,
    fields: mayReadProfile(viewer) ? row.fields : [],
    moves: movesOf(row.children ?? [], viewer),
    actorId: row.actorId,
    mergedAt: new Date(row.mergedAt),
    undoableUntil: new Date(row.undoableUntil),
    undoneAt: row.undoneAt ? new Date(row.undoneAt) : null,
  };
}

class IdentityTaken extends ConflictError {}

/** Duplicate candidates, merges and their undo (docs/merge.md). */
export class MergeService {
  constructor(
    private readonly scope: RequestScope,
    private readonly undoHours: number,
  ) {}

  candidates(args: DuplicateCandidatesArgs): Promise<Connection<DuplicateCandidate>> {
    return duplicateCandidates(this.scope.em, this.scope.viewer, args);
  }

  /**
   * The records as the viewer may know them (directory cards; for an API key, the accounts it
   * reads), refused unless the viewer may merge every one: NOT_FOUND for one they may not know
   * of, FORBIDDEN naming the ones they know of but may not merge.
   */
  private async assertMayMerge(em: EntityManager, ids: string[]): Promise<Card[]> {
    const { viewer } = this.scope;
    const cards = await em.execute<Card[]>(
      `select d.customer_id as id, d.legal_name as "legalName", d.owner_id as owner, d.territory_id as territory
       from customer_directory d where d.customer_id = any(?::uuid[])
       union select c.id, c.legal_name, c.owner_id, c.territory_id from customer c where c.id = any(?::uuid[])`,
      [pgArray(ids), pgArray(ids)],
    );
    const byId = new Map(cards.map((card) => [card.id, card]));
    const unknown = ids.find((id) => !byId.has(id));
    if (unknown) throw new NotFoundError('Customer', unknown);
    const refused = ids.map((id) => byId.get(id)!).filter((card) => !mayMerge(viewer, card));
    if (refused.length) {
      throw new ForbiddenError('You may not merge every one of these accounts', { field: 'mergedIds', customers: named(refused) });
    }
    return ids.map((id) => byId.get(id)!);
  }

  /** Locks every record (in id order, so overlapping merges queue instead of deadlocking) and checks the versions seen. */
  private async lockRecords(
    em: EntityManager,
    ids: string[],
    versions: Map<string, number>,
    lock: boolean,
  ): Promise<Map<string, LockedRow>> {
    const rows = await em.execute<LockedRow[]>(
      `select c.id, c.legal_name as "legalName", c.owner_id as owner, c.territory_id as territory, c.version,
         c.archived_at is not null as archived, to_jsonb(c) as row
       from customer c where c.id = any(?::uuid[]) order by c.id ${lock ? 'for update' : ''}`,
      [pgArray(ids)],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of ids) {
      const row = byId.get(id);
      if (!row) throw new ConflictError('This account was changed at the same moment; reload it', { id });
      const seen = versions.get(id);
      if (seen !== row.version) throw new VersionConflictError('Customer', id, row.version);
    }
    return byId;
  }

  async merge(input: MergeCustomersInput): Promise<MergeResult> {
    const { em, viewer } = this.scope;
    const survivorId = requireId(input.survivorId, 'survivorId');
    const mergedIds = [...new Set(input.mergedIds.map((id, index) => requireId(id, `mergedIds[${index}]`)))];
    if (mergedIds.includes(survivorId)) throw new BadUserInputError('mergedIds', 'The survivor cannot be merged into itself');
    const all = [survivorId, ...mergedIds];
    const versions = new Map<string, number>();
    input.versions.forEach((entry, index) => versions.set(requireId(entry.id, `versions[${index}].id`), entry.version));
    const missing = all.find((id) => !versions.has(id));
    if (missing) throw new BadUserInputError('versions', 'Give the version of the survivor and of every merged record', { id: missing });
    const choices = new Map<MergeField, string>();
    (input.fieldChoices ?? []).forEach((choice, index) => {
      const from = requireId(choice.fromId, `fieldChoices[${index}].fromId`);
      if (!all.includes(from))
        throw new BadUserInputError(`fieldChoices[${index}].fromId`, 'A field comes from the survivor or a merged record');
      if (choices.has(choice.field)) throw new BadUserInputError(`fieldChoices[${index}].field`, `${choice.field} is chosen twice`);
      choices.set(choice.field, from);
    });

    return transactional(
      em,
      async (tx) => {
        await this.assertMayMerge(tx, all);
        const locked = await this.lockRecords(tx, all, versions, !input.dryRun);
        // An archived record may be merged into a live one (an archived twin: duplicates.sql.ts); the survivor is live, and a record merges once.
        const survivorRow = locked.get(survivorId)!;
        if (survivorRow.archived) {
          throw new BadUserInputError('survivorId', 'The account that stays must be live; restore it first, or keep the live one', {
            customers: named([survivorRow]),
          });
        }
        const merged = all.map((id) => locked.get(id)!).filter((row) => row.row.merged_into_id != null);
        if (merged.length) {
          throw new BadUserInputError('mergedIds', 'These accounts were merged already', { customers: named(merged) });
        }
        const pending = await tx.execute<{ id: string; kind: string }[]>(
          `select customer_id as id, 'TRANSFER' as kind from transfer_request where customer_id = any(?::uuid[]) and status = 'PENDING'
           union select customer_id, 'STAGE_CHANGE' from lifecycle_change_request where customer_id = any(?::uuid[]) and status = 'PENDING'`,
          [pgArray(all), pgArray(all)],
        );
        if (pending.length) {
          const cards = pending.map((row) => locked.get(row.id)!);
          throw new ConflictError('A transfer or stage change is pending on these accounts; decide it first', {
            reason: pending.some((row) => row.kind === 'TRANSFER') ? 'PENDING_TRANSFER' : 'PENDING_STAGE_CHANGE',
            customers: named(cards),
          });
        }
        const survivor = locked.get(survivorId)!;
        const fields: MergeFieldValue[] = Object.values(MergeField).map((field) => {
          const fromId = choices.get(field) ?? survivorId;
          return { field, fromId, value: { value: fieldValue(field, locked.get(fromId)!.row) } };
        });
        const children = await tx.execute<ChildRow[]>(
          CHILDREN_SQL,
          Array.from({ length: 7 }, () => pgArray(mergedIds)),
        );
        const moves = movesOf(children, viewer);
        if (input.dryRun) return { dryRun: true, survivorId, mergedIds, fields, moves, merge: null };

        const mergeId = randomUUID();
        const taken = fields.filter((value) => value.fromId !== survivorId);
        await tx.execute(
          `insert into customer_merge (id, survivor_id, actor_kind, actor_id, undoable_until, survivor_before, survivor_version, fields)
           values (?, ?, ?, ?::uuid, now() + make_interval(hours => ?), ?::jsonb, ?, ?::jsonb)`,
          [
            mergeId,
            survivorId,
            viewer.kind,
            viewer.id,
            this.undoHours,
            JSON.stringify(survivor.row),
            survivor.version + 1,
            JSON.stringify(taken),
          ],
        );
        // The merged records first: archived, they let go of their identity keys for the survivor to take.
        await tx.execute(
          `update customer set archived_at = coalesce(archived_at, now()), merged_into_id = ?, version = version + 1, updated_at = now() where id = any(?::uuid[])`,
          [survivorId, pgArray(mergedIds)],
        );
        await tx.execute(
          `insert into customer_merge_member (merge_id, customer_id, before, version_after)
           select ?::uuid, m.id, m.row, m.version + 1 from jsonb_to_recordset(?::jsonb) as m(id uuid, row jsonb, version int)`,
          [mergeId, JSON.stringify(mergedIds.map((id) => locked.get(id)!))],
        );
        for (const { kind, table, versioned } of MOVED) {
          const bump = versioned ? ', version = t.version + 1, updated_at = now()' : '';
          await tx.execute(
            `with moved as (update "${table}" t set customer_id = ?${bump} from (select id, customer_id from "${table}" where customer_id = any(?::uuid[])) o
               where t.id = o.id returning t.id, o.customer_id as from_id, ${versioned ? 't.version' : 'null::int'} as version)
             insert into customer_merge_child (merge_id, kind, child_id, from_customer_id, version_after)
             select ?::uuid, ?::merge_child_kind, id, from_id, version from moved`,
            [survivorId, pgArray(mergedIds), mergeId, kind],
          );
        }
        await tx.execute(
          `insert into customer_merge_child (merge_id, kind, child_id, from_customer_id)
           select ?::uuid, 'PAYMENT'::merge_child_kind, p.id, k.from_customer_id from payment p join customer_merge_child k on k.child_id = p.order_id and k.merge_id = ?::uuid and k.kind = 'ORDER'
           union all select ?::uuid, 'EVALUATION'::merge_child_kind, e.id, e.customer_id from evaluation e where e.customer_id = any(?::uuid[])`,
          [mergeId, mergeId, mergeId, pgArray(mergedIds)],
        );
        await this.writeSurvivor(
          tx,
          survivorId,
          fields.map((value) => locked.get(value.fromId)!.row),
          fields,
        );
        await recordAudit(tx, viewer, {
          action: AuditAction.CUSTOMERS_MERGED,
          entityType: 'Customer',
          entityId: survivorId,
          regionIds: all.map((id) => locked.get(id)!.territory),
          before: { survivor: survivor.row, merged: mergedIds.map((id) => locked.get(id)!.row) },
          after: { mergeId, mergedIds, fields: taken, moves: movesOf(children, null).map(({ kind, count }) => ({ kind, count })) },
        });
        const merge = await this.one(mergeId, tx);
        return { dryRun: false, survivorId, mergedIds, fields, moves, merge };
      },
      {
        customer_identity_pkey: new IdentityTaken(
          'Another account already holds a name, registration id or website the survivor would take',
          { field: 'fieldChoices' },
        ),
      },
    );
  }

  /** The survivor's profile from the chosen rows (its version moves on once, whatever changed). */
  private async writeSurvivor(tx: EntityManager, id: string, sources: Record<string, unknown>[], fields: MergeFieldValue[]): Promise<void> {
    const values: Record<string, unknown> = {};
    fields.forEach((value, index) => {
      for (const column of FIELD_COLUMNS[value.field]) values[column] = sources[index]![column] ?? null;
    });
    await this.writeProfile(tx, id, values);
  }

  private async writeProfile(tx: EntityManager, id: string, values: Record<string, unknown>): Promise<void> {
    await tx.execute(
      `update customer c set ${PROFILE_COLUMNS.map((column) => `"${column}" = r."${column}"`).join(', ')}, version = c.version + 1, updated_at = now()
       from jsonb_populate_record(null::customer, ?::jsonb) r where c.id = ?`,
      [JSON.stringify(values), id],
    );
  }

  async undo(mergeId: string): Promise<CustomerMerge> {
    const { em, viewer } = this.scope;
    const id = requireId(mergeId, 'mergeId');
    return transactional(
      em,
      async (tx) => {
        const [merge] = await tx.execute<
          { survivorId: string; survivorVersion: number; survivorBefore: Record<string, unknown>; undoneAt: Date | null; open: boolean }[]
        >(
          `select survivor_id as "survivorId", survivor_version as "survivorVersion", survivor_before as "survivorBefore", undone_at as "undoneAt",
             now() <= undoable_until as open from customer_merge where id = ? for update`,
          [id],
        );
        if (!merge) throw new NotFoundError('CustomerMerge', id);
        const members = await tx.execute<{ id: string; before: Record<string, unknown>; versionAfter: number }[]>(
          `select customer_id as id, before, version_after as "versionAfter" from customer_merge_member where merge_id = ? order by customer_id`,
          [id],
        );
        const all = [merge.survivorId, ...members.map((member) => member.id)];
        const cards = await this.assertMayMerge(tx, all);
        if (merge.undoneAt) throw new ConflictError('This merge was undone already', { reason: UndoRefusal.ALREADY_UNDONE });
        if (!merge.open) throw new ConflictError('The time to undo this merge is over', { reason: UndoRefusal.WINDOW_CLOSED });
        const expected = new Map([
          [merge.survivorId, merge.survivorVersion],
          ...members.map((member) => [member.id, member.versionAfter] as const),
        ]);
        const locked = await tx.execute<{ id: string; version: number }[]>(
          `select id, version from customer where id = any(?::uuid[]) order by id for update`,
          [pgArray(all)],
        );
        const changedRecords = all.filter((record) => locked.find((row) => row.id === record)?.version !== expected.get(record));
        const changedChildren = await tx.execute<{ id: string }[]>(
          `select k.child_id as id from customer_merge_child k
           left join lateral (
             select customer_id, version from contact where k.kind = 'CONTACT' and id = k.child_id
             union all select customer_id, version from interaction where k.kind = 'INTERACTION' and id = k.child_id
             union all select customer_id, version from sales_order where k.kind = 'ORDER' and id = k.child_id
             union all select customer_id, null from lifecycle_transition where k.kind = 'LIFECYCLE_TRANSITION' and id = k.child_id
             union all select customer_id, null from lifecycle_alert where k.kind = 'LIFECYCLE_ALERT' and id = k.child_id) now on true
           where k.merge_id = ? and k.kind not in ('PAYMENT', 'EVALUATION')
             and (now.customer_id is distinct from ? or now.version is distinct from k.version_after)`,
          [id, merge.survivorId],
        );
        if (changedRecords.length || changedChildren.length) {
          throw new ConflictError('The accounts changed after the merge; it can no longer be undone', {
            reason: UndoRefusal.CHANGED_SINCE,
            customers: named(cards.filter((card) => changedRecords.includes(card.id))),
            children: changedChildren.map((row) => row.id).slice(0, LISTED_AT_MOST),
          });
        }
        // The survivor first, letting go of what it took; then the merged records claim their keys again.
        await this.writeProfile(
          tx,
          merge.survivorId,
          Object.fromEntries(PROFILE_COLUMNS.map((column) => [column, merge.survivorBefore[column] ?? null])),
        );
        // The merged records live again before their children come back (a merged record takes no children).
        await tx.execute(
          `update customer c set archived_at = (m.before ->> 'archived_at')::timestamptz, merged_into_id = null, version = c.version + 1, updated_at = now()
           from customer_merge_member m where m.merge_id = ? and m.customer_id = c.id`,
          [id],
        );
        // Each child moves back only as the merge left it (on the survivor, at the version recorded):
        // the condition is in the statement, so an edit committed since the check above (the row
        // lock's wait re-reads it) leaves it where it is and the undo is refused.
        for (const { kind, table, versioned } of MOVED) {
          const bump = versioned ? ', version = t.version + 1, updated_at = now()' : '';
          const [counts] = await tx.execute<{ expected: number; moved: number }[]>(
            `with moved as (update "${table}" t set customer_id = k.from_customer_id${bump} from customer_merge_child k
               where k.merge_id = ? and k.kind = ?::merge_child_kind and k.child_id = t.id and t.customer_id = ?
                 ${versioned ? 'and t.version = k.version_after' : ''}
               returning t.id)
             select (select count(*)::int from customer_merge_child k where k.merge_id = ? and k.kind = ?::merge_child_kind) as expected,
               (select count(*)::int from moved) as moved`,
            [id, kind, merge.survivorId, id, kind],
          );
          if (counts && counts.moved !== counts.expected) {
            throw new ConflictError('The accounts changed after the merge; it can no longer be undone', {
              reason: UndoRefusal.CHANGED_SINCE,
              customers: [],
              children: [],
            });
          }
        }
        await tx.execute(`update customer_merge set undone_at = now() where id = ?`, [id]);
        await recordAudit(tx, viewer, {
          action: AuditAction.CUSTOMERS_UNMERGED,
          entityType: 'Customer',
          entityId: merge.survivorId,
          regionIds: cards.map((card) => card.territory),
          after: { mergeId: id, restoredIds: members.map((member) => member.id) },
        });
        return (await this.one(id, tx))!;
      },
      {
        customer_identity_pkey: new ConflictError('An account opened since holds a name, registration id or website of these records', {
          reason: UndoRefusal.IDENTITY_TAKEN,
        }),
      },
    );
  }

  async history(args: MergesArgs): Promise<Connection<CustomerMerge>> {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [];
    let where = '';
    if (args.after) {
      const [at, id] = decodeCursor(args.after);
      where = `where (m.merged_at, m.id) < (?::timestamptz, ?::uuid)`;
      params.push(at, requireId(String(id), 'after'));
    }
    const rows = await this.scope.em.execute<MergeRow[]>(
      `${MERGE_SELECT} ${where} order by m.merged_at desc, m.id desc limit ${first + 1}`,
      params,
    );
    const edges = rows
      .slice(0, first)
      .map((row) => ({ node: toMerge(row, this.scope.viewer), cursor: encodeCursor(new Date(row.mergedAt), row.id) }));
    return connectionOf(edges, {
      hasNextPage: rows.length > first,
      after: args.after,
      totalCount: this.scope.em
        .execute<{ count: number }[]>(`select count(*)::int as count from customer_merge`)
        .then((r) => r[0]?.count ?? 0),
    });
  }

  async one(id: string, em: EntityManager = this.scope.em): Promise<CustomerMerge | null> {
    const [row] = await em.execute<MergeRow[]>(`${MERGE_SELECT} where m.id = ?`, [id]);
    return row ? toMerge(row, this.scope.viewer) : null;
  }
}
