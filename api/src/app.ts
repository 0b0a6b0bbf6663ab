import 'reflect-metadata';

import { join } from 'node:path';
import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase, type Database } from './common/db/database.js';
import { formatError } from './common/errors/format-error.js';
import { createLogger } from './common/http/logger.js';
import { Metrics } from './common/http/metrics.js';
import { sqlTally } from './common/orm/sql-counter.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import { graphqlHandler } from './common/http/graphql-handler.js';
import { createSchema } from './schema.js';

export interface App {
  express: Express;
  database: Database;
  metrics: Metrics;
  logger: Logger;
  config: Config;
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
        async willSendResponse({ operationName, response, contextValue }) {
          const operation = metrics.operationLabel(operationName);
          metrics.requests.inc({ operation, outcome: failed ? 'error' : 'ok' });
          metrics.duration.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
          // The request id lets an operator find the server-side report of an internal error.
          if (response.body.kind === 'single') {
            for (const error of response.body.singleResult.errors ?? []) {
              if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
      };
    },
  };
}

/** Builds the whole server without listening: main.ts listens, tests hand it to supertest. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
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
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.demo,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    formatError: (formatted, error) =>
      formatError(formatted, error, undefined, (original) => {
        const { name, code } = (original ?? {}) as { name?: string; code?: string };
        logger.error({ err: { type: name, code } }, 'unhandled error while resolving a request');
      }),
    plugins: [metricsPlugin(metrics), config.demo ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageProductionDefault({ footer: false })],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((_req, _res, next) => sqlTally.run({ statements: 0 }, next));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await database.orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use('/graphql', express.json({ limit: '1mb' }), graphqlHandler(apollo, database.orm, config, logger));
  if (config.adminDir) {
    const adminDir = config.adminDir;
    app.use(express.static(adminDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!graphql|healthz|readyz|metrics).*/, (_req, res) => {
      res.sendFile(join(adminDir, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('Accountable API: POST /graphql. The console is not built (npm run build:admin).');
    });
  }
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  return {
    express: app,
    database,
    metrics,
    logger,
    config,
    async close() {
      await apollo.stop();
      knex.removeListener('query', onQuery);
      if (ownsDatabase) await database.close();
    },
  };
}

/** Listens and stops gracefully on SIGTERM/SIGINT: no new connections, in-flight requests drain. */
export function listen(app: App): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.express.listen(app.config.port, app.config.host, () => resolve(server));
    const stop = () => {
      app.logger.info('shutting down');
      server.close(() => void app.close().then(() => process.exit(0)));
      server.closeIdleConnections();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

