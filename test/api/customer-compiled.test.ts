import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { TerritoryAccess, ApiKeyKind, Scope } from '../../api/src/common/access/index.js';
import { ApiKey } from '../../api/src/modules/api-key/api-key.entity.js';
import { Contact } from '../../api/src/modules/contact/contact.entity.js';
import { Customer } from '../../api/src/modules/customer/customer.entity.js';
import { CycleStatus, Evaluation, EvaluationCycle } from '../../api/src/modules/evaluation/evaluation.entity.js';
import { Order, Payment } from '../../api/src/modules/order/order.entity.js';
import { Region } from '../../api/src/modules/region/region.entity.js';
import { jsonTextAnswers } from '../../api/src/common/graphql/compile/json-text.js';
import { Customer360Document } from '../../schema/generated/graphql.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;

/** A caller: a baseline user, or the bearer secret of an API key. */
type Caller = { name: string; user: Principal } | { name: string; key: string };

const keys: Caller[] = [];
let empty: Customer;
let draftOnly: Customer;
const oddNames: Customer[] = [];

async function keyFor(kind: ApiKeyKind, scopes: Scope[]): Promise<Caller> {
  const em = db();
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = em.create(ApiKey, {
    name: `${kind} ${scopes.join(' ')}`,
    prefix,
    secretHash: hashSecret(secret),
    kind,
    scopes,
    createdBy: t.baseline.users.admin.id,
  });
  key.territories.add(em.getReference(Region, t.baseline.regions.hangzhou.id));
  await em.flush();
  return { name: `${kind}[${scopes.join(',')}]`, key: `acc_${prefix}_${secret}` };
}

beforeAll(async () => {
  // Each principal sends thousands of requests here, more than a minute's rate limit allows on an idle machine.
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  const em = db();
  const [first, second, , , , , , , , ningbo] = t.baseline.customers as [
    Customer,
    Customer,
    Customer,
    Customer,
    Customer,
    Customer,
    Customer,
    Customer,
    Customer,
    Customer,
  ];
  // Values that a careless JSON mapping would change: unpaid payments, several IM networks,
  // floats, decimals with trailing zeros, nested JSON, an account with no children at all.
  const contact = await em.findOneOrFail(Contact, { customer: first.id });
  contact.imHandles = { wechat: 'wx_first', qq: '10001', Zalo: 'z', 'ding talk': 'dt' };
  contact.phone = '+86 571 0000 0000';
  const order = await em.findOneOrFail(Order, { customer: first.id }, { orderBy: { orderedAt: 'desc' } });
  // Payments never exceed the order's total (200.00): these two replace the baseline's one.
  await em.nativeDelete(Payment, { order });
  em.create(Payment, { order, amount: '0.10', dueDate: '2025-03-01', paidAt: null });
  em.create(Payment, { order, amount: '99.90', dueDate: '2025-02-15', paidAt: new Date(Date.UTC(2025, 1, 14, 8, 30, 0, 123)) });
  empty = em.create(Customer, {
    legalName: 'Hangzhou Hu Empty Co., Ltd.',
    normalizedName: 'hangzhou hu empty',
    territory: first.territory,
    owner: first.owner,
    tags: ['a', 'b'],
  });
  draftOnly = em.create(Customer, {
    legalName: 'Hangzhou Hu Draft Co., Ltd.',
    normalizedName: 'hangzhou hu draft',
    territory: first.territory,
    owner: first.owner,
  });
  const published = em.create(EvaluationCycle, {
    name: '2024',
    periodStart: '2024-01-01',
    periodEnd: '2024-12-31',
    status: CycleStatus.COMPUTED,
  });
  const draft = em.create(EvaluationCycle, { name: '2025', periodStart: '2025-01-01', periodEnd: '2025-12-31' });
  for (const customer of [first, second, ningbo]) {
    em.create(Evaluation, {
      cycle: published,
      customer,
      purchaseCount: 2,
      purchaseAmount: '400.00',
      amountPaid: '400.00',
      onTimeShare: 0.1 + 0.2,
      averageDaysLate: 1 / 3,
      contribution: 0.125,
      score: 87.5,
      grade: 'A',
      rankInRegion: 1,
      rankOverall: 2,
      customerValue: '1200.50',
      metrics: { revenue: { raw: 400, normalised: 0.3333333333333333 }, note: 'ünïcode ✓' },
    });
  }
  em.create(Evaluation, { cycle: draft, customer: second, grade: 'B', score: null, metrics: null });
  em.create(Evaluation, { cycle: draft, customer: draftOnly, grade: 'C' });
  // Legal names a careless cursor would write differently from JSON.stringify.
  for (const legalName of ['Hangzhou "Quoted" Co., Ltd.', 'Hangzhou Back\\slash Co., Ltd.']) {
    oddNames.push(
      em.create(Customer, { legalName, normalizedName: legalName.toLowerCase(), territory: first.territory, owner: first.owner }),
    );
  }
  await em.flush();
  // Results of a published cycle cannot change: publish it once they are in.
  published.status = CycleStatus.PUBLISHED;
  published.publishedAt = new Date(Date.UTC(2025, 0, 5));
  await em.flush();
  // Three accounts stamped in one statement: equal to the microsecond, told apart by id only.
  await em.getConnection().execute(
    `update customer set created_at = timestamptz '2025-06-01 08:00:00.123456+00', updated_at = timestamptz '2025-06-02 09:00:00.654321+00'
     where id = any(?::uuid[])`,
    [`{${[empty.id, ...oddNames.map((customer) => customer.id)].join(',')}}`],
  );
  keys.push(
    await keyFor(ApiKeyKind.INTEGRATOR, [
      Scope.CUSTOMERS_READ,
      Scope.CONTACTS_READ,
      Scope.PII_READ,
      Scope.INTERACTIONS_READ,
      Scope.ORDERS_READ,
      Scope.EVALUATIONS_READ,
    ]),
    await keyFor(ApiKeyKind.INTEGRATOR, [
      Scope.CUSTOMERS_READ,
      Scope.CUSTOMERS_WRITE,
      Scope.CONTACTS_READ,
      Scope.INTERACTIONS_READ,
      Scope.ORDERS_READ,
    ]),
    await keyFor(ApiKeyKind.INTEGRATOR, [Scope.CUSTOMERS_READ]),
    await keyFor(ApiKeyKind.BI, [Scope.CUSTOMERS_READ, Scope.INTERACTIONS_READ, Scope.ORDERS_READ, Scope.EVALUATIONS_READ]),
  );
});

