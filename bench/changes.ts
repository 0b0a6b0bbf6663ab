import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { hashSecret } from '../api/src/common/auth/session.js';
import { ormConfig } from '../api/src/mikro-orm.config.js';
import { seedDataset } from '../api/src/seeders/dataset.js';
import { startPgCluster } from './pg-cluster.js';
import { clusterCpuByPid, cpuBetween, processCpuSeconds } from './proc.js';
import { freePort, waitFor } from './util.js';

/**
 * `npm run bench:changes [-- --customers 2000 --writes 300 --backlog 5000 --duration 10 --connections 8]`
 *
 * The change feed and its webhooks, side by side in one run on loopback: commit → webhook latency,
 * deliveries per second over a backlog (and that every event arrived), the feed's read throughput
 * as an API key, and what the outbox triggers cost a write (the same load with them on and off).
 */
const { values: options } = parseArgs({
  options: {
    customers: { type: 'string', default: '2000' },
    writes: { type: 'string', default: '300' },
    backlog: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    /** Write-cost rounds: each measures triggers on, then off, so drift in the machine's load hits both. */
    rounds: { type: 'string', default: '2' },
    out: { type: 'string', default: 'docs/benchmarks-changes.md' },
  },
});
const customers = Number(options.customers);
const writes = Number(options.writes);
const backlog = Number(options.backlog);
const duration = Number(options.duration);
const connections = Number(options.connections);
const rounds = Number(options.rounds);
const POLL_MS = 50;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Received {
  eventId: string;
  entityId: string;
  type: string;
  at: number;
}

/** The receiver: answers 204 to every POST and notes when each event arrived. */
class Receiver {
  readonly received: Received[] = [];
  /** Called for each delivery, before waiters are checked. */
  onEvent: (received: Received) => void = () => undefined;
  private server: Server | undefined;
  private waiters: { until: () => boolean; resolve: () => void }[] = [];

  constructor(readonly port: number) {}

