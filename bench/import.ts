import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { createApp } from '../api/src/app.js';
import { issueToken } from '../api/src/common/auth/token.js';
import { inSubtree } from '../api/src/common/orm/subtree.js';
import { loadConfig } from '../api/src/config.js';
import { ormConfig } from '../api/src/mikro-orm.config.js';
import { seedDataset } from '../api/src/seeders/dataset.js';
import { startPgCluster } from './pg-cluster.js';
import { clusterCpuByPid, cpuBetween, processCpuSeconds } from './proc.js';
import { freePort } from './util.js';

/**
 * `npm run bench:import [-- --rows 100000]`
 *
 * A bulk import end to end on a throwaway PostgreSQL cluster: a generated CSV of `rows` rows
 * (Chinese headers; every third company has a second contact row), uploaded to a listening
 * server as a manager, its dry run, then the run; the time of each phase and the server
 * process's RSS and V8 heap in use sampled every 250 ms (the server runs in this process), peak
 * by phase. Run under `node --expose-gc` (`--gc`), the sampler also collects garbage once a second
 * and records the heap that survives: what the import really holds, rather than how much garbage
 * V8 let pile up before collecting (that changes with the machine's load and says little).
 */
const { values: options } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, gc: { type: 'boolean', default: false } },
});
const rows = Number(options.rows);
const collect = (globalThis as { gc?: () => void }).gc;
if (options.gc && !collect) throw new Error('--gc needs node --expose-gc');

type Phase = 'upload' | 'dryRun' | 'run';
interface Peaks {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  retained: number;
}

