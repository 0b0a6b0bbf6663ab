import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from 'pino';

/** What a `pg_notify` on a channel carries here: an id (a user's), never content. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ChannelListener {
  close(): Promise<void>;
}

export interface ListenOptions {
  orm: MikroORM;
  /** The embedded database (PGlite) has one backend behind every connection; see `listenEmbedded`. */
  embedded: boolean;
  channel: string;
  logger: Logger;
  /** An id was notified on the channel. */
  onId(id: string): void;
  /** The listener was (re)connected after a loss: notifications may have been missed meanwhile. */
  onResync(): void;
}

/** Listens on a PostgreSQL channel for ids, from a connection of its own (the pool's are never left listening). */
export function listen(options: ListenOptions): ChannelListener {
  return options.embedded ? listenEmbedded(options) : listenDedicated(options);
}

function accept(options: ListenOptions, message: pg.Notification): void {
  if (message.channel === options.channel && message.payload && UUID.test(message.payload)) options.onId(message.payload.toLowerCase());
}

/**
 * One dedicated connection that does nothing but LISTEN, reconnected with backoff (0.25 s up to
 * 15 s) whenever it is lost; after a reconnect `onResync` tells subscribers to look again.
 */
function listenDedicated(options: ListenOptions): ChannelListener {
  const { orm, channel, logger } = options;
  const connectionString = orm.config.get('clientUrl');
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString, application_name: 'accountable-listen', keepAlive: true });
    const lost = () => {
      if (client !== next) return;
      client = null;
      void next.end().catch(() => undefined);
      schedule();
    };
    next.on('error', lost);
    next.on('end', lost);
    next.on('notification', (message) => accept(options, message));
    client = next;
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (failures > 0) logger.info({ channel }, 'notification listener reconnected');
      const missed = failures > 0;
      failures = 0;
      if (missed) options.onResync();
    } catch (error) {
      logger.warn(
        { channel, err: { type: (error as Error)?.name, code: (error as { code?: string })?.code } },
        'notification listener could not connect',
      );
      lost();
    }
  };
  const schedule = () => {
    if (closed) return;
    failures += 1;
    timer = setTimeout(() => void connect(), Math.min(15_000, 250 * 2 ** (failures - 1)));
    timer.unref();
  };
  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const open = client;
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}

/**
 * PGlite through pglite-socket: every connection is multiplexed onto one backend, and a
 * notification is written to whichever connection's output follows the commit, not to the one
 * that ran LISTEN (a dedicated connection would hear nothing and hold the second socket slot,
 * kept for the pool's reconnects). So the backend LISTENs once, and every pool connection hands
 * what it receives to the listener. With a single backend in the process this is an in-process
 * notify after commit, driven by the same trigger.
 */
function listenEmbedded(options: ListenOptions): ChannelListener {
  const { orm, channel, logger } = options;
  const knex = orm.em.getConnection().getKnex();
  const pool = (knex.client as { pool?: EmbeddedPool }).pool;
  const onNotification = (message: pg.Notification) => accept(options, message);
  const hooked = new WeakSet<pg.Client>();
  const hook = (connection: pg.Client) => {
    if (hooked.has(connection)) return;
    hooked.add(connection);
    connection.on('notification', onNotification);
  };
  const onCreate = (_id: unknown, connection: pg.Client) => hook(connection);
  pool?.on('createSuccess', onCreate);
  for (const resource of [...(pool?.free ?? []), ...(pool?.used ?? [])]) hook(resource.resource);
  void knex.raw(`listen ${pg.escapeIdentifier(channel)}`).catch((error: unknown) => {
    logger.warn({ channel, err: { type: (error as Error)?.name } }, 'embedded database: could not listen for notifications');
  });
  return {
    async close() {
      pool?.removeListener('createSuccess', onCreate);
    },
  };
}

/** The part of knex's tarn pool the embedded listener uses. */
interface EmbeddedPool {
  free: { resource: pg.Client }[];
  used: { resource: pg.Client }[];
  on(event: 'createSuccess', listener: (id: unknown, connection: pg.Client) => void): void;
  removeListener(event: 'createSuccess', listener: (id: unknown, connection: pg.Client) => void): void;
}