afterAll(async () => {
  if (t) t.app.config.compiledReads = true;
  await t?.close();
});

interface Outcome {
  status: number;
  data: string;
  errors: unknown;
  statements: number;
  /** The response body as sent, request ids blanked; and the headers a client sees of it. */
  body: string;
  headers: Record<string, string | undefined>;
  /** Answered with the statement's JSON text, graphql-js's walk skipped. */
  asText: boolean;
}

const HEADERS = ['content-type', 'content-encoding', 'vary', 'content-length'];

/** Request ids differ between any two requests; everything else of a body must not. */
const blankRequestIds = (text: string) => text.replace(/"requestId":"[^"]*"/g, '"requestId":""');

async function request(
  caller: Caller,
  query: string,
  variables: Record<string, unknown>,
  compiled: boolean,
  headers: Record<string, string> = {},
): Promise<Outcome> {
  t.app.config.compiledReads = compiled;
  let response!: {
    status: number;
    text: string;
    headers: Record<string, string | undefined>;
    body: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] };
  };
  const answered = jsonTextAnswers.count;
  const statements = await t.countSql(async () => {
    const token = 'user' in caller ? t.tokenFor(caller.user) : caller.key;
    const pending = t.http().post('/graphql').set('authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(headers)) pending.set(name, value);
    response = await pending.send({ query, variables });
  });
  const asText = jsonTextAnswers.count > answered;
  // Request ids differ between any two requests; everything else must not.
  const errors = response.body.errors?.map(({ extensions, ...rest }) => {
    const { requestId: _requestId, ...kept } = extensions ?? {};
    return { ...rest, extensions: kept };
  });
  return {
    status: response.status,
    data: JSON.stringify(response.body.data ?? null),
    errors,
    statements,
    body: blankRequestIds(response.text),
    headers: Object.fromEntries(HEADERS.map((name) => [name, response.headers[name]])),
    asText,
  };
}

/** `compare` for one named operation of a document. */
async function compareOperation(caller: Caller, query: string, operationName: string): Promise<{ resolvers: Outcome; compiled: Outcome }> {
  const run = async (compiled: boolean) => {
    t.app.config.compiledReads = compiled;
    const token = 'user' in caller ? t.tokenFor(caller.user) : caller.key;
    const response = await t.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, operationName, variables: {} });
    return {
      status: response.status,
      data: JSON.stringify(response.body.data ?? null),
      errors: response.body.errors,
      statements: 0,
      body: response.text,
      headers: {},
      asText: false,
    };
  };
  const resolvers = await run(false);
  const compiled = await run(true);
  expect(compiled.status, operationName).toBe(resolvers.status);
  expect(compiled.data, operationName).toBe(resolvers.data);
  expect(compiled.errors, operationName).toEqual(resolvers.errors);
  expect(compiled.body, operationName).toBe(resolvers.body);
  return { resolvers, compiled };
}