async function main(): Promise<void> {
  const cluster = await startPgCluster({ settings: { shared_buffers: '512MB', max_connections: '100' } });
  const dir = await mkdtemp(join(tmpdir(), 'bench-import-'));
  let server: Server | undefined;
  let close: (() => Promise<void>) | undefined;
  try {
    await cluster.createDatabase('imports');
    const url = cluster.url('imports');
    const orm = await MikroORM.init(ormConfig({ clientUrl: url, poolMax: 1 }));
    await orm.getMigrator().up();
    await orm.close(true);
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    await seedDataset((sql, params) => pool.query(sql, params as unknown[]), { customers: 200, concurrency: 2 });
    const { rows: managers } = await pool.query<{ id: string; session_version: number }>(
      `select u.id, u.session_version from app_user u where u.role = 'MANAGER' and u.active and exists (select 1 from user_managed_region m where m.user_id = u.id) order by u.email limit 1`,
    );
    const manager = managers[0]!;
    const { rows: territories } = await pool.query<{ code: string }>(
      `select distinct d.code from user_managed_region m join region a on a.id = m.region_id join region d on ${inSubtree('d.path', 'a.path')}
       where m.user_id = $1 and d.kind = 'TERRITORY' order by d.code`,
      [manager.id],
    );
    await pool.end();

    const file = join(dir, 'import.csv');
    const out = createWriteStream(file);
    out.write('\uFEFF客户名称,统一社会信用代码,外部编号,区域,省份,城市,行业,规模,来源,联系人,手机,邮箱,职位\r\n');
    const run = randomBytes(3).toString('hex');
    let written = 0;
    for (let company = 0; written < rows; company += 1) {
      const territory = territories[company % territories.length]!.code;
      const name = `基准${run}公司${company}有限公司`;
      const line = (contact: number) =>
        `${name},,EXT-${run}-${company},${territory},浙江,杭州,制造,中型,展会,联系人${company}-${contact},1380${String(company * 2 + contact).padStart(7, '0')},p${company}.${contact}@bench.example,经理\r\n`;
      if (!out.write(line(0))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      written += 1;
      if (company % 3 === 0 && written < rows) {
        out.write(line(1));
        written += 1;
      }
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const size = (await stat(file)).size;

    const secret = randomBytes(32).toString('hex');
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: url,
      AUTH_SECRET: secret,
      DEMO_MODE: 'off',
      LOG_LEVEL: 'warn',
      DB_POOL_MAX: '6',
    });
    const app = await createApp(config);
    close = () => app.close();
    const port = await freePort();
    server = app.express.listen(port, '127.0.0.1');
    const token = issueToken({ id: manager.id, sessionVersion: manager.session_version }, secret, 3600).token;
    const base = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${token}` };

    let phase: Phase = 'upload';
    const peaks: Record<Phase, Peaks> = {
      upload: { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, retained: 0 },
      dryRun: { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, retained: 0 },
      run: { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, retained: 0 },
    };
    let lastRss = 0;
    let ticks = 0;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      const peak = peaks[phase];
      lastRss = usage.rss / 1048576;
      peak.rss = Math.max(peak.rss, lastRss);
      peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed / 1048576);
      peak.heapTotal = Math.max(peak.heapTotal, usage.heapTotal / 1048576);
      peak.external = Math.max(peak.external, usage.external / 1048576);
      ticks += 1;
      if (options.gc && ticks % 4 === 0) {
        collect!();
        peak.retained = Math.max(peak.retained, process.memoryUsage().heapUsed / 1048576);
      }
    }, 250);
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data: any; errors?: unknown[] };
    };
    const waitFor = async (id: string, statuses: string[]) => {
      for (;;) {
        const { data } = await gql(
          `query ($id: ID!) { import(id: $id) { status version processedRows analyzedRows counts { create update contact duplicateOwned invalid } error } }`,
          { id },
        );
        if (statuses.includes(data.import.status)) return data.import;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };

    collect?.();
    const retainedBefore = process.memoryUsage().heapUsed / 1048576;
    const rssBefore = process.memoryUsage().rss / 1048576;
    const heapBefore = process.memoryUsage().heapUsed / 1048576;
    // CPU seconds by phase, of this process (server and client) and of PostgreSQL: less at the mercy of the machine's load than the wall time.
    const cpu = () => ({ node: processCpuSeconds(process.pid), pg: clusterCpuByPid(cluster.dataDir) });
    const cpu0 = cpu();
    const t0 = performance.now();
    // The multipart body streamed from the file: fetch's FormData of a file Blob held about twice the file in
    // external memory of this process (the server's), which the figures below would have counted as the import's.
    const boundary = `bench-${randomBytes(8).toString('hex')}`;
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="import.csv"\r\ncontent-type: text/csv\r\n\r\n`,
      );
      for await (const chunk of createReadStream(file)) yield chunk as Buffer;
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    }
    const uploaded = await fetch(`${base}/import`, {
      method: 'POST',
      headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Readable.toWeb(Readable.from(body())) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
    const job = (await uploaded.json()) as { id: string; totalRows: number };
    const t1 = performance.now();
    const cpu1 = cpu();
    phase = 'dryRun';
    const ready = await waitFor(job.id, ['READY', 'FAILED']);
    const t2 = performance.now();
    const cpu2 = cpu();
    phase = 'run';
    const started = await gql(`mutation ($id: ID!, $version: Int!) { startImport(id: $id, version: $version) { status } }`, {
      id: job.id,
      version: ready.version,
    });
    if (started.errors) throw new Error(JSON.stringify(started.errors));
    const done = await waitFor(job.id, ['COMPLETED', 'FAILED']);
    const t3 = performance.now();
    const cpu3 = cpu();
    clearInterval(sampler);
    const byPhase = (what: keyof Peaks) =>
      Object.fromEntries(Object.entries(peaks).map(([name, peak]) => [name, peak[what] ? Math.round(peak[what]) : null]));
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    console.log(
      JSON.stringify(
        {
          rows: job.totalRows,
          fileMiB: +(size / 1048576).toFixed(1),
          uploadS: +seconds(t1 - t0),
          dryRunS: +seconds(t2 - t1),
          runS: +seconds(t3 - t2),
          totalS: +seconds(t3 - t0),
          cpuS: Object.fromEntries(
            (
              [
                ['upload', cpu0, cpu1],
                ['dryRun', cpu1, cpu2],
                ['run', cpu2, cpu3],
              ] as const
            ).map(([name, from, to]) => [name, { node: +(to.node - from.node).toFixed(1), pg: +cpuBetween(from.pg, to.pg).toFixed(1) }]),
          ),
          rowsPerSecond: Math.round(job.totalRows / ((t3 - t0) / 1000)),
          counts: done.counts,
          status: done.status,
          error: done.error,
          rssMiB: {
            before: Math.round(rssBefore),
            ...byPhase('rss'),
            end: Math.round(lastRss),
          },
          heapUsedMiB: { before: Math.round(heapBefore), ...byPhase('heapUsed') },
          heapTotalMiB: byPhase('heapTotal'),
          externalMiB: byPhase('external'),
          // A phase too short for a collection shows null.
          ...(options.gc ? { retainedHeapMiB: { before: Math.round(retainedBefore), ...byPhase('retained') } } : {}),
        },
        null,
        2,
      ),
    );
  } finally {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await close?.();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
