import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import express from 'express';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { pino } from 'pino';
import { hashSecret } from '../api/src/common/auth/session.js';
import { issueToken } from '../api/src/common/auth/token.js';
import { loadConfig } from '../api/src/config.js';
import { ormConfig } from '../api/src/mikro-orm.config.js';
import { EvaluationCycleService } from '../api/src/modules/evaluation/evaluation-cycle.service.js';
import { computeNow } from '../api/src/modules/evaluation/evaluation-run.service.js';
import { exportEvaluationsHandler } from '../api/src/modules/evaluation/evaluation.export.js';
import { seedDataset } from '../api/src/seeders/dataset.js';
import { startPgCluster } from './pg-cluster.js';

/**
 * Evaluation-cycle benchmark: seeds a dataset into a throwaway PostgreSQL, computes a cycle over
 * it (the background run, batches and all), then measures the streaming export of a cycle with
 * `--export-rows` results through the real HTTP handler, sampling the process RSS meanwhile.
 *
 *   npm run build:api && node --expose-gc dist/bench/evaluation.js [--customers 100000] [--orders 1000000] [--export-rows 1000000]
 */
const { values: options } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    orders: { type: 'string', default: '1000000' },
    'export-rows': { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '10000' },
    out: { type: 'string' },
  },
});
const customers = Number(options.customers);
const targetOrders = Number(options.orders);
const exportRows = Number(options['export-rows']);
const batchSize = Number(options.batch);
/** The dataset's "present": histories lead up to it, so the 2025 cycle is a full year of data. */
const NOW = new Date('2026-06-30T00:00:00Z');

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function timed<T>(label: string, work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  log(`${label}: ${seconds(ms)} s`);
  return { result, ms };
}

/**
 * Extra confirmed orders (with a payment each) inside 2025, set-based, until the database holds
 * `target` orders: the seeded history spreads orders over many years.
 */
async function topUpOrders(pool: pg.Pool, target: number): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('select count(*) as n from sales_order');
  const missing = target - Number(rows[0]!.n);
  if (missing <= 0) return 0;
  const chunk = 200_000;
  for (let done = 0; done < missing; done += chunk) {
    const n = Math.min(chunk, missing - done);
    await pool.query(
      `with numbered as (select id, row_number() over (order by id) - 1 as i from customer),
       picked as (
         select c.id as customer_id, $2::int + g as k from generate_series(1, $1::int) g
         join numbered c on c.i = (g::bigint * 7919) % (select count(*) from customer)
       ), made as (
         insert into sales_order (id, customer_id, number, status, ordered_at, currency, subtotal, discount_total, total)
         select gen_random_uuid(), customer_id, 'BENCH-' || k, (array['CONFIRMED','SHIPPED','DELIVERED','DELIVERED']::order_status[])[1 + (k % 4)],
           timestamptz '2025-01-01' + ((k::bigint * 104729) % 31449600) * interval '1 second', 'CNY', amount, 0, amount
         from (select customer_id, k, round((100 + (k * 7) % 50000)::numeric, 2) as amount from picked) p
         returning id, ordered_at, total, number
       )
       insert into payment (id, order_id, amount, due_date, paid_at)
       select gen_random_uuid(), id, total, (ordered_at + interval '30 days')::date,
         case when right(number, 1) in ('0', '1') then null else ordered_at + ((substring(number from 7)::int % 50) * interval '1 day') end
       from made`,
      [n, done],
    );
  }
  return missing;
}

/** Bare customers created before the period, so a cycle has `total` results to export. */
async function addBareCustomers(pool: pg.Pool, total: number): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('select count(*) as n from customer');
  const missing = total - Number(rows[0]!.n);
  if (missing <= 0) return 0;
  const chunk = 100_000;
  for (let done = 0; done < missing; done += chunk) {
    await pool.query(
      `with owners as (select territory_id, owner_id, row_number() over () - 1 as i from (select distinct territory_id, owner_id from customer) d)
       insert into customer (id, legal_name, normalized_name, territory_id, owner_id, created_at, updated_at)
       select gen_random_uuid(), 'Bench Co ' || ($2::int + g), 'bench co ' || ($2::int + g), o.territory_id, o.owner_id, timestamptz '2025-06-01', timestamptz '2025-06-01'
       from generate_series(1, $1::int) g join owners o on o.i = g % (select count(*) from owners)`,
      [Math.min(chunk, missing - done), done],
    );
  }
  await pool.query('analyze customer, customer_directory, ownership_history');
  return missing;
}

