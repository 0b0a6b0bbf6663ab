import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonTextAnswers } from '../../api/src/common/graphql/compile/json-text.js';
import { Customer } from '../../api/src/modules/customer/customer.entity.js';
import { Evaluation, EvaluationCycle } from '../../api/src/modules/evaluation/evaluation.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

// Attacks on the JSON text pass-through: wherever the compiled statement's text goes into the
// body, the bytes must be the ones graphql-js writes walking the resolvers' answer (the oracle:
// the same request with COMPILED_READS=off), and nothing hidden may reach it.
let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  if (t) t.app.config.compiledReads = true;
  await t?.close();
});

interface Sent {
  status: number;
  body: string;
  asText: boolean;
}

const blankRequestIds = (text: string) => text.replace(/"requestId":"[^"]*"/g, '"requestId":""');

async function send(who: Principal, body: Record<string, unknown>, compiled: boolean, get = false): Promise<Sent> {
  t.app.config.compiledReads = compiled;
  const answered = jsonTextAnswers.count;
  const token = t.tokenFor(who);
  const response = get
    ? await t
        .http()
        .get('/graphql')
        .query(
          Object.fromEntries(Object.entries(body).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])),
        )
        .set('authorization', `Bearer ${token}`)
        .set('apollo-require-preflight', 'true')
    : await t.http().post('/graphql').set('authorization', `Bearer ${token}`).send(body);
  return { status: response.status, body: blankRequestIds(response.text), asText: jsonTextAnswers.count > answered };
}

/** The request through the resolvers, then compiled: the same status and bytes. Returns whether the text went out. */
async function same(who: Principal, body: Record<string, unknown>, get = false): Promise<{ asText: boolean; body: string }> {
  const resolvers = await send(who, body, false, get);
  const compiled = await send(who, body, true, get);
  const label = `${who} ${JSON.stringify(body).slice(0, 160)}`;
  expect(compiled.status, label).toBe(resolvers.status);
  expect(compiled.body, label).toBe(resolvers.body);
  return { asText: compiled.asText, body: compiled.body };
}

const own = () => t.baseline.customers[0]!;

