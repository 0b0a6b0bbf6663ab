import 'reflect-metadata';
import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { print } from 'graphql';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { hashSecret } from '../api/src/common/auth/session.js';
import { issueToken } from '../api/src/common/auth/token.js';
import { ormConfig } from '../api/src/mikro-orm.config.js';
import { seedDataset } from '../api/src/seeders/dataset.js';
import { Customer360Document, CustomerListDocument } from '../schema/generated/graphql.js';
import { runPaced } from './paced.js';
import { startPgCluster } from './pg-cluster.js';
import { freePort, soakChartSvg, spawnApi, waitFor } from './util.js';

/**
 * `node dist/bench/load.js [--mode load|soak] [--rate 100] [--duration 60] [--customers 20000] [--arrivals paced|autocannon]`
 *
 * A mixed workload at a fixed overall rate on loopback against the built API
 * (`dist/api/src/main.js`) and a throwaway PostgreSQL: rep lists and customer-360s, admin bulk
 * pages, and creates pushed by an integration with Idempotency-Keys and by reps. Reports
 * p50/p95/p99 (overall and per scenario), throughput and every non-2xx by status (5xx
 * separately). The soak mode runs 10 minutes by default and samples the API's RSS and PostgreSQL
 * connections every 10 s.
 *
 * Arrivals are paced (bench/paced.ts): request i is due at i / rate seconds and its latency counts
 * from then, over at most `--connections` keep-alive connections. `--arrivals autocannon` keeps
 * the earlier driver (autocannon `overallRate`), whose connections all send their share of each
 * second at its start: a burst of `connections` requests once a second, not a rate.
 */
const { values: options } = parseArgs({
  options: {
    mode: { type: 'string', default: 'load' },
    rate: { type: 'string', default: '100' },
    duration: { type: 'string' },
    customers: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '16' },
    arrivals: { type: 'string', default: 'paced' },
    out: { type: 'string', default: 'docs/benchmarks-load-latest.md' },
    /** Soak mode: where to write the RSS / sessions chart (SVG). */
    chart: { type: 'string', default: 'docs/soak.svg' },
  },
});
const soak = options.mode === 'soak';
const rate = Number(options.rate);
const duration = Number(options.duration ?? (soak ? 600 : 60));
const customers = Number(options.customers);
const connections = Number(options.connections);
const arrivals = options.arrivals === 'autocannon' ? 'autocannon' : 'paced';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

interface Scenario {
  name: string;
  weight: number;
  request: (i: number) => { headers: Record<string, string>; body: string };
}

