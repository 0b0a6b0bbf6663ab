import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import type { Logger } from 'pino';
import { DEMO_PASSWORD, seedDataset } from './dataset.js';

export interface DemoSeedOptions {
  customers: number;
  logger: Logger;
  /** Seed of the generator; the default gives the same demo data on every install. */
  seed?: number;
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
      { rows: result.rows, ms: Math.round(result.durationMs) },
      `demo data seeded; sign in as admin@demo.local, manager.east@demo.local or rep1.east@demo.local with password "${DEMO_PASSWORD}"`,
    );
    return true;
  } catch (error) {
    if (inTransaction) await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await pool.releaseConnection(client);
  }
}