describe('JSON text pass-through, attacked', () => {
  it('keeps response order when an address selects more than fifty keys', async () => {
    // GRAPHQL_MAX_ALIASES is 150: 51 aliases are allowed, and json_build_object takes 50 pairs.
    // Names jsonb would reorder (it sorts keys by length, then bytes).
    const names = Array.from({ length: 51 }, (_, index) => `${'z'.repeat(1 + (index % 3))}${50 - index}`);
    const parts = names.map((name, index) => `${name}: ${['city', 'line', 'province', 'country'][index % 4]}`).join(' ');
    const query = `query ($id: ID!) { customer(id: $id) { id address { ${parts} } } }`;
    const { body } = await same('repHangzhou', { query, variables: { id: own().id } });
    expect(Object.keys(JSON.parse(body).data.customer.address)).toEqual(names);
  });

  it('writes strings as JSON.stringify does: quotes, backslashes, control characters, U+2028/2029, astral and odd code points', async () => {
    const nasty = [
      'quote " and backslash \\ and slash /',
      Array.from({ length: 31 }, (_, code) => String.fromCharCode(code + 1)).join(''),
      'line\u2028separator\u2029paragraph',
      'del \u007f nbsp \u00a0 bom \ufeff zwj \u200d rtl \u202e',
      'emoji 😀 and cjk 客户 and combining é',
      'looks escaped: \\u0041 \\n \\"',
      'lone-surrogate-looking \\ud800',
      '<script>alert(1)</script>',
      ' leading and trailing spaces  ',
      '{"json":"inside", "a" : 1}',
    ];
    const em = db();
    for (const [index, notes] of nasty.entries()) {
      await em
        .getConnection()
        .execute('update customer set notes = ?, products = ?, tags = ? where id = ?', [
          notes,
          `${index}:${notes}`,
          `{${JSON.stringify(notes)},"plain"}`,
          own().id,
        ]);
      const query = 'query ($id: ID!) { customer(id: $id) { id notes products tags address { city } } }';
      const { asText, body } = await same('repHangzhou', { query, variables: { id: own().id } });
      expect(asText, notes).toBe(true);
      expect(JSON.parse(body).data.customer.notes).toBe(notes);
    }
  });

  it('writes decimals, enums and times as the scalars serialise them', async () => {
    const em = db();
    const [order] = await em
      .getConnection()
      .execute<{ id: string }[]>('select id from sales_order where customer_id = ? order by ordered_at desc limit 1', [own().id]);
    for (const [total, orderedAt] of [
      ['200.00', '2025-01-01 00:00:00+00'],
      ['1234567890123456.78', '2025-06-01 08:00:00.999999+00'],
      ['200.10', '1999-12-31 23:59:59.0005+00'],
      ['99999.90', '2025-03-01 12:00:00.123456+08'],
    ] as const) {
      await em
        .getConnection()
        .execute('update sales_order set total = ?, subtotal = ?, ordered_at = ? where id = ?', [total, total, orderedAt, order!.id]);
      const query =
        'query ($id: ID!) { customer(id: $id) { orders(first: 3) { edges { node { id total subtotal status orderedAt amountPaid balance } } } } }';
      const { asText } = await same('repHangzhou', { query, variables: { id: own().id } });
      expect(asText, total).toBe(true);
    }
  });

  it('reads variables as graphql-js does: defaults, nulls, wrong types, enums in lists, @skip/@include at the root', async () => {
    const cases: Record<string, unknown>[] = [
      { query: 'query ($id: ID! = "x") { customer(id: $id) { id legalName } }', variables: { id: own().id } },
      { query: `query ($id: ID = "${own().id}") { customer(id: $id) { id legalName } }`, variables: {} },
      { query: `query ($id: ID = "${own().id}") { customer(id: $id) { id legalName } }`, variables: { id: null } },
      { query: 'query ($n: Int = 2) { customers(first: $n) { edges { node { id } } } }', variables: {} },
      { query: 'query ($n: Int) { customers(first: $n) { edges { node { id } } } }', variables: { n: 2.5 } },
      { query: 'query ($n: Int) { customers(first: $n) { edges { node { id } } } }', variables: { n: '2' } },
      { query: 'query ($n: Int) { customers(first: $n) { edges { node { id } } } }', variables: { n: 2 ** 31 } },
      { query: 'query ($n: Int) { customers(first: $n) { edges { node { id } } } }', variables: { n: -1 } },
      {
        query: 'query ($f: CustomerFilter) { customers(first: 5, filter: $f) { totalCount edges { node { id lifecycleStage } } } }',
        variables: { f: { stages: 'REPEAT' } },
      },
      {
        query: 'query ($f: CustomerFilter) { customers(first: 5, filter: $f) { totalCount edges { node { id lifecycleStage } } } }',
        variables: { f: { stages: ['NOT_A_STAGE'] } },
      },
      {
        query: 'query ($f: CustomerFilter) { customers(first: 5, filter: $f) { totalCount } }',
        variables: { f: { createdAfter: 'yesterday' } },
      },
      {
        query: 'query ($f: CustomerFilter) { customers(first: 5, filter: $f) { totalCount } }',
        variables: { f: { createdAfter: '2025-01-01T00:00:00Z', unknown: 1 } },
      },
      { query: 'query ($s: Boolean = true) { customers(first: 2) @include(if: $s) { totalCount } }', variables: {} },
      { query: 'query ($s: Boolean = true) { customers(first: 2) @skip(if: $s) { totalCount } }', variables: {} },
      { query: 'query ($s: Boolean!) { customers(first: 2) @skip(if: $s) { totalCount } }', variables: { s: null } },
      { query: 'query { customers(first: 2) { totalCount } }', variables: { unused: { deep: [1, 2, 3] } } },
      { query: 'query { customers(first: 2) { totalCount } }', variables: [1, 2] },
      { query: 'query { customers(first: 2) { totalCount } }', variables: 'x' },
    ];
    for (const body of cases) await same('repHangzhou', body);
  });

  it('picks operations and fragments as graphql-js does', async () => {
    const document = `query A($id: ID!) { ...Q } query B($id: ID!) { ...Q __typename } query C { __schema { queryType { name } } }
      mutation D { __typename } fragment Q on Query { customer(id: $id) { ... on Customer { id } ...F } } fragment F on Customer { legalName t: __typename }`;
    for (const operationName of ['A', 'B', 'C', 'D', 'E', null, '', 5])
      await same('repHangzhou', { query: document, operationName, variables: { id: own().id } });
    // GET: a query is answered as over POST; a mutation is refused.
    for (const operationName of ['A', 'D'])
      await same('repHangzhou', { query: document, operationName, variables: { id: own().id } }, true);
    const lone = await same(
      'repHangzhou',
      { query: 'query ($id: ID!) { customer(id: $id) { id legalName } }', variables: { id: own().id } },
      true,
    );
    expect(lone.asText).toBe(true);
  });

  it('still enforces the cost, depth and alias limits before the statement runs', async () => {
    const deep =
      'query { customers(first: 100) { edges { node { interactions(first: 100) { edges { node { id } } } orders(first: 100) { edges { node { lines { id } } } } } } } }';
    const tooDeep = `query ($id: ID!) { customer(id: $id) { owner { territories { parent { parent { parent { parent { parent { parent { parent { parent { code } } } } } } } } } } } }`;
    const aliases = `query ($id: ID!) { customer(id: $id) { ${Array.from({ length: 151 }, (_, i) => `x${i}: id`).join(' ')} } }`;
    for (const query of [deep, tooDeep, aliases]) {
      const statements = await t.countSql(async () => {
        const { asText, body } = await same('repHangzhou', { query, variables: { id: own().id } });
        expect(asText).toBe(false);
        expect(JSON.parse(body).errors?.length).toBeGreaterThan(0);
      });
      // Refused before any SQL of the read: the opening and COMMIT of each of the two requests only.
      expect(statements).toBeLessThanOrEqual(4);
    }
  });

  it('never answers with text for another rep’s account or for hidden groups, whatever the selection', async () => {
    const other = t.baseline.customers[3]!.id;
    const queries = [
      'query ($id: ID!) { customer(id: $id) { id legalName notes } }',
      'query ($id: ID!) { customer(id: $id) { id legalName ... on Customer { notes } } }',
      'query ($id: ID!, $yes: Boolean = true) { customer(id: $id) { id legalName notes @include(if: $yes) } }',
      'query ($id: ID!) { customer(id: $id) { id contacts { name email } } }',
      'query { customers(first: 50, filter: { search: "" }) { edges { node { id notes } } } }',
      'query { contacts(first: 50) { edges { node { id name email customer { id } } } } }',
    ];
    for (const query of queries) {
      const { asText, body } = await same('repHangzhou', { query, variables: { id: other } });
      if (!query.includes('customer(id')) continue;
      expect(asText, query).toBe(false);
      expect(body, query).not.toMatch(/"notes":"[^"]|"email":"[^"]/);
    }
  });
});

