import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError } from '../../common/errors/errors.js';
import { SortDirection, type Connection } from '../../common/graphql/connection.js';
import { Conditions, keysetPage } from '../../common/orm/keyset.js';
import { pgArray } from '../../common/orm/pg-array.js';
import type { RequestScope } from '../../context.js';
import { Notification } from './notification.entity.js';
import type { MarkNotificationsReadInput, NotificationKind, NotificationNode, NotificationsArgs } from './notification.types.js';

/** A notification as `keysetPage` reads it: the entity's properties, timestamps still as PostgreSQL wrote them. */
interface NotificationRow {
  id: string;
  kind: NotificationKind;
  createdAt: string;
  readAt: string | null;
  customerId: string | null;
  subjectId: string | null;
  params: Record<string, string | null> | null;
}

/** What a line's `params` may name, each shown as its own field. */
const TEXT_PARAMS = [
  'customerName',
  'actorName',
  'status',
  'territoryName',
  'fromTerritoryName',
  'toTerritoryName',
  'toOwnerName',
  'stage',
  'fromStage',
  'toStage',
  'grade',
  'previousGrade',
  'cycleName',
  'webhookUrl',
  'apiKeyName',
] as const satisfies readonly (keyof NotificationNode)[];

const NEWEST_FIRST = { sort: { property: 'createdAt', cast: 'timestamptz' }, direction: SortDirection.DESC } as const;

/**
 * The viewer's inbox. Row-level security (policy notification_own) already limits every
 * statement to the viewer's own rows; the `user_id` condition repeats it so the index is used.
 */
export class NotificationService {
  constructor(private readonly scope: Pick<RequestScope, 'em' | 'viewer'>) {}

  async list(args: NotificationsArgs): Promise<Connection<NotificationNode>> {
    const where = new Conditions().add('n.user_id = ?::uuid', this.scope.viewer.id);
    if (args.unreadOnly) where.add('n.read_at is null');
    const page = await keysetPage<NotificationRow>(this.scope.em, Notification, 'n', where, {
      ...NEWEST_FIRST,
      first: args.first,
      after: args.after,
    });
    return { ...page, edges: page.edges.map(({ cursor, node }) => ({ cursor, node: nodeOf(node) })) };
  }

  async unreadCount(): Promise<number> {
    const [row] = await this.scope.em.execute<{ count: string }[]>(
      `select count(*) from notification n where n.user_id = ?::uuid and n.read_at is null`,
      [this.scope.viewer.id],
    );
    return Number(row?.count ?? 0);
  }

  /**
   * The lines written in the last `lookbackSeconds` (at most `limit`, newest first), with the
   * database's clock: what a live subscription compares with what it already delivered.
   */
  async recent(lookbackSeconds: number, limit: number): Promise<NotificationNode[]> {
    const rows = await this.scope.em.execute<(NotificationRow & { createdAt: string })[]>(
      `select n.id, n.kind, n.created_at as "createdAt", n.read_at as "readAt", n.customer_id as "customerId", n.subject_id as "subjectId", n.params
         from notification n where n.user_id = ?::uuid and n.created_at >= now() - make_interval(secs => ?)
        order by n.created_at desc, n.id desc limit ?`,
      [this.scope.viewer.id, lookbackSeconds, limit],
    );
    return rows.map(nodeOf);
  }

  /** Marks the given (or all) unread notifications read, in one statement; returns how many changed. */
  async markRead(input: MarkNotificationsReadInput): Promise<number> {
    if (!input.all && !input.ids?.length) throw new BadUserInputError('ids', 'Name the notifications to mark read, or pass all: true');
    const where = new Conditions().add('user_id = ?::uuid', this.scope.viewer.id).add('read_at is null');
    if (!input.all) where.add('id = any(?::uuid[])', pgArray(input.ids ?? []));
    const rows = await this.scope.em.execute<{ id: string }[]>(
      `update notification set read_at = now() ${where.sql()} returning id`,
      where.params,
    );
    return rows.length;
  }
}

function nodeOf(row: NotificationRow): NotificationNode {
  const params = row.params ?? {};
  const texts = Object.fromEntries(TEXT_PARAMS.map((key) => [key, typeof params[key] === 'string' ? params[key] : null]));
  const due = params.dueAt;
  return {
    ...(texts as Pick<NotificationNode, (typeof TEXT_PARAMS)[number]>),
    id: row.id,
    kind: row.kind,
    createdAt: new Date(row.createdAt),
    readAt: row.readAt ? new Date(row.readAt) : null,
    customerId: row.customerId,
    subjectId: row.subjectId,
    dueAt: typeof due === 'string' ? new Date(due) : null,
  };
}

/** Drops read notifications older than the retention (a system job, past row-level security); unread ones stay until read. */
export async function pruneNotifications(em: EntityManager, retentionDays: number): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `delete from notification where read_at is not null and read_at < now() - make_interval(days => ?) returning id`,
    [retentionDays],
  );
  return rows.length;
}
