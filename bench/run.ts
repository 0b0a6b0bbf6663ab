import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { print } from 'graphql';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { issueToken } from '../api/src/common/auth/token.js';
import { ormConfig } from '../api/src/mikro-orm.config.js';
import { seedDataset } from '../api/src/seeders/dataset.js';
import { Customer360Document, Customer360PageDocument, CustomerListDocument, CustomerPageDocument } from '../schema/generated/graphql.js';
import { encodeCursor } from '../api/src/common/graphql/connection.js';
import { checkPeerAnswers, peerBodies, peerInstalled, waitForGraphql } from './peer.js';
import { startPgCluster } from './pg-cluster.js';
import { clusterCpuByPid, cpuBetween, processCpuSeconds } from './proc.js';
import { freePort, waitFor } from './util.js';

/**
 * `npm run bench`: loads a dataset into a throwaway PostgreSQL, then drives the API and a
 * raw-SQL floor side by side with autocannon. Absolute numbers on a shared 2-core machine are
 * noise; the ratios to the floor measured in the same run are the result. With `--peer postgraphile`
 * (the default when it is installed; `--no-peer` skips it) PostGraphile is measured beside them.
 */
const { values: options } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    out: { type: 'string', default: 'docs/benchmarks-latest.md' },
    // Keeps the seeded cluster in this directory and reuses it on the next run with the same size:
    // at 1M customers loading takes far longer than measuring.
    keep: { type: 'string' },
    peer: { type: 'string', default: 'postgraphile' },
    'no-peer': { type: 'boolean', default: false },
  },
});
const customers = Number(options.customers);
const duration = Number(options.duration);
const connections = Number(options.connections);
if (options.peer !== 'postgraphile') throw new Error(`--peer ${options.peer}: the only peer is postgraphile`);
const withPeer = !options['no-peer'] && peerInstalled();

/** What a kept cluster's directory records of its data set. */
interface Dataset {
  customers: number;
  seededMs: number;
}

function start(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (code && code !== 0) console.error(`${script} exited with ${code ?? signal}`);
  });
  return child;
}

/** /metrics is for admins (or METRICS_TOKEN): read it with the admin's token. */
async function sqlStatements(base: string, adminToken: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } })).text();
  return Number(/^accountable_sql_statements_total (\d+)/m.exec(text)?.[1] ?? 0);
}

