import type { TestApp } from '../setup/app.js';

/** Every statement knex sent during `work`, in order: one per round trip (a multi-statement simple query is one). */
export async function statementsOf(t: TestApp, work: () => Promise<unknown>): Promise<string[]> {
  const knex = t.orm.em.getConnection().getKnex();
  const sent: string[] = [];
  const onQuery = (query: { sql: string }) => void sent.push(query.sql);
  knex.on('query', onQuery);
  try {
    await work();
  } finally {
    knex.removeListener('query', onQuery);
  }
  return sent;
}
