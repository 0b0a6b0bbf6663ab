/**
 * The demo / benchmark dataset: one deterministic generator for `seedDemo` (embedded PGlite at app
 * start) and the `seed` CLI (bulk loads into PostgreSQL).
 *
 * SQL goes through a `SqlExecutor`: one statement with `$1`-style parameters, e.g.
 * `(sql, params) => client.query(sql, params)`. Rows are generated in chunks of customers (each
 * with its contacts, interactions, orders, lines and payments) and inserted with one
 * `INSERT … SELECT … FROM unnest($1::uuid[], $2::int8[], …)` per table, in foreign-key order,
 * so that the tables' statement-level triggers (customer directory, ownership history) fire
 * exactly as they do for application inserts.
 *
 * - One executor function: every statement stands alone (no session state), so `pool.query` works
 *   and `concurrency` chunks are in flight; a caller holding one connection may wrap the whole run
 *   in its own BEGIN … COMMIT (seedDemo does).
 * - An array of executors, each bound to its own connection: chunks run in parallel, one per
 *   connection, each inside BEGIN … COMMIT (the CLI does this).
 *
 * Row-level security: the session must be allowed to write every row (a superuser, or the table
 * owner with `app.all` set to `on`, as the CLI and seedDemo do).
 *
 * Determinism: with the same `seed` and `now` the content is identical (names, numbers, amounts,
 * dates), whatever the concurrency; only the row ids differ (crypto.randomUUID()).
 *
 * This file orchestrates; the parts live beside it: `generator.ts` (the rows), `random.ts` (the
 * seeded stream), `distributions.ts` (how often), `vocabulary.ts` and `geography.ts` (the words
 * and places), `time-and-money.ts` (instants, days, amounts), `bulk-insert.ts` (the statements)
 * and `post-load.ts` (what follows set-based from the rows).
 */
import { hashPassword } from '../common/auth/password.js';
import { SEED_TABLES, type Batch, type SeedTable } from './bulk-insert.js';
import { DatasetGenerator } from './generator.js';
import { DEMO_STAGE_SLAS, DEMO_TARGETS_SQL, LIFECYCLE_HISTORY_SQL, ORDER_NUMBER_COUNTERS_SQL, STAGE_SLAS_SQL } from './post-load.js';

export { SEED_TABLES, type SeedTable } from './bulk-insert.js';

/** Runs one SQL statement with `$1`-style parameters. */
export type SqlExecutor = (sql: string, params: unknown[]) => Promise<unknown>;

export interface SeedStats {
  /** Rows inserted so far, all tables. */
  rows: number;
  elapsedMs: number;
}

/** `done`/`total` count customers in the `customers` phase; other phases report 0/1 then 1/1. */
export type SeedProgress = (done: number, total: number, phase: SeedPhase, stats: SeedStats) => void;
export type SeedPhase = 'reference data' | 'customers' | 'lifecycle history' | 'plans' | 'analyze';

export interface SeedOptions {
  customers: number;
  /** Seed of every random choice; default 20241123. */
  seed?: number;
  /** The "present" the history leads up to; default: now. Fix it to reproduce a dataset exactly. */
  now?: Date;
  onProgress?: SeedProgress;
  /** Chunks in flight at once with a single executor function (a pool); default 2. An array of executors runs one chunk per executor. */
  concurrency?: number;
  /** Customers per statement (with all their rows). Default 250: ~7k rows. */
  chunkSize?: number;
  /** Hash stored for every demo user; default: hashPassword('demo'), computed once. */
  passwordHash?: string;
  /** ANALYZE the tables at the end; default true. */
  analyze?: boolean;
}

export interface SeedResult {
  rows: Record<SeedTable, number>;
  /** Lifecycle transitions written for the customers' histories. */
  transitions: number;
  durationMs: number;
}

export const DEMO_PASSWORD = 'demo';
export const DEFAULT_SEED = 20241123;

