import type { EntityManager } from '@mikro-orm/postgresql';
import { type Viewer, Role } from '../../common/access/index.js';
import { BadUserInputError } from '../../common/errors/errors.js';
import { DEFAULT_PAGE_SIZE, connectionOf, type Connection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { selectList } from '../../common/orm/columns.js';
import { Conditions, lazyCount } from '../../common/orm/keyset.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { belowPath, inSubtree } from '../../common/orm/subtree.js';
import type { RequestScope } from '../../context.js';
import { AuditEvent } from './audit.entity.js';
import type { AuditEventsArgs } from './audit.inputs.js';

/** Actions this codebase records; other modules may add their own (the column is free text). */
export enum AuditAction {
  TRANSFER_REQUESTED = 'TRANSFER_REQUESTED',
  TRANSFER_APPROVED = 'TRANSFER_APPROVED',
  TRANSFER_REJECTED = 'TRANSFER_REJECTED',
  TRANSFER_CANCELLED = 'TRANSFER_CANCELLED',
  /** One account changed owner or territory through an approved transfer. */
  CUSTOMER_TRANSFERRED = 'CUSTOMER_TRANSFERRED',
  /** One account changed owner or territory through a bulk reassignment. */
  CUSTOMER_REASSIGNED = 'CUSTOMER_REASSIGNED',
  /** The bulk reassignment as a whole: what was asked, how many accounts moved. */
  CUSTOMERS_BULK_REASSIGNED = 'CUSTOMERS_BULK_REASSIGNED',
  API_KEY_CREATED = 'API_KEY_CREATED',
  API_KEY_REVOKED = 'API_KEY_REVOKED',
  /** Webhooks of API keys: where the key's events go is a security decision. Never the secret. */
  WEBHOOK_CREATED = 'WEBHOOK_CREATED',
  WEBHOOK_UPDATED = 'WEBHOOK_UPDATED',
  WEBHOOK_DELETED = 'WEBHOOK_DELETED',
  WEBHOOK_SECRET_ROTATED = 'WEBHOOK_SECRET_ROTATED',
  MUTATION_DENIED = 'MUTATION_DENIED',
  /** Accounts merged into a survivor (entity: the survivor), with the before-images. */
  CUSTOMERS_MERGED = 'CUSTOMERS_MERGED',
  /** A merge undone (entity: the survivor). */
  CUSTOMERS_UNMERGED = 'CUSTOMERS_UNMERGED',
}

export interface AuditEntry {
  action: AuditAction | string;
  entityType?: string | null;
  entityId?: string | null;
  /** Territory paths the event concerns (`EAST/ZJ/HZ`): managers see the events of their regions. */
  regionPaths?: readonly string[];
  /** Region ids whose paths are added to `regionPaths`, resolved in the same statement. */
  regionIds?: readonly string[];
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

/**
 * Appends one audit event in the caller's transaction: pass the mutation's transactional
 * EntityManager, so the event is written exactly when the change is.
 */
export async function recordAudit(em: EntityManager, viewer: Viewer | null, entry: AuditEntry): Promise<void> {
  await em.execute(
    `insert into audit_event (actor_kind, actor_id, actor_name, action, entity_type, entity_id, region_paths, before, after, reason)
     select ?, ?::uuid, ?, ?, ?, ?::uuid,
       array(select distinct p from unnest(?::text[] || coalesce((select array_agg(r.path) from region r where r.id = any(?::uuid[])), '{}')) p order by p),
       ?::jsonb, ?::jsonb, ?`,
    [
      viewer?.kind ?? 'ANONYMOUS',
      viewer?.id ?? null,
      viewer?.name ?? null,
      entry.action,
      entry.entityType ?? null,
      entry.entityId ?? null,
      pgArray(entry.regionPaths ?? []),
      pgArray(entry.regionIds ?? []),
      entry.before ? JSON.stringify(entry.before) : null,
      entry.after ? JSON.stringify(entry.after) : null,
      entry.reason ?? null,
    ],
  );
}

/** The regions a principal works in, for tagging its events: no path below another one in the list. */
function viewerRegionIds(viewer: Viewer | null): string[] {
  if (!viewer) return [];
  return [...new Set([...viewer.memberTerritories, ...viewer.managedTerritories, ...viewer.keyTerritories])];
}

/**
 * Records a mutation refused with `code` (FORBIDDEN, typically). Independent of Apollo: the
 * GraphQL handler calls it once the operation is known to have been denied. Tagged with the
 * regions the caller works in, so their managers see the attempt.
 */
export async function recordDeniedMutation(
  em: EntityManager,
  viewer: Viewer | null,
  operationName: string | null,
  code: string,
): Promise<void> {
  const ids = viewerRegionIds(viewer);
  const [row] = await em.execute<{ paths: string[] }[]>(
    `select coalesce(array_agg(r.path order by r.path), '{}') as paths from region r
     where r.id = any(?::uuid[]) and not exists (select 1 from region p where p.id = any(?::uuid[]) and ${belowPath('r.path', 'p.path')})`,
    [pgArray(ids), pgArray(ids)],
  );
  await recordAudit(em, viewer, {
    action: AuditAction.MUTATION_DENIED,
    regionPaths: row?.paths ?? [],
    after: { operation: operationName ?? null, code },
  });
}

/** Audit events are keyed by a bigint; the cursor names the last event seen. */
function encodeAuditCursor(id: string): string {
  return Buffer.from(`audit:${id}`).toString('base64url');
}

function decodeAuditCursor(cursor: string): string {
  const match = /^audit:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadUserInputError('after', 'Invalid cursor');
  return match[1]!;
}

export type AuditRow = Pick<
  AuditEvent,
  'id' | 'at' | 'actorKind' | 'actorId' | 'actorName' | 'action' | 'entityType' | 'entityId' | 'regionPaths' | 'before' | 'after' | 'reason'
>;

export class AuditService {
  constructor(private readonly scope: RequestScope) {}

  /** Paths of the regions a manager oversees (each covers everything below it). */
  private async managedPaths(em: EntityManager, viewer: Viewer): Promise<string[]> {
    const rows = await em.execute<{ path: string }[]>(
      'select r.path from user_managed_region m join region r on r.id = m.region_id where m.user_id = ?',
      [viewer.id],
    );
    return rows.map((row) => row.path);
  }

  /**
   * Newest first, keyset on (at desc, id desc). Admins see every event; managers those with a
   * region path at or below a region they manage.
   */
  async list(args: AuditEventsArgs): Promise<Connection<AuditRow>> {
    const { em, viewer } = this.scope;
    const where = new Conditions();
    if (viewer.role !== Role.ADMIN) {
      const paths = viewer.role === Role.MANAGER ? await this.managedPaths(em, viewer) : [];
      where.add(
        `exists (select 1 from unnest(e.region_paths) p, unnest(?::text[]) m(path) where ${inSubtree('p', 'm.path')})`,
        pgArray(paths),
      );
    }
    const filter = args.filter;
    if (filter?.action) where.add('e.action = ?', filter.action);
    if (filter?.entityType) where.add('e.entity_type = ?', filter.entityType);
    if (filter?.entityId) where.add('e.entity_id = ?', requireId(filter.entityId, 'filter.entityId'));
    if (filter?.actorId) where.add('e.actor_id = ?', requireId(filter.actorId, 'filter.actorId'));
    if (filter?.from) where.add('e.at >= ?', filter.from);
    if (filter?.to) where.add('e.at < ?', filter.to);
    const count = new Conditions();
    count.parts.push(...where.parts);
    count.params.push(...where.params);
    if (args.after) {
      // The cursor's own row gives the exact (at, id): timestamps keep microseconds a JS Date would drop.
      where.add('(e.at, e.id) < (select a.at, a.id from audit_event a where a.id = ?::bigint)', decodeAuditCursor(args.after));
    }
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const rows = await em.execute<AuditRow[]>(
      `select ${selectList(em.getMetadata(), AuditEvent, 'e')} from audit_event e ${where.sql()} order by e.at desc, e.id desc limit ${first + 1}`,
      where.params,
    );
    const nodes = rows.slice(0, first);
    const edges = nodes.map((node) => ({ node, cursor: encodeAuditCursor(String(node.id)) }));
    return connectionOf(edges, {
      hasNextPage: rows.length > first,
      after: args.after,
      totalCount: lazyCount(em, `select count(*)::int as count from audit_event e ${count.sql()}`, count.params),
    });
  }
}
