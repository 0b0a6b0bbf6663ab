import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import supertest from 'supertest';
import { createApp, type App } from '../../api/src/app.js';
import { loadConfig } from '../../api/src/config.js';
import type { Baseline } from '../fixtures/baseline.js';
import { startPgCluster, type PgCluster } from '../../bench/pg-cluster.js';
import { createApiKey, interactionCounts, LOG_INTERACTION, prepareDatabase, waitFor } from './support.js';

/**
 * PostgreSQL crashes and comes back while integrations push creates with Idempotency-Keys and
 * retry whatever was not acknowledged: afterwards every create exists exactly once, every
 * acknowledged one among them, and the service answers again within 10 s.
 */
let cluster: PgCluster;
let url: string;
let baseline: Baseline;
let app: App;
let token: string;

beforeAll(async () => {
  // Commits are acknowledged only once in the WAL the OS holds, so an immediate stop (a crash)
  // keeps them, as on a real server with fsync; this cluster is this file's own.
  cluster = await startPgCluster({ settings: { synchronous_commit: 'on' } });
  ({ url, baseline } = await prepareDatabase(cluster, 'faults_restart'));
  token = (
    await createApiKey(url, {
      scopes: ['interactions:write', 'interactions:read'],
      territories: [baseline.regions.east.id, baseline.regions.south.id],
      createdBy: baseline.users.admin.id,
    })
  ).token;
  app = await createApp(
    loadConfig({
      DATABASE_URL: url,
      AUTH_SECRET: 'restart-test-secret-0123456789abcdef',
      DEMO_MODE: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      REQUEST_TIMEOUT_MS: '5000',
    }),
    { logger: pino({ level: 'silent' }) },
  );
});

afterAll(async () => {
  await app?.close();
  await cluster?.stop();
});

interface Create {
  key: string;
  summary: string;
  acknowledgedAt: number | null;
  attempts: number;
}

describe('PostgreSQL restart under load', () => {
  it('loses no acknowledged write, duplicates none, and is back within 10 s', async () => {
    const customers = baseline.customers.slice(0, 6);
    const workers = 6;
    const perWorker = 25;
    const creates: Create[][] = Array.from({ length: workers }, (_, w) =>
      Array.from({ length: perWorker }, (_, i) => ({
        key: `restart-${w}-${i}`,
        summary: `restart load ${w}-${i}`,
        acknowledgedAt: null,
        attempts: 0,
      })),
    );
    let acknowledged = 0;
    let downAt = 0;
    let upAt = 0;
    const readiness: number[] = [];

    const push = async (create: Create, customerId: string) => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        create.attempts += 1;
        const response = await supertest(app.express)
          .post('/graphql')
          .set('authorization', `Bearer ${token}`)
          .set('idempotency-key', create.key)
          .send({ query: LOG_INTERACTION, variables: { input: { customerId, kind: 'CALL', channel: 'PHONE', summary: create.summary } } })
          .catch(() => null);
        if (response?.status === 200 && !response.body.errors && response.body.data?.logInteraction?.id) {
          create.acknowledgedAt = Date.now();
          acknowledged += 1;
          return;
        }
        // Anything else is retried with the same key: 503, 409 (still in flight), a cut connection.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const load = Promise.all(
      creates.map(async (list, w) => {
        for (const create of list) await push(create, customers[w]!.id);
      }),
    );
    const fault = (async () => {
      await waitFor(async () => acknowledged >= 30, 30_000, 10);
      downAt = Date.now();
      await cluster.halt('immediate');
      readiness.push((await supertest(app.express).get('/readyz')).status);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await cluster.resume();
      upAt = Date.now();
    })();
    await Promise.all([load, fault]);

    const all = creates.flat();
    expect(all.every((create) => create.acknowledgedAt !== null)).toBe(true);
    // The fault did hit requests in flight.
    expect(all.some((create) => create.attempts > 1)).toBe(true);
    expect(readiness).toEqual([503]);
    const counts = await interactionCounts(
      url,
      all.map((create) => create.summary),
    );
    const wrong = all
      .filter((create) => counts.get(create.summary) !== 1)
      .map((create) => `${create.summary}: ${counts.get(create.summary) ?? 0}`);
    expect(wrong).toEqual([]);
    const firstAfter = Math.min(...all.map((create) => create.acknowledgedAt!).filter((at) => at > upAt));
    expect(firstAfter - upAt).toBeLessThan(10_000);
    expect(downAt).toBeGreaterThan(0);
    expect((await supertest(app.express).get('/readyz')).status).toBe(200);
  });
});
