import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Knex } from 'knex';
import type { Reach, TerritoryAccess, Viewer } from '../access/index.js';
import { openingStatement, openSession, type OpenedRow, type SessionTimeouts } from '../auth/session.js';
import { beginWith } from '../orm/opening-transaction.js';
import { reserveSavepoint } from '../orm/transaction.js';

export interface RequestOpening {
  /** The request's `Authorization` header: a user token, an API key, or nothing. */
  authorization: string | undefined;
  authSecret: string;
  territoryAccess: TerritoryAccess;
  timeouts: SessionTimeouts;
  /** A statement to run right after the opening one, in its round trip (it runs with the session set). */
  then?: string;
  /**
   * The request will run a mutation: the opening round trip also takes the savepoint its first
   * mutation starts from (`reserveSavepoint`), so that mutation does not send one of its own.
   */
  mutation?: boolean;
}

/** The savepoint a request's opening takes for its first mutation. */
const FIRST_MUTATION = 'first_mutation';

/** A request's open transaction, the viewer its opening statement resolved and the reach it set. */
export interface RequestTransaction {
  /** A fresh EntityManager bound to the transaction. */
  em: EntityManager;
  /** The knex transaction, for what needs its connection itself (a COPY). */
  transaction: Knex.Transaction;
  viewer: Viewer | null;
  reach: Reach;
  /** The rows `opening.then` returned. */
  thenRows: Record<string, unknown>[];
  /**
   * Commits now, sending `statement` first in the same round trip when given (statements that
   * must commit with the work, such as a stored idempotent response); anything not committed when
   * the work ends is rolled back.
   */
  commit(statement?: string): Promise<void>;
  /** Commits now with `statement` sent first in the same round trip, as `commit` does, and resolves to the rows of each statement in it. */
  commitReading(statement: string): Promise<Record<string, unknown>[][]>;
  /** Whether the transaction is still open (neither committed nor rolled back). */
  isOpen(): boolean;
  /** Rolls back now (errors ignored: the connection may be gone, and the server rolls back anyway). */
  rollback(): Promise<void>;
}

/**
 * Runs `work` in a request's own transaction. Its first round trip is BEGIN with the opening
 * statement: the bearer is resolved to a viewer (an active user whose session version matches, or
 * a live API key), and the transaction drops to the unprivileged role with the viewer's reach and
 * the statement, lock and idle timeouts set transaction-locally, so row-level security applies to
 * every statement after it. The viewer is resolved here and nowhere else, for GraphQL and the
 * export alike. `work` commits when it is done; whatever it leaves uncommitted (an early answer, a
 * thrown error) is rolled back before this returns or throws.
 */
export async function withRequestTransaction<T>(
  orm: MikroORM,
  opening: RequestOpening,
  work: (request: RequestTransaction) => Promise<T>,
): Promise<T> {
  const em = orm.em.fork({ clear: true, useContext: false }) as EntityManager;
  const connection = em.getConnection();
  let open: Knex.Transaction | undefined;
  const rollback = async () => {
    const transaction = open;
    open = undefined;
    if (transaction) await connection.rollback(transaction).catch(() => undefined);
  };
  try {
    const opened = await beginWith<OpenedRow>(
      connection.getKnex(),
      openingStatement(opening.authorization, opening.authSecret, opening.territoryAccess, opening.timeouts),
      { then: opening.then, savepoint: opening.mutation ? FIRST_MUTATION : undefined },
    );
    open = opened.transaction;
    if (opening.mutation) reserveSavepoint(opened.transaction, FIRST_MUTATION, () => opened.sentSinceOpening() === 0);
    em.setTransactionContext(opened.transaction);
    const { viewer, reach } = openSession(opened.rows[0], opening.territoryAccess);
    return await work({
      em,
      transaction: opened.transaction,
      viewer,
      reach,
      thenRows: opened.thenRows,
      async commit(statement) {
        const transaction = open;
        if (!transaction) throw new Error('The request transaction is no longer open');
        if (statement) {
          // Rolled back on failure by commitWith itself.
          open = undefined;
          await opened.commitWith(statement);
          return;
        }
        await connection.commit(transaction);
        open = undefined;
      },
      async commitReading(statement) {
        if (!open) throw new Error('The request transaction is no longer open');
        // Rolled back on failure by commitWith itself.
        open = undefined;
        return opened.commitWith(statement);
      },
      isOpen: () => open !== undefined,
      rollback,
    });
  } finally {
    await rollback();
    em.resetTransactionContext();
  }
}
