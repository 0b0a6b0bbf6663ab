import type { Knex } from 'knex';

interface KnexTransactionInternals {
  trxClient: { query(connection: unknown, sql: string): Promise<{ response?: unknown }> };
  begin(connection: unknown): Promise<unknown>;
  catch(onReject: (error: unknown) => void): unknown;
  _completed: boolean;
  _resolver(value?: unknown): void;
}

export interface OpenedTransaction<Row> {
  transaction: Knex.Transaction;
  rows: Row[];
  /** The rows of `then`, when one was sent. */
  thenRows: Record<string, unknown>[];
  /** How many statements the transaction has sent since its opening query. */
  sentSinceOpening(): number;
  /**
   * Sends `statement` and COMMIT as one simple query, so they cost one round trip, and resolves to
   * the rows of each statement in it. If either fails, the transaction is rolled back before the
   * connection goes back to the pool, and the error is thrown.
   */
  commitWith(statement: string): Promise<Record<string, unknown>[][]>;
}

export interface OpeningExtras {
  /** A statement run right after `statement`, whose rows are returned as `thenRows`. */
  then?: string;
  /** A savepoint taken last, after everything else the opening query does. */
  savepoint?: string;
}

/**
 * Opens a transaction whose BEGIN carries `statement` (and the extras, run after it) in the same
 * simple query, so they cost one round trip; resolves to the transaction and the rows each
 * returned. If the opening query fails, the transaction block it left open is rolled back before
 * the connection goes back to the pool.
 */
export async function beginWith<Row>(knex: Knex, statement: string, extras: OpeningExtras = {}): Promise<OpenedTransaction<Row>> {
  const { then, savepoint } = extras;
  let sent = 0;
  let rows: Row[] = [];
  let thenRows: Record<string, unknown>[] = [];
  let internals!: KnexTransactionInternals;
  let held: unknown;
  const client = knex.client as {
    transaction(container: (trx: Knex.Transaction) => void, config: object, outerTx: null): KnexTransactionInternals;
  };
  const transaction = await new Promise<Knex.Transaction>((resolve, reject) => {
    const trx = client.transaction(resolve, { userParams: {}, doNotRejectOnRollback: true }, null);
    internals = trx;
    // Knex sends BEGIN from `begin` once it holds a connection: a microtask after construction.
    trx.begin = async (connection) => {
      held = connection;
      try {
        const sql = `begin; ${statement}${then ? `; ${then}` : ''}${savepoint ? `; savepoint ${savepoint}` : ''}`;
        const result = await trx.trxClient.query(connection, sql);
        const responses = (result.response ?? result) as { rows: Row[] }[];
        rows = responses[1]!.rows;
        thenRows = (then ? responses[2]!.rows : []) as Record<string, unknown>[];
      } catch (error) {
        await trx.trxClient.query(connection, 'rollback').catch(() => undefined);
        throw error;
      }
    };
    trx.catch(reject);
  });
  // Every later statement of the transaction, COMMIT included, goes through its client's query.
  const query = internals.trxClient.query.bind(internals.trxClient);
  internals.trxClient.query = (connection, sql) => {
    sent += 1;
    return query(connection, sql);
  };
  const commitWith = async (sql: string) => {
    try {
      const result = await internals.trxClient.query(held, `${sql}; commit`);
      return ((result.response ?? result) as { rows: Record<string, unknown>[] }[]).map((response) => response.rows);
    } catch (error) {
      // A failed statement leaves the block open (aborted): end it here, knex will not.
      await internals.trxClient.query(held, 'rollback').catch(() => undefined);
      throw error;
    } finally {
      // Over either way: knex hands the connection back to the pool.
      internals._completed = true;
      internals._resolver();
    }
  };
  return { transaction, rows, thenRows, commitWith, sentSinceOpening: () => sent };
}