async function computeCycle(
  em: EntityManager,
  name: string,
  periodStart: string,
  periodEnd: string,
): Promise<{ id: string; ms: number; rows: number }> {
  const cycle = await new EvaluationCycleService({ em: em.fork() }).create({
    name,
    periodStart,
    periodEnd,
    weights: { purchaseCount: 0.2, purchaseAmount: 0.3, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.1 },
    grades: [
      { name: 'Key account', minScore: 80 },
      { name: 'Quality', minScore: 60 },
      { name: 'VIP', minScore: 40 },
      { name: 'Normal', minScore: 0 },
    ],
  });
  const { ms } = await timed(`cycle ${name}`, async () => {
    const status = await computeNow(em, cycle.id, { batchSize, logger: pino({ level: 'error' }) });
    if (status !== 'DONE') throw new Error(`run ${status}`);
  });
  const [{ rows }] = await em
    .fork()
    .execute<{ rows: number }[]>('select count(*)::int as rows from evaluation where cycle_id = ?', [cycle.id]);
  return { id: cycle.id, ms, rows };
}

interface ExportResult {
  rows: number;
  bytes: number;
  ms: number;
  firstByteMs: number;
  rssBaseMb: number;
  rssPeakMb: number;
}

/** The client: a separate process, so the server's throughput and memory are measured alone. */
const CLIENT = `
const http = require('node:http');
const [url, token] = process.argv.slice(1);
const started = performance.now();
let firstByteMs = 0, bytes = 0, lines = 0;
http.get(url, { headers: { authorization: 'Bearer ' + token } }, (response) => {
  if (response.statusCode !== 200) { console.error('status ' + response.statusCode); process.exit(1); }
  response.on('data', (chunk) => {
    if (!firstByteMs) firstByteMs = performance.now() - started;
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  });
  response.on('end', () => console.log(JSON.stringify({ bytes, lines, firstByteMs, ms: performance.now() - started })));
});`;

/** Streams an export over HTTP to a client process that discards it, sampling this (the server's) RSS. */
async function measureExport(port: number, token: string, cycleId: string, format: 'csv' | 'ndjson'): Promise<ExportResult> {
  (globalThis as { gc?: () => void }).gc?.();
  const rssBase = process.memoryUsage.rss();
  let rssPeak = rssBase;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 10);
  const url = `http://127.0.0.1:${port}/export/evaluations?cycle=${cycleId}&format=${format}`;
  const child = spawn(process.execPath, ['-e', CLIENT, url, token], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  clearInterval(sampler);
  if (code !== 0) throw new Error(`export client exited with ${code}`);
  const result = JSON.parse(output) as { bytes: number; lines: number; firstByteMs: number; ms: number };
  return {
    rows: format === 'csv' ? result.lines - 1 : result.lines,
    bytes: result.bytes,
    ms: result.ms,
    firstByteMs: result.firstByteMs,
    rssBaseMb: rssBase / 2 ** 20,
    rssPeakMb: Math.max(rssPeak, process.memoryUsage.rss()) / 2 ** 20,
  };
}

