import type { Knex } from 'knex';

interface KnexTransactionInternals {
  trxClient: { query(connection: unknown, sql: string): Promise<{ response?: unknown }> };
  begin(connection: unknown): Promise<unknown>;
  catch(onReject: (error: unknown) => void): unknown;
}

/**
 * Opens a transaction whose BEGIN carries `statement` in the same simple query, so the two cost one
 * round trip; resolves to the transaction and the rows `statement` returned. If the opening query
 * fails, the transaction block it left open is rolled back before the connection goes back to the pool.
 */
export async function beginWith<Row>(knex: Knex, statement: string): Promise<{ transaction: Knex.Transaction; rows: Row[] }> {
  let rows: Row[] = [];
  const client = knex.client as {
    transaction(container: (trx: Knex.Transaction) => void, config: object, outerTx: null): KnexTransactionInternals;
  };
  const transaction = await new Promise<Knex.Transaction>((resolve, reject) => {
    const trx = client.transaction(resolve, { userParams: {}, doNotRejectOnRollback: true }, null);
    // Knex sends BEGIN from `begin` once it holds a connection: a microtask after construction.
    trx.begin = async (connection) => {
      try {
        const result = await trx.trxClient.query(connection, `begin; ${statement}`);
        const responses = (result.response ?? result) as { rows: Row[] }[];
        rows = responses[responses.length - 1]!.rows;
      } catch (error) {
        await trx.trxClient.query(connection, 'rollback').catch(() => undefined);
        throw error;
      }
    };
    trx.catch(reject);
  });
  return { transaction, rows };
}