describe('times outside the years 1–9999', () => {
  it('refuses a DateTime whose UTC year is not 1–9999 with BAD_USER_INPUT, writing nothing (it was written, then answered 500)', async () => {
    const token = t.tokenFor('repHangzhou');
    const log = (occurredAt: string, summary: string) =>
      t
        .http()
        .post('/graphql')
        .set('authorization', `Bearer ${token}`)
        .send({
          query: 'mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id occurredAt } }',
          variables: { input: { customerId: own().id, kind: 'CALL', channel: 'PHONE', summary, occurredAt } },
        });
    // Year 0 is 1 BC; an offset can carry a date of year 1 or 9999 over the edge.
    for (const occurredAt of ['0000-06-01T00:00:00Z', '0001-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00']) {
      const summary = `ancient ${occurredAt}`;
      const refused = await log(occurredAt, summary);
      expect(
        refused.body.errors?.map((error: { extensions: { code: string } }) => error.extensions.code),
        occurredAt,
      ).toEqual(['BAD_USER_INPUT']);
      const [row] = await db().execute('select count(*)::int as n from interaction where summary = ?', [summary]);
      expect(row!.n, occurredAt).toBe(0);
    }
    // The edges themselves are fine, and read back the same on every path.
    for (const occurredAt of ['0001-01-01T00:00:00.000Z', '0001-01-01T01:00:00+01:00']) {
      const logged = await log(occurredAt, `edge ${occurredAt}`);
      expect(logged.body.errors, JSON.stringify(logged.body.errors)).toBeUndefined();
      // The oracle: what the scalar was given, as JavaScript writes it.
      expect(logged.body.data.logInteraction.occurredAt).toBe(new Date(occurredAt).toISOString());
      const query = 'query ($id: ID!) { customer(id: $id) { interactions(first: 100) { edges { node { id occurredAt } } } } }';
      const { body } = await same('repHangzhou', { query, variables: { id: own().id } });
      const edge = JSON.parse(body).data.customer.interactions.edges.find(
        (e: { node: { id: string } }) => e.node.id === logged.body.data.logInteraction.id,
      );
      expect(edge.node.occurredAt, occurredAt).toBe(new Date(occurredAt).toISOString());
    }
  });
});

