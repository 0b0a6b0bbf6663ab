import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';
import type { Principal } from '../fixtures/baseline.js';

// Attacks on the read whose statement travels with COMMIT. A pool of one: every request shares
// one server session, so what one viewer's request PREPAREs another's EXECUTEs.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' }, { poolMax: 1 });
  t.app.config.compiledReads = true;
});

afterAll(async () => {
  await t?.close();
});

/** Every statement knex sent during `work`, in order. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
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

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[] };

async function ask(who: Principal, query: string, variables: Record<string, unknown> = {}): Promise<Body> {
  const response = await t
    .http()
    .post('/graphql')
    .set('authorization', `Bearer ${t.tokenFor(who)}`)
    .send({ query, variables });
  return response.body as Body;
}

const customerCount = async () =>
  Number((await (t.orm.em.fork() as EntityManager).execute<{ n: string }[]>('select count(*) as n from customer'))[0]!.n);

const SEARCH = 'query ($search: String) { customers(filter: { search: $search }) { totalCount edges { node { id legalName } } } }';

describe('values that reach the statement sent with COMMIT', () => {
  it('are values, whatever SQL they spell', async () => {
    const before = await customerCount();
    const hostile = [
      "'; delete from customer; --",
      "\\'; delete from customer; --",
      '$$; delete from customer; $$',
      "');\ncommit; delete from customer; --",
      "E'\\x27; delete from customer; --",
      "\\\\'",
      '\u2019; delete from customer; --',
      '\\'.repeat(150) + "'".repeat(49),
      "%' or '1'='1",
    ];
    for (const search of hostile) {
      let body: Body = {};
      const statements = await statementsOf(async () => (body = await ask('repHangzhou', SEARCH, { search })));
      expect(body.errors, search.slice(0, 40)).toBeUndefined();
      // No account's name holds any of these: an empty page, not every row.
      expect(body.data?.customers, search.slice(0, 40)).toMatchObject({ totalCount: 0, edges: [] });
      // It did take the path under attack (sent with COMMIT).
      expect(statements.some((statement) => /execute "q_\w+".*; commit$/is.test(statement))).toBe(true);
    }
    expect(await customerCount()).toBe(before);
  });

  it('find what they name, quotes and backslashes included', async () => {
    const own = t.baseline.customers[0]!;
    const body = await ask('repHangzhou', SEARCH, { search: own.legalName });
    expect((body.data?.customers as { edges: { node: { id: string } }[] }).edges.map((edge) => edge.node.id)).toContain(own.id);
  });
});

describe('a statement one viewer PREPAREd, EXECUTEd for another', () => {
  const CUSTOMER = 'query ($id: ID!) { customer(id: $id) { id legalName registrationId } }';
  it('answers each viewer by their own rights, in either order', async () => {
    // The baseline's accounts go three per rep, in the order hangzhou, hangzhou 2, ningbo, guangzhou.
    const hangzhou = t.baseline.customers[0]!;
    const ningbo = t.baseline.customers[6]!;
    for (let round = 0; round < 2; round += 1) {
      const own = await ask('repHangzhou', CUSTOMER, { id: hangzhou.id });
      expect(own.data?.customer).toEqual({
        id: hangzhou.id,
        legalName: hangzhou.legalName,
        registrationId: hangzhou.registrationId ?? null,
      });
      const other = await ask('repNingbo', CUSTOMER, { id: hangzhou.id });
      // Another region's account is at most a directory card to this rep: never its registration id.
      const card = other.data?.customer as Record<string, unknown> | null;
      if (card) expect(card.registrationId).toBeNull();
      const back = await ask('repNingbo', CUSTOMER, { id: ningbo.id });
      expect((back.data?.customer as { id: string }).id).toBe(ningbo.id);
    }
  });
});

describe('a page an admin PREPAREd, EXECUTEd for a rep, and the other way round', () => {
  const PAGE = 'query { customers(first: 100) { totalCount edges { node { id legalName registrationId } } } }';
  it("gives the rep only the rep's accounts, and the admin every one", async () => {
    const db = t.orm.em.fork() as EntityManager;
    const all = (await db.execute<{ id: string }[]>('select id from customer')).map((row) => row.id).sort();
    // The rep's reach as the documented rule has it: accounts in the rep's territory (Hangzhou) or owned by the rep.
    const reps = (
      await db.execute<{ id: string }[]>('select id from customer where territory_id = ? or owner_id = ?', [
        t.baseline.regions.hangzhou.id,
        t.baseline.users.repHangzhou.id,
      ])
    ).map((row) => row.id);
    const idsOf = (body: Body) => (body.data?.customers as { edges: { node: { id: string } }[] }).edges.map((edge) => edge.node.id).sort();
    for (const order of [
      ['admin', 'repHangzhou'],
      ['repHangzhou', 'admin'],
    ] as const) {
      for (const who of order) {
        const body = await ask(who, PAGE);
        expect(body.errors, who).toBeUndefined();
        if (who === 'admin') expect(idsOf(body)).toEqual(all.slice(0, 100));
        else {
          expect(idsOf(body).length).toBeGreaterThan(0);
          for (const id of idsOf(body)) expect(reps, id).toContain(id);
        }
      }
    }
  });
});

describe('a read that fails after its PREPARE', () => {
  it('leaves the session usable by the next requests', async () => {
    const pageOf = 'query ($after: String) { customers(first: 2, after: $after) { edges { node { id } } } }';
    for (const after of ['not-a-cursor', 'eyJ4IjoxfQ', "'; select 1; --", '\\', 'AAAA'.repeat(5000)]) {
      const bad = await ask('repHangzhou', pageOf, { after });
      expect(bad.data === null || bad.errors !== undefined || bad.data !== undefined).toBe(true);
      const good = await ask('repNingbo', pageOf, {});
      expect(good.errors, after.slice(0, 20)).toBeUndefined();
      expect((good.data?.customers as { edges: unknown[] }).edges).toHaveLength(2);
    }
  });
});

describe('after the statement committed', () => {
  it('nothing more is sent in that request', async () => {
    const queries = [
      ['me', '{ me { id email role createdAt territories { id code kind parent { code } } managedRegions { code } } }', {}],
      [
        'region',
        'query ($id: ID!) { region(id: $id) { id code name kind createdAt parent { code kind } children { code } } }',
        { id: t.baseline.regions.hangzhou.id },
      ],
      [
        'customer',
        'query ($id: ID!) { customer(id: $id) { id legalName createdAt updatedAt owner { id } territory { code } } }',
        { id: t.baseline.customers[0]!.id },
      ],
    ] as const;
    for (const [name, query, variables] of queries) {
      let body: Body = {};
      const statements = await statementsOf(async () => (body = await ask('repHangzhou', query, variables)));
      expect(body.errors, name).toBeUndefined();
      const committed = statements.findIndex((statement) => /; commit$/i.test(statement));
      expect(committed, name).toBeGreaterThanOrEqual(0);
      const later = statements.slice(committed + 1);
      // Either nothing after the COMMIT, or the whole request ran again in a transaction of its own.
      if (later.length > 0) expect(later[0], name).toMatch(/^begin;/i);
    }
  });
});

describe('SQL after the statement that committed', () => {
  it('is refused, never run outside the session the opening set', async () => {
    const { withRequestTransaction } = await import('../../api/src/common/http/request-transaction.js');
    const { finalStatement } = await import('../../api/src/common/orm/prepared.js');
    const outcome = await withRequestTransaction(
      t.orm,
      {
        authorization: `Bearer ${t.tokenFor('repHangzhou')}`,
        authSecret: t.app.config.authSecret,
        territoryAccess: t.app.config.territoryAccess,
        timeouts: t.app.config.timeouts,
      },
      async (request) => {
        const last = await finalStatement(request.em, 'select ?::int as n', [1]);
        await request.commitReading(last!.text);
        last!.settle(true);
        // What a resolver or loader would do after it: through the request's EntityManager.
        return request.em.execute("select current_setting('app.viewer_id', true) as viewer").then(
          (rows) => ({ ran: rows as unknown }),
          (error: Error) => ({ refused: error.message }),
        );
      },
    );
    expect(outcome).toHaveProperty('refused');
  });
});

describe('a record by id the viewer may not open', () => {
  it('answers byte for byte as an id that is not there, in either case of its letters', async () => {
    const guangzhou = t.baseline.regions.guangzhou.id;
    const db = t.orm.em.fork() as EntityManager;
    const roots = {
      contact: ['contact', 'id name customer { id legalName }'],
      order: ['sales_order', 'id number customer { id legalName }'],
      interaction: ['interaction', 'id summary customer { id legalName }'],
    } as const;
    for (const [root, [table, selection]] of Object.entries(roots)) {
      const [row] = await db.execute<{ id: string }[]>(
        `select t.id from ${table} t join customer c on c.id = t.customer_id where c.territory_id = ? order by t.id limit 1`,
        [guangzhou],
      );
      expect(row, root).toBeDefined();
      const query = `query ($id: ID!) { ${root}(id: $id) { ${selection} } }`;
      // A made-up id of the same shape: the hidden row's id with its last digit changed.
      const last = row!.id.at(-1) === '0' ? '1' : '0';
      const unknown = `${row!.id.slice(0, -1)}${last}`;
      for (const id of [row!.id, row!.id.toUpperCase()]) {
        const other = id === row!.id ? unknown : unknown.toUpperCase();
        const seen = await t
          .http()
          .post('/graphql')
          .set('authorization', `Bearer ${t.tokenFor('repHangzhou')}`)
          .send({ query, variables: { id } });
        const none = await t
          .http()
          .post('/graphql')
          .set('authorization', `Bearer ${t.tokenFor('repHangzhou')}`)
          .send({ query, variables: { id: other } });
        expect(seen.status, `${root} ${id}`).toBe(none.status);
        expect(seen.text, `${root} ${id}`).toBe(none.text);
      }
    }
  });
});
