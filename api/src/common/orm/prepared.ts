import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs a statement as a named prepared statement in the EntityManager's transaction: each pooled
 * connection parses and plans it once, then PostgreSQL may keep a generic plan, so a repeated
 * read is not planned again. `em.execute` writes the values into the text, which makes every
 * statement new to the server. The name follows from the text (the driver refuses one name for
 * two texts); `?` placeholders as in `em.execute`.
 */
export async function executePrepared<T>(
  em: EntityManager,
  sql: string,
  params: readonly (string | number | boolean | null)[],
): Promise<T[]> {
  const name = `p_${createHash('sha1').update(sql).digest('base64url').slice(0, 24)}`;
  const query = em.getConnection().getKnex().raw(sql, params).options({ name });
  const transaction = em.getTransactionContext();
  if (transaction) query.transacting(transaction);
  try {
    const result = (await query) as unknown as { rows: T[] };
    return result.rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}
