import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import pg from 'pg';
import { pino } from 'pino';
import supertest from 'supertest';
import { inject } from 'vitest';
import { createApp, type App } from '../../api/src/app.js';
import { issueToken } from '../../api/src/common/auth/token.js';
import type { Database } from '../../api/src/common/db/database.js';
import { loadConfig } from '../../api/src/config.js';
import { ormConfig } from '../../api/src/mikro-orm.config.js';
import { seedBaseline, type Baseline, type Principal } from '../fixtures/baseline.js';

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  body: any;
}

export interface TestApp {
  app: App;
  logs: string[];
  baseline: Baseline;
  orm: MikroORM;
  databaseUrl: string;
  /** Runs a GraphQL document as a principal (or anonymously with null), always with variables. */
  gqlAs<R = Record<string, any>, V = Record<string, unknown>>(
    who: Principal | null,
    document: string | TypedDocumentNode<R, V>,
    variables?: V,
  ): Promise<GqlResult<R>>;
  tokenFor(who: Principal): string;
  http(): supertest.Agent;
  /** SQL statements the app sent while `work` ran. */
  countSql(work: () => Promise<unknown>): Promise<number>;
  close(): Promise<void>;
}

const SECRET = randomBytes(32).toString('hex');

/** A database of this test file's own, cloned from the migrated template. */
async function cloneDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}" template "${inject('pgTemplateDatabase')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestAppOptions {
  /** Keep every log line (level debug) in `logs`, to assert on what the server writes. */
  captureLogs?: boolean;
  /** Database connections of the app (8 unless told): a race test holds dozens of requests open at once. */
  poolMax?: number;
}

export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const logs: string[] = [];
  const logger = options.captureLogs
    ? pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) })
    : pino({ level: 'silent' });
  const databaseUrl = await cloneDatabase();
  const config = loadConfig({ DATABASE_URL: databaseUrl, AUTH_SECRET: SECRET, DEMO_MODE: 'false', LOG_LEVEL: 'silent', ...env });
  const orm = await MikroORM.init(ormConfig({ clientUrl: databaseUrl, poolMax: options.poolMax ?? 8 }));
  const baseline = await seedBaseline(orm.em.fork());
  const database: Database = { orm, embedded: false, close: () => orm.close(true) };
  const app = await createApp(config, { database, logger });
  const tokenFor = (who: Principal) => issueToken(baseline.users[who], SECRET, 3600).token;
  const http = () => supertest.agent(app.express);
  return {
    app,
    logs,
    baseline,
    orm,
    databaseUrl,
    tokenFor,
    http,
    async gqlAs(who, document, variables) {
      const query = typeof document === 'string' ? document : print(document);
      let request = supertest(app.express).post('/graphql').set('content-type', 'application/json');
      if (who) request = request.set('authorization', `Bearer ${tokenFor(who)}`);
      const response = await request.send({ query, variables });
      return { status: response.status, data: response.body?.data ?? null, errors: response.body?.errors, body: response.body };
    },
    async countSql(work) {
      const before = app.metrics.sqlCount;
      await work();
      return app.metrics.sqlCount - before;
    },
    async close() {
      await app.close();
      await orm.close(true);
    },
  };
}
