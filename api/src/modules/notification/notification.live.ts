import { UnauthenticatedError } from '../../common/errors/errors.js';
import type { SubscriptionContext } from '../../context.js';
import type { NotificationsChanged } from './notification.types.js';

/** The pg_notify channel, and the pubsub topic, on which a user's id means "your inbox has new lines". */
export const NOTIFICATION_CHANNEL = 'notification';

/**
 * How far back each event looks for lines it has not delivered. A line carries its transaction's
 * start time, and only shows once that transaction commits: one that ran longer than this (a
 * long bulk job) is counted in `unreadCount` but not listed in `added`.
 */
const LOOKBACK_SECONDS = 15 * 60;
/** At most this many lines per event; the count is always exact. */
const MAX_ADDED = 50;

/**
 * A subscriber's inbox, live: the unread count at once, then after each wake-up for this viewer
 * the lines it has not delivered yet and the new count. Each read is a request transaction of
 * its own with the viewer's row-level security; the wake-up itself carries nothing but the id.
 * A wake-up that changed nothing (a resync after the listener reconnected) sends nothing.
 *
 * An iterator rather than an async generator: a generator waiting for its next wake-up would
 * queue `return()` behind that wait, and a closed socket would never let go of it.
 */
export function inboxChanges(context: SubscriptionContext): AsyncIterableIterator<NotificationsChanged> {
  const viewer = context.viewer;
  if (!viewer) throw new UnauthenticatedError();
  const wakeups = context.pubSub.subscribe(NOTIFICATION_CHANNEL, viewer.id);
  /** Lines of the look-back window already delivered (or there before the first event), by id, with their time. */
  const seen = new Map<string, number>();
  let count: number | null = null;
  let done = false;
  const read = () =>
    context.fresh(async ({ services }) => {
      const recent = await services.notifications.recent(LOOKBACK_SECONDS, MAX_ADDED);
      const unreadCount = await services.notifications.unreadCount();
      return { recent, unreadCount };
    });
  const finish = async (): Promise<IteratorReturnResult<undefined>> => {
    done = true;
    await wakeups.return?.();
    return { done: true, value: undefined };
  };
  const iterator: AsyncIterableIterator<NotificationsChanged> = {
    async next() {
      try {
        if (count === null) {
          const first = await read();
          for (const line of first.recent) seen.set(line.id, line.createdAt.getTime());
          count = first.unreadCount;
          return { done: false, value: { unreadCount: count, added: [] } };
        }
        while (!done) {
          if ((await wakeups.next()).done || done) break;
          const { recent, unreadCount } = await read();
          const added = recent.filter((line) => !seen.has(line.id));
          // Lines out of the window are never read again; twice the window allows for clock skew.
          for (const [id, at] of seen) if (at < Date.now() - 2 * LOOKBACK_SECONDS * 1000) seen.delete(id);
          for (const line of added) seen.set(line.id, line.createdAt.getTime());
          if (added.length === 0 && unreadCount === count) continue;
          count = unreadCount;
          return { done: false, value: { unreadCount, added } };
        }
        return await finish();
      } catch (error) {
        await finish();
        throw error;
      }
    },
    return: finish,
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