/** Runs a request through the resolvers and through the compiled path; the responses must be the same bytes. */
async function compare(
  caller: Caller,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ resolvers: Outcome; compiled: Outcome }> {
  const resolvers = await request(caller, query, variables, false, headers);
  const compiled = await request(caller, query, variables, true, headers);
  const label = `${caller.name} ${JSON.stringify(variables)} ${query.slice(0, 120)}`;
  expect(resolvers.asText, label).toBe(false);
  expect(compiled.status, label).toBe(resolvers.status);
  expect(compiled.data, label).toBe(resolvers.data);
  expect(compiled.errors, label).toEqual(resolvers.errors);
  // The bytes sent, not a re-parse: key order, number and time formats, whitespace, the final newline.
  expect(compiled.body, label).toBe(resolvers.body);
  expect(compiled.headers, label).toEqual(resolvers.headers);
  return { resolvers, compiled };
}

const INTERACTION_FIELDS = 'id kind channel occurredAt summary outcome nextStep followUpOn createdAt updatedAt version __typename';
const ORDER_FIELDS =
  'id number status orderedAt winProbability currency contractRef subtotal discountTotal total amountPaid balance createdAt updatedAt version';

/** Customer-360 documents over every field the compiler handles, and some it does not. */
const DOCUMENTS: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  { name: 'the Customer360 document', query: print(Customer360Document) },
  { name: 'directory card', query: 'query ($id: ID!) { customer(id: $id) { id legalName access __typename } }' },
  { name: 'typename only', query: 'query ($id: ID!) { customer(id: $id) { __typename } }' },
  {
    name: 'profile through fragments and aliases',
    query: `query ($id: ID!) { c: customer(id: $id) { name: legalName id ...P territory { ...R } region { id code __typename ...R } owner { id name email role active createdAt updatedAt version } boss: owner { name } } }
      fragment P on Customer { registrationId industry products industryStanding sizeBand ownershipType creditStanding websiteDomain lifecycleStage relationshipLevel tags sourceChannel notes archivedAt createdAt updatedAt version access address { line city province postalCode country __typename } where: address { town: city } }
      fragment R on Region { id code name nameZh kind path keyCity createdAt updatedAt version }`,
  },
  {
    name: 'contacts with personal data',
    query:
      'query ($id: ID!) { customer(id: $id) { contacts { id name title decisionRole email phone mobile imHandles { network handle __typename } im: imHandles { h: handle } preferredChannel preferredFrequency consent createdAt updatedAt version __typename } } }',
  },
  {
    name: 'contacts without personal data',
    query: 'query ($id: ID!) { customer(id: $id) { id people: contacts { id name title consent } contacts { name } } }',
  },
  {
    name: 'pages of different sizes under aliases',
    query: `query ($id: ID!) { customer(id: $id) { one: interactions(first: 1) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
      two: interactions(first: 2) { totalCount pageInfo { endCursor hasNextPage } } all: interactions { totalCount edges { node { ${INTERACTION_FIELDS} } } } interactions(first: 100) { __typename edges { __typename cursor } } } }`,
  },
  {
    name: 'orders with lines and payments',
    query: `query ($id: ID!) { customer(id: $id) { orders(first: 5) { __typename totalCount edges { cursor node { ${ORDER_FIELDS} lines { id position product quantity unitPrice discountPercent amount createdAt updatedAt version } payments { id amount dueDate paidAt createdAt } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`,
  },
  {
    name: 'evaluations',
    query:
      'query ($id: ID!) { customer(id: $id) { evaluations { id purchaseCount purchaseAmount amountPaid onTimeShare averageDaysLate contribution score grade rankInRegion rankOverall previousGrade movement quadrant valueTier customerValue metrics createdAt updatedAt version } } }',
  },
  {
    name: '@include and @skip on variables',
    query: `query ($id: ID!, $with: Boolean!, $skip: Boolean!) { customer(id: $id) { id contacts @include(if: $with) { name email @skip(if: $skip) } orders(first: 1) @skip(if: $skip) { totalCount }
      ... on Customer @include(if: $with) { notes } ...E @skip(if: $with) } } fragment E on Customer { evaluations { grade } }`,
    variables: { with: true, skip: false },
  },
  {
    name: '@include and @skip, the other way',
    query:
      'query ($id: ID!, $with: Boolean!, $skip: Boolean!) { customer(id: $id) { id contacts @include(if: $with) { name email @skip(if: $skip) } orders(first: 1) @skip(if: $skip) { totalCount } ... on Customer @include(if: $with) { notes } } }',
    variables: { with: false, skip: true },
  },
  {
    name: 'nested inline fragments and merged selections',
    query:
      'query ($id: ID!) { customer(id: $id) { ... on Customer { orders { edges { node { ... on Order { number lines { ...L } } } } } } contacts { id } contacts { name } } customer(id: $id) { legalName } } fragment L on OrderLine { product amount }',
  },
  {
    // Compiled since the interactions root compiles them (lists-compiled.test.ts).
    name: "interactions' authors and contacts",
    query:
      'query ($id: ID!) { customer(id: $id) { id interactions(first: 2) { edges { node { id author { name } contact { name } } } } } }',
  },
  {
    name: 'more relations left to resolvers',
    query:
      'query ($id: ID!) { customer(id: $id) { territory { code parent { code } } owner { territories { code } } evaluations { grade cycle { name status } } contacts { customer { id } } ownershipHistory { id } lifecycleHistory { id } } }',
  },
  {
    name: 'page size out of range',
    query: 'query ($id: ID!) { customer(id: $id) { id interactions(first: 0) { totalCount } orders(first: 101) { totalCount } } }',
  },
  { name: 'malformed cursor', query: 'query ($id: ID!) { customer(id: $id) { id interactions(after: "garbage") { totalCount } } }' },
  {
    name: 'empty cursor',
    query: 'query ($id: ID!) { customer(id: $id) { id interactions(after: "") { pageInfo { hasPreviousPage startCursor } } } }',
  },
];

