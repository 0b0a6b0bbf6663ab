import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** The driver's connection as far as this module needs it: `pg`'s Client. */
interface PgConnection {
  query(text: string): Promise<unknown>;
  connection: { parsedStatements: Record<string, string | undefined> };
}

/**
 * Prepared statements a server connection keeps, newest last. Each holds a plan in the backend
 * for as long as the connection lives, and the statement texts depend on the requests (the
 * selection, the filters used), so without a bound a client sending ever-new shapes would grow
 * every pooled backend without end.
 */
const preparedOn = new WeakMap<PgConnection, Map<string, true>>();
let perConnection = 256;

/** How many prepared statements each pooled connection keeps (`PREPARED_STATEMENTS_PER_CONNECTION`). */
export function limitPreparedStatements(limit: number): void {
  perConnection = Math.max(1, Math.floor(limit));
}

/**
 * Marks `name` as the most recently used statement of the connection, and deallocates the least
 * recently used one when the connection holds more than the limit. Only a statement the server
 * parsed is deallocated (DEALLOCATE of an unknown name would abort the transaction).
 */
async function touch(connection: Partial<PgConnection> | undefined, name: string): Promise<void> {
  // A driver connection that does not keep statements the way `pg` does has nothing to bound.
  if (!connection?.connection?.parsedStatements || typeof connection.query !== 'function') return;
  await touchPg(connection as PgConnection, name);
}

async function touchPg(connection: PgConnection, name: string): Promise<void> {
  let used = preparedOn.get(connection);
  if (!used) preparedOn.set(connection, (used = new Map()));
  used.delete(name);
  used.set(name, true);
  while (used.size > perConnection) {
    const oldest = used.keys().next().value as string;
    used.delete(oldest);
    if (connection.connection.parsedStatements[oldest] === undefined) continue;
    await connection.query(`deallocate "${oldest}"`);
    delete connection.connection.parsedStatements[oldest];
  }
}

/**
 * Runs a statement as a named prepared statement in the EntityManager's transaction: each pooled
 * connection parses and plans it once, then PostgreSQL may keep a generic plan, so a repeated
 * read is not planned again. `em.execute` writes the values into the text, which makes every
 * statement new to the server. The name follows from the text (the driver refuses one name for
 * two texts); `?` placeholders as in `em.execute`. Each connection keeps the most recently used
 * statements only (`limitPreparedStatements`).
 */
export async function executePrepared<T>(
  em: EntityManager,
  sql: string,
  params: readonly (string | number | boolean | null)[],
): Promise<T[]> {
  const name = `p_${createHash('sha1').update(sql).digest('base64url').slice(0, 24)}`;
  const query = em.getConnection().getKnex().raw(sql, params).options({ name });
  const transaction = em.getTransactionContext();
  try {
    if (transaction) {
      query.transacting(transaction);
      await touch((await transaction.client.acquireConnection()) as Partial<PgConnection> | undefined, name);
    }
    const result = (await query) as unknown as { rows: T[] };
    return result.rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}
