import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request SQL statement tally, read by the metrics and the query-count tests. */
export interface SqlTally {
  statements: number;
}

export const sqlTally = new AsyncLocalStorage<SqlTally>();
