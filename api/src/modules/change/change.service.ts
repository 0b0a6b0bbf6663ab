import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestScope } from '../../context.js';
import { ConflictError, BadUserInputError } from '../../common/errors/errors.js';
import { DEFAULT_PAGE_SIZE, connectionOf, type Connection } from '../../common/graphql/connection.js';
import { isBigintId } from '../../common/graphql/ids.js';
import { lazy } from '../../common/graphql/thenable.js';
import { pgArray } from '../../common/orm/pg-array.js';
import type { Viewer } from '../../common/access/index.js';
import { CONTACT_PII_FIELDS, CUSTOMER_GROUP_OF, GROUP_SCOPES } from '../access/index.js';
import { hasScope, isApiKey } from '../access/index.js';
import { Scope } from '../../common/access/index.js';
import { Contact } from '../contact/contact.entity.js';
import { Customer } from '../customer/customer.entity.js';
import { EvaluationCycle } from '../evaluation/evaluation.entity.js';
import { Interaction } from '../interaction/interaction.entity.js';
import { LifecycleChangeRequest } from '../lifecycle/lifecycle.entity.js';
import { Order } from '../order/order.entity.js';
import { TransferRequest } from '../transfer/transfer.entity.js';
import { type ActorKind, ChangeEntity, type ChangeEventNode, type ChangesArgs } from './change.types.js';

/**
 * The scope an API key needs to read events about each kind of record (users: their reach
 * alone). Transfer and stage-change requests are between people: no key reads them, in the feed
 * as anywhere else.
 */
export const ENTITY_SCOPES: Record<ChangeEntity, Scope | null> = {
  [ChangeEntity.CUSTOMER]: Scope.CUSTOMERS_READ,
  [ChangeEntity.CONTACT]: Scope.CONTACTS_READ,
  [ChangeEntity.INTERACTION]: Scope.INTERACTIONS_READ,
  [ChangeEntity.ORDER]: Scope.ORDERS_READ,
  [ChangeEntity.TRANSFER]: null,
  [ChangeEntity.STAGE_CHANGE]: null,
  [ChangeEntity.EVALUATION_CYCLE]: Scope.EVALUATIONS_READ,
};

/** The entity class behind each kind, whose metadata names the API's fields for the table's columns. */
export const ENTITY_CLASSES = {
  [ChangeEntity.CUSTOMER]: Customer,
  [ChangeEntity.CONTACT]: Contact,
  [ChangeEntity.INTERACTION]: Interaction,
  [ChangeEntity.ORDER]: Order,
  [ChangeEntity.TRANSFER]: TransferRequest,
  [ChangeEntity.STAGE_CHANGE]: LifecycleChangeRequest,
  [ChangeEntity.EVALUATION_CYCLE]: EvaluationCycle,
} as const;

/**
 * Columns that surface in the API under another name (the address parts are one `address` field),
 * and the parts an order's event names for its lines and payments, which are tables of their own.
 */
const FIELD_ALIASES: Record<string, string> = {
  addressLine: 'address',
  city: 'address',
  province: 'address',
  postalCode: 'address',
  country: 'address',
};
const PART_FIELDS: Partial<Record<ChangeEntity, readonly string[]>> = { [ChangeEntity.ORDER]: ['lines', 'payments'] };

interface EventRow {
  id: string;
  xid: string;
  type: string;
  entity: ChangeEntity;
  entityId: string;
  customerId: string | null;
  oldCustomerId: string | null;
  /** For `customer.merged`: the survivor, when the reader may know it (app_merge_lineage). */
  mergedInto: string | null;
  columns: string[];
  actorKind: ActorKind;
  actorId: string | null;
  origin: string;
  occurredAt: Date;
  /** The reader may see the account as the change left it (or the change is company-wide). */
  visibleAfter: boolean;
}

/** How far a page may read: the last of the next FEED_SCAN_ROWS events, and whether that is all there is. */
interface ScanBound {
  untilXid: string | null;
  untilId: string | null;
  complete: boolean;
}

/**
 * Events a page reads at most, seen by the reader or not: a reader who sees few of them (a rep
 * among thousands of others' changes, a rare type) moves on by that many per request instead of
 * walking everything after their cursor on every poll.
 */
const FEED_SCAN_ROWS = 5000;

/** `visibleColumns` by reader shape; the entities' metadata does not change while the process runs. */
const VISIBLE_COLUMNS = new Map<string, string[]>();

export interface ChangeEventView extends ChangeEventNode {
  cursor: string;
}

const XID8_MAX = 2n ** 64n - 1n;

