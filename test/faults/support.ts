import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { ormConfig } from '../../api/src/mikro-orm.config.js';
import { seedBaseline, type Baseline } from '../fixtures/baseline.js';
import type { PgCluster } from '../../bench/pg-cluster.js';

export interface ApiKeyOptions {
  kind?: 'INTEGRATOR' | 'BI';
  scopes: string[];
  /** Region ids the key may reach (with everything below them). */
  territories: string[];
  /** An admin's user id. */
  createdBy: string;
}

/** Inserts an API key straight into the database (there is no mutation for keys yet); returns the bearer secret. */
export async function createApiKey(databaseUrl: string, options: ApiKeyOptions): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `insert into api_key (id, name, prefix, secret_hash, kind, scopes, created_by_id) values ($1, $2, $3, $4, $5, $6, $7)`,
      [id, `test key ${prefix}`, prefix, hashSecret(secret), options.kind ?? 'INTEGRATOR', options.scopes, options.createdBy],
    );
    for (const region of options.territories)
      await client.query('insert into api_key_territory (api_key_id, region_id) values ($1, $2)', [id, region]);
  } finally {
    await client.end();
  }
  return { id, token: `acc_${prefix}_${secret}` };
}

/** Runs SQL as the superuser, outside the app. */
export async function withAdmin<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, stepMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** A migrated database with the baseline fixtures, in a cluster of the fault test's own. */
export async function prepareDatabase(cluster: PgCluster, name: string): Promise<{ url: string; baseline: Baseline }> {
  await cluster.createDatabase(name);
  const url = cluster.url(name);
  const orm = await MikroORM.init(ormConfig({ clientUrl: url, poolMax: 2 }));
  try {
    await orm.getMigrator().up();
    return { url, baseline: await seedBaseline(orm.em.fork()) };
  } finally {
    await orm.close(true);
  }
}

export const LOG_INTERACTION = 'mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id summary } }';

/** The rows of `interaction` per summary, read as the superuser. */
export async function interactionCounts(databaseUrl: string, summaries: string[]): Promise<Map<string, number>> {
  const rows = await withAdmin(
    databaseUrl,
    async (sql) =>
      (
        await sql.query<{ summary: string; n: number }>(
          'select summary, count(*)::int as n from interaction where summary = any($1) group by summary',
          [summaries],
        )
      ).rows,
  );
  return new Map(rows.map((row) => [row.summary, row.n]));
}
