import 'reflect-metadata';

import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startApollo } from './apollo.js';
import { systemTransaction } from './common/orm/system-transaction.js';
import { pruneChanges } from './modules/change/index.js';
import { NOTIFICATION_CHANNEL, pruneNotifications } from './modules/notification/index.js';
import { pruneWebhookDeliveries, startWebhookWorker } from './modules/webhook/index.js';
import { BackgroundWork } from './common/background.js';
import { openDatabase, type Database } from './common/db/database.js';
import { listen as listenOnChannel } from './common/db/listener.js';
import { TopicPubSub } from './common/graphql/pubsub.js';
import { limitConcurrency } from './common/http/concurrency-limit.js';
import { cors } from './common/http/cors.js';
import { graphqlHandler } from './common/http/graphql-handler.js';
import { httpErrors } from './common/http/http-errors.js';
import { startIdempotencyPurge } from './common/http/idempotency.js';
import { InFlight } from './common/http/in-flight.js';
import { createLiveServer, type LiveServer } from './common/http/live.js';
import { createLogger, withRedaction } from './common/http/logger.js';
import { Metrics, metricsRoute } from './common/http/metrics.js';
import { probes } from './common/http/probes.js';
import { requestId } from './common/http/request-id.js';
import { closeWhenDraining, drain } from './common/http/shutdown.js';
import { contentSecurityPolicy, site as siteRoutes } from './common/http/site.js';
import { countStatements, tallyRequestStatements } from './common/orm/sql-counter.js';
import { limitPreparedStatements } from './common/orm/prepared.js';
import type { Config } from './config.js';
import { importReportHandler, importUploadHandler, startImportWorker } from './modules/import/index.js';
import { exportEvaluationsHandler } from './modules/evaluation/evaluation.export.js';
import { startLifecycleScheduler } from './modules/lifecycle/lifecycle.scheduler.js';
import { createSchema, schemaSdl } from './schema.js';

export interface App {
  express: Express;
  database: Database;
  metrics: Metrics;
  logger: Logger;
  config: Config;
  /** True from the start of a graceful shutdown: /readyz answers 503, responses close their connection. */
  readonly draining: boolean;
  /** Requests being worked on. */
  readonly inFlight: InFlight;
  /** GraphQL subscriptions over WebSocket, once attached to the listening server. */
  live: LiveServer;
  /** Serves the WebSocket side of /graphql on `server` (listen() does it; tests with a server of their own too). */
  attach(server: Server): void;
  /** Graceful stop: not ready, no new connections, in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS), then close(). */
  drain(server?: Server): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** An already-open database (tests share one per worker); otherwise the configured one is opened. */
  database?: Database;
  logger?: Logger;
}

/** An embedded database of the app's own is migrated on start, and seeded with demo data when asked. */
async function prepareEmbedded(database: Database, config: Config, logger: Logger): Promise<void> {
  await database.orm.getMigrator().up();
  if (config.seedDemo) {
    // Loaded only when seeding, so production never loads faker.
    const { seedDemo } = await import('./seeders/demo.seeder.js');
    await seedDemo(database.orm.em.fork() as EntityManager, { customers: config.demoCustomers, logger });
  }
}