interface Measured {
  rps: number;
  /** CPU milliseconds per request of the serving Node process and of PostgreSQL. */
  serverCpuMs: number;
  pgCpuMs: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

/** The processes whose CPU a measurement charges to its requests. */
interface Charged {
  serverPid: number;
  pgDataDir: string;
}

async function drive(
  charged: Charged,
  url: string,
  body: (index: number) => string | undefined,
  headers: Record<string, string>,
  method: 'GET' | 'POST',
  path: (index: number) => string,
): Promise<Measured> {
  let index = 0;
  const serverBefore = processCpuSeconds(charged.serverPid);
  const pgBefore = clusterCpuByPid(charged.pgDataDir);
  const result = await autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method,
        headers,
        setupRequest: (request) => {
          const i = index++;
          return { ...request, path: path(i), body: body(i) };
        },
      },
    ],
  });
  // A measurement that completed no request has no cost per request to report.
  const requests = result.requests.total || Number.NaN;
  return {
    serverCpuMs: ((processCpuSeconds(charged.serverPid) - serverBefore) * 1000) / requests,
    pgCpuMs: (cpuBetween(pgBefore, clusterCpuByPid(charged.pgDataDir)) * 1000) / requests,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    requests: result.requests.total,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  console.error(`bench: ${customers} customers, ${duration}s per scenario, ${connections} connections`);
  const cluster = await startPgCluster({
    settings: { shared_buffers: '1GB', work_mem: '16MB', max_connections: '100' },
    keepIn: options.keep,
  });
  const children: ChildProcess[] = [];
  try {
    const seededFile = options.keep === undefined ? undefined : path.join(options.keep, 'bench-dataset.json');
    const reused = seededFile && existsSync(seededFile) ? (JSON.parse(readFileSync(seededFile, 'utf8')) as Dataset) : undefined;
    if (reused && reused.customers !== customers) {
      throw new Error(`${options.keep} holds ${reused.customers} customers, not ${customers}: use another --keep directory`);
    }
    if (!reused) await cluster.createDatabase('bench');
    const url = cluster.url('bench');
    // A reused data set still gets the migrations written since it was loaded.
    const orm = await MikroORM.init(ormConfig({ clientUrl: url, poolMax: 1 }));
    await orm.getMigrator().up();
    await orm.close(true);

    const pool = new pg.Pool({ connectionString: url, max: 3 });
    let seededMs = reused?.seededMs ?? 0;
    if (reused) {
      console.error(`reusing the data set in ${options.keep} (seeded in ${(seededMs / 1000).toFixed(1)} s)`);
    } else {
      // Every tenth of each phase (a shared mark hid the customers' progress behind the reference data's 100 %).
      let shown = { phase: '', pct: -10 };
      const seeding = Date.now();
      const seeded = await seedDataset((sql, params) => pool.query(sql, params as unknown[]), {
        customers,
        concurrency: 3,
        onProgress: (done, total, phase) => {
          const pct = total ? Math.floor((done / total) * 100) : 100;
          if (phase !== shown.phase || pct >= shown.pct + 10 || done === total) {
            shown = { phase, pct };
            console.error(`seed: ${phase} ${pct}% (${((Date.now() - seeding) / 1000).toFixed(0)} s)`);
          }
        },
      });
      seededMs = seeded.durationMs;
      if (seededFile) writeFileSync(seededFile, `${JSON.stringify({ customers, seededMs } satisfies Dataset)}\n`);
    }
    // Autovacuum would otherwise work through the freshly loaded tables during the measurements
    // (charged to PostgreSQL's CPU, at 1M customers for tens of minutes); quick once done.
    const vacuuming = Date.now();
    await pool.query('vacuum (analyze)');
    console.error(`vacuumed in ${((Date.now() - vacuuming) / 1000).toFixed(0)} s`);
    const {
      rows: [counts],
    } = await pool.query<Record<string, string>>(
      `select (select count(*) from customer) customers, (select count(*) from interaction) interactions, (select count(*) from sales_order) orders, (select count(*) from contact) contacts`,
    );
    const {
      rows: [admin],
    } = await pool.query<{ id: string }>(`select id from app_user where role = 'ADMIN' limit 1`);
    const {
      rows: [rep],
    } = await pool.query<{ id: string; name: string }>(
      `select u.id, u.name from app_user u join customer c on c.owner_id = u.id where u.role = 'REP' group by u.id order by count(*) desc limit 1`,
    );
    const { rows: sample } = await pool.query<{ id: string; legal_name: string }>(
      `select id, legal_name from customer where owner_id = $1 and archived_at is null order by random() limit 2000`,
      [rep!.id],
    );
    await pool.end();
    const ids = sample.map((row) => row.id);
    // Pages that start anywhere in the table, as an integrator walking it by cursor reaches them.
    const starts = sample.map((row) => ({ name: row.legal_name, id: row.id, cursor: encodeCursor(row.legal_name, row.id) }));
    console.error(`seeded in ${(seededMs / 1000).toFixed(1)}s: ${JSON.stringify(counts)}`);

    const secret = randomBytes(32).toString('hex');
    const [appPort, floorPort] = [await freePort(), await freePort()];
    const loadBefore = loadavg();
    children.push(
      start('dist/api/src/main.js', {
        DATABASE_URL: url,
        AUTH_SECRET: secret,
        DEMO_MODE: 'false',
        PORT: String(appPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DB_POOL_MAX: '8',
        RATE_LIMIT_PER_MINUTE: '0',
      }),
    );
    children.push(start('dist/bench/floor-server.js', { DATABASE_URL: url, PORT: String(floorPort), DB_POOL_MAX: '8' }));
    const [apiProcess, floorProcess] = children.map((child) => ({ serverPid: child.pid!, pgDataDir: cluster.dataDir }));
    const app = `http://127.0.0.1:${appPort}`;
    const floor = `http://127.0.0.1:${floorPort}`;
    await waitFor(`${app}/readyz`);
    await waitFor(`${floor}/list`);

    // The peer (bench/peer-postgraphile.ts): its own process, pool of 8, superuser, so no permissions.
    let peer: { url: string; charged: Charged } | undefined;
    if (withPeer) {
      const peerPort = await freePort();
      const child = start('dist/bench/peer-postgraphile.js', {
        DATABASE_URL: url,
        PORT: String(peerPort),
        DB_POOL_MAX: '8',
        GRAPHILE_ENV: 'production',
      });
      children.push(child);
      peer = { url: `http://127.0.0.1:${peerPort}/graphql`, charged: { serverPid: child.pid!, pgDataDir: cluster.dataDir } };
      await waitForGraphql(peer.url);
    }

    const tokens = {
      admin: issueToken({ id: admin!.id, sessionVersion: 1 }, secret, 3600).token,
      rep: issueToken({ id: rep!.id, sessionVersion: 1 }, secret, 3600).token,
    };
    // The cursors above are built as the API builds its own: check it on its first page before relying on them.
    const firstPage = (await (
      await fetch(`${app}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.admin}` },
        body: JSON.stringify({ query: print(CustomerPageDocument), variables: { first: 1 } }),
      })
    ).json()) as { data?: { customers: { edges: { cursor: string; node: { id: string; legalName: string } }[] } } };
    const edge = firstPage.data?.customers.edges[0];
    if (!edge || edge.cursor !== encodeCursor(edge.node.legalName, edge.node.id)) {
      throw new Error(`the API's cursors are not (legalName, id): ${JSON.stringify(firstPage).slice(0, 300)}`);
    }
    const graphql = (document: Parameters<typeof print>[0], variables: (i: number) => Record<string, unknown>) => (i: number) =>
      JSON.stringify({ query: print(document), variables: variables(i) });
    const scenarios = [
      {
        name: 'customer-360, one customer',
        document: graphql(Customer360Document, (i) => ({ id: ids[i % ids.length] })),
        floor: (i: number) => `/c360?id=${ids[i % ids.length]}`,
      },
      { name: 'customer-360, page of 25', document: graphql(Customer360PageDocument, () => ({ first: 25 })), floor: () => '/page' },
      { name: 'customer list, page of 25', document: graphql(CustomerListDocument, () => ({ first: 25 })), floor: () => '/list' },
      {
        name: 'customer list, page of 25 after a cursor, no totalCount',
        document: graphql(CustomerPageDocument, (i) => ({ first: 25, after: starts[i % starts.length]!.cursor })),
        floor: (i: number) => {
          const start = starts[i % starts.length]!;
          return `/after?name=${encodeURIComponent(start.name)}&id=${start.id}`;
        },
      },
    ];
    // The peer's bodies by scenario (the same variables); a scenario without one has no peer figures.
    const peerBodyOf: Record<string, ((i: number) => string) | undefined> = {
      'customer-360, one customer': peerBodies.customer360(ids),
      'customer-360, page of 25': peerBodies.customer360Page,
      'customer list, page of 25': peerBodies.customerList,
    };
    if (peer) {
      const ours = (name: string) => scenarios.find((scenario) => scenario.name === name)!.document;
      await checkPeerAnswers({
        api: `${app}/graphql`,
        adminToken: tokens.admin,
        peer: peer.url,
        ids: ids.slice(0, 5),
        ourBodies: {
          customer360: ours('customer-360, one customer'),
          customer360Page: () => ours('customer-360, page of 25')(0),
          customerList: () => ours('customer list, page of 25')(0),
        },
      });
      console.error('peer: PostGraphile answers the same data as the API for 5 customer-360s and both pages');
    }

    const rows: string[] = [];
    for (const scenario of scenarios) {
      // Warm both sides, then measure them back to back.
      await drive(floorProcess!, floor, () => undefined, {}, 'GET', scenario.floor);
      const floorResult = await drive(floorProcess!, floor, () => undefined, {}, 'GET', scenario.floor);
      const results: Record<string, Measured & { sql: number }> = {};
      // Warmed like the floor and the peer: each principal once, so neither is measured on a cold
      // JIT, cold plans or cold pages while the other gets them warm.
      for (const who of ['admin', 'rep'] as const) {
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` };
        await drive(apiProcess!, app, scenario.document, headers, 'POST', () => '/graphql');
      }
      for (const who of ['admin', 'rep'] as const) {
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` };
        const before = await sqlStatements(app, tokens.admin);
        const measured = await drive(apiProcess!, app, scenario.document, headers, 'POST', () => '/graphql');
        const sql = (await sqlStatements(app, tokens.admin)) - before;
        results[who] = { ...measured, sql: measured.requests ? sql / measured.requests : 0 };
      }
      const fmt = (m: Measured) => `${m.rps.toFixed(0)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms${m.errors ? `, ${m.errors} errors` : ''}`;
      const cpu = (m: Measured) => (m.requests ? `${m.serverCpuMs.toFixed(2)} / ${m.pgCpuMs.toFixed(2)}` : '—');
      const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : '—');
      const { admin: asAdmin, rep: asRep } = results as { admin: Measured & { sql: number }; rep: Measured & { sql: number } };
      // The peer, warmed then measured like the floor, right after the API on the same ids.
      let peerColumns = peer ? ' — | — | — | — |' : '';
      const peerBody = peerBodyOf[scenario.name];
      if (peer && peerBody) {
        const headers = { 'content-type': 'application/json' };
        await drive(peer.charged, peer.url, peerBody, headers, 'POST', () => '/graphql');
        const measured = await drive(peer.charged, peer.url, peerBody, headers, 'POST', () => '/graphql');
        peerColumns = ` ${fmt(measured)} | ${cpu(measured)} | ${ratio(asRep.rps, measured.rps)}× | ${ratio(asAdmin.rps, measured.rps)}× |`;
      }
      rows.push(
        `| ${scenario.name} | ${fmt(floorResult)} | ${cpu(floorResult)} | ${fmt(asAdmin)} | ${ratio(asAdmin.rps, floorResult.rps)}× | ${cpu(asAdmin)} | ${asAdmin.sql.toFixed(1)} | ${fmt(asRep)} | ${ratio(asRep.rps, floorResult.rps)}× | ${ratio(asRep.rps, asAdmin.rps)}× | ${cpu(asRep)} | ${asRep.sql.toFixed(1)} |${peerColumns}`,
      );
      console.error(rows.at(-1));
    }

    const report = [
      `Run of ${new Date().toISOString()} on ${customers} customers (${counts!.interactions} interactions, ${counts!.orders} orders, ${counts!.contacts} contacts); seeding took ${(seededMs / 1000).toFixed(1)} s${options.keep ? ' (kept between runs)' : ''}.`,
      `autocannon, ${connections} connections, ${duration} s per measurement, API and floor each one Node process with a pool of 8, PostgreSQL 15 on the same 2 cores. The rep is "${rep!.name}" (their own accounts; the admin reads the same ids).`,
      '',
      `Load average (1, 5, 15 min) before the servers started: ${loadBefore.map((n) => n.toFixed(2)).join(', ')}; at the end: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(', ')} on ${cpus().length} cores.`,
      'CPU columns are milliseconds per request of the serving Node process / of all PostgreSQL processes, from /proc over each measurement; round trips are the statements the API sent to PostgreSQL per request (its own counter: one per round trip).',
      ...(peer
        ? [
            'The peer is PostGraphile 5 (amber preset, bench/peer-postgraphile.ts), one Node process with a pool of 8 on the same database, connected as the superuser: it enforces no permissions and no row-level security, so the comparison favours it. Its documents ask for the same fields (bench/peer-documents.ts); the bench checked it answers the same data before timing.',
          ]
        : []),
      '',
      `| scenario | raw-SQL floor | floor CPU ms (node / pg) | API as admin | admin / floor | admin CPU ms (node / pg) | round trips / req (admin) | API as rep | rep / floor | rep / admin | rep CPU ms (node / pg) | round trips / req (rep) |${peer ? ' PostGraphile | PostGraphile CPU ms (node / pg) | rep / PostGraphile | admin / PostGraphile |' : ''}`,
      `|---|---|---|---|---|---|---|---|---|---|---|---|${peer ? '---|---|---|---|' : ''}`,
      ...rows,
      '',
      `Total bench time ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    ].join('\n');
    console.log(report);
    writeFileSync(options.out!, `${report}\n`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await cluster.stop();
  }
}

await main();
