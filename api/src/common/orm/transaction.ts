import {
  CheckConstraintViolationException,
  ForeignKeyConstraintViolationException,
  LockMode,
  NotNullConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
  type EntityClass,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BaseEntity } from './base.entity.js';
import { isUuid } from '../graphql/ids.js';
import {
  type AppError,
  BadUserInputError,
  ConflictError,
  CustomerMergedError,
  NotFoundError,
  VersionConflictError,
} from '../errors/errors.js';

/** What a unique, foreign-key or check violation means to the user, by constraint name. */
export type ConstraintMessages = Record<string, AppError>;

async function currentVersion(em: EntityManager, entity: BaseEntity): Promise<VersionConflictError> {
  const name = entity.constructor.name;
  const meta = em.getMetadata().get(name);
  const [row] = await em.fork().execute<{ version: number }[]>(`select version from "${meta.tableName}" where id = ?`, [entity.id]);
  return row
    ? new VersionConflictError(name, entity.id, row.version)
    : (new NotFoundError(name, entity.id) as unknown as VersionConflictError);
}

/** The triggers refusing a child of a merged record (Migration20261203140000). */
const CUSTOMER_MERGED = 'customer_merged';

let savepoints = 0;

interface Reservation {
  name: string;
  /** True while nothing has been sent on the transaction since the savepoint was taken. */
  untouched: () => boolean;
}

/** Savepoints a request's opening query took for its first mutation, by the request's transaction. */
const reserved = new WeakMap<object, Reservation>();

/**
 * Records that `transaction` took the savepoint `name` in its opening round trip, for the first
 * mutation to use instead of taking its own. It stands for "nothing of the request yet" only while
 * nothing else has been sent (`untouched`): once a statement ran after it (a claim, an audit
 * line, an earlier mutation), rolling back to it would undo that too, and it is never used.
 */
export function reserveSavepoint(transaction: object, name: string, untouched: () => boolean): void {
  reserved.set(transaction, { name, untouched });
}

/** The reserved savepoint, at most once per transaction, if it still marks the transaction's start. */
function takeReserved(em: EntityManager): string | null {
  const transaction = em.getTransactionContext<object>();
  const reservation = transaction ? reserved.get(transaction) : undefined;
  if (!reservation) return null;
  reserved.delete(transaction!);
  return reservation.untouched() ? reservation.name : null;
}

/**
 * Inside the request's transaction: a savepoint first, then the work on a fork, flushed. On
 * failure the savepoint is rolled back to, so the request goes on (its audit, the next mutation)
 * as if the mutation had not run. On success it is left in place rather than released: it ends
 * with the transaction, and the mutation saves a round trip. Names are unique, so a nested
 * mutation rolls back to its own. The first mutation of a request usually finds its savepoint
 * taken already, by the request's opening query (`reserveSavepoint`), and sends none.
 */
async function inSavepoint<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  let name = takeReserved(em);
  if (!name) {
    savepoints = (savepoints + 1) % Number.MAX_SAFE_INTEGER;
    name = `mutation_${savepoints}`;
    await em.execute(`savepoint ${name}`);
  }
  const tx = em.fork({ clear: false, keepTransactionContext: true }) as EntityManager;
  try {
    const result = await work(tx);
    await tx.flush();
    return result;
  } catch (error) {
    await em.execute(`rollback to savepoint ${name}`);
    throw error;
  }
}

/**
 * Runs one mutation as one transaction (a savepoint in the request's) on a fork of the request's
 * EntityManager. Database-level failures become typed errors; nothing is written unless everything is.
 */
export async function transactional<T>(
  em: EntityManager,
  work: (em: EntityManager) => Promise<T>,
  constraints: ConstraintMessages = {},
): Promise<T> {
  try {
    if (em.isInTransaction()) return await inSavepoint(em, work);
    return await em.transactional((tx) => work(tx as EntityManager));
  } catch (error) {
    if (error instanceof OptimisticLockError) throw await currentVersion(em, error.getEntity() as BaseEntity);
    if (error instanceof UniqueConstraintViolationException || error instanceof ForeignKeyConstraintViolationException) {
      const constraint = (error as unknown as { constraint?: string }).constraint;
      const known = constraint ? constraints[constraint] : undefined;
      if (known) throw known;
      throw error instanceof UniqueConstraintViolationException
        ? new ConflictError('A record with the same unique value already exists')
        : new ConflictError('The record is still referenced by other records');
    }
    if (error instanceof CheckConstraintViolationException) {
      const { constraint, detail } = error as unknown as { constraint?: string; detail?: string };
      const known = constraints[constraint ?? ''];
      if (known) throw known;
      if (constraint === CUSTOMER_MERGED) throw new CustomerMergedError(detail && isUuid(detail) ? detail : undefined);
    }
    if (error instanceof NotNullConstraintViolationException) throw new BadUserInputError('input', 'A required value is missing');
    throw error;
  }
}

/**
 * The record to change, checked against the version the client last read. A mismatch fails
 * with CONFLICT and the current version; MikroORM re-checks the version in the UPDATE itself,
 * so a concurrent writer between this read and the flush fails the same way.
 */
export async function loadForUpdate<T extends BaseEntity>(
  em: EntityManager,
  entity: EntityClass<T>,
  id: string,
  version: number,
  options: { lock?: boolean } = {},
): Promise<T> {
  const record = await em.findOne(entity, { id } as never, options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!record) throw new NotFoundError(entity.name, id);
  if (record.version !== version) throw new VersionConflictError(entity.name, id, record.version);
  return record;
}