/** A feed cursor: the event's transaction id and id, the feed's order. */
export function encodeChangeCursor(xid: string, id: string): string {
  return Buffer.from(`${xid}:${id}`).toString('base64url');
}

function decodeChangeCursor(cursor: string): [string, string] {
  const match = /^(\d{1,20}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || BigInt(match[1]!) > XID8_MAX || !isBigintId(match[2]!))
    throw new BadUserInputError('after', 'This cursor is not a change feed cursor');
  return [match[1]!, match[2]!];
}

/** The events are kept `CHANGE_RETENTION_DAYS`; a cursor from before what was pruned may have missed some. */
export class ChangeCursorExpiredError extends ConflictError {
  override readonly code = 'CURSOR_EXPIRED';
  constructor() {
    super('This cursor is older than the change feed keeps; re-read everything, then follow the feed from its newest cursor', {
      field: 'after',
    });
  }
}

/**
 * The change feed. The reader is passed to `list` rather than taken from the request, because
 * the feed is also read on behalf of a principal other than the request's (a webhook's API key).
 */
export class ChangeService {
  private readonly fieldNames = new Map<string, string>();
  private readonly em: EntityManager;

  constructor(scope: Pick<RequestScope, 'em'>) {
    this.em = scope.em;
  }

  /** The API's name for a table column of an entity, or null for columns the API does not show. */
  private fieldOf(entity: ChangeEntity, column: string): string | null {
    const key = `${entity}.${column}`;
    if (!this.fieldNames.has(key)) {
      if (PART_FIELDS[entity]?.includes(column)) return column;
      const meta = this.em.getMetadata().get(ENTITY_CLASSES[entity].name);
      const prop = meta.props.find((candidate) => candidate.fieldNames?.[0] === column);
      this.fieldNames.set(key, prop ? (FIELD_ALIASES[prop.name] ?? prop.name) : '');
    }
    return this.fieldNames.get(key) || null;
  }

  /** Field names as the reader may learn them: an API key does not hear of groups or personal data outside its scopes. */
  private visibleFields(viewer: Viewer, entity: ChangeEntity, columns: readonly string[]): string[] {
    const fields = new Set<string>();
    for (const column of columns) {
      const field = this.fieldOf(entity, column);
      if (!field) continue;
      if (isApiKey(viewer)) {
        if (entity === ChangeEntity.CUSTOMER) {
          const group = CUSTOMER_GROUP_OF.get(field);
          if (!group || (group !== 'directory' && !hasScope(viewer, GROUP_SCOPES[group]))) continue;
        }
        // An interaction's contact is the contacts group's, as on the interaction itself.
        if (entity === ChangeEntity.INTERACTION && field === 'contact' && !hasScope(viewer, Scope.CONTACTS_READ)) continue;
        if (
          entity === ChangeEntity.CONTACT &&
          (CONTACT_PII_FIELDS as readonly string[]).includes(field) &&
          !hasScope(viewer, Scope.PII_READ)
        )
          continue;
      }
      fields.add(field);
    }
    return [...fields].sort();
  }

  /**
   * Every column of the kinds read that the viewer may learn of, as `entity.column`: an update
   * naming none of them (a contact's phone, for a key without `pii:read`) is not news to them.
   */
  private visibleColumns(viewer: Viewer, entities: readonly ChangeEntity[]): string[] {
    // The same for every reader of one shape (a user, or a key's scopes): worked out once per process.
    const shape = `${isApiKey(viewer) ? [...viewer.scopes].sort().join(',') : 'user'}|${entities.join(',')}`;
    const known = VISIBLE_COLUMNS.get(shape);
    if (known) return known;
    const visible: string[] = [];
    for (const entity of entities) {
      const meta = this.em.getMetadata().get(ENTITY_CLASSES[entity].name);
      const columns = new Set([...meta.props.flatMap((prop) => prop.fieldNames ?? []), ...(PART_FIELDS[entity] ?? [])]);
      for (const column of columns) if (this.visibleFields(viewer, entity, [column]).length) visible.push(`${entity}.${column}`);
    }
    VISIBLE_COLUMNS.set(shape, visible);
    return visible;
  }