const LEFT_TO_RESOLVERS = new Set(['more relations left to resolvers', 'page size out of range', 'malformed cursor']);

const PAGE = `query ($id: ID!, $first: Int, $after: String) { customer(id: $id) { interactions(first: $first, after: $after) { totalCount edges { cursor node { ${INTERACTION_FIELDS} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
  orders(first: $first, after: $after) { edges { cursor node { number amountPaid balance } } pageInfo { hasNextPage endCursor } } } }`;

function callers(): Caller[] {
  const users: Principal[] = ['admin', 'managerEast', 'managerSouth', 'repHangzhou', 'repHangzhou2', 'repNingbo'];
  return [...users.map((user) => ({ name: user, user })), ...keys];
}

function accounts(): { name: string; id: string }[] {
  const [first, , , other, , , ningbo] = t.baseline.customers;
  return [
    { name: 'own account', id: first!.id },
    { name: "a territory colleague's", id: other!.id },
    { name: 'another territory', id: ningbo!.id },
    { name: 'no children', id: empty.id },
    { name: 'draft evaluations only', id: draftOnly.id },
    { name: 'upper-case id', id: first!.id.toUpperCase() },
    { name: 'nonexistent', id: '00000000-0000-4000-8000-000000000000' },
  ];
}

describe('customer-360 compiled to one statement', () => {
  it('answers every document, principal and account with the same bytes as the resolvers', { timeout: 600_000 }, async () => {
    const compiledBy = new Map<string, boolean>();
    const textBy = new Map<string, boolean>();
    for (const territoryAccess of [TerritoryAccess.NONE, TerritoryAccess.READ]) {
      t.app.config.territoryAccess = territoryAccess;
      for (const caller of callers()) {
        if (territoryAccess !== TerritoryAccess.NONE && !('user' in caller && caller.user.startsWith('rep'))) continue;
        for (const account of accounts()) {
          for (const document of DOCUMENTS) {
            const { resolvers, compiled } = await compare(caller, document.query, { id: account.id, ...document.variables });
            compiledBy.set(
              `${territoryAccess}|${caller.name}|${account.name}|${document.name}`,
              compiled.statements < resolvers.statements,
            );
            textBy.set(`${territoryAccess}|${caller.name}|${account.name}|${document.name}`, compiled.asText);
          }
        }
      }
    }
    t.app.config.territoryAccess = TerritoryAccess.NONE;

    // Not vacuous: the compiled path answered where the result needs no masking, and only there.
    const took = (caller: Caller, account: string, document: string, access = TerritoryAccess.NONE) =>
      compiledBy.get(`${access}|${caller.name}|${account}|${document}`);
    const [admin, , managerSouth, repHangzhou] = callers() as [Caller, Caller, Caller, Caller];
    const [full, noPii, customersOnly, bi] = keys as [Caller, Caller, Caller, Caller];
    // (Told apart by statement count, so documents the resolvers also answer in one statement are not checked here.)
    for (const document of DOCUMENTS.filter(
      (doc) =>
        !LEFT_TO_RESOLVERS.has(doc.name) && !['directory card', 'typename only', '@include and @skip, the other way'].includes(doc.name),
    )) {
      for (const account of ['own account', "a territory colleague's", 'another territory', 'no children', 'draft evaluations only'])
        expect(took(admin, account, document.name), `${account} ${document.name}`).toBe(true);
      expect(took(repHangzhou, 'own account', document.name), document.name).toBe(true);
      // A colleague's account: the directory card (owner-only) or read access (TERRITORY_ACCESS=READ).
      expect(took(repHangzhou, "a territory colleague's", document.name)).toBe(false);
      expect(took(repHangzhou, "a territory colleague's", document.name, TerritoryAccess.READ), document.name).toBe(true);
      expect(took(managerSouth, 'own account', document.name)).toBe(false);
      expect(took(full, 'another territory', document.name)).toBe(false);
    }
    for (const document of LEFT_TO_RESOLVERS) expect(took(admin, 'own account', document), document).toBe(false);
    expect(took(full, 'own account', 'contacts with personal data')).toBe(true);
    expect(took(noPii, 'own account', 'contacts with personal data')).toBe(false);
    expect(took(noPii, 'own account', 'contacts without personal data')).toBe(true);
    expect(took(customersOnly, 'own account', 'profile through fragments and aliases')).toBe(true);
    expect(took(customersOnly, 'own account', 'contacts without personal data')).toBe(false);
    expect(took(bi, 'own account', 'evaluations')).toBe(true);
    // To a key, results of an unpublished cycle do not exist: that row is left to the resolvers.
    expect(took(bi, 'draft evaluations only', 'evaluations')).toBe(false);
    expect(took(bi, 'draft evaluations only', 'profile through fragments and aliases')).toBe(true);

    // The JSON text went straight into the body exactly where every leaf is a string, ID, Int,
    // Boolean, Decimal, DateTime or name-valued enum, with no error and nothing to transform.
    const text = (caller: Caller, account: string, document: string, access = TerritoryAccess.NONE) =>
      textBy.get(`${access}|${caller.name}|${account}|${document}`);
    const asText = [
      'profile through fragments and aliases',
      'contacts without personal data',
      'pages of different sizes under aliases',
      'orders with lines and payments',
      '@include and @skip on variables',
      '@include and @skip, the other way',
      'nested inline fragments and merged selections',
      'typename only',
    ];
    for (const document of asText) {
      expect(text(admin, 'own account', document), document).toBe(true);
      expect(text(repHangzhou, 'own account', document), document).toBe(true);
      expect(text(repHangzhou, "a territory colleague's", document, TerritoryAccess.READ), document).toBe(true);
      // A directory card needs its masks: graphql-js answers it.
      expect(text(repHangzhou, "a territory colleague's", document), document).toBe(false);
      for (const account of ['upper-case id', 'nonexistent']) expect(text(admin, account, document), document).toBe(false);
    }
    // jsonb and IM handles (a transform) are walked by graphql-js.
    for (const document of ['contacts with personal data', 'evaluations', ...LEFT_TO_RESOLVERS])
      for (const caller of [admin, repHangzhou, full]) expect(text(caller, 'own account', document), document).toBe(false);
    // Doubles are written as JSON.stringify writes them, and withheld company figures (a score for
    // anyone but an admin) are nulled with their FORBIDDEN errors: the standard document passes through for all.
    for (const caller of [admin, repHangzhou, full]) expect(text(caller, 'own account', 'the Customer360 document')).toBe(true);
    expect(text(customersOnly, 'own account', 'profile through fragments and aliases')).toBe(true);
    expect(text(customersOnly, 'own account', 'contacts without personal data')).toBe(false);
  });

  it('pages through interactions and orders with cursors the same way', { timeout: 300_000 }, async () => {
    const [first] = t.baseline.customers;
    for (const caller of [callers()[0]!, callers()[3]!, keys[0]!, keys[3]!]) {
      for (const size of [1, 2, null]) {
        let after: string | null = null;
        for (let step = 0; step < 5; step += 1) {
          const { resolvers } = await compare(caller, PAGE, { id: first!.id, first: size, after });
          const page = JSON.parse(resolvers.data).customer.interactions;
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
      }
    }
  });
});

describe('customer-360 SQL statements', () => {
  async function statements(
    who: Principal | Caller,
    query: string,
    variables: Record<string, unknown>,
    compiled: boolean,
  ): Promise<number> {
    const caller: Caller = typeof who === 'string' ? { name: who, user: who } : who;
    const outcome = await request(caller, query, variables, compiled);
    // Company-wide figures are withheld from everyone but admins (docs/evaluation.md): the only errors allowed.
    const withheld = ((outcome.errors ?? []) as { path?: (string | number)[] }[]).filter(
      (error) => !['score', 'contribution'].includes(String(error.path?.at(-1))),
    );
    expect(withheld, caller.name).toEqual([]);
    return outcome.statements;
  }

  it('costs no round trip beyond the request set-up, at any page size: its one statement travels with COMMIT', async () => {
    const id = t.baseline.customers[0]!.id;
    for (const who of ['admin', 'repHangzhou'] as const) {
      // BEGIN, viewer, session settings, COMMIT: what any request costs.
      const setUp = await statements(who, '{ __typename }', {}, true);
      const customer360 = print(Customer360Document);
      const before = await statements(who, customer360, { id }, false);
      const after = await statements(who, customer360, { id }, true);
      expect(before - setUp, who).toBe(10);
      expect(after - setUp, who).toBe(0);
      for (const first of [1, 5, 100])
        expect(await statements(who, PAGE, { id, first, after: null }, true), `${who} first: ${first}`).toBe(setUp);
    }
    // An integrator with every read scope: the same one statement (the resolvers also look up the evaluation cycles).
    const key = keys[0]!;
    const setUp = await statements(key, '{ __typename }', {}, true);
    expect((await statements(key, print(Customer360Document), { id }, false)) - setUp).toBe(11);
    expect((await statements(key, print(Customer360Document), { id }, true)) - setUp).toBe(0);
  });
});

const LIST = `query ($first: Int, $after: String, $filter: CustomerFilter, $orderBy: CustomerOrder) {
  customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount n: totalCount
    edges { cursor node { id legalName access lifecycleStage createdAt updatedAt version territory { code } owner { name } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
    __typename
  }
}`;
const LIST_NO_COUNT = `query ($first: Int, $after: String, $filter: CustomerFilter, $orderBy: CustomerOrder) {
  customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { edges { node { id legalName } cursor } pageInfo { endCursor hasNextPage } }
}`;
const LIST_360 = `query ($first: Int, $after: String, $filter: CustomerFilter, $orderBy: CustomerOrder) {
  customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount edges { cursor node { id legalName address { city } region { code } contacts { name email mobile } interactions(first: 2) { totalCount edges { cursor node { id summary } } }
      orders(first: 1) { edges { node { number total amountPaid balance lines { product amount } payments { amount paidAt } } } } evaluations { grade score } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const SORTS = ['LEGAL_NAME', 'CREATED_AT', 'UPDATED_AT', 'TERRITORY', 'OWNER', 'STAGE', 'GRADE', 'LAST_INTERACTION', 'LAST_ORDER'].flatMap(
  (field) => ['ASC', 'DESC'].map((direction) => ({ field, direction })),
);

/** Walks every page of a list on both paths, comparing each; returns the ids in order and whether the compiled path answered. */
async function walk(caller: Caller, query: string, variables: Record<string, unknown>): Promise<{ ids: string[]; compiled: boolean }> {
  const ids: string[] = [];
  let compiledAll = true;
  let after: string | null = null;
  for (let step = 0; step < 40; step += 1) {
    const { resolvers, compiled } = await compare(caller, query, { ...variables, after });
    compiledAll &&= compiled.statements < resolvers.statements || compiled.statements <= 3;
    const page = JSON.parse(resolvers.data)?.customers;
    if (!page) break;
    ids.push(...page.edges.map((edge: { node: { id: string } }) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, compiled: compiledAll };
}

describe('customers pages compiled to one statement', () => {
  it(
    'answers every sort, direction and page the same as the resolvers, and walks every account exactly once',
    { timeout: 600_000 },
    async () => {
      const [admin, , managerSouth, repHangzhou] = callers() as [Caller, Caller, Caller, Caller];
      const rows = await db()
        .getConnection()
        .execute<{ id: string; created: string; updated: string }[]>(
          `select id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as created,
                to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as updated from customer where archived_at is null`,
        );
      for (const caller of [admin, managerSouth, repHangzhou, keys[0]!, keys[2]!]) {
        for (const orderBy of SORTS) {
          for (const first of [3, 25]) {
            const { ids, compiled } = await walk(caller, LIST, { first, orderBy });
            expect(new Set(ids).size, `${caller.name} ${JSON.stringify(orderBy)}`).toBe(ids.length);
            if (caller === admin) {
              expect(compiled, `${JSON.stringify(orderBy)} compiled`).toBe(true);
              if (orderBy.field === 'CREATED_AT' || orderBy.field === 'UPDATED_AT') {
                // The order by the documented rule, independently: the key to the microsecond, then the id.
                const key = orderBy.field === 'CREATED_AT' ? 'created' : 'updated';
                const expected = [...rows]
                  .sort((a, b) => (a[key] === b[key] ? (a.id < b.id ? -1 : 1) : a[key] < b[key] ? -1 : 1))
                  .map((row) => row.id);
                expect(ids).toEqual(orderBy.direction === 'ASC' ? expected : expected.reverse());
              } else expect(ids.length, JSON.stringify(orderBy)).toBe(rows.length);
            }
          }
        }
      }
    },
  );

  it('answers filters, count-less pages and deep selections the same, for every principal', { timeout: 600_000 }, async () => {
    const { hangzhou, east } = t.baseline.regions;
    const filters: Record<string, unknown>[] = [
      {},
      { search: 'hangzhou' },
      { search: '"quoted"' },
      { stages: ['REPEAT'] },
      { includeArchived: true },
      { createdAfter: '2025-01-01T03:00:00.000Z', createdBefore: '2025-07-01T00:00:00.000Z' },
      { territoryId: hangzhou.id },
      { regionId: east.id },
      { industry: 'Retail', tag: 'key' },
    ];
    // A territory colleague's accounts are READ under TERRITORY_ACCESS=READ: listed, and compiled, too.
    t.app.config.territoryAccess = TerritoryAccess.READ;
    for (const caller of callers().filter((c) => 'user' in c && c.user.startsWith('rep'))) {
      for (const filter of filters.slice(0, 3)) await walk(caller, LIST, { first: 4, filter });
      await walk(caller, LIST_360, { first: 6 });
    }
    t.app.config.territoryAccess = TerritoryAccess.NONE;
    for (const caller of callers()) {
      for (const filter of filters) await walk(caller, LIST, { first: 4, filter });
      await walk(caller, LIST_NO_COUNT, { first: 5, orderBy: { field: 'UPDATED_AT', direction: 'DESC' } });
      await walk(caller, LIST_360, { first: 6 });
    }
    // Not vacuous: an admin's and a rep's deep page is one statement; a key without pii:read is left to the resolvers.
    const [admin, , , repHangzhou] = callers() as [Caller, Caller, Caller, Caller];
    expect((await walk(admin, LIST_360, { first: 6 })).compiled).toBe(true);
    expect((await walk(repHangzhou, LIST_360, { first: 6 })).compiled).toBe(true);
    expect((await walk(keys[1]!, LIST_360, { first: 6 })).compiled).toBe(false);
  });

  it('plans each operation of a document on its own, where operations share a fragment', async () => {
    // One field node (in the fragment) under two operations with different siblings: the second
    // must not run the first's plan (which has no count subquery, hence fewer parameters).
    const shared = `query A { ...F } query B { ...F customers(first: 5) { totalCount } }
      fragment F on Query { customers(first: 5) { edges { node { id legalName } } } }`;
    const [admin, , , repHangzhou] = callers() as [Caller, Caller, Caller, Caller];
    for (const caller of [repHangzhou, admin]) {
      for (const operationName of ['A', 'B', 'A', 'B']) {
        const { resolvers } = await compareOperation(caller, shared, operationName);
        expect(JSON.parse(resolvers.data).customers.edges.length, operationName).toBeGreaterThan(0);
        if (operationName === 'B') expect(JSON.parse(resolvers.data).customers.totalCount).toBeGreaterThan(0);
      }
    }
  });

  it('refuses bad cursors and a directory listing exactly as the resolvers do', async () => {
    const garbage = [
      'garbage',
      Buffer.from('["x","not-a-uuid"]').toString('base64url'),
      Buffer.from('[1,"00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from('["2025-13-45 00:00:00+00","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
    ];
    const [admin, , , repHangzhou] = callers() as [Caller, Caller, Caller, Caller];
    for (const caller of [admin, repHangzhou, keys[0]!]) {
      for (const after of garbage) for (const orderBy of [SORTS[0], SORTS[2]]) await compare(caller, LIST, { first: 2, after, orderBy });
      await compare(
        caller,
        'query { customers(scope: DIRECTORY, first: 5) { totalCount edges { cursor node { id legalName access } } } }',
        {},
      );
    }
  });
});

describe('JSON text pass-through', () => {
  const PROFILE = 'id legalName tags createdAt lifecycleStage access address { city } territory { code } region { code } owner { name }';
  const DEEP_PAGE = `query ($first: Int) { customers(first: $first) { totalCount edges { cursor node { ${PROFILE} contacts { name title }
    interactions(first: 2) { totalCount edges { node { id kind occurredAt summary } } } orders(first: 2) { edges { node { number total amountPaid balance lines { product amount } payments { amount paidAt } } } } } }
    pageInfo { hasNextPage endCursor } } }`;

  it('answers a lone compiled root field with the text, and everything else through graphql-js, with the same bytes', async () => {
    const id = t.baseline.customers[0]!.id;
    const [admin, , , repHangzhou] = callers() as [Caller, Caller, Caller, Caller];
    const evaluationsOnly = await keyFor(ApiKeyKind.BI, [Scope.EVALUATIONS_READ]);
    const cases: { name: string; query: string; variables?: Record<string, unknown>; text: boolean; headers?: Record<string, string> }[] = [
      { name: 'a lone field', query: `query ($id: ID!) { customer(id: $id) { ${PROFILE} } }`, text: true },
      { name: 'an alias at the root', query: 'query { list: customers(first: 3) { edges { node { id } } } }', text: true },
      { name: 'two root fields', query: 'query ($id: ID!) { a: customer(id: $id) { id } b: customer(id: $id) { id } }', text: false },
      { name: '__typename beside it', query: 'query ($id: ID!) { __typename customer(id: $id) { id } }', text: false },
      { name: 'a field not compiled beside it', query: 'query ($id: ID!) { customer(id: $id) { id } customerIndustries }', text: false },
      {
        name: 'the compiled field skipped',
        query: 'query ($id: ID!, $no: Boolean!) { customer(id: $id) @skip(if: $no) { id } customerIndustries }',
        variables: { no: true },
        text: false,
      },
      {
        name: 'the other field skipped',
        query: 'query ($id: ID!, $yes: Boolean!) { customer(id: $id) @include(if: $yes) { id } customerIndustries @skip(if: $yes) }',
        variables: { yes: true },
        text: true,
      },
      { name: 'an id that is no uuid', query: 'query { customer(id: "garbage") { id } }', text: false },
      { name: 'a page too large', query: 'query { customers(first: 1000) { totalCount } }', text: false },
      {
        name: 'a variable of the wrong type',
        query: 'query ($first: Int) { customers(first: $first) { totalCount } }',
        variables: { first: 'x' },
        text: false,
      },
      { name: 'a missing variable', query: 'query ($id: ID!) { customer(id: $id) { id } }', variables: { id: null }, text: false },
      { name: 'a deep page, brotli', query: DEEP_PAGE, variables: { first: 25 }, text: true, headers: { 'accept-encoding': 'br' } },
      { name: 'a deep page, gzip', query: DEEP_PAGE, variables: { first: 25 }, text: true, headers: { 'accept-encoding': 'gzip' } },
      {
        name: 'the GraphQL response media type',
        query: `query ($id: ID!) { customer(id: $id) { ${PROFILE} } }`,
        text: true,
        headers: { accept: 'application/graphql-response+json' },
      },
      { name: 'introspection', query: '{ __schema { queryType { name } } }', text: false },
    ];
    for (const caller of [admin, repHangzhou, keys[0]!, evaluationsOnly]) {
      for (const entry of cases) {
        const { compiled } = await compare(caller, entry.query, { id, ...entry.variables }, entry.headers);
        // A key without customers:read is refused by the operation gate, on both paths alike.
        const expected = entry.text && caller !== evaluationsOnly;
        expect(compiled.asText, `${caller.name} ${entry.name}`).toBe(expected);
        if (expected && entry.headers?.['accept-encoding'])
          expect(compiled.headers['content-encoding'], entry.name).toBe(entry.headers['accept-encoding']);
      }
    }
  });

  it('picks the named operation of a document, and costs one statement past the set-up', async () => {
    const id = t.baseline.customers[0]!.id;
    const document = `query A($id: ID!) { customer(id: $id) { id legalName } } query B { customerIndustries }`;
    const [admin] = callers() as [Caller];
    const token = t.tokenFor('admin');
    for (const operationName of ['A', 'B']) {
      const bodies: string[] = [];
      for (const compiled of [false, true]) {
        t.app.config.compiledReads = compiled;
        const answered = jsonTextAnswers.count;
        const response = await t
          .http()
          .post('/graphql')
          .set('authorization', `Bearer ${token}`)
          .send({ query: document, operationName, variables: { id } });
        bodies.push(response.text);
        expect(jsonTextAnswers.count > answered, operationName).toBe(compiled && operationName === 'A');
      }
      expect(bodies[1], operationName).toBe(bodies[0]);
    }
    const setUp = (await request(admin, '{ __typename }', {}, true)).statements;
    const lone = await request(admin, `query ($id: ID!) { customer(id: $id) { ${PROFILE} } }`, { id }, true);
    expect(lone.asText).toBe(true);
    // The one statement travels with COMMIT (last-read.test.ts).
    expect(lone.statements).toBe(setUp);
    const page = await request(admin, DEEP_PAGE, { first: 25 }, true);
    expect(page.asText).toBe(true);
    expect(page.statements).toBe(setUp);
  });

  it('falls back, running the request again, when the row needs the resolvers', async () => {
    // A colleague's account is a directory card to a rep: the statement ran once and committed
    // with its transaction; the request then ran again (its opening once more), and the resolvers answered.
    const other = t.baseline.customers[3]!.id;
    const query = `query ($id: ID!) { customer(id: $id) { id legalName access } }`;
    const rep: Caller = { name: 'repHangzhou', user: 'repHangzhou' };
    const resolvers = await request(rep, query, { id: other }, false);
    const compiled = await request(rep, query, { id: other }, true);
    expect(compiled.asText).toBe(false);
    expect(compiled.body).toBe(resolvers.body);
    expect(compiled.statements).toBe(resolvers.statements + 2);
  });
});