  start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const at = performance.now();
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; entityId: string; type: string };
        const received = { eventId: body.id, entityId: body.entityId, type: body.type, at };
        response.writeHead(204).end();
        this.received.push(received);
        this.onEvent(received);
        this.waiters = this.waiters.filter((waiter) => (waiter.until() ? (waiter.resolve(), false) : true));
      });
    });
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    // The worker keeps connections alive: cut them, or close() would wait for them.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    return closed;
  }

  /** Resolves true once `until()` holds, false after `timeoutMs` (the report then shows what is missing). */
  waitUntil(until: () => boolean, timeoutMs: number): Promise<boolean> {
    if (until()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({ until, resolve: () => (clearTimeout(timer), resolve(true)) });
    });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.error(
    `bench:changes: ${customers} customers, ${writes} timed writes, backlog ${backlog}, ${duration} s × ${rounds} rounds of write load`,
  );
  const cluster = await startPgCluster({ settings: { shared_buffers: '512MB', max_connections: '100' } });
  let api: ChildProcess | undefined;
  const receiver = new Receiver(await freePort());
  try {
    await cluster.createDatabase('changes');
    const url = cluster.url('changes');
    const orm = await MikroORM.init(ormConfig({ clientUrl: url, poolMax: 1 }));
    await orm.getMigrator().up();
    await orm.close(true);

    const pool = new pg.Pool({ connectionString: url, max: 3 });
    const seeded = await seedDataset((sql, params) => pool.query(sql, params as unknown[]), { customers, concurrency: 3 });
    const {
      rows: [admin],
    } = await pool.query<{ id: string }>(`select id from app_user where role = 'ADMIN' limit 1`);
    const { rows: accounts } = await pool.query<{ id: string }>(
      `select id from customer where archived_at is null order by random() limit 1000`,
    );
    const keyId = (await pool.query<{ id: string }>('select gen_random_uuid() as id')).rows[0]!.id;
    const prefix = randomBytes(6).toString('hex');
    const keySecret = randomBytes(32).toString('base64url');
    await pool.query(
      `insert into api_key (id, name, prefix, secret_hash, kind, scopes, created_by_id) values ($1, 'changes bench', $2, $3, 'INTEGRATOR', $4, $5)`,
      [keyId, prefix, hashSecret(keySecret), ['customers:read', 'interactions:read', 'interactions:write', 'webhooks:manage'], admin!.id],
    );
    await pool.query(`insert into api_key_territory (api_key_id, region_id) select $1, id from region where parent_id is null`, [keyId]);
    console.error(`seeded ${customers} customers in ${(seeded.durationMs / 1000).toFixed(1)} s`);

    const port = await freePort();
    const loadBefore = loadavg();
    api = spawn(process.execPath, ['dist/api/src/main.js'], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        AUTH_SECRET: randomBytes(32).toString('hex'),
        DEMO_MODE: 'false',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DB_POOL_MAX: '10',
        RATE_LIMIT_PER_MINUTE: '0',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_POLL_INTERVAL_MS: String(POLL_MS),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/readyz`);
    const headers = { 'content-type': 'application/json', authorization: `Bearer acc_${prefix}_${keySecret}` };
    const gql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      const result = (await response.json()) as { data?: T; errors?: { message: string }[] };
      if (result.errors?.length || !result.data) throw new Error(`GraphQL: ${JSON.stringify(result.errors)}`);
      return result.data;
    };
    const run = randomBytes(3).toString('hex');
    const logDocument = 'mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id } }';
    const logInput = (i: number) => ({
      customerId: accounts[i % accounts.length]!.id,
      kind: 'CALL',
      channel: 'PHONE',
      summary: `changes ${run} ${i}`,
    });

    // 1. Commit → webhook received, one write at a time so each is its own delivery.
    await receiver.start();
    const created = await gql<{ createWebhook: { webhook: { id: string; version: number } } }>(
      'mutation Create($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id version } } }',
      { input: { url: `http://127.0.0.1:${receiver.port}/hook`, eventTypes: ['interaction.created', 'interaction.updated'] } },
    );
    let webhook = created.createWebhook.webhook;
    const setEnabled = async (enabled: boolean) => {
      webhook = (
        await gql<{ updateWebhook: { id: string; version: number } }>(
          'mutation Update($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { id version } }',
          { id: webhook.id, input: { version: webhook.version, enabled } },
        )
      ).updateWebhook;
    };
    const answered = new Map<string, number>();
    for (let i = 0; i < writes; i++) {
      const { logInteraction } = await gql<{ logInteraction: { id: string } }>(logDocument, { input: logInput(i) });
      answered.set(logInteraction.id, performance.now());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const arrivedFor = () => receiver.received.filter((r) => r.type === 'interaction.created' && answered.has(r.entityId));
    const waiting = new Set(answered.keys());
    for (const r of arrivedFor()) waiting.delete(r.entityId);
    receiver.onEvent = (r) => waiting.delete(r.entityId);
    await receiver.waitUntil(() => waiting.size === 0, 60_000);
    const firstArrival = new Map<string, number>();
    for (const r of arrivedFor()) if (!firstArrival.has(r.entityId)) firstArrival.set(r.entityId, r.at);
    const latencies = [...firstArrival].map(([entityId, at]) => at - answered.get(entityId)!).sort((a, b) => a - b);
    console.error(`latency: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);

    // 2. A backlog written while the receiver was down and the webhook paused, then drained.
    await setEnabled(false);
    await receiver.stop();
    const { rows: targets } = await pool.query<{ id: string }>(
      `select i.id from interaction i join customer c on c.id = i.customer_id where c.archived_at is null order by i.id limit $1`,
      [backlog],
    );
    const {
      rows: [maxBefore],
    } = await pool.query<{ id: string }>(`select coalesce(max(id), 0)::text as id from change_event`);
    await pool.query(`update interaction set summary = summary || ' ·' where id = any($1::uuid[])`, [targets.map((t) => t.id)]);
    const {
      rows: [queued],
    } = await pool.query<{ n: number }>(`select count(*)::int as n from change_event where id > $1 and type = 'interaction.updated'`, [
      maxBefore!.id,
    ]);
    const backlogIds = new Set(
      (
        await pool.query<{ id: string }>(`select id::text from change_event where id > $1 and type like 'interaction.%'`, [maxBefore!.id])
      ).rows.map((r) => r.id),
    );
    const deliveriesBefore = receiver.received.length;
    await receiver.start();
    const drainStart = performance.now();
    const apiCpuBefore = processCpuSeconds(api.pid!);
    const pgCpuBefore = clusterCpuByPid(cluster.dataDir);
    await setEnabled(true);
    const arrivedBacklog = () => receiver.received.slice(deliveriesBefore).filter((r) => backlogIds.has(r.eventId));
    const pending = new Set(backlogIds);
    receiver.onEvent = (r) => pending.delete(r.eventId);
    await receiver.waitUntil(() => pending.size === 0, 300_000);
    const drainMs = performance.now() - drainStart;
    const drainApiCpuMs = ((processCpuSeconds(api.pid!) - apiCpuBefore) * 1000) / backlogIds.size;
    const drainPgCpuMs = (cpuBetween(pgCpuBefore, clusterCpuByPid(cluster.dataDir)) * 1000) / backlogIds.size;
    const backlogDeliveries = arrivedBacklog().length;
    const distinctBacklog = new Set(arrivedBacklog().map((r) => r.eventId)).size;
    console.error(`backlog: ${distinctBacklog}/${backlogIds.size} in ${(drainMs / 1000).toFixed(1)} s`);

    // 3. The feed read to the end as the key, 100 a page.
    const feedDocument =
      'query Feed($after: String) { changes(first: 100, after: $after) { edges { cursor node { id type entityId fields tombstone } } pageInfo { endCursor hasNextPage } } }';
    type Page = { changes: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } };
    const readFeed = async () => {
      let after: string | null = null;
      let events = 0;
      let pages = 0;
      const apiBefore = processCpuSeconds(api!.pid!);
      const pgBefore = clusterCpuByPid(cluster.dataDir);
      const t0 = performance.now();
      for (;;) {
        const page: Page = await gql<Page>(feedDocument, { after });
        pages++;
        events += page.changes.edges.length;
        after = page.changes.pageInfo.endCursor;
        if (!page.changes.pageInfo.hasNextPage) break;
      }
      const ms = performance.now() - t0;
      return {
        events,
        pages,
        ms,
        apiCpuMs: ((processCpuSeconds(api!.pid!) - apiBefore) * 1000) / pages,
        pgCpuMs: (cpuBetween(pgBefore, clusterCpuByPid(cluster.dataDir)) * 1000) / pages,
      };
    };
    await readFeed();
    const feed = await readFeed();
    console.error(`feed: ${feed.events} events in ${(feed.ms / 1000).toFixed(1)} s`);

    // 4. The outbox's cost on a write: the same logInteraction load with the change triggers on and off.
    // The webhook is paused so delivery work does not land in either measurement.
    await setEnabled(false);
    const superuser = new pg.Client({ connectionString: url });
    await superuser.connect();
    const { rows: triggers } = await superuser.query<{ table: string; name: string }>(
      `select c.relname as table, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
       where not t.tgisinternal and t.tgname like '%\\_change\\_%' and (select proname from pg_proc where oid = t.tgfoid) like 'change\\_capture\\_%'
       order by 1, 2`,
    );
    const setTriggers = async (on: boolean) => {
      for (const t of triggers)
        await superuser.query(
          `alter table ${superuser.escapeIdentifier(t.table)} ${on ? 'enable' : 'disable'} trigger ${superuser.escapeIdentifier(t.name)}`,
        );
    };
    let index = 0;
    const writeLoad = async (seconds: number) => {
      const apiBefore = processCpuSeconds(api!.pid!);
      const pgBefore = clusterCpuByPid(cluster.dataDir);
      const result = await autocannon({
        url: base,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/graphql',
            setupRequest: (request) => {
              const i = writes + index++;
              return {
                ...request,
                headers: { ...headers, 'idempotency-key': `${run}-${i}` },
                body: JSON.stringify({ query: logDocument, variables: { input: logInput(i) } }),
              };
            },
          },
        ],
      });
      const requests = result.requests.total || Number.NaN;
      return {
        rps: result.requests.total / seconds,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.non2xx + result.errors + result.timeouts,
        apiCpuMs: ((processCpuSeconds(api!.pid!) - apiBefore) * 1000) / requests,
        pgCpuMs: (cpuBetween(pgBefore, clusterCpuByPid(cluster.dataDir)) * 1000) / requests,
      };
    };
    await writeLoad(3);
    type Load = Awaited<ReturnType<typeof writeLoad>>;
    const on: Load[] = [];
    const off: Load[] = [];
    try {
      for (let round = 0; round < rounds; round++) {
        await setTriggers(true);
        on.push(await writeLoad(duration));
        await setTriggers(false);
        off.push(await writeLoad(duration));
        console.error(`round ${round + 1}: on ${on.at(-1)!.rps.toFixed(1)} req/s, off ${off.at(-1)!.rps.toFixed(1)} req/s`);
      }
    } finally {
      await setTriggers(true);
      await superuser.end();
    }
    await pool.end();
    const loadAfter = loadavg();

    const mean = (loads: Load[], key: keyof Load) => loads.reduce((sum, l) => sum + l[key], 0) / loads.length;
    const fmtLoad = (l: Load) =>
      `${l.rps.toFixed(1)} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms, ${l.apiCpuMs.toFixed(2)} / ${l.pgCpuMs.toFixed(2)} ms${l.errors ? `, ${l.errors} errors` : ''}`;
    const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;
    const report = [
      `Run of ${new Date().toISOString()} on ${customers} customers (seeded in ${(seeded.durationMs / 1000).toFixed(1)} s); API \`node dist/api/src/main.js\` (pool of 10, one webhook worker, \`WEBHOOK_POLL_INTERVAL_MS=${POLL_MS}\`), PostgreSQL 15 in a throwaway cluster, receiver and load generator in this process, all on loopback on the same ${cpus().length} cores.`,
      '',
      `Load average (1, 5, 15 min) before the API started: ${loadBefore.map((n) => n.toFixed(2)).join(', ')}; at the end: ${loadAfter.map((n) => n.toFixed(2)).join(', ')}.`,
      '',
      '| measurement | result |',
      '|---|---|',
      `| commit → webhook received, ${latencies.length} \`logInteraction\` one at a time (from the mutation's response to the receiver reading the body) | p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms |`,
      `| backlog drain: ${backlogIds.size} events (${queued!.n} \`interaction.updated\`, one UPDATE) written while the receiver was down and the webhook paused, from re-enabling it to the last distinct event id | ${(drainMs / 1000).toFixed(1)} s, **${((backlogIds.size / drainMs) * 1000).toFixed(0)} deliveries/s**; ${distinctBacklog} of ${backlogIds.size} distinct event ids arrived (${backlogDeliveries} deliveries); CPU per delivery ${drainApiCpuMs.toFixed(2)} ms API / ${drainPgCpuMs.toFixed(2)} ms PostgreSQL |`,
      `| feed read to the end as the key, \`changes(first: 100)\` | ${feed.events} events in ${feed.pages} pages, ${(feed.ms / 1000).toFixed(2)} s: **${((feed.events / feed.ms) * 1000).toFixed(0)} events/s**; CPU per page ${feed.apiCpuMs.toFixed(1)} ms API / ${feed.pgCpuMs.toFixed(1)} ms PostgreSQL |`,
      '',
      `Outbox cost on a write: \`logInteraction\` as the key (fresh Idempotency-Key each), autocannon ${connections} connections, ${duration} s per measurement, ${rounds} round(s) of triggers on then off (\`alter table … disable trigger\` on the ${triggers.length} change-capture triggers), webhook paused. CPU is milliseconds per write of the API process / of all PostgreSQL processes.`,
      '',
      '| round | change triggers on | change triggers off | on / off req/s | on / off PostgreSQL CPU per write |',
      '|---|---|---|---|---|',
      ...on.map(
        (o, i) =>
          `| ${i + 1} | ${fmtLoad(o)} | ${fmtLoad(off[i]!)} | ${ratio(o.rps, off[i]!.rps)} | ${ratio(o.pgCpuMs, off[i]!.pgCpuMs)} |`,
      ),
      `| mean | ${mean(on, 'rps').toFixed(1)} req/s, ${mean(on, 'apiCpuMs').toFixed(2)} / ${mean(on, 'pgCpuMs').toFixed(2)} ms | ${mean(off, 'rps').toFixed(1)} req/s, ${mean(off, 'apiCpuMs').toFixed(2)} / ${mean(off, 'pgCpuMs').toFixed(2)} ms | **${ratio(mean(on, 'rps'), mean(off, 'rps'))}** | **${ratio(mean(on, 'pgCpuMs'), mean(off, 'pgCpuMs'))}** |`,
      '',
      `Total bench time ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    ].join('\n');
    console.log(report);
    if (options.out) writeFileSync(options.out, `${report}\n`);
  } finally {
    api?.kill('SIGTERM');
    await receiver.stop();
    await cluster.stop();
  }
}

await main();
