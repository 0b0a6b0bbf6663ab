import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** The driver's connection as far as this module needs it: `pg`'s Client. */
interface PgConnection {
  query(text: string): Promise<unknown>;
  connection: { parsedStatements: Record<string, string | undefined> };
}

/**
 * Prepared statements a server connection keeps, least recently used first, and those running
 * now. Each holds a plan in the backend for as long as the connection lives, and the statement
 * texts depend on the requests (the selection, the filters used), so without a bound a client
 * sending ever-new shapes would grow every pooled backend without end.
 */
interface Kept {
  used: Map<string, true>;
  running: Map<string, number>;
  /** One eviction at a time: two DEALLOCATEs of one name would fail and abort the transaction. */
  evicting: boolean;
  /** Asked for while one was under way: that one looks again when it is done. */
  again: boolean;
}

const keptOn = new WeakMap<PgConnection, Kept>();
let perConnection = 256;

/** How many prepared statements each pooled connection keeps (`PREPARED_STATEMENTS_PER_CONNECTION`). */
export function limitPreparedStatements(limit: number): void {
  perConnection = Math.max(1, Math.floor(limit));
}

function keptBy(connection: Partial<PgConnection> | undefined): [PgConnection, Kept] | null {
  // A driver connection that does not keep statements the way `pg` does has nothing to bound.
  if (!connection?.connection?.parsedStatements || typeof connection.query !== 'function') return null;
  const pgConnection = connection as PgConnection;
  let kept = keptOn.get(pgConnection);
  if (!kept) keptOn.set(pgConnection, (kept = { used: new Map(), running: new Map(), evicting: false, again: false }));
  return [pgConnection, kept];
}

/**
 * After a statement ran: it becomes the most recently used, and the least recently used ones
 * beyond the limit are deallocated. A statement still running is never dropped; one the server
 * never parsed is only forgotten (DEALLOCATE of an unknown name would abort the transaction); a
 * DEALLOCATE that fails (the transaction already aborted) leaves the name kept, to try again.
 */
async function evict(connection: PgConnection, kept: Kept): Promise<void> {
  if (kept.evicting) {
    kept.again = true;
    return;
  }
  kept.evicting = true;
  try {
    do {
      kept.again = false;
      for (const name of [...kept.used.keys()]) {
        if (kept.used.size <= perConnection) break;
        if (kept.running.has(name)) continue;
        const text = connection.connection.parsedStatements[name];
        if (text !== undefined) {
          // Forgotten before the DEALLOCATE is queued: the driver's queue is in order, so a use
          // queued after it parses the statement anew.
          delete connection.connection.parsedStatements[name];
          try {
            await connection.query(`deallocate "${name}"`);
          } catch {
            // Still prepared on the server (the transaction had aborted): still known.
            connection.connection.parsedStatements[name] = text;
            return;
          }
        }
        if (!kept.running.has(name)) kept.used.delete(name);
      }
    } while (kept.again && kept.used.size > perConnection);
  } finally {
    kept.evicting = false;
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
  let keeping: [PgConnection, Kept] | null = null;
  try {
    if (transaction) {
      query.transacting(transaction);
      keeping = keptBy((await transaction.client.acquireConnection()) as Partial<PgConnection> | undefined);
    }
    if (keeping) keeping[1].running.set(name, (keeping[1].running.get(name) ?? 0) + 1);
    let result: { rows: T[] };
    try {
      result = (await query) as unknown as { rows: T[] };
    } finally {
      if (keeping) {
        const [, kept] = keeping;
        const left = (kept.running.get(name) ?? 1) - 1;
        if (left > 0) kept.running.set(name, left);
        else kept.running.delete(name);
        // Parsed or not, the name is kept until evicted: a statement may be parsed even when it then fails.
        kept.used.delete(name);
        kept.used.set(name, true);
      }
    }
    if (keeping) await evict(...keeping);
    return result.rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}
