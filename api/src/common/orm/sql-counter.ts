import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';

/** Per-request SQL statement tally, read by the metrics and the query-count tests. */
export interface SqlTally {
  statements: number;
}

export const sqlTally = new AsyncLocalStorage<SqlTally>();

/** Starts a request's tally: statements it causes are counted in it. */
export function tallyRequestStatements(): RequestHandler {
  return (_req, _res, next) => sqlTally.run({ statements: 0 }, next);
}

/**
 * Calls `count` for every statement knex sends (one per round trip: a multi-statement simple
 * query is one) and adds it to the current request's tally; returns the function that stops it.
 */
export function countStatements(knex: Knex, count: () => void): () => void {
  const onQuery = () => {
    count();
    const tally = sqlTally.getStore();
    if (tally) tally.statements += 1;
  };
  knex.on('query', onQuery);
  return () => void knex.removeListener('query', onQuery);
}
