import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRequestTransaction } from '../../api/src/common/http/request-transaction.js';
import { finalStatement, limitPreparedStatements } from '../../api/src/common/orm/prepared.js';
import { Customer360Document } from '../../schema/generated/graphql.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { statementsOf } from '../support/statements.js';

// A query answered by one compiled statement sends it with COMMIT. With a pool of one, every
// request uses the same server session, so PostgreSQL's own view of it (pg_prepared_statements)
// is the oracle for what the session holds.
let t: TestApp;
const CUSTOMER_360 = print(Customer360Document).replace(/\n\s*score\n/, '\n');

beforeAll(async () => {
  t = await createTestApp({}, { poolMax: 1 });
  t.app.config.compiledReads = true;
});

afterAll(async () => {
  limitPreparedStatements(256);
  await t?.close();
});

const held = async () =>
  (
    await (t.orm.em.fork() as EntityManager).execute<{ name: string }[]>(
      `select name from pg_prepared_statements where name like 'q\\_%' order by name`,
    )
  ).map((row) => row.name);

const opening = () => ({
  authorization: `Bearer ${t.tokenFor('repHangzhou')}`,
  authSecret: t.app.config.authSecret,
  territoryAccess: t.app.config.territoryAccess,
  timeouts: t.app.config.timeouts,
});

/** `sql` as a request's last read: its rows, or the error it failed with. */
function lastRead(sql: string, params: (string | number | boolean | null)[]) {
  return withRequestTransaction(t.orm, opening(), async (request) => {
    const last = await finalStatement(request.em, sql, params);
    if (!last) throw new Error('not sendable as a last read');
    try {
      const results = await request.commitReading(last.text);
      last.settle(true);
      return results[last.before];
    } catch (error) {
      last.settle(false);
      return error as Error;
    }
  });
}

describe('a query answered by one compiled statement', () => {
  it('sends the statement with COMMIT: two round trips, the opening and the read', async () => {
    const own = t.baseline.customers[0]!;
    for (const round of [1, 2]) {
      let body: { data?: { customer?: { id: string; legalName: string } | null }; errors?: unknown } = {};
      const statements = await statementsOf(t, async () => {
        const response = await t
          .http()
          .post('/graphql')
          .set('authorization', `Bearer ${t.tokenFor('repHangzhou')}`)
          .send({ query: CUSTOMER_360, variables: { id: own.id } });
        body = response.body as typeof body;
      });
      expect(body.errors).toBeUndefined();
      expect(body.data?.customer).toMatchObject({ id: own.id, legalName: own.legalName });
      expect(statements, `round ${round}`).toHaveLength(2);
      expect(statements[0]).toMatch(/^begin;/i);
      // Prepared on the session's first use, executed from then on.
      expect(statements[1]).toMatch(
        round === 1
          ? /^(do \$\$.*; )?prepare "q_[\w-]+" as .*; execute "q_[\w-]+"\('[0-9a-f-]+'\); commit$/is
          : /^execute "q_[\w-]+"\('[0-9a-f-]+'\); commit$/i,
      );
    }
  });

  it('runs again, with its transaction open to the end, when the answer then needs the resolvers', async () => {
    // A colleague's account in another region is a directory card to this rep: the compiled read leaves it to the resolvers.
    // The baseline's accounts go three per rep, in the order hangzhou, hangzhou 2, ningbo, guangzhou.
    const other = t.baseline.customers[9]!;
    const query = 'query ($id: ID!) { customer(id: $id) { id legalName registrationId } }';
    let body: { data?: { customer?: Record<string, unknown> | null }; errors?: { path?: unknown[]; extensions?: { code?: string } }[] } =
      {};
    const statements = await statementsOf(t, async () => {
      const response = await t
        .http()
        .post('/graphql')
        .set('authorization', `Bearer ${t.tokenFor('repHangzhou')}`)
        .send({ query, variables: { id: other.id } });
      body = response.body as typeof body;
    });
    // What the documented rule says a directory card answers: the name, and FORBIDDEN for the profile.
    expect(body.data?.customer).toEqual({ id: other.id, legalName: other.legalName, registrationId: null });
    expect(body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['customer', 'registrationId'], 'FORBIDDEN']]);
    // The first run's read committed with its transaction; the second opens again and commits last.
    expect(statements[1]).toMatch(/; commit$/i);
    expect(statements.filter((statement) => /^begin;/i.test(statement))).toHaveLength(2);
    expect(statements.at(-1)).toMatch(/^commit/i);
    // The second run knows the statement's verdict: it is not sent again.
    expect(statements.filter((statement) => /"q_[\w-]+"/.test(statement))).toHaveLength(1);
  });

  it('carries quotes, backslashes and SQL in values as values', async () => {
    for (const value of ["it's", 'a\\b', "\\'); drop table customer; --", '全角　ｆｕｌｌ', "''", '\\']) {
      const rows = await lastRead('select ?::text as v, length(?::text) as n', [value, value]);
      expect(rows, JSON.stringify(value)).toEqual([{ v: value, n: [...value].length }]);
    }
    const rows = await lastRead('select ?::int + 1 as n, ?::boolean as b, ?::text is null as empty', [41, true, null]);
    expect(rows).toEqual([{ n: 42, b: true, empty: true }]);
    // The simple protocol cannot carry a NUL: such a read takes the ordinary path.
    await withRequestTransaction(t.orm, opening(), async (request) => {
      expect(await finalStatement(request.em, 'select ?::text as v', ['a\0b'])).toBeNull();
      await request.rollback();
    });
  });

  it('keeps the session within its bound of prepared statements, and recovers what a failed read left unknown', async () => {
    limitPreparedStatements(3);
    try {
      const before = await held();
      for (let n = 0; n < 6; n += 1) expect(await lastRead(`select ?::int + ${n} as n`, [100])).toEqual([{ n: 100 + n }]);
      const after = await held();
      expect(after.length).toBeLessThanOrEqual(3);
      expect(after.filter((name) => !before.includes(name)).length).toBeGreaterThan(0);

      // Fails after its PREPARE ran (PREPARE does not roll back): the name is left unsure.
      const failing = 'select 1 / (?::int - 1) as n';
      expect(await lastRead(failing, [1])).toBeInstanceOf(Error);
      expect((await held()).length).toBeLessThanOrEqual(4);
      // The next read drops what may be held before preparing again: no "already exists".
      expect(await lastRead(failing, [2])).toEqual([{ n: 1 }]);
      expect(await lastRead(failing, [3])).toEqual([{ n: 0 }]);
      for (let n = 10; n < 14; n += 1) expect(await lastRead(`select ?::int + ${n} as n`, [0])).toEqual([{ n }]);
      expect((await held()).length).toBeLessThanOrEqual(3);
    } finally {
      limitPreparedStatements(256);
    }
  });
});
