import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { pino } from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../api/src/app.js';
import { loadConfig } from '../../api/src/config.js';
import { Customer360Document, CustomerListDocument, LoginDocument } from '../../schema/generated/graphql.js';

/**
 * The newcomer's path: no DATABASE_URL, so the embedded PostgreSQL (PGlite) under a data
 * directory, migrated and seeded with demo data on first start, through the same driver.
 */
let app: App;
let dataDir: string;

async function gql(document: Parameters<typeof print>[0], variables: Record<string, unknown>, token?: string) {
  let request = supertest(app.express).post('/graphql').set('content-type', 'application/json');
  if (token) request = request.set('authorization', `Bearer ${token}`);
  return (await request.send({ query: print(document), variables })).body;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'accountable-smoke-'));
  const config = loadConfig({ DATA_DIR: dataDir, DEMO_CUSTOMERS: '60', LOG_LEVEL: 'silent' });
  expect(config.databaseUrl).toBeNull();
  expect(config.demo).toBe(true);
  app = await createApp(config, { logger: pino({ level: 'silent' }) });
}, 180_000);

afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded database (PGlite)', () => {
  it('serves the demo data to admin@demo.local, customer-360 included', async () => {
    const login = await gql(LoginDocument, { email: 'admin@demo.local', password: 'demo' });
    expect(login.errors).toBeUndefined();
    const token = login.data.login.token as string;
    const list = await gql(CustomerListDocument, { first: 5, filter: { includeArchived: true } }, token);
    expect(list.errors).toBeUndefined();
    expect(list.data.customers.totalCount).toBe(60);
    const id = list.data.customers.edges[0].node.id as string;
    const c360 = await gql(Customer360Document, { id }, token);
    expect(c360.errors).toBeUndefined();
    expect(c360.data.customer.id).toBe(id);
    expect(c360.data.customer.contacts.length).toBeGreaterThan(0);
  });

  it('enforces territory ownership with row-level security as on PostgreSQL', async () => {
    const login = await gql(LoginDocument, { email: 'rep1.east@demo.local', password: 'demo' });
    const token = login.data.login.token as string;
    const mine = await gql(CustomerListDocument, { first: 100 }, token);
    const all = await gql(
      CustomerListDocument,
      { first: 100, filter: {} },
      (await gql(LoginDocument, { email: 'admin@demo.local', password: 'demo' })).data.login.token,
    );
    expect(mine.data.customers.totalCount).toBeLessThan(all.data.customers.totalCount);
    const sql = app.database.orm.em.fork().getConnection();
    const [stored] = await sql.execute<{ n: number }[]>(`select count(*)::int as n from customer`);
    expect(stored!.n).toBe(60);
    // The embedded pool has one connection, so these run in one session. No viewer set: the
    // unprivileged role the requests use sees nothing.
    await sql.execute(`set role accountable_app`);
    try {
      const [visible] = await sql.execute<{ n: number }[]>(`select count(*)::int as n from customer`);
      expect(visible!.n).toBe(0);
    } finally {
      await sql.execute(`reset role`);
    }
  });

  it('comes with two published evaluation cycles and lifecycle histories, and exports a cycle through COPY', async () => {
    const token = (await gql(LoginDocument, { email: 'admin@demo.local', password: 'demo' })).data.login.token as string;
    const post = async (query: string, variables: Record<string, unknown> = {}) =>
      (
        await supertest(app.express)
          .post('/graphql')
          .set('content-type', 'application/json')
          .set('authorization', `Bearer ${token}`)
          .send({ query, variables })
      ).body;
    const cycles = await post('{ evaluationCycles(first: 10) { edges { node { id name status } } } }');
    const year = new Date().getUTCFullYear();
    const nodes = cycles.data.evaluationCycles.edges.map((edge: { node: { id: string; name: string; status: string } }) => edge.node);
    expect(nodes.map((node: { name: string; status: string }) => [node.name, node.status])).toEqual([
      [`FY${year - 1}`, 'PUBLISHED'],
      [`FY${year - 2}`, 'PUBLISHED'],
    ]);
    const results = await post('query ($id: ID!) { evaluations(cycleId: $id, first: 1) { totalCount } }', { id: nodes[0].id });
    expect(results.data.evaluations.totalCount).toBeGreaterThan(0);

    const csv = await supertest(app.express).get(`/export/evaluations?cycle=${nodes[0].id}`).set('authorization', `Bearer ${token}`);
    expect(csv.status).toBe(200);
    const lines = (csv.text as string).split('\r\n');
    expect(lines[0]).toMatch(/^cycle_id,cycle_name,period_start,period_end,customer_id,customer_name,registration_id,/);
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(results.data.evaluations.totalCount);

    const funnel = await post('{ lifecycleFunnel { stages { stage entered conversionToNext medianDwellDays } } }');
    const intention = funnel.data.lifecycleFunnel.stages.find((stage: { stage: string }) => stage.stage === 'INTENTION');
    expect(intention.conversionToNext).toBeGreaterThan(0);
    expect(intention.medianDwellDays).toBeGreaterThan(0);
  });

  it('keeps one company one record, and lets a rep order without a number, as on PostgreSQL', async () => {
    const post = async (token: string, query: string, variables: Record<string, unknown> = {}) =>
      (
        await supertest(app.express)
          .post('/graphql')
          .set('content-type', 'application/json')
          .set('authorization', `Bearer ${token}`)
          .send({ query, variables })
      ).body;
    const signIn = async (email: string) => (await gql(LoginDocument, { email, password: 'demo' })).data.login.token as string;
    const [admin, east, south] = await Promise.all([
      signIn('admin@demo.local'),
      signIn('rep1.east@demo.local'),
      signIn('rep1.south@demo.local'),
    ]);
    const territoryOf = async (token: string) =>
      (await post(token, '{ me { id territories { id } } }')).data.me.territories[0].id as string;
    const [eastTerritory, southTerritory] = await Promise.all([territoryOf(east), territoryOf(south)]);
    const create = (token: string, input: Record<string, unknown>) =>
      post(token, 'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id version } }', { input });

    const original = await create(east, {
      legalName: 'Smoke Test Machinery Co., Ltd.',
      territoryId: eastTerritory,
      registrationId: '91330100SMOKE0001',
    });
    expect(original.errors).toBeUndefined();
    const copy = await create(south, { legalName: 'SMОKE TEST\u200b MACHINERY', territoryId: southTerritory });
    expect(copy.errors?.[0]?.extensions).toMatchObject({ code: 'DUPLICATE_OWNED', field: 'legalName' });
    const placeholder = await create(south, { legalName: 'Smoke Placeholder', territoryId: southTerritory });
    const renamed = await post(
      south,
      'mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }',
      {
        id: placeholder.data.createCustomer.id,
        input: { version: 1, registrationId: '9133-0100-smoke-0001' },
      },
    );
    expect(renamed.errors?.[0]?.extensions).toMatchObject({ code: 'DUPLICATE_OWNED', field: 'registrationId' });

    const key = await post(admin, 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', {
      input: { name: 'Smoke ERP', kind: 'INTEGRATOR', scopes: ['CUSTOMERS_READ', 'CUSTOMERS_WRITE'], territoryIds: [southTerritory] },
    });
    const byKey = await create(key.data.createApiKey.secret, {
      legalName: 'smoke test machinery',
      territoryId: southTerritory,
      ownerId: (await post(south, '{ me { id } }')).data.me.id,
    });
    expect(byKey.errors?.[0]?.extensions).toMatchObject({ code: 'DUPLICATE_OWNED' });
    expect(byKey.errors?.[0]?.extensions).not.toHaveProperty('owner');

    const order = await post(east, 'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { number total } }', {
      input: { customerId: original.data.createCustomer.id, lines: [{ product: 'Pump', quantity: '2', unitPrice: '150.00' }] },
    });
    expect(order.errors).toBeUndefined();
    expect(order.data.createOrder.number).toMatch(/^SO-\d{4}-\d+$/);
  });

  it('serves the change feed page by page in feed order, a rep only their accounts, as on PostgreSQL', async () => {
    const FEED = `query($after: String) { changes(after: $after, first: 40) {
      totalCount edges { cursor node { id customerId tombstone } } pageInfo { endCursor hasNextPage } } }`;
    const post = async (token: string, after: string | null) =>
      (await supertest(app.express).post('/graphql').set('authorization', `Bearer ${token}`).send({ query: FEED, variables: { after } }))
        .body;
    const readAll = async (token: string) => {
      const ids: string[] = [];
      const customers = new Set<string>();
      let after: string | null = null;
      let total = 0;
      for (let page = 0; page < 1000; page += 1) {
        const { data, errors } = await post(token, after);
        expect(errors).toBeUndefined();
        total = data.changes.totalCount;
        for (const edge of data.changes.edges) {
          ids.push(edge.node.id);
          // A tombstone is an account that left the reader's reach: the rest are accounts they read now.
          if (edge.node.customerId && !edge.node.tombstone) customers.add(edge.node.customerId);
        }
        after = data.changes.pageInfo.endCursor;
        if (!data.changes.pageInfo.hasNextPage) break;
      }
      return { ids, customers, total };
    };
    const admin = (await gql(LoginDocument, { email: 'admin@demo.local', password: 'demo' })).data.login.token as string;
    const rep = (await gql(LoginDocument, { email: 'rep1.east@demo.local', password: 'demo' })).data.login.token as string;
    const all = await readAll(admin);
    // The seed's writes are events: every one read once, in feed order, and counted alike.
    expect(all.ids.length).toBeGreaterThan(60);
    expect(new Set(all.ids).size).toBe(all.ids.length);
    expect(all.total).toBe(all.ids.length);
    const mine = await readAll(rep);
    const own = await gql(CustomerListDocument, { first: 100, filter: { includeArchived: true } }, rep);
    const owned = new Set((own.data.customers.edges as { node: { id: string } }[]).map((edge) => edge.node.id));
    expect(mine.ids.length).toBeGreaterThan(0);
    expect(mine.ids.length).toBeLessThan(all.ids.length);
    for (const customer of mine.customers) expect(owned.has(customer)).toBe(true);
  });

  it('keeps its data across a restart without seeding twice', async () => {
    const before = await gql(
      CustomerListDocument,
      { first: 1, filter: { includeArchived: true } },
      (await gql(LoginDocument, { email: 'admin@demo.local', password: 'demo' })).data.login.token,
    );
    await app.close();
    app = await createApp(loadConfig({ DATA_DIR: dataDir, DEMO_CUSTOMERS: '60', LOG_LEVEL: 'silent' }), {
      logger: pino({ level: 'silent' }),
    });
    const login = await gql(LoginDocument, { email: 'admin@demo.local', password: 'demo' });
    const list = await gql(CustomerListDocument, { first: 1, filter: { includeArchived: true } }, login.data.login.token);
    expect(list.data.customers.totalCount).toBe(before.data.customers.totalCount);
    expect(list.data.customers.totalCount).toBeGreaterThanOrEqual(60);
  });
});
