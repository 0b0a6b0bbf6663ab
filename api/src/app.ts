import 'reflect-metadata';

import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase, type Database } from './common/db/database.js';
import { formatError } from './common/errors/format-error.js';
import { cors } from './common/http/cors.js';
import { graphqlHandler, InFlight, requestStatePlugin } from './common/http/graphql-handler.js';
import { idempotencyPlugin } from './common/http/idempotency.js';
import { operationLimitsPlugin, structuralLimitsRule } from './common/http/limits.js';
import { createLogger, withRedaction } from './common/http/logger.js';
import { loginGuardPlugin } from './common/http/login-guard.js';
import { Metrics, metricsRefusal } from './common/http/metrics.js';
import { contentSecurityPolicy, site as siteRoutes } from './common/http/site.js';
import { sqlTally } from './common/orm/sql-counter.js';
import { systemTransaction } from './common/orm/system-transaction.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import { deniedMutationAuditPlugin } from './modules/audit/audit.plugin.js';
import { pruneChanges } from './modules/change/change.service.js';
import { BackgroundWork } from './common/background.js';
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
  /** Graceful stop: not ready, no new connections, in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS), then close(). */
  drain(server?: Server): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** An already-open database (tests share one per worker); otherwise the configured one is opened. */
  database?: Database;
  logger?: Logger;
}