/**
 * Inserts the demo dataset: the seven regions with their provinces and cities, the admin, one
 * manager per region, three reps per region, then `options.customers` customers with their
 * contacts, interactions, orders, order lines and payments; then the lifecycle history, the
 * stages' dwell times and this year's targets per region and rep. Expects empty tables.
 */
export async function seedDataset(executor: SqlExecutor | readonly SqlExecutor[], options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const sessions = typeof executor === 'function' ? null : [...executor];
  if (sessions?.length === 0) throw new Error('seedDataset: no executor');
  const first = sessions ? sessions[0] : (executor as SqlExecutor);
  const total = Math.max(0, Math.floor(options.customers));
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 250));
  const chunks = Math.ceil(total / chunkSize);
  const rows = Object.fromEntries(SEED_TABLES.map((table) => [table, 0])) as Record<SeedTable, number>;
  let inserted = 0;
  const report = (done: number, of: number, phase: SeedPhase) =>
    options.onProgress?.(done, of, phase, { rows: inserted, elapsedMs: performance.now() - started });
  const run = async (exec: SqlExecutor, batch: Batch, transaction: boolean) => {
    if (transaction) await exec('begin', []);
    try {
      for (const { sql, params } of batch.statements) await exec(sql, params);
      if (transaction) await exec('commit', []);
    } catch (error) {
      if (transaction) await exec('rollback', []).catch(() => undefined);
      throw error;
    }
    for (const [table, n] of Object.entries(batch.rows) as [SeedTable, number][]) {
      rows[table] += n;
      inserted += n;
    }
  };

  report(0, 1, 'reference data');
  const now = options.now ?? new Date();
  const generator = new DatasetGenerator(options.seed ?? DEFAULT_SEED, now, options.passwordHash ?? (await hashPassword(DEMO_PASSWORD)));
  await run(first, generator.referenceData(), sessions !== null);
  report(1, 1, 'reference data');

  // Generation is synchronous and sequential (so the content does not depend on timing); while
  // the server inserts one chunk, the next is generated here.
  report(0, total, 'customers');
  let planned = 0;
  let done = 0;
  let failed = false;
  const worker = async (exec: SqlExecutor) => {
    while (!failed && planned < total) {
      const n = Math.min(chunkSize, total - planned);
      planned += n;
      try {
        await run(exec, generator.customerChunk(n), sessions !== null);
      } catch (error) {
        failed = true;
        throw error;
      }
      done += n;
      report(done, total, 'customers');
    }
  };
  const workers = sessions ?? Array.from({ length: Math.max(1, Math.floor(options.concurrency ?? 2)) }, () => first);
  const outcomes = await Promise.allSettled(workers.slice(0, Math.max(1, chunks)).map(worker));
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;

  report(0, 1, 'lifecycle history');
  const history = (await first(LIFECYCLE_HISTORY_SQL, [now.toISOString()])) as { rowCount?: number | null } | undefined;
  const transitions = history?.rowCount ?? 0;
  inserted += transitions;
  report(1, 1, 'lifecycle history');
  // The dataset writes SO-<year>-<sequence> numbers itself: generated ones must continue after them.
  await first(ORDER_NUMBER_COUNTERS_SQL, []);

  // What the console's screens plan against: stage dwell times and this year's targets.
  report(0, 1, 'plans');
  await first(STAGE_SLAS_SQL, [
    `{${DEMO_STAGE_SLAS.map(([stage]) => stage).join(',')}}`,
    `{${DEMO_STAGE_SLAS.map(([, days]) => days).join(',')}}`,
    now.toISOString(),
  ]);
  await first(DEMO_TARGETS_SQL, [now.toISOString()]);
  report(1, 1, 'plans');

  if (options.analyze ?? true) {
    report(0, 1, 'analyze');
    await first(`analyze ${[...SEED_TABLES, 'lifecycle_transition'].map((table) => `"${table}"`).join(', ')}`, []);
    report(1, 1, 'analyze');
  }
  return { rows, transitions, durationMs: performance.now() - started };
}