async function main(): Promise<void> {
  console.error(`load (${options.mode}): ${rate} req/s for ${duration} s, ${customers} customers, ${connections} connections`);
  const cluster = await startPgCluster({ settings: { shared_buffers: '512MB', max_connections: '100' } });
  let api: ChildProcess | undefined;
  try {
    await cluster.createDatabase('load');
    const url = cluster.url('load');
    const orm = await MikroORM.init(ormConfig({ clientUrl: url, poolMax: 1 }));
    await orm.getMigrator().up();
    await orm.close(true);

    const pool = new pg.Pool({ connectionString: url, max: 3 });
    const seeded = await seedDataset((sql, params) => pool.query(sql, params as unknown[]), { customers, concurrency: 3 });
    const {
      rows: [admin],
    } = await pool.query<{ id: string }>(`select id from app_user where role = 'ADMIN' limit 1`);
    const { rows: reps } = await pool.query<{ id: string; ids: string[] }>(
      `select u.id, (array_agg(c.id order by c.id))[1:200] as ids from app_user u join customer c on c.owner_id = u.id and c.archived_at is null
       where u.role = 'REP' group by u.id order by count(*) desc limit 10`,
    );
    const keyId = (await pool.query<{ id: string }>('select gen_random_uuid() as id')).rows[0]!.id;
    const prefix = randomBytes(6).toString('hex');
    const keySecret = randomBytes(32).toString('base64url');
    await pool.query(
      `insert into api_key (id, name, prefix, secret_hash, kind, scopes, created_by_id) values ($1, 'load', $2, $3, 'INTEGRATOR', $4, $5)`,
      [keyId, prefix, hashSecret(keySecret), ['customers:read', 'interactions:read', 'interactions:write'], admin!.id],
    );
    await pool.query(`insert into api_key_territory (api_key_id, region_id) select $1, id from region where parent_id is null`, [keyId]);
    console.error(`seeded ${customers} customers in ${(seeded.durationMs / 1000).toFixed(1)} s`);

    const secret = randomBytes(32).toString('hex');
    const port = await freePort();
    // One principal per kind sends far more than a person would: the per-principal rate limit is off here.
    ({ child: api } = spawnApi({ databaseUrl: url, authSecret: secret, port, poolMax: 10 }));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/readyz`);

    const json = { 'content-type': 'application/json' };
    const repTokens = reps.map((rep) => issueToken({ id: rep.id, sessionVersion: 1 }, secret, 24 * 3600).token);
    const adminToken = issueToken({ id: admin!.id, sessionVersion: 1 }, secret, 24 * 3600).token;
    const apiKey = `acc_${prefix}_${keySecret}`;
    const rep = (i: number) => reps[i % reps.length]!;
    const repAuth = (i: number) => ({ ...json, authorization: `Bearer ${repTokens[i % reps.length]}` });
    const customerOf = (i: number) => rep(i).ids[Math.floor(i / reps.length) % rep(i).ids.length]!;
    const log = 'mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id } }';
    const run = randomBytes(3).toString('hex');
    const scenarios: Scenario[] = [
      {
        name: 'rep: customer list (25)',
        weight: 35,
        request: (i) => ({ headers: repAuth(i), body: JSON.stringify({ query: print(CustomerListDocument), variables: { first: 25 } }) }),
      },
      {
        name: 'rep: customer-360',
        weight: 35,
        request: (i) => ({
          headers: repAuth(i),
          body: JSON.stringify({ query: print(Customer360Document), variables: { id: customerOf(i) } }),
        }),
      },
      {
        name: 'admin: customer list (100)',
        weight: 10,
        request: () => ({
          headers: { ...json, authorization: `Bearer ${adminToken}` },
          body: JSON.stringify({ query: print(CustomerListDocument), variables: { first: 100 } }),
        }),
      },
      {
        name: 'integration: logInteraction with Idempotency-Key',
        weight: 15,
        request: (i) => ({
          headers: { ...json, authorization: `Bearer ${apiKey}`, 'idempotency-key': `${run}-${i}` },
          body: JSON.stringify({
            query: log,
            variables: { input: { customerId: customerOf(i), kind: 'CALL', channel: 'PHONE', summary: `load ${run} ${i}` } },
          }),
        }),
      },
      {
        name: 'rep: logInteraction',
        weight: 5,
        request: (i) => ({
          headers: repAuth(i),
          body: JSON.stringify({
            query: log,
            variables: { input: { customerId: customerOf(i), kind: 'VISIT', channel: 'FIELD', summary: `load ${run} rep ${i}` } },
          }),
        }),
      },
    ];
    const wheel = scenarios.flatMap((scenario) => Array<Scenario>(scenario.weight).fill(scenario));

    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const samples: { at: number; rssMiB: number; pgConnections: number; inFlight: number }[] = [];
    const sample = async (at: number) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const {
        rows: [row],
      } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = 'load' and pid <> pg_backend_pid()`,
      );
      await client.end();
      samples.push({ at, rssMiB: rssMiB(api!.pid!), pgConnections: row!.n, inFlight: 0 });
    };
    await sample(0);
    const loadBefore = loadavg()[0]!;
    const started = Date.now();
    const sampler = setInterval(() => void sample(Math.round((Date.now() - started) / 1000)).catch(() => undefined), 10_000);
    const byScenario = new Map<string, number[]>(scenarios.map((scenario) => [scenario.name, []]));
    const record = (i: number | null, status: number, ms: number) => {
      latencies.push(ms);
      if (i !== null) byScenario.get(wheel[i % wheel.length]!.name)!.push(ms);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    };
    let wireErrors = 0;
    let unfinished = 0;
    /** Answered by the end of the run's duration (the paced driver waits up to 5 s more for stragglers). */
    let inTime = 0;
    if (arrivals === 'paced') {
      const result = await runPaced({
        url: `${base}/graphql`,
        rate,
        durationS: duration,
        connections,
        request: (i) => wheel[i % wheel.length]!.request(i),
      });
      for (const response of result.responses) record(response.index, response.status, response.ms);
      wireErrors = result.errors;
      unfinished = result.unfinished;
      inTime = result.responses.filter((response) => response.doneAt <= duration * 1000).length;
    } else {
      let index = 0;
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: base,
            connections,
            duration,
            overallRate: rate,
            requests: [
              {
                method: 'POST',
                path: '/graphql',
                setupRequest: (request) => {
                  const i = index++;
                  const { headers, body } = wheel[i % wheel.length]!.request(i);
                  return { ...request, headers, body };
                },
              },
            ],
          },
          (error, done) => (error ? reject(error) : resolve(done)),
        );
        // Which request a response answers is not known here: only the overall figures.
        instance.on('response', (_client, status, _bytes, time) => record(null, status, time));
      });
      wireErrors = result.errors + result.timeouts;
      inTime = latencies.length;
    }
    clearInterval(sampler);
    await sample(Math.round((Date.now() - started) / 1000));

    const check = new pg.Client({ connectionString: url });
    await check.connect();
    const {
      rows: [dupes],
    } = await check.query<{ n: number }>(
      `select count(*)::int as n from (select summary from interaction where summary like $1 group by summary having count(*) > 1) d`,
      [`load ${run} %`],
    );
    await check.end();

    latencies.sort((a, b) => a - b);
    const total = latencies.length;
    const fiveXX = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
    const rss = samples.map((s) => s.rssMiB);
    const report = [
      `### ${soak ? 'Soak' : 'Load'}: ${rate} req/s for ${duration} s (${new Date().toISOString()})`,
      '',
      `${customers} customers seeded with seedDataset; API \`node dist/api/src/main.js\` with a pool of 10, PostgreSQL 15 in a throwaway cluster, ${
        arrivals === 'paced'
          ? `requests paced evenly at ${rate} req/s (bench/paced.ts; latency from each request's due time) over at most ${connections} keep-alive connections`
          : `autocannon with ${connections} connections and \`overallRate\` ${rate} (a burst of ${Math.min(connections, rate)} at the top of each second)`
      }, all on the same 2 cores over loopback.`,
      `Mix: ${scenarios.map((s) => `${s.weight}% ${s.name}`).join(', ')}.`,
      '',
      '| requests | achieved req/s | p50 ms | p95 ms | p99 ms | max ms | 5xx | other non-2xx | errors/timeouts | unanswered at the end | duplicate creates |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${total} | ${(inTime / duration).toFixed(1)} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 95).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${(latencies.at(-1) ?? 0).toFixed(1)} | ${fiveXX} | ${total - fiveXX - (statuses.get(200) ?? 0)} | ${wireErrors} | ${unfinished} | ${dupes!.n} |`,
      '',
      ...(arrivals === 'paced'
        ? [
            '| scenario | requests | p50 ms | p95 ms | p99 ms | max ms |',
            '|---|---|---|---|---|---|',
            ...[...byScenario].map(([name, values]) => {
              const sorted = values.sort((a, b) => a - b);
              return `| ${name} | ${sorted.length} | ${[50, 95, 99, 100].map((p) => percentile(sorted, p).toFixed(1)).join(' | ')} |`;
            }),
            '',
          ]
        : []),
      `Machine load average (1 min) before/after: ${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)} on 2 cores (other work on the machine counts too).`,
      '',
      `Statuses: ${[...statuses]
        .sort()
        .map(([status, n]) => `${status}: ${n}`)
        .join(', ')}.`,
      '',
      `API RSS: start ${rss[0]!.toFixed(0)} MiB, peak ${Math.max(...rss).toFixed(0)} MiB, end ${rss.at(-1)!.toFixed(0)} MiB; PostgreSQL connections of the API: ${samples.map((s) => s.pgConnections).join(' → ')}.`,
      ...(soak
        ? [
            '',
            '| t (s) | RSS MiB | PostgreSQL connections |',
            '|---|---|---|',
            ...samples.map((s) => `| ${s.at} | ${s.rssMiB.toFixed(0)} | ${s.pgConnections} |`),
          ]
        : []),
      '',
    ].join('\n');
    console.log(report);
    if (options.out) writeFileSync(options.out, `${report}\n`, { flag: 'a' });
    if (soak && options.chart)
      writeFileSync(options.chart, soakChartSvg(samples, `Soak: ${rate} req/s for ${duration} s, API RSS and PostgreSQL sessions`, 10));
  } finally {
    api?.kill('SIGTERM');
    await cluster.stop();
  }
}

await main();