  /**
   * Events in feed order after the cursor, as the viewer may see them. Only events below the
   * visibility horizon are read: every transaction older than the oldest one still running has
   * ended, so nothing can still commit before the last event returned and a cursor never skips
   * one. Row-level security admits an event when the viewer could see the account before or after
   * it; seen before but not after is a tombstone.
   */
  async list(viewer: Viewer, args: ChangesArgs): Promise<Connection<ChangeEventView>> {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const entities = (args.entities?.length ? args.entities : Object.values(ChangeEntity)).filter(
      (entity) => !isApiKey(viewer) || (ENTITY_SCOPES[entity] !== null && hasScope(viewer, ENTITY_SCOPES[entity])),
    );
    const filters = [pgArray(entities), args.types?.length ? pgArray(args.types) : null, pgArray(this.visibleColumns(viewer, entities))];
    let after: [string, string] = ['0', '0'];
    if (args.after) {
      after = decodeChangeCursor(args.after);
      const [horizon] = await this.em.execute<{ expired: boolean }[]>(
        `select (?::xid8, ?::bigint) < (h.pruned_xid, h.pruned_id) as expired from change_feed_horizon h where h.id = 1`,
        after,
      );
      if (horizon?.expired) throw new ChangeCursorExpiredError();
    }
    // One row at least (the bound), with the page's events beside it when there are any.
    const rows = await this.em.execute<(Partial<EventRow> & ScanBound)[]>(
      `select b.until_xid::text as "untilXid", b.until_id::text as "untilId", b.complete,
              e.id, e.xid::text as xid, e.type, e.entity, e.entity_id as "entityId", e.customer_id as "customerId", e.old_customer_id as "oldCustomerId", e.columns,
              case when e.type = 'customer.merged' then app_merge_lineage(e.entity_id) end as "mergedInto",
              e.actor_kind as "actorKind", e.actor_id as "actorId", e.origin, e.occurred_at as "occurredAt",
              (e.customer_id is null or (e.owner_id is not null and app_can_read(e.owner_id, e.territory_id))) as "visibleAfter"
       from app_change_scan_bound(?::xid8, ?::bigint, ?::integer) b
       left join lateral app_change_page(?::xid8, ?::bigint, b.until_xid, b.until_id, ?::text[], ?::text[], ?::text[], ?::integer) e on true
       order by e.xid, e.id`,
      [...after, FEED_SCAN_ROWS, ...after, ...filters, first + 1],
    );
    const bound = rows[0]!;
    const events = rows.filter((row): row is EventRow & ScanBound => row.id !== null && row.id !== undefined);
    // A full page ends at its last edge; a short one read every event up to the bound (the end
    // of what is below the horizon, or FEED_SCAN_ROWS on), so it ends there and says whether
    // more lies beyond.
    const full = events.length > first;
    const page = full ? events.slice(0, first) : events;
    const hasNextPage = full || !bound.complete;
    const readTo = full ? undefined : bound.untilXid ? encodeChangeCursor(bound.untilXid, bound.untilId!) : (args.after ?? null);
    const edges = page.map((row) => {
      const cursor = encodeChangeCursor(row.xid, row.id);
      const gone = row.type.endsWith('.deleted') || row.type === 'customer.archived' || row.type === 'customer.merged';
      const node: ChangeEventView = {
        cursor,
        id: row.id,
        type: row.type,
        entity: row.entity,
        entityId: row.entityId,
        // A child moved to an account the reader may not see is a tombstone of the account it left, which is all they may learn.
        customerId: row.visibleAfter ? row.customerId : (row.oldCustomerId ?? row.customerId),
        mergedInto: row.mergedInto,
        fields: this.visibleFields(viewer, row.entity, row.columns),
        tombstone: gone || !row.visibleAfter,
        actor: { kind: row.actorKind, id: row.actorId },
        origin: row.origin,
        occurredAt: new Date(row.occurredAt),
      };
      return { cursor, node };
    });
    return connectionOf(edges, {
      hasNextPage,
      after: args.after,
      readTo,
      totalCount: lazy(async () => {
        const [row] = await this.em.execute<{ count: string }[]>(
          `select count(*) from app_change_page('0'::xid8, 0, null, null, ?::text[], ?::text[], ?::text[], null) e`,
          filters,
        );
        return Number(row?.count ?? 0);
      }),
    });
  }
}

/**
 * Drops events older than the retention and records how far it pruned, so a client holding an
 * older cursor is told to resync instead of silently missing events.
 */
export async function pruneChanges(em: EntityManager, retentionDays: number): Promise<number> {
  const [row] = await em.execute<{ pruned: string }[]>(
    `with gone as (delete from change_event where occurred_at < now() - make_interval(days => ?) returning xid, id),
          last as (select xid, id from gone order by xid desc, id desc limit 1),
          moved as (update change_feed_horizon h set pruned_xid = l.xid, pruned_id = l.id from last l
                    where h.id = 1 and (l.xid, l.id) > (h.pruned_xid, h.pruned_id))
     select count(*) as pruned from gone`,
    [retentionDays],
  );
  return Number(row?.pruned ?? 0);
}
