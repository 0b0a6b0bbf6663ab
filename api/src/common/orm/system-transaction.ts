import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * A system job's transaction (the lifecycle checks, evaluation runs): on a fresh fork, so on a
 * connection of its own, with `app.all` set so row-level security lets it see every account.
 * JIT is off: compiling these wide set-based statements costs seconds and saves nothing.
 */
export function systemTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return em.fork().transactional(async (tx) => {
    await tx.execute(`select set_config('app.all', 'on', true), set_config('jit', 'off', true)`);
    return work(tx as EntityManager);
  });
}
