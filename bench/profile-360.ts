import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { print } from 'graphql';
import pg from 'pg';
import { TerritoryAccess } from '../api/src/common/access/index.js';
import type { openingStatement } from '../api/src/common/auth/session.js';
import { issueToken } from '../api/src/common/auth/token.js';
import { seedDataset } from '../api/src/seeders/dataset.js';
import { Customer360Document } from '../schema/generated/graphql.js';
import { startPgCluster } from './pg-cluster.js';
import { clusterCpuByPid, cpuBetween, processCpuSeconds } from './proc.js';
import { freePort, spawnApi, waitFor } from './util.js';

/**
 * PostgreSQL CPU of one rep's customer-360, A/B between two builds on one seeded database:
 * `node dist/bench/profile-360.js --base <checkout with dist/> [--customers N] [--runs N]`.
 * Each build's API runs with a pool of one; the cluster's CPU (from /proc) over `runs` sequential
 * requests is divided by `runs`. The base build runs first on its own migrations, then this
 * build's migrations are applied and both builds run again, alternately. `--base-sql` and
 * `--this-sql` name SQL files run before each measurement of that build (say, a policy's old and
 * new form, to A/B a migration interleaved); `--extra-sql` runs once at the end, before one more
 * measurement of each. Each runs on its own short-lived connection.
 */
const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    customers: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '2' },
    'extra-sql': { type: 'string' },
    'base-sql': { type: 'string' },
    'this-sql': { type: 'string' },
  },
});
const here = path.resolve(import.meta.dirname, '../..');
const base = path.resolve(values.base ?? '');
const runs = Number(values.runs);

function migrate(dir: string, url: string): void {
  const result = spawnSync(process.execPath, [path.join(dir, 'dist/api/src/cli/db.js'), 'migrate'], {
    env: { ...process.env, DATABASE_URL: url, AUTH_SECRET: randomBytes(32).toString('hex'), DEMO_MODE: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`migrate failed in ${dir}`);
}

/** Runs a SQL file on a fresh connection: a pooled one left idle through the measurements was cut. */
async function runSqlFile(url: string, file: string | undefined, vacuum = false): Promise<void> {
  if (!file) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(readFileSync(file, 'utf8'));
    if (vacuum) await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const cluster = await startPgCluster({ settings: { shared_buffers: '512MB' } });
  try {
    await cluster.createDatabase('profile');
    const url = cluster.url('profile');
    migrate(base, url);
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    await seedDataset((sql, params) => pool.query(sql, params as unknown[]), { customers: Number(values.customers), concurrency: 3 });
    const {
      rows: [pick],
    } = await pool.query<{ rep: string; customer: string; lines: number; payments: number }>(
      `with rep as (select c.owner_id as id from customer c join app_user u on u.id = c.owner_id and u.role = 'REP'
         where c.archived_at is null group by c.owner_id order by count(*) desc limit 1)
       select rep.id as rep, c.id as customer,
         (select count(*) from order_line l join sales_order o on o.id = l.order_id where o.customer_id = c.id)::int as lines,
         (select count(*) from payment p join sales_order o on o.id = p.order_id where o.customer_id = c.id)::int as payments
       from rep join customer c on c.owner_id = rep.id and c.archived_at is null order by lines, c.id offset (select count(*) / 2 from customer c2 where c2.owner_id = (select id from rep) and c2.archived_at is null) limit 1`,
    );
    await pool.query('vacuum analyze');
    const secret = randomBytes(32).toString('hex');
    const token = issueToken({ id: pick!.rep, sessionVersion: 1 }, secret, 24 * 3600).token;
    const body = JSON.stringify({ query: print(Customer360Document), variables: { id: pick!.customer } });
    console.log(`customer ${pick!.customer}: ${pick!.lines} order lines, ${pick!.payments} payments; ${runs} runs`);

    const measure = async (label: string, dir: string) => {
      const port = await freePort();
      const { child: api } = spawnApi({
        databaseUrl: url,
        authSecret: secret,
        port,
        poolMax: 1,
        dir,
        env: { TERRITORY_ACCESS: TerritoryAccess.READ },
      });
      try {
        await waitFor(`http://127.0.0.1:${port}/readyz`);
        const request = async () => {
          const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body,
          });
          const json = (await response.json()) as { errors?: unknown };
          if (json.errors) throw new Error(JSON.stringify(json.errors));
        };
        for (let i = 0; i < 30; i++) await request();
        const pgBefore = clusterCpuByPid(cluster.dataDir);
        const nodeBefore = processCpuSeconds(api.pid!);
        const started = performance.now();
        for (let i = 0; i < runs; i++) await request();
        const wall = performance.now() - started;
        const pgMs = (cpuBetween(pgBefore, clusterCpuByPid(cluster.dataDir)) * 1000) / runs;
        const nodeMs = ((processCpuSeconds(api.pid!) - nodeBefore) * 1000) / runs;
        console.log(
          `${label.padEnd(40)} pg ${pgMs.toFixed(2)} ms  node ${nodeMs.toFixed(2)} ms  wall ${(wall / runs).toFixed(2)} ms  load ${loadavg()[0]!.toFixed(2)}`,
        );
      } finally {
        api.kill('SIGTERM');
        await new Promise((resolve) => api.once('exit', resolve));
      }
    };

    await measure('base build, base migrations', base);
    migrate(here, url);
    // The opening statement alone, BEGIN to COMMIT, as each build writes it, on one backend.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const session = async (dir: string) =>
      (await import(path.join(dir, 'dist/api/src/common/auth/session.js'))) as { openingStatement: typeof openingStatement };
    for (const [label, dir] of [
      ['base', base],
      ['this', here],
      ['base', base],
      ['this', here],
    ] as const) {
      const statement = (await session(dir)).openingStatement(`Bearer ${token}`, secret, TerritoryAccess.READ);
      for (let i = 0; i < 20; i++) await client.query(`begin; ${statement}; commit`);
      const before = processCpuSeconds(backend);
      for (let i = 0; i < runs; i++) await client.query(`begin; ${statement}; commit`);
      console.log(
        `${`opening statement, ${label} build`.padEnd(40)} pg ${(((processCpuSeconds(backend) - before) * 1000) / runs).toFixed(2)} ms per BEGIN…COMMIT`,
      );
    }
    for (let i = 0; i < 20; i++) await client.query('begin; commit');
    const idle = processCpuSeconds(backend);
    for (let i = 0; i < runs; i++) await client.query('begin; commit');
    console.log(`${'BEGIN; COMMIT alone'.padEnd(40)} pg ${(((processCpuSeconds(backend) - idle) * 1000) / runs).toFixed(2)} ms`);
    await client.end();
    for (let round = 0; round < Number(values.rounds); round++) {
      await runSqlFile(url, values['base-sql']);
      await measure(`base build, these migrations${values['base-sql'] ? ' + base SQL' : ''}`, base);
      await runSqlFile(url, values['this-sql']);
      await measure(`this build, these migrations${values['this-sql'] ? ' + this SQL' : ''}`, here);
    }
    await pool.end();
    if (values['extra-sql']) {
      await runSqlFile(url, values['extra-sql'], true);
      await measure('base build, these migrations + extra SQL', base);
      await measure('this build, these migrations + extra SQL', here);
    }
  } finally {
    await cluster.stop();
  }
}

await main();
