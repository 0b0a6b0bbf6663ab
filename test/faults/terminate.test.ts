import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { pino } from 'pino';
import supertest from 'supertest';
import { createApp, type App } from '../../api/src/app.js';
import { issueToken } from '../../api/src/common/auth/token.js';
import { loadConfig } from '../../api/src/config.js';
import type { Baseline } from '../fixtures/baseline.js';
import { startPgCluster, type PgCluster } from '../../bench/pg-cluster.js';
import { interactionCounts, prepareDatabase, waitFor, withAdmin } from './support.js';

/**
 * The API's database sessions are terminated (pg_terminate_backend) while a request is in the
 * middle of its transaction: the request is retried from scratch or fails as a whole, never
 * half-applied, and the service answers again at once.
 */
const SECRET = 'terminate-test-secret-0123456789abcdef';
let cluster: PgCluster;
let url: string;
let baseline: Baseline;

beforeAll(async () => {
  cluster = await startPgCluster();
  ({ url, baseline } = await prepareDatabase(cluster, 'faults_terminate'));
});

afterAll(async () => {
  await cluster?.stop();
});

async function startApp(env: Record<string, string> = {}): Promise<App> {
  return createApp(loadConfig({ DATABASE_URL: url, AUTH_SECRET: SECRET, DEMO_MODE: 'false', DB_LOCK_TIMEOUT_MS: '20000', ...env }), {
    logger: pino({ level: 'silent' }),
  });
}

/** Two creates in one request, the second blocked behind a row lock until the sessions are cut. */
async function cutMidTransaction(app: App, tag: string) {
  const [free, locked] = [baseline.customers[0]!, baseline.customers[1]!];
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    const lockPid = (await lock.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    await lock.query('begin');
    await lock.query('select id from customer where id = $1 for update', [locked.id]);
    const token = issueToken(baseline.users.admin, SECRET, 600).token;
    const input = (customerId: string, summary: string) => ({ customerId, kind: 'CALL', channel: 'PHONE', summary });
    const pending = supertest(app.express)
      .post('/graphql')
      .set('authorization', `Bearer ${token}`)
      .send({
        query:
          'mutation Two($a: LogInteractionInput!, $b: LogInteractionInput!) { a: logInteraction(input: $a) { id } b: logInteraction(input: $b) { id } }',
        variables: { a: input(free.id, `${tag} first`), b: input(locked.id, `${tag} second`) },
      })
      .then((response) => response);
    // The first create is done and the second waits on the lock: the transaction is half-way.
    await waitFor(
      () =>
        withAdmin(
          url,
          async (sql) =>
            (
              await sql.query(
                `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> $1`,
                [lockPid],
              )
            ).rowCount,
        ),
      10_000,
    );
    const cut = await withAdmin(
      url,
      async (sql) =>
        (
          await sql.query(
            `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid not in ($1, pg_backend_pid())`,
            [lockPid],
          )
        ).rowCount,
    );
    expect(cut).toBeGreaterThan(0);
    await lock.query('commit');
    return { response: await pending, summaries: [`${tag} first`, `${tag} second`] };
  } finally {
    await lock.end();
  }
}

describe('terminated database sessions', () => {
  it('retries the whole request transparently: both creates exactly once', async () => {
    const app = await startApp();
    try {
      const { response, summaries } = await cutMidTransaction(app, 'retried');
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      const counts = await interactionCounts(url, summaries);
      expect(summaries.map((summary) => counts.get(summary))).toEqual([1, 1]);
      const started = Date.now();
      await waitFor(async () => (await supertest(app.express).get('/readyz')).status === 200, 10_000);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await app.close();
    }
  });

  it('without retries, fails the request as a whole with 503 and writes nothing', async () => {
    const app = await startApp({ DB_RETRY_ATTEMPTS: '1' });
    try {
      const { response, summaries } = await cutMidTransaction(app, 'unretried');
      expect(response.status).toBe(503);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(response.headers['retry-after']).toBe('1');
      const counts = await interactionCounts(url, summaries);
      expect(summaries.map((summary) => counts.get(summary) ?? 0)).toEqual([0, 0]);
      // The next request gets a fresh connection.
      const token = issueToken(baseline.users.admin, SECRET, 600).token;
      const started = Date.now();
      await waitFor(
        async () =>
          (await supertest(app.express).post('/graphql').set('authorization', `Bearer ${token}`).send({ query: '{ me { id } }' })).body.data
            ?.me,
        10_000,
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await app.close();
    }
  });
});