async function main(): Promise<void> {
  const settings = {
    shared_buffers: '512MB',
    work_mem: '64MB',
    maintenance_work_mem: '256MB',
    max_wal_size: '4GB',
    checkpoint_timeout: '30min',
  };
  log(
    `load average before: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')} on ${cpus().length} cores`,
  );
  const cluster = await startPgCluster({ settings });
  const report: string[] = [];
  try {
    await cluster.createDatabase('bench');
    const url = cluster.url('bench');
    const orm = await MikroORM.init(ormConfig({ clientUrl: url, poolMax: 4 }));
    await orm.getMigrator().up();
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    try {
      const seeded = await timed(`seedDataset ${customers} customers`, () =>
        seedDataset((sql, params) => pool.query(sql, params as unknown[]), { customers, now: NOW, concurrency: 2, chunkSize: 500 }),
      );
      const added = await timed('top up orders', () => topUpOrders(pool, targetOrders));
      await pool.query('analyze sales_order, payment, interaction');
      const counts = (
        await pool.query<{ customers: string; orders: string; payments: string; interactions: string }>(
          `select (select count(*) from customer) as customers, (select count(*) from sales_order) as orders,
           (select count(*) from payment) as payments, (select count(*) from interaction) as interactions`,
        )
      ).rows[0]!;
      log(`dataset: ${JSON.stringify(counts)} (${added.result} orders added in 2025)`);

      const em = orm.em.fork() as EntityManager;
      const year = await computeCycle(em, 'FY2025', '2025-01-01', '2025-12-31');
      log(`FY2025: ${year.rows} results, ${Math.round(year.rows / (year.ms / 1000))} customers/s`);
      // Every seeded customer exists by the end of H1 2026.
      const half = await computeCycle(em, 'H1 2026', '2026-01-01', '2026-06-30');
      log(`H1 2026: ${half.rows} results, ${Math.round(half.rows / (half.ms / 1000))} customers/s`);

      const bare = await timed(`add bare customers up to ${exportRows}`, () => addBareCustomers(pool, exportRows));
      const big = await computeCycle(em, 'H2 2026', '2026-07-01', '2026-12-31');
      await new EvaluationCycleService({ em: em.fork() }).publish(big.id);
      log(`H2 2026: ${big.rows} results`);

      const config = loadConfig({
        DATABASE_URL: url,
        AUTH_SECRET: randomBytes(32).toString('hex'),
        DEMO_MODE: 'false',
        LOG_LEVEL: 'silent',
      });
      const app = express();
      app.get('/export/evaluations', exportEvaluationsHandler(orm, config, pino({ level: 'error' })));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const port = (server.address() as AddressInfo).port;
      const [{ id: adminId }] = await em.fork().execute<{ id: string }[]>(`select id from app_user where role = 'ADMIN' limit 1`);
      const token = issueToken({ id: adminId, sessionVersion: 1 }, config.authSecret, 3600).token;
      // A BI key over every territory (no pii:read): the same rows through row-level security.
      const prefix = randomBytes(6).toString('hex');
      const secret = randomBytes(32).toString('base64url');
      const [{ id: keyId }] = await em
        .fork()
        .execute<{ id: string }[]>(
          `insert into api_key (id, name, prefix, secret_hash, kind, scopes, created_by_id) values (gen_random_uuid(), 'bench BI', ?, ?, 'BI', '{evaluations:read}', ?) returning id`,
          [prefix, hashSecret(secret), adminId],
        );
      await em
        .fork()
        .execute(`insert into api_key_territory (api_key_id, region_id) select ?, id from region where kind = 'TERRITORY'`, [keyId]);
      const biKey = `acc_${prefix}_${secret}`;
      const exports: [string, ExportResult][] = [];
      const runs = [
        ['admin', token, 'csv'],
        ['admin', token, 'ndjson'],
        ['admin', token, 'csv'],
        ['BI key', biKey, 'csv'],
        ['BI key', biKey, 'csv'],
      ] as const;
      for (const [who, bearer, format] of runs) {
        const result = await measureExport(port, bearer, big.id, format);
        exports.push([`${format} (${who})`, result]);
        log(
          `export ${format} as ${who}: ${result.rows} rows, ${(result.bytes / 2 ** 20).toFixed(0)} MB in ${seconds(result.ms)} s = ${Math.round(result.rows / (result.ms / 1000))} rows/s; first byte ${result.firstByteMs.toFixed(0)} ms; RSS ${result.rssBaseMb.toFixed(0)} → ${result.rssPeakMb.toFixed(0)} MB (+${(result.rssPeakMb - result.rssBaseMb).toFixed(0)})`,
        );
      }
      server.close();

      const row = (label: string, value: string) => report.push(`| ${label} | ${value} |`);
      report.push(
        `Run ${new Date().toISOString()} on ${process.platform}/${process.arch}, ${cpus().length} cores (load average at the end ${loadavg()
          .map((value) => value.toFixed(2))
          .join(' ')}), Node ${process.version}, PostgreSQL 15 (${Object.entries(settings)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}).`,
        '',
      );
      report.push('| measure | result |', '|---|---|');
      row(
        'dataset',
        `${counts.customers} customers, ${counts.orders} orders (${added.result} of them added in 2025), ${counts.payments} payments, ${counts.interactions} interactions`,
      );
      row(`seedDataset (${customers} customers)`, `${seconds(seeded.ms)} s`);
      row(
        `FY2025 cycle, ${year.rows} customers (batch ${batchSize})`,
        `**${seconds(year.ms)} s** (${Math.round(year.rows / (year.ms / 1000))} customers/s)`,
      );
      row(
        `H1 2026 cycle, ${half.rows} customers (batch ${batchSize})`,
        `**${seconds(half.ms)} s** (${Math.round(half.rows / (half.ms / 1000))} customers/s)`,
      );
      row(`bare customers added for the export`, `${bare.result} in ${seconds(bare.ms)} s`);
      row(`H2 2026 cycle, ${big.rows} customers`, `${seconds(big.ms)} s`);
      for (const [format, result] of exports) {
        row(
          `export ${format}, ${result.rows} rows (${(result.bytes / 2 ** 20).toFixed(0)} MB)`,
          `**${Math.round(result.rows / (result.ms / 1000))} rows/s** (${seconds(result.ms)} s, first byte ${result.firstByteMs.toFixed(0)} ms), RSS +${(result.rssPeakMb - result.rssBaseMb).toFixed(0)} MB`,
        );
      }
      console.log(`\n${report.join('\n')}\n`);
      if (options.out) writeFileSync(options.out, `${report.join('\n')}\n`);
    } finally {
      await pool.end();
      await orm.close(true);
    }
  } finally {
    await cluster.stop();
  }
}

await main();
