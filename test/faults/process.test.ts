import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Baseline } from '../fixtures/baseline.js';
import { startPgCluster, type PgCluster } from '../../bench/pg-cluster.js';
import { createApiKey, interactionCounts, LOG_INTERACTION, prepareDatabase, waitFor, withAdmin } from './support.js';

/**
 * The API as a real process (`node dist/api/src/main.js`): killed with SIGKILL in the middle of
 * a batch of idempotent creates and started again, and stopped with SIGTERM while a mutation is
 * in flight.
 */
const MAIN = 'dist/api/src/main.js';
let cluster: PgCluster;
let url: string;
let baseline: Baseline;
let token: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  const started = Date.now();
  // Type errors elsewhere do not stop tsc from emitting; a missing or stale build does fail.
  await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: process.cwd() }).catch(() => undefined);
  expect(statSync(MAIN).mtimeMs).toBeGreaterThan(started - 1000);
  cluster = await startPgCluster({ settings: { synchronous_commit: 'on' } });
  ({ url, baseline } = await prepareDatabase(cluster, 'faults_process'));
  token = (
    await createApiKey(url, {
      scopes: ['interactions:write', 'interactions:read'],
      territories: [baseline.regions.east.id, baseline.regions.south.id],
      createdBy: baseline.users.admin.id,
    })
  ).token;
}, 240_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await cluster?.stop();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Api {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function startApi(port: number, extra: Record<string, string> = {}): Promise<Api> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      AUTH_SECRET: 'process-test-secret-0123456789abcdef',
      DEMO_MODE: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      DB_LOCK_TIMEOUT_MS: '20000',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 20_000, 100).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
  return { child, base, exited, output: () => output };
}

async function create(base: string, key: string, summary: string, customerId: string): Promise<Response> {
  return fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
    body: JSON.stringify({ query: LOG_INTERACTION, variables: { input: { customerId, kind: 'CALL', channel: 'PHONE', summary } } }),
  });
}

describe('the API process', () => {
  it('killed mid-batch and restarted: retried creates land exactly once, acknowledged ones are kept', async () => {
    const port = await freePort();
    let api = await startApi(port);
    const customerId = baseline.customers[0]!.id;
    const batch = Array.from({ length: 60 }, (_, i) => ({ key: `kill-${i}`, summary: `kill batch ${i}`, acknowledged: false }));
    let acknowledged = 0;
    let killed = false;
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!killed && next < batch.length) {
          const item = batch[next++]!;
          const response = await create(api.base, item.key, item.summary, customerId).catch(() => null);
          if (response?.status === 200 && !((await response.json()) as { errors?: unknown }).errors) {
            item.acknowledged = true;
            acknowledged += 1;
            if (acknowledged === 15) {
              killed = true;
              api.child.kill('SIGKILL');
            }
          }
        }
      }),
    );
    expect(await api.exited).toBeNull();
    const unacknowledged = batch.filter((item) => !item.acknowledged);
    expect(unacknowledged.length).toBeGreaterThan(0);

    const restarted = Date.now();
    api = await startApi(port);
    expect(Date.now() - restarted).toBeLessThan(10_000);
    // The client retries everything it has no acknowledgement for, with the same keys, and
    // re-sends a few acknowledged ones too: those are replayed, not created again.
    const retries = [...unacknowledged, ...batch.filter((item) => item.acknowledged).slice(0, 3)];
    for (const item of retries) {
      const response = await create(api.base, item.key, item.summary, customerId);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    }
    const counts = await interactionCounts(
      url,
      batch.map((item) => item.summary),
    );
    expect(batch.filter((item) => counts.get(item.summary) !== 1).map((item) => item.summary)).toEqual([]);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  });

  it('stopped with SIGTERM: stops accepting, finishes the mutation in flight, closes the pool and exits 0', async () => {
    const port = await freePort();
    const api = await startApi(port);
    const customerId = baseline.customers[1]!.id;
    const lock = new pg.Client({ connectionString: url });
    await lock.connect();
    try {
      const lockPid = (await lock.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await lock.query('begin');
      await lock.query('select id from customer where id = $1 for update', [customerId]);
      const pending = create(api.base, 'drain-1', 'drained call', customerId);
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
      api.child.kill('SIGTERM');
      // No longer accepting: new connections are refused while the request drains.
      await waitFor(async () => {
        try {
          await fetch(`${api.base}/readyz`);
          return false;
        } catch {
          return true;
        }
      }, 5_000);
      await lock.query('commit');
      const response = await pending.catch((error: Error) => {
        throw new Error(`${error.message}\n${api.output()}`);
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
      expect(await api.exited).toBe(0);
      const counts = await interactionCounts(url, ['drained call']);
      expect(counts.get('drained call')).toBe(1);
      // The pool is closed: no session of the API is left.
      const sessions = await withAdmin(
        url,
        async (sql) =>
          (
            await sql.query(
              `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and pid <> $1`,
              [lockPid],
            )
          ).rows[0].n as number,
      );
      expect(sessions).toBe(0);
    } finally {
      await lock.end();
    }
  });

  it('killed mid-backlog of webhook deliveries and restarted: every event arrives, repeats only by event id', async () => {
    const fast = {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_RETRY_MAX_MS: '200',
      WEBHOOK_TIMEOUT_MS: '2000',
    };
    const { regions, customers } = await withAdmin(url, async (sql) => ({
      regions: (await sql.query<{ id: string }>('select id from region where parent_id is null')).rows.map((row) => row.id),
      customers: (await sql.query<{ id: string }>('select id from customer where archived_at is null order by id limit 10')).rows.map(
        (row) => row.id,
      ),
    }));
    const key = await createApiKey(url, {
      scopes: ['customers:read', 'webhooks:manage'],
      territories: regions,
      createdBy: baseline.users.admin.id,
    });
    const received: string[] = [];
    const receiver = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers['webhook-id']));
        setTimeout(() => res.writeHead(200).end('ok'), 15);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const port = await freePort();
    let api = await startApi(port, fast);
    try {
      const created = await fetch(`${api.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key.token}` },
        body: JSON.stringify({
          query: 'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }',
          variables: { input: { url: target, eventTypes: ['customer.updated'] } },
        }),
      });
      expect(((await created.json()) as { errors?: unknown }).errors).toBeUndefined();
      // The backlog: 200 changes, each its own transaction, written outside the API.
      const expected = await withAdmin(url, async (sql) => {
        const before = (await sql.query<{ id: string }>('select coalesce(max(id), 0)::text as id from change_event')).rows[0]!.id;
        for (let round = 0; round < 20; round += 1)
          for (const id of customers) await sql.query('update customer set notes = $1 where id = $2', [`backlog ${round}`, id]);
        const rows = await sql.query<{ id: string }>(
          `select id::text from change_event where type = 'customer.updated' and id > $1 and entity_id = any($2::uuid[]) order by id`,
          [before, customers],
        );
        return rows.rows.map((row) => row.id);
      });
      expect(expected).toHaveLength(200);
      await waitFor(async () => new Set(received).size >= 40, 60_000);
      api.child.kill('SIGKILL');
      expect(await api.exited).toBeNull();
      expect(new Set(received).size).toBeLessThan(expected.length);
      api = await startApi(port, fast);
      await waitFor(async () => new Set(received).size >= expected.length, 90_000, 100);
      expect([...new Set(received)].sort()).toEqual([...expected].sort());
      // Any repeat (an attempt cut by the kill) carries the event's own id, so a receiver dedupes it.
      expect(received.every((id) => expected.includes(id))).toBe(true);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  }, 240_000);
});
