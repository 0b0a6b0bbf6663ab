import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePrepared, limitPreparedStatements } from '../../api/src/common/orm/prepared.js';
import { createTestApp, type TestApp } from '../setup/app.js';

// Each pooled connection keeps a bounded number of prepared statements, however many shapes of
// request it has served: PostgreSQL's own view of the session (pg_prepared_statements) is the oracle.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  limitPreparedStatements(256);
  await t?.close();
});

describe('prepared statements', () => {
  it('keeps at most the limit per connection, dropping the least recently used, and re-prepares what it dropped', async () => {
    limitPreparedStatements(3);
    await (t.orm.em.fork() as EntityManager).transactional(async (em) => {
      const run = async (n: number) => (await executePrepared<{ n: number }>(em, `select ?::int + ${n} as n`, [100]))[0]!.n;
      const held = async () =>
        (await em.execute<{ name: string }[]>(`select name from pg_prepared_statements where name like 'p\\_%' order by prepare_time`))
          .length;
      for (let n = 0; n < 3; n += 1) expect(await run(n)).toBe(100 + n);
      expect(await held()).toBe(3);
      // Using the first again makes the second the least recently used one.
      expect(await run(0)).toBe(100);
      for (let n = 3; n < 8; n += 1) expect(await run(n)).toBe(100 + n);
      expect(await held()).toBe(3);
      // Dropped statements run again, prepared anew.
      for (let n = 0; n < 8; n += 1) expect(await run(n)).toBe(100 + n);
      expect(await held()).toBe(3);
    });
  });

  it('holds the limit with statements sent at once, and after a statement fails', async () => {
    limitPreparedStatements(4);
    await (t.orm.em.fork() as EntityManager).transactional(async (em) => {
      const run = (n: number) => executePrepared<{ n: number }>(em, `select ?::int * ${n} as n`, [2]);
      const held = async () =>
        (await em.execute<{ name: string }[]>(`select name from pg_prepared_statements where name like 'p\\_%'`)).length;
      const results = await Promise.all(Array.from({ length: 8 }, (_, n) => run(n)));
      expect(results.map((rows) => rows[0]!.n)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
      expect(await held()).toBeLessThanOrEqual(4);
    });
    // A statement that fails at execution leaves the transaction aborted; the next transaction on
    // the connection still finds the count bounded.
    await expect(
      (t.orm.em.fork() as EntityManager).transactional((em) => executePrepared(em, 'select 1 / (?::int - 1) as n', [1])),
    ).rejects.toThrow();
    await (t.orm.em.fork() as EntityManager).transactional(async (em) => {
      for (let n = 20; n < 30; n += 1) await executePrepared(em, `select ${n} + ?::int as n`, [0]);
      const rows = await em.execute<{ name: string }[]>(`select name from pg_prepared_statements where name like 'p\\_%'`);
      expect(rows.length).toBeLessThanOrEqual(4);
    });
  });
});
