import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import type { Logger } from 'pino';
import { EvaluationCycleService } from '../modules/evaluation/evaluation-cycle.service.js';
import { RunStatus } from '../modules/evaluation/evaluation-cycle.enums.js';
import { computeNow } from '../modules/evaluation/evaluation-run.service.js';
import { DEMO_PASSWORD, seedDataset } from './dataset.js';

export interface DemoSeedOptions {
  customers: number;
  logger: Logger;
  /** Seed of the generator; the default gives the same demo data on every install. */
  seed?: number;
  /** The demo's "today" (default: now): histories lead up to it. */
  now?: Date;
}

/**
 * Seeds the demo dataset into an empty database: nothing happens (false) when `app_user` has a row.
 *
 * Runs at app start on the embedded PGlite, whose pool holds ONE connection: this borrows that
 * very connection from MikroORM's knex pool (no second connection) and drives it with native `$1`
 * parameters (MikroORM's `execute()` would inline the large array parameters into the SQL text).
 * Everything happens in one transaction, so a crash half-way leaves no users behind and the next
 * start seeds again; the lock makes a concurrent seeder wait and then find the users.
 * 2000 customers (~57k rows) take about 4 s on PGlite.
 */
export async function seedDemo(em: EntityManager, options: DemoSeedOptions): Promise<boolean> {
  const { logger } = options;
  const pool = em.getConnection().getKnex().client;
  const client = (await pool.acquireConnection()) as ClientBase;
  let inTransaction = false;
  try {
    await client.query('begin');
    inTransaction = true;
    await client.query('lock table app_user in share row exclusive mode');
    // Row-level security (forced on the customer tables) lets this transaction write everything.
    await client.query(`select set_config('app.all', 'on', true)`);
    const { rows } = await client.query<{ seeded: boolean }>('select exists (select 1 from app_user) as seeded');
    if (rows[0]?.seeded) {
      await client.query('rollback');
      inTransaction = false;
      return false;
    }

    const customers = Math.max(0, Math.floor(options.customers));
    logger.info({ customers }, 'seeding demo data');
    let logged = -1;
    const result = await seedDataset((sql, params) => client.query(sql, params), {
      customers,
      seed: options.seed,
      now: options.now,
      // One connection, and on PGlite the server shares this thread: nothing to overlap.
      concurrency: 1,
      onProgress: (done, total, phase) => {
        if (phase !== 'customers' || total === 0) return;
        const step = Math.floor((done * 10) / total);
        if (step > logged) {
          logged = step;
          logger.info({ done, total }, `seeding demo data: ${step * 10}%`);
        }
      },
    });
    await client.query('commit');
    inTransaction = false;
    logger.info(
      { rows: result.rows, transitions: result.transitions, ms: Math.round(result.durationMs) },
      `demo data seeded; sign in as admin@demo.local, manager.east@demo.local or rep1.east@demo.local with password "${DEMO_PASSWORD}"`,
    );
  } catch (error) {
    if (inTransaction) await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await pool.releaseConnection(client);
  }
  await seedDemoCycles(em, options.now ?? new Date(), logger);
  return true;
}

/**
 * The two last full years as evaluation cycles, computed (as runEvaluationCycle does) and
 * published, so the console's evaluation screens, the feed and the export have results — and
 * the second year movement against the first. The demo works without them: a failure is logged.
 */
async function seedDemoCycles(em: EntityManager, now: Date, logger: Logger): Promise<void> {
  const cycles = () => new EvaluationCycleService({ em: em.fork() });
  const year = now.getUTCFullYear();
  try {
    for (const fiscal of [year - 2, year - 1]) {
      const started = performance.now();
      const cycle = await cycles().create({
        name: `FY${fiscal}`,
        periodStart: `${fiscal}-01-01`,
        periodEnd: `${fiscal}-12-31`,
        weights: { purchaseCount: 0.2, purchaseAmount: 0.3, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.1 },
        grades: [
          { name: 'Key account', minScore: 80 },
          { name: 'Quality', minScore: 60 },
          { name: 'VIP', minScore: 40 },
          { name: 'Normal', minScore: 0 },
        ],
      });
      if ((await computeNow(em, cycle.id, { logger })) !== RunStatus.DONE) throw new Error(`the FY${fiscal} run failed`);
      await cycles().publish(cycle.id);
      logger.info({ cycle: cycle.name, ms: Math.round(performance.now() - started) }, 'demo evaluation cycle computed and published');
    }
  } catch (error) {
    logger.warn({ err: { type: (error as Error)?.name, code: (error as { code?: string })?.code } }, 'demo evaluation cycles not seeded');
  }
}
