import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../common/db/database.js';
import { ConfigError, loadConfig } from '../config.js';
import { SEED_TABLES, seedDataset, type SeedPhase, type SeedStats } from '../seeders/dataset.js';

/**
 * The core, for the benchmark harness: `seedDataset((sql, params) => pool.query(sql, params), { customers })`,
 * or with an array of executors bound to dedicated connections (one transaction per chunk), as below.
 */
export { seedDataset, DEFAULT_SEED, SEED_TABLES } from '../seeders/dataset.js';
export type { SeedOptions, SeedProgress, SeedResult, SqlExecutor } from '../seeders/dataset.js';

const USAGE = 'usage: DATABASE_URL=postgres://… npm run seed -- [--customers N] [--reset] [--seed S] [--concurrency C]';

/**
 * `seed --customers N [--reset]`: applies the migrations, then loads the demo dataset (regions,
 * demo users with password "demo", N customers with their history) into an EMPTY PostgreSQL
 * database; `--reset` first truncates every data table.
 */
async function main(argv: string[]): Promise<number> {
  let values: { customers?: string; reset?: boolean; seed?: string; concurrency?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        customers: { type: 'string', default: '100000' },
        reset: { type: 'boolean', default: false },
        seed: { type: 'string' },
        concurrency: { type: 'string', default: '2' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`seed: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const customers = Number(values.customers);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(customers) || customers < 0) return usageError('--customers must be a whole number, 0 or more');
  if (seed !== undefined && !Number.isInteger(seed)) return usageError('--seed must be a whole number');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
    return usageError('--concurrency must be a whole number from 1 to 16');

  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      'seed: DATABASE_URL is required, e.g. DATABASE_URL=postgres://user:password@localhost:5432/accountable npm run seed\n(the embedded database seeds itself with demo data on first start)',
    );
    return 2;
  }

  let db;
  try {
    // Like db.js: outside demo mode the config insists on AUTH_SECRET, which seeding never uses.
    db = await openDatabase(loadConfig({ ...process.env, DEMO_MODE: process.env.DEMO_MODE ?? 'true' }));
  } catch (error) {
    console.error(
      `seed: ${error instanceof ConfigError ? 'configuration error: ' : 'cannot open the database: '}${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
  const clients: pg.Client[] = [];
  let seeding = false;
  try {
    const applied = await db.orm.getMigrator().up();
    if (applied.length) console.error(`seed: applied migrations ${applied.map((m) => m.name).join(', ')}`);
    const connection = db.orm.em.fork().getConnection();

    if (values.reset) {
      const migrationsTable = db.orm.config.get('migrations').tableName ?? 'mikro_orm_migrations';
      const tables = await connection.execute<{ name: string }[]>(
        `select tablename as name from pg_tables where schemaname = current_schema() and tablename <> ? order by tablename`,
        [migrationsTable],
      );
      if (tables.length) {
        await connection.execute(`truncate table ${tables.map(({ name }) => `"${name.replace(/"/g, '""')}"`).join(', ')} cascade`);
        console.error(`seed: --reset truncated ${tables.length} tables`);
      }
    } else {
      const [{ users }] = await connection.execute<{ users: number }[]>('select count(*)::int as users from app_user');
      if (users > 0) {
        console.error(
          `seed: the database already has ${users} user${users === 1 ? '' : 's'}; refusing to seed it. Pass --reset to empty ALL its tables first.`,
        );
        return 1;
      }
    }

    // Dedicated connections, one chunk (in its own transaction) in flight on each. Row-level
    // security is forced on the customer tables: app.all lets the owner write every row.
    for (let i = 0; i < concurrency; i++) {
      const client = new pg.Client({ connectionString: url });
      clients.push(client);
      await client.connect();
      await client.query(`select set_config('app.all', 'on', false), set_config('synchronous_commit', 'off', false)`);
    }
    const progress = new ProgressBar(process.stderr);
    seeding = true;
    const result = await seedDataset(
      clients.map((client) => (sql: string, params: unknown[]) => client.query(sql, params)),
      {
        customers,
        seed,
        onProgress: (done, total, phase, stats) => progress.update(done, total, phase, stats),
      },
    );
    progress.finish();

    // Counted on a seeding connection: with forced row-level security, others see nothing.
    const { rows: counts } = await clients[0].query<{ name: string; rows: number }>(
      SEED_TABLES.map((table) => `select '${table}' as name, count(*)::int as rows from "${table}"`).join(' union all '),
    );
    const seconds = result.durationMs / 1000;
    const inserted = Object.values(result.rows).reduce((sum, n) => sum + n, 0);
    console.log(
      `seeded ${customers.toLocaleString('en-US')} customers, ${inserted.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${Math.round(inserted / seconds).toLocaleString('en-US')} rows/s)`,
    );
    counts.sort((a, b) => SEED_TABLES.indexOf(a.name as never) - SEED_TABLES.indexOf(b.name as never));
    for (const { name, rows } of counts) console.log(`  ${name.padEnd(20)} ${rows.toLocaleString('en-US').padStart(12)}`);
    console.log(`  ${'lifecycle_transition'.padEnd(20)} ${result.transitions.toLocaleString('en-US').padStart(12)}`);
    console.log(
      'sign in as admin@demo.local, manager.<region>@demo.local or rep1.<region>@demo.local (e.g. rep1.east@demo.local), password "demo"',
    );
    return 0;
  } catch (error) {
    console.error(`\nseed failed: ${error instanceof Error ? error.message : String(error)}`);
    if (seeding) console.error('seed: the database may be partly seeded; run again with --reset');
    return 1;
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await db.close();
  }
}

function usageError(message: string): number {
  console.error(`seed: ${message}\n${USAGE}`);
  return 2;
}

/**
 * One updating line on a terminal (phase, bar, percentage, rows/s, ETA); when stderr is not a
 * terminal (CI logs, pipes), one line per 5 %.
 */
class ProgressBar {
  private readonly tty: boolean;
  private phase: SeedPhase | null = null;
  private phaseStart = 0;
  private phaseRows = 0;
  private lastDraw = 0;
  private lastStep = -1;
  private open = false;

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.tty = stream.isTTY === true;
  }

  update(done: number, total: number, phase: SeedPhase, stats: SeedStats): void {
    if (phase !== this.phase) {
      this.finish();
      this.phase = phase;
      this.phaseStart = stats.elapsedMs;
      this.phaseRows = stats.rows;
      this.lastStep = -1;
      this.lastDraw = 0;
    }
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const complete = done >= total;
    const now = Date.now();
    if (this.tty) {
      if (!complete && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.stream.write(`\r\x1b[2K${this.line(done, total, fraction, phase, stats)}`);
      this.open = true;
    } else {
      const step = Math.floor(fraction * 20);
      if (step === this.lastStep) return;
      this.lastStep = step;
      this.stream.write(`${this.line(done, total, fraction, phase, stats)}\n`);
    }
  }

  finish(): void {
    if (this.open) this.stream.write('\n');
    this.open = false;
  }

  private line(done: number, total: number, fraction: number, phase: SeedPhase, stats: SeedStats): string {
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const percent = `${(fraction * 100).toFixed(1).padStart(5)}%`;
    const seconds = Math.max(0.001, (stats.elapsedMs - this.phaseStart) / 1000);
    if (phase !== 'customers') return `${phase.padEnd(15)} ${bar} ${percent}  ${formatDuration(seconds)}`;
    const rate = Math.round((stats.rows - this.phaseRows) / seconds);
    const eta = done > 0 && done < total ? formatDuration(((total - done) * seconds) / done) : done >= total ? 'done' : '--:--';
    return `${phase.padEnd(15)} ${bar} ${percent}  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} customers  ${rate.toLocaleString('en-US')} rows/s  ETA ${eta}`;
  }
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Runs only as a program, so that the harness can import `seedDataset` from here. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await main(process.argv.slice(2));