function metricsPlugin(metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let failed = false;
      return {
        async didEncounterErrors() {
          failed = true;
        },
        async willSendResponse({ operation: document, schema, response, contextValue }) {
          const operation = metrics.operationLabel(document, schema);
          metrics.requests.inc({ operation, outcome: failed ? 'error' : 'ok' });
          metrics.duration.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
          // The request id lets an operator find the server-side report of an internal error.
          if (response.body.kind === 'single') {
            for (const error of response.body.singleResult.errors ?? []) {
              if (error.extensions?.code === 'INTERNAL_SERVER_ERROR')
                (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
      };
    },
  };
}

/** Builds the whole server without listening: main.ts listens, tests hand it to supertest. */
/** Express's own errors (body parsing, mostly) as the same JSON error shape as GraphQL's, never its HTML page. */
function httpErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, type } = (error ?? {}) as { status?: number; type?: string };
    const requestId = String(res.locals.requestId);
    const reply = (code: number, errorCode: string, message: string) =>
      res.status(code).json({ errors: [{ message, extensions: { code: errorCode, requestId } }] });
    if (type === 'entity.parse.failed') return reply(400, 'BAD_REQUEST', 'The request body is not valid JSON');
    if (type === 'entity.too.large') return reply(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
    if (type === 'encoding.unsupported' || type === 'charset.unsupported')
      return reply(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as UTF-8 JSON');
    if (typeof status === 'number' && status >= 400 && status < 500) return reply(status, 'BAD_REQUEST', 'The request could not be read');
    logger.error({ requestId, err: { type: (error as { name?: string })?.name } }, 'HTTP request failed');
    return reply(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  };
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ? withRedaction(options.logger) : createLogger(config.logLevel);
  const database = options.database ?? (await openDatabase(config));
  const ownsDatabase = !options.database;
  const metrics = new Metrics(ownsDatabase);
  const knex = database.orm.em.getConnection().getKnex();
  const onQuery = () => {
    metrics.countSql();
    const tally = sqlTally.getStore();
    if (tally) tally.statements += 1;
  };
  knex.on('query', onQuery);

  if (ownsDatabase && database.embedded) {
    await database.orm.getMigrator().up();
    if (config.seedDemo) {
      // Loaded only when seeding, so production never loads faker.
      const { seedDemo } = await import('./seeders/demo.seeder.js');
      await seedDemo(database.orm.em.fork() as EntityManager, { customers: config.demoCustomers, logger });
    }
  }

  const schema = await createSchema();
  // Apollo's own messages go to the structured log, cut before any detail: a database error's
  // message carries its SQL with the values inlined.
  const apolloLog = (level: 'debug' | 'info' | 'warn' | 'error') => (message?: unknown) =>
    logger[level]({ source: 'apollo' }, String(message).replace(/:.*$/s, ''));
  const apollo = new ApolloServer<Context>({
    schema,
    logger: { debug: apolloLog('debug'), info: apolloLog('info'), warn: apolloLog('warn'), error: apolloLog('error') },
    // Introspection is decided per principal (operationLimitsPlugin): everyone in demo mode,
    // INTROSPECTION_ROLES otherwise. graphql-js's MaxIntrospectionDepthRule bounds its nesting.
    introspection: true,
    // Outside demo mode "Did you mean …?" hints would let anyone enumerate the schema.
    hideSchemaDetailsFromClientErrors: !config.demo,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // No automatic persisted queries: nothing uses them, and they would be one more cache to fill.
    persistedQueries: false,
    // listen() owns SIGTERM/SIGINT (drain first); Apollo's own handler would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: config.limits.tokens },
    validationRules: [structuralLimitsRule(config.limits)],
    // A hostile document must not make validation produce (and send) thousands of errors.
    validationOptions: { maxErrors: 10 },
    formatError: (formatted, error) =>
      formatError(
        formatted,
        error,
        undefined,
        (original) => {
          const { name, code } = (original ?? {}) as { name?: string; code?: string };
          logger.error({ err: { type: name, code } }, 'unhandled error while resolving a request');
        },
        { hideSuggestions: !config.demo },
      ),
    plugins: [
      // No federated trace (`ftv1`) or cache hints in responses: they would reveal resolver timings.
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      metricsPlugin(metrics),
      deniedMutationAuditPlugin(),
      requestStatePlugin(),
      operationLimitsPlugin(schema, config.limits, config.demo),
      loginGuardPlugin(config.rateLimit),
      idempotencyPlugin(),
      // Apollo's landing pages load Apollo Sandbox from a CDN: the explorer is ours (site.ts).
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const inFlight = new InFlight();
  const background = new BackgroundWork();
  let draining = false;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  app.use((_req, res, next) => {
    res.locals.requestId = randomUUID();
    res.setHeader('x-request-id', res.locals.requestId as string);
    if (draining) res.setHeader('connection', 'close');
    next();
  });
  app.use((_req, _res, next) => sqlTally.run({ statements: 0 }, next));
  app.use(cors(config.corsOrigins));
  app.use(contentSecurityPolicy());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      // A database that is down may not even refuse connections: do not wait for the pool.
      await Promise.race([
        database.orm.em.getConnection().execute('select 1'),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), 2000);
        }),
      ]);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    } finally {
      clearTimeout(timer);
    }
  });
  // Admins or the METRICS_TOKEN scraper only (docs/hardening.md): the figures describe the whole service.
  app.get('/metrics', async (req, res, next) => {
    try {
      res.setHeader('cache-control', 'no-store');
      const refusal = await metricsRefusal(database.orm.em.fork(), req.headers.authorization, config.authSecret, config.metricsToken);
      if (refusal === 401)
        res
          .status(401)
          .setHeader('www-authenticate', 'Bearer')
          .json({ error: 'Sign in as an admin, or send the metrics token: Authorization: Bearer <token>' });
      else if (refusal === 403) res.status(403).json({ error: 'Only admins may read the metrics' });
      else res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (error) {
      next(error);
    }
  });
  // Bulk BI export: streamed by COPY, authenticated like /graphql (docs/bi-export.md). Each one
  // reads a whole cycle, so only EXPORT_CONCURRENCY run at once (429 beyond); a shutdown waits
  // for them like for any request in flight, and refuses new ones.
  const exportEvaluations = exportEvaluationsHandler(database.orm, config, logger);
  let exportsRunning = 0;
  app.get('/export/evaluations', (req, res, next) => {
    if (draining) {
      res.status(503).setHeader('retry-after', '5').json({ error: 'The server is shutting down; try again' });
      return;
    }
    if (exportsRunning >= config.limits.exportConcurrency) {
      res.status(429).setHeader('retry-after', '5').json({ error: 'Too many exports are running; try again shortly' });
      return;
    }
    exportsRunning += 1;
    inFlight.start();
    // Over when the handler is (its transaction ended), not merely when the response is.
    void Promise.resolve(exportEvaluations(req, res, next))
      .catch(next)
      .finally(() => {
        exportsRunning -= 1;
        inFlight.end();
      });
  });
  const site = siteRoutes(config, schemaSdl(schema));
  app.get('/graphql', site.explorer);
  app.use(
    '/graphql',
    express.json({ limit: config.limits.bodyBytes }),
    graphqlHandler({ apollo, orm: database.orm, config, logger, inFlight, background }),
  );
  app.use(site.routes);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(httpErrors(logger));

  // Idempotency keys are kept at least IDEMPOTENCY_RETENTION_HOURS, then purged hourly.
  const purgeKeys = async () => {
    try {
      await database.orm.em
        .getConnection()
        .execute(`delete from idempotency_key where created_at < now() - make_interval(hours => ?)`, [config.idempotencyRetentionHours]);
    } catch (error) {
      logger.warn({ err: { type: (error as Error)?.name } }, 'could not purge old idempotency keys');
    }
  };
  // Change feed events are kept CHANGE_RETENTION_DAYS (at least 7), then pruned with the keys.
  const pruneFeed = async () => {
    try {
      await systemTransaction(database.orm.em as EntityManager, (tx) => pruneChanges(tx, config.changeRetentionDays));
    } catch (error) {
      logger.warn({ err: { type: (error as Error)?.name } }, 'could not prune the change feed');
    }
  };
  const purgeTimer = setInterval(() => void purgeKeys().then(pruneFeed), 3600_000);
  purgeTimer.unref();

  // Inactivity → DORMANT and dwell-time alerts, inside the server (also runnable on demand). Only
  // for an app that owns its database: tests share theirs and run the check explicitly.
  const lifecycle = ownsDatabase ? startLifecycleScheduler({ orm: database.orm, logger }) : null;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(purgeTimer);
      await lifecycle?.stop();
      // Evaluation runs stop between batches and record the interruption while the pool is still open.
      if (!(await background.stop(config.timeouts.shutdownMs)))
        logger.warn({ running: background.size }, 'shutdown: background work still running');
      await apollo.stop();
      knex.removeListener('query', onQuery);
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
    get draining() {
      return draining;
    },
    async drain(server) {
      draining = true;
      server?.close();
      server?.closeIdleConnections();
      const drained = await inFlight.idle(config.timeouts.shutdownMs);
      if (!drained) logger.warn({ inFlight: inFlight.size }, 'shutdown timeout: closing with requests in flight');
      server?.closeAllConnections();
      await close();
    },
    close,
  };
}

/** Listens and stops gracefully on SIGTERM/SIGINT: not ready, no new connections, in-flight requests drain, the pool closes. */
export function listen(app: App): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.express.listen(app.config.port, app.config.host, () => resolve(server));
    const stop = (signal: string) => {
      app.logger.info({ signal, inFlight: app.inFlight.size }, 'shutting down: draining in-flight requests');
      void app.drain(server).then(
        () => {
          app.logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          app.logger.error({ err: { type: (error as Error)?.name } }, 'unclean shutdown');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