describe('doubles in the JSON text', () => {
  /** Doubles whose notation differs between PostgreSQL and JavaScript, and the edges of each notation. */
  const EDGES = [
    0,
    -0,
    1,
    -1,
    0.1,
    0.1 + 0.2,
    1 / 3,
    -2 / 3,
    87.5,
    100,
    4.35,
    0.0001,
    0.00001,
    0.000015,
    0.000001,
    0.0000015,
    1e-7,
    1.2345e-7,
    -1e-300,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    1e14,
    1e15,
    1.5e15,
    1e15 + 0.5,
    123456789012345.67,
    1234567890123456.8,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 60),
    1e20,
    1.2345678901234568e20,
    1e20 - 2 ** 14,
    1e21,
    1.5e21,
    1e100,
    -1e-5,
    -1.5e-6,
    9.999999999999999e-5,
    9.999999999999999e14,
    9.999999999999999e20,
  ];

  /** Random doubles over every exponent: random bits, seeded (xorshift), finite only. */
  function randomDoubles(count: number): number[] {
    let state = 0x2545f491n;
    const next = () => {
      state ^= (state << 13n) & 0xffffffffffffffffn;
      state ^= state >> 7n;
      state ^= (state << 17n) & 0xffffffffffffffffn;
      return state & 0xffffffffffffffffn;
    };
    const view = new DataView(new ArrayBuffer(8));
    const values: number[] = [];
    while (values.length < count) {
      view.setBigUint64(0, next());
      const value = view.getFloat64(0);
      if (Number.isFinite(value)) values.push(values.length % 3 === 0 ? value : Number(value.toPrecision(1 + (values.length % 17))));
    }
    return values;
  }

  const FIELDS = ['onTimeShare', 'averageDaysLate', 'contribution', 'score'] as const;
  const COLUMNS = ['on_time_share', 'average_days_late', 'contribution', 'score'];
  const PAGE = `query { customers(first: 100) { edges { node { id evaluations { id ${FIELDS.join(' ')} } } } } }`;
  let evaluations: string[] = [];

  beforeAll(async () => {
    const em = db();
    const cycle = em.create(EvaluationCycle, { name: 'doubles', periodStart: '2023-01-01', periodEnd: '2023-12-31' });
    const customers = await em.find(Customer, {});
    const created = customers.map((customer) => em.create(Evaluation, { cycle, customer, grade: 'A' }));
    await em.flush();
    evaluations = created.map((evaluation) => evaluation.id);
  });

  /** Puts `values` into the evaluations' double columns, four per row (null where they run out). */
  async function store(values: readonly number[]): Promise<void> {
    const conn = db().getConnection();
    for (const [row, id] of evaluations.entries()) {
      const slice = FIELDS.map((_, column) => values[row * FIELDS.length + column]);
      await conn.execute(`update evaluation set ${COLUMNS.map((column) => `${column} = ?::float8`).join(', ')} where id = ?`, [
        ...slice.map((value) => (value === undefined ? null : Object.is(value, -0) ? '-0' : String(value))),
        id,
      ]);
    }
  }

  it('writes them as JSON.stringify does, byte for byte with the resolvers, and answers with the text', async () => {
    const values = [...EDGES, ...randomDoubles(400)];
    const perRequest = evaluations.length * FIELDS.length;
    expect(perRequest).toBeGreaterThanOrEqual(40);
    let checked = 0;
    for (let start = 0; start < values.length; start += perRequest) {
      const batch = values.slice(start, start + perRequest);
      await store(batch);
      // Text or walked (a value on its interval's boundary is left to graphql-js), the same bytes.
      const { body } = await same('admin', { query: PAGE });
      // The oracle for the notation itself: JSON.stringify of the stored double.
      for (const value of batch) expect(body).toContain(`":${JSON.stringify(value)}`);
      checked += batch.length;
    }
    expect(checked).toBe(values.length);
    // Not vacuous: doubles in every notation of both writers go out as the statement's text.
    await store([0.1, 87.5, -0, 1e-7, 1.5e-5, 1e-5, 1e15, 1e21, 123456789012345680000, 5e-324, 2 ** 53, -1.7976931348623157e308]);
    expect((await same('admin', { query: PAGE })).asText).toBe(true);
    // 5.0611477106328304e+16 to PostgreSQL, 50611477106328300 to JavaScript: walked, and written as JavaScript does.
    await store([50611477106328300, 1e23]);
    const boundary = await same('admin', { query: PAGE });
    expect(boundary.asText).toBe(false);
    expect(boundary.body).toContain('":50611477106328300,');
    expect(boundary.body).toContain('":1e+23,');
  });

  it('leaves NaN and ±Infinity, which JSON cannot hold, to graphql-js, with the resolvers’ errors', async () => {
    for (const odd of ['NaN', 'Infinity', '-Infinity']) {
      await store([]);
      await db().getConnection().execute(`update evaluation set score = ?::float8 where id = ?`, [odd, evaluations[0]]);
      const admin = await same('admin', { query: PAGE });
      expect(admin.asText, odd).toBe(false);
      expect(JSON.parse(admin.body).errors?.length, odd).toBeGreaterThan(0);
      // A rep's score is withheld (null with FORBIDDEN) whatever it holds: the text answers, the same bytes.
      expect((await same('repHangzhou', { query: PAGE })).asText, odd).toBe(true);
    }
  });
});
