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
  /** Names the server holds from an SQL PREPARE (`finalStatement`), which the driver does not know of. */
  sqlLevel: Set<string>;
  /**
   * Names a failed simple query may or may not have prepared or dropped (PREPARE and DEALLOCATE do
   * not roll back): dropped without error before the name is used again.
   */
  unsure: Set<string>;
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
  if (!kept)
    keptOn.set(
      pgConnection,
      (kept = { used: new Map(), running: new Map(), evicting: false, again: false, sqlLevel: new Set(), unsure: new Set() }),
    );
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
        if (kept.sqlLevel.has(name)) {
          kept.sqlLevel.delete(name);
          try {
            await connection.query(`deallocate "${name}"`);
          } catch {
            // The transaction had aborted, so the DEALLOCATE did not run: still prepared.
            kept.sqlLevel.add(name);
            return;
          }
        } else if (text !== undefined) {
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

/** A DEALLOCATE that does nothing where the server holds no such statement (a failed simple query left it unknown). */
const dropIfHeld = (name: string) => `do $$begin deallocate "${name}"; exception when invalid_sql_statement_name then null; end$$`;

/** A value as an SQL literal of unknown type, which EXECUTE coerces to the parameter's type as a bound text value would be. */
function literal(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  const text = String(value);
  const quoted = `'${text.replaceAll("'", "''")}'`;
  return text.includes('\\') ? `E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}

/** The statements of a request's last read, for one simple query; `settle` once it ran or failed. */
export interface FinalStatement {
  /** Statements separated by `;`, the read's EXECUTE last. */
  text: string;
  /** How many results come before the read's own. */
  before: number;
  settle(succeeded: boolean): void;
}

/**
 * A statement of the EntityManager's transaction written so that it can travel in one simple
 * query with what follows it (the transaction's COMMIT): EXECUTE of a statement the connection
 * prepared with SQL's PREPARE (prepared first, in the same text, where it has not yet), its
 * values as literals. A repeated read is no more planned again than `executePrepared`'s, and the
 * connection's bound holds for both kinds. PREPARE and DEALLOCATE outlive a rollback, so a text
 * that fails leaves its names unsure, and the next one drops them without error before any use.
 * Null where this cannot be done: no transaction, a driver connection not `pg`'s, a value the
 * simple protocol cannot carry (a NUL character).
 */
export async function finalStatement(
  em: EntityManager,
  sql: string,
  params: readonly (string | number | boolean | null)[],
): Promise<FinalStatement | null> {
  const transaction = em.getTransactionContext();
  if (!transaction) return null;
  if (params.some((value) => typeof value === 'string' && value.includes('\0'))) return null;
  if (params.some((value) => typeof value === 'number' && !Number.isFinite(value))) return null;
  const keeping = keptBy((await transaction.client.acquireConnection()) as Partial<PgConnection> | undefined);
  if (!keeping) return null;
  const [, kept] = keeping;
  const name = `q_${createHash('sha1').update(sql).digest('base64url').slice(0, 24)}`;
  const native = em.getConnection().getKnex().raw(sql, params).toSQL().toNative();
  const statements: string[] = [];
  const unsure = [...kept.unsure];
  for (const held of unsure) statements.push(dropIfHeld(held));
  // Room for this one, among the statements this kind holds (the driver's own are `evict`'s to drop).
  const dropped: string[] = [];
  for (const held of kept.used.keys()) {
    if (kept.used.size - dropped.length < perConnection || kept.used.has(name)) break;
    if (held !== name && kept.sqlLevel.has(held) && !kept.running.has(held)) dropped.push(held);
  }
  for (const held of dropped) statements.push(`deallocate "${held}"`);
  const preparing = !kept.sqlLevel.has(name);
  if (preparing) statements.push(`prepare "${name}" as ${native.sql}`);
  statements.push(
    `execute "${name}"${native.bindings.length ? `(${native.bindings.map((value) => literal(value as string | number | boolean | null)).join(', ')})` : ''}`,
  );
  kept.running.set(name, (kept.running.get(name) ?? 0) + 1);
  return {
    text: statements.join('; '),
    before: statements.length - 1,
    settle(succeeded) {
      const left = (kept.running.get(name) ?? 1) - 1;
      if (left > 0) kept.running.set(name, left);
      else kept.running.delete(name);
      if (succeeded) {
        for (const held of unsure) kept.unsure.delete(held);
        for (const held of dropped) {
          kept.sqlLevel.delete(held);
          kept.used.delete(held);
        }
        kept.sqlLevel.add(name);
      } else {
        // Which of them ran before the failure is not known.
        for (const held of [...dropped, ...(preparing ? [name] : [])]) {
          kept.sqlLevel.delete(held);
          kept.used.delete(held);
          kept.unsure.add(held);
        }
        return;
      }
      kept.used.delete(name);
      kept.used.set(name, true);
    },
  };
}
