import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../common/access/index.js';
import { DEFAULT_PAGE_SIZE, connectionOf, decodeCursor, encodeCursor, type Connection } from '../../common/graphql/connection.js';
import { BadUserInputError } from '../../common/errors/errors.js';
import { lazy } from '../../common/graphql/thenable.js';
import { pgArray } from '../../common/orm/pg-array.js';
import type { MarkNotificationsReadInput, NotificationKind, NotificationNode, NotificationsArgs } from './notification.types.js';

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  createdAt: Date;
  readAt: Date | null;
  customerId: string | null;
  subjectId: string | null;
  params: Record<string, string | null>;
}

/**
 * The viewer's inbox. Row-level security (policy notification_own) already limits every
 * statement to the viewer's own rows; the `user_id` condition repeats it so the index is used.
 */
export class NotificationService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
  ) {}

  async list(args: NotificationsArgs): Promise<Connection<NotificationNode>> {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const filter = `n.user_id = ?::uuid${args.unreadOnly ? ' and n.read_at is null' : ''}`;
    const params: unknown[] = [this.viewer.id];
    let where = filter;
    if (args.after) {
      const [createdAt, id] = decodeCursor(args.after);
      where += ` and (n.created_at, n.id) < (?::timestamptz, ?::uuid)`;
      params.push(createdAt, id);
    }
    const rows = await this.em.execute<NotificationRow[]>(
      `select n.id, n.kind, n.created_at as "createdAt", n.read_at as "readAt", n.customer_id as "customerId",
              n.subject_id as "subjectId", n.params
       from notification n where ${where} order by n.created_at desc, n.id desc limit ${first + 1}`,
      params,
    );
    const hasNextPage = rows.length > first;
    const edges = (hasNextPage ? rows.slice(0, first) : rows).map((row) => {
      const node = nodeOf(row);
      return { cursor: encodeCursor(node.createdAt, node.id), node };
    });
    return connectionOf(edges, {
      hasNextPage,
      after: args.after,
      totalCount: lazy(async () => {
        const [row] = await this.em.execute<{ count: string }[]>(`select count(*) from notification n where ${filter}`, [this.viewer.id]);
        return Number(row?.count ?? 0);
      }),
    });
  }

  async unreadCount(): Promise<number> {
    const [row] = await this.em.execute<{ count: string }[]>(
      `select count(*) from notification n where n.user_id = ?::uuid and n.read_at is null`,
      [this.viewer.id],
    );
    return Number(row?.count ?? 0);
  }

  /** Marks the given (or all) unread notifications read, in one statement; returns how many changed. */
  async markRead(input: MarkNotificationsReadInput): Promise<number> {
    if (!input.all && !input.ids?.length) throw new BadUserInputError('ids', 'Name the notifications to mark read, or pass all: true');
    const params: unknown[] = [this.viewer.id];
    let where = `user_id = ?::uuid and read_at is null`;
    if (!input.all) {
      where += ` and id = any(?::uuid[])`;
      params.push(pgArray(input.ids ?? []));
    }
    const rows = await this.em.execute<{ id: string }[]>(`update notification set read_at = now() where ${where} returning id`, params);
    return rows.length;
  }
}

function nodeOf(row: NotificationRow): NotificationNode {
  const p = row.params ?? {};
  const text = (key: string) => (typeof p[key] === 'string' ? p[key] : null);
  const due = text('dueAt');
  return {
    id: row.id,
    kind: row.kind,
    createdAt: new Date(row.createdAt),
    readAt: row.readAt ? new Date(row.readAt) : null,
    customerId: row.customerId,
    subjectId: row.subjectId,
    customerName: text('customerName'),
    actorName: text('actorName'),
    status: text('status'),
    territoryName: text('territoryName'),
    fromTerritoryName: text('fromTerritoryName'),
    toTerritoryName: text('toTerritoryName'),
    toOwnerName: text('toOwnerName'),
    stage: text('stage'),
    fromStage: text('fromStage'),
    toStage: text('toStage'),
    grade: text('grade'),
    previousGrade: text('previousGrade'),
    cycleName: text('cycleName'),
    webhookUrl: text('webhookUrl'),
    apiKeyName: text('apiKeyName'),
    dueAt: due ? new Date(due) : null,
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