/** Builds the whole server without listening: main.ts listens, tests hand it to supertest. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ? withRedaction(options.logger) : createLogger(config.logLevel);
  const database = options.database ?? (await openDatabase(config));
  const { orm } = database;
  const ownsDatabase = !options.database;
  const metrics = new Metrics(ownsDatabase);
  const stopCounting = countStatements(orm.em.getConnection().getKnex(), () => metrics.countSql());
  limitPreparedStatements(config.preparedStatementsPerConnection);
  if (ownsDatabase && database.embedded) await prepareEmbedded(database, config, logger);

  const pubSub = new TopicPubSub();
  const schema = await createSchema(pubSub);
  const apollo = await startApollo(schema, config, logger, metrics);
  const inFlight = new InFlight();
  const background = new BackgroundWork();
  let draining = false;
  const isDraining = () => draining;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  app.use(requestId(), closeWhenDraining(isDraining), tallyRequestStatements());
  app.use(cors(config.corsOrigins));
  app.use(contentSecurityPolicy());
  app.use(probes(orm, isDraining));
  app.get('/metrics', metricsRoute(metrics, orm, config));
  // Bulk BI export: streamed by COPY, authenticated like /graphql (docs/bi-export.md). Each one
  // reads a whole cycle, so only EXPORT_CONCURRENCY run at once; a shutdown waits for them like
  // for any request in flight, and refuses new ones.
  app.get(
    '/export/evaluations',
    limitConcurrency(
      { max: config.limits.exportConcurrency, inFlight, isDraining, busy: 'Too many exports are running; try again shortly' },
      exportEvaluationsHandler(orm, config, logger),
    ),
  );
  // Bulk imports (docs/import.md): the upload streams into the database, the worker dry-runs and runs it.
  app.post(
    '/import',
    importUploadHandler(orm, config, logger, () => imports?.nudge()),
  );
  app.get('/import/:id/report.csv', importReportHandler(orm, config, logger));
  const site = siteRoutes(config, schemaSdl(schema));
  app.get('/graphql', site.explorer);
  app.use(
    '/graphql',
    express.json({ limit: config.limits.bodyBytes }),
    graphqlHandler({
      apollo,
      orm,
      config,
      logger,
      inFlight,
      background,
      onMutationCommitted: () => {
        webhooks?.nudge();
        imports?.nudge();
      },
    }),
  );
  app.use(site.routes);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(httpErrors(logger));

  // Live inboxes: the notification trigger's pg_notify wakes the subscriptions of that user, who
  // re-read their own lines; after a lost listener every subscription looks again.
  const live = createLiveServer({ schema, orm, config, logger, pubSub, background });
  const listener = listenOnChannel({
    orm,
    embedded: database.embedded,
    channel: NOTIFICATION_CHANNEL,
    logger,
    onId: (userId) => pubSub.publish(NOTIFICATION_CHANNEL, userId),
    onResync: () => pubSub.publishAll(NOTIFICATION_CHANNEL),
  });

  const stopPurge = startIdempotencyPurge(orm, config.idempotencyRetentionHours, logger);
  // Change feed events are kept CHANGE_RETENTION_DAYS (at least 7) and read notifications
  // NOTIFICATION_RETENTION_DAYS (90), then pruned hourly.
  const pruneFeed = async () => {
    try {
      await systemTransaction(orm.em as EntityManager, (tx) => pruneChanges(tx, config.changeRetentionDays));
      await systemTransaction(orm.em as EntityManager, (tx) => pruneNotifications(tx, config.notificationRetentionDays));
      await systemTransaction(orm.em as EntityManager, (tx) => pruneWebhookDeliveries(tx, config.changeRetentionDays));
    } catch (error) {
      logger.warn({ err: { type: (error as Error)?.name } }, 'could not prune the change feed or the inboxes');
    }
  };
  const pruneTimer = setInterval(() => void pruneFeed(), 3600_000);
  pruneTimer.unref();
  // Inactivity → DORMANT and dwell-time alerts, inside the server (also runnable on demand). Only
  // for an app that owns its database: tests share theirs and run the check explicitly.
  const lifecycle = ownsDatabase ? startLifecycleScheduler({ orm, logger }) : null;
  // Webhook delivery from the change feed (docs/webhooks.md). Any number of processes may run one;
  // likewise only for an app that owns its database: tests start theirs explicitly.
  const webhooks = ownsDatabase && config.webhooks.worker ? startWebhookWorker({ orm, config, logger }) : null;

  // Dry runs and runs of imports, resumed from the last committed batch after a restart; any number of processes may run one.
  const imports = config.imports.worker ? startImportWorker(orm, config, logger) : null;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopPurge();
      clearInterval(pruneTimer);
      await live.close();
      await listener.close();
      await lifecycle?.stop();
      // Attempts in flight finish (each within WEBHOOK_TIMEOUT_MS) and are recorded before the pool closes.
      await webhooks?.stop();
      await imports?.stop();
      // Evaluation runs stop between batches and record the interruption while the pool is still open.
      if (!(await background.stop(config.timeouts.shutdownMs)))
        logger.warn({ running: background.size }, 'shutdown: background work still running');
      await apollo.stop();
      stopCounting();
      if (ownsDatabase) await database.close();
    })();
    return closing;
  };

  return {
    express: app,
    database,
    metrics,
    logger,
    config,
    inFlight,
    live,
    attach(server) {
      live.attach(server);
    },
    get draining() {
      return draining;
    },
    async drain(server) {
      draining = true;
      // Sockets are not requests in flight: they go at once (1001), so clients reconnect elsewhere.
      await live.close();
      return drain({ inFlight, timeoutMs: config.timeouts.shutdownMs, logger, close }, server);
    },
    close,
  };
}
