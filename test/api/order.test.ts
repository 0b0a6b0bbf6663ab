import { randomBytes } from 'node:crypto';
import pg from 'pg';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDataset } from '../../api/src/seeders/dataset.js';
import type { Customer } from '../../api/src/modules/customer/customer.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

let t: TestApp;
let integratorKey: string;

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().getConnection().execute<T[]>(query, params);

const CREATE = 'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id number total version customer { id } } }';
const UPDATE = 'mutation ($id: ID!, $input: UpdateOrderInput!) { updateOrder(id: $id, input: $input) { id number total version } }';
const LINES = [{ product: 'Widget', quantity: '1', unitPrice: '50.00' }];

/** Generated numbers as docs/permissions.md describes them: SO-<year of orderedAt>-<at least six digits>. */
const GENERATED = /^SO-(\d{4})-(\d{6,})$/;

function keyGql(token: string, query: string, variables: Record<string, unknown>): Promise<GqlResult> {
  return supertest(t.app.express)
    .post('/graphql')
    .set('authorization', `Bearer ${token}`)
    .send({ query, variables })
    .then((response) => ({
      status: response.status,
      data: response.body?.data ?? null,
      errors: response.body?.errors,
      body: response.body,
    }));
}

/** An account of the principal in the baseline (three each). */
function accountOf(who: Principal, index = 0): Customer {
  return t.baseline.customers.filter((customer) => customer.owner.id === t.baseline.users[who].id)[index]!;
}

beforeAll(async () => {
  t = await createTestApp();
  const { data, errors } = await t.gqlAs('admin', 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', {
    input: {
      name: 'ERP orders',
      kind: 'INTEGRATOR',
      scopes: ['CUSTOMERS_READ', 'ORDERS_READ', 'ORDERS_WRITE'],
      territoryIds: [t.baseline.regions.ningbo.id],
    },
  });
  expect(errors).toBeUndefined();
  integratorKey = data!.createApiKey.secret;
});

afterAll(async () => {
  await t?.close();
});

describe('numbers in a database migrated with orders in it', () => {
  it('continue above the largest number already used in each year, whoever could see it', async () => {
    const migrator = t.orm.getMigrator();
    await migrator.down({ migrations: ['Migration20261202000200'] });
    try {
      // Before the counter: numbers written by the old generator or typed in its shape.
      const customer = accountOf('repGuangzhou');
      for (const number of ['SO-2031-000041', 'SO-2031-000007', 'SO-2032-000003']) {
        await sql(
          `insert into sales_order (id, customer_id, number, status, ordered_at, currency) values (gen_random_uuid(), ?, ?, 'QUOTE', '2031-05-01', 'CNY')`,
          [customer.id, number],
        );
      }
    } finally {
      await migrator.up();
    }
    const in2031 = await t.gqlAs('repHangzhou', CREATE, {
      input: { customerId: accountOf('repHangzhou').id, orderedAt: '2031-07-01T00:00:00Z', lines: LINES },
    });
    expect(in2031.errors).toBeUndefined();
    expect(in2031.data!.createOrder.number).toBe('SO-2031-000042');
    const in2032 = await keyGql(integratorKey, CREATE, {
      input: { customerId: accountOf('repNingbo').id, orderedAt: '2032-01-01T00:00:00Z', lines: LINES },
    });
    expect(in2032.data!.createOrder.number).toBe('SO-2032-000004');
  });
});

describe('numbers after the demo dataset', () => {
  it('continue above the numbers the seeder wrote, and its payments fit their orders', async () => {
    const name = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    await admin.query(`create database "${name}" template "${inject('pgTemplateDatabase')}"`);
    const url = new URL(inject('pgAdminUrl'));
    url.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(`select set_config('app.all', 'on', false)`);
      await seedDataset((text, params) => client.query(text, params), { customers: 60, analyze: false, passwordHash: 'x' });
      const { rows: used } = await client.query<{ prefix: string; last: string }>(
        `select substring(number from '^(SO-[0-9]+-)') as prefix, max(substring(number from '-([0-9]+)$')::bigint)::text as last from sales_order where number ~ '^SO-[0-9]+-[0-9]+$' group by 1 order by 1`,
      );
      expect(used.length).toBeGreaterThan(0);
      for (const { prefix, last } of used) {
        await client.query('begin');
        await client.query(`select set_config('role', 'accountable_app', true)`);
        const { rows } = await client.query<{ next: string }>('select app_next_order_number($1)::text as next', [prefix]);
        await client.query('rollback');
        expect(BigInt(rows[0]!.next), prefix).toBe(BigInt(last) + 1n);
      }
    } finally {
      await client.end();
      await admin.query(`drop database "${name}"`);
      await admin.end();
    }
  });
});

describe('generated order numbers', () => {
  it('are unique when reps of two regions and an API key create orders at the same time, none of them seeing the others', async () => {
    const creators: { name: string; customerId: string; run: (input: Record<string, unknown>) => Promise<GqlResult> }[] = [
      { name: 'repHangzhou', customerId: accountOf('repHangzhou').id, run: (input) => t.gqlAs('repHangzhou', CREATE, { input }) },
      { name: 'repGuangzhou', customerId: accountOf('repGuangzhou').id, run: (input) => t.gqlAs('repGuangzhou', CREATE, { input }) },
      { name: 'key in Ningbo', customerId: accountOf('repNingbo').id, run: (input) => keyGql(integratorKey, CREATE, { input }) },
    ];
    const results = await Promise.all(
      Array.from({ length: 36 }, (_, index) => creators[index % 3]!).map((creator) =>
        creator.run({ customerId: creator.customerId, lines: LINES }).then((result) => ({ creator: creator.name, result })),
      ),
    );
    for (const { creator, result } of results) expect(result.errors, creator).toBeUndefined();
    const numbers = results.map(({ result }) => result.data!.createOrder.number as string);
    const year = String(new Date().getUTCFullYear());
    for (const number of numbers) expect(GENERATED.exec(number)?.[1]).toBe(year);
    expect(new Set(numbers).size).toBe(36);
    // Gapless: a counter, not a guess, so 36 creates take 36 consecutive numbers.
    const sequences = numbers.map((number) => Number(GENERATED.exec(number)![2])).sort((a, b) => a - b);
    expect(sequences.at(-1)! - sequences[0]! + 1).toBe(36);
  });

  it('follow the year the order is dated in, one sequence per year for everyone', async () => {
    const numbers: string[] = [];
    for (const who of ['repNingbo', 'repGuangzhou', 'repNingbo'] as const) {
      const { data, errors } = await t.gqlAs(who, CREATE, {
        input: { customerId: accountOf(who).id, orderedAt: '2019-06-01T00:00:00Z', lines: LINES },
      });
      expect(errors, who).toBeUndefined();
      numbers.push(data!.createOrder.number);
    }
    expect(numbers).toEqual(['SO-2019-000001', 'SO-2019-000002', 'SO-2019-000003']);
  });
});

describe('numbers typed by hand', () => {
  it('may repeat a number used in an account the caller cannot open: the answer is the same as for a fresh number', async () => {
    const hidden = await t.gqlAs('repGuangzhou', CREATE, {
      input: { customerId: accountOf('repGuangzhou').id, number: 'PO-4711', lines: LINES },
    });
    expect(hidden.errors).toBeUndefined();
    // repHangzhou cannot see repGuangzhou's order; trying its number tells nothing about it.
    expect(
      (await t.gqlAs('repHangzhou', 'query { orders(first: 100, filter: { search: "PO-4711" }) { totalCount } }')).data!.orders.totalCount,
    ).toBe(0);
    const rep = await t.gqlAs('repHangzhou', CREATE, {
      input: { customerId: accountOf('repHangzhou').id, number: 'PO-4711', lines: LINES },
    });
    const fresh = await t.gqlAs('repHangzhou', CREATE, {
      input: { customerId: accountOf('repHangzhou').id, number: 'PO-4712', lines: LINES },
    });
    expect(rep.errors).toBeUndefined();
    expect(fresh.errors).toBeUndefined();
    expect(rep.data!.createOrder.number).toBe('PO-4711');
    const key = await keyGql(integratorKey, CREATE, { input: { customerId: accountOf('repNingbo').id, number: 'PO-4711', lines: LINES } });
    expect(key.errors).toBeUndefined();
    expect(key.data!.createOrder.number).toBe('PO-4711');
    // And through an update.
    const other = await t.gqlAs('repHangzhou', CREATE, { input: { customerId: accountOf('repHangzhou', 1).id, lines: LINES } });
    const renamed = await t.gqlAs('repHangzhou', UPDATE, { id: other.data!.createOrder.id, input: { version: 1, number: 'PO-4711' } });
    expect(renamed.errors).toBeUndefined();
  });

  it('clash only with an order of the same account, which the writer can read: CONFLICT on number', async () => {
    const customerId = accountOf('repHangzhou', 2).id;
    const first = await t.gqlAs('repHangzhou', CREATE, { input: { customerId, number: 'HZ-77', lines: LINES } });
    expect(first.errors).toBeUndefined();
    const again = await t.gqlAs('managerEast', CREATE, { input: { customerId, number: 'HZ-77', lines: LINES } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'number' });
    const second = await t.gqlAs('repHangzhou', CREATE, { input: { customerId, number: 'HZ-78', lines: LINES } });
    const renamed = await t.gqlAs('repHangzhou', UPDATE, { id: second.data!.createOrder.id, input: { version: 1, number: 'HZ-77' } });
    expect(renamed.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'number' });
    const visible = await t.gqlAs(
      'repHangzhou',
      'query ($id: ID!) { orders(first: 10, filter: { customerId: $id, search: "HZ-77" }) { totalCount } }',
      { id: customerId },
    );
    expect(visible.data!.orders.totalCount).toBe(1);
  });

  it('may not take the shape of generated numbers, in any case; an edit may send a generated number back unchanged', async () => {
    const customerId = accountOf('repHangzhou').id;
    for (const number of ['SO-2026-000001', 'so-2026-999999', 'SO-1999-1']) {
      const result = await t.gqlAs('repHangzhou', CREATE, { input: { customerId, number, lines: LINES } });
      expect(result.errors?.[0]?.extensions, number).toMatchObject({ code: 'BAD_USER_INPUT', field: 'number' });
    }
    const generated = await t.gqlAs('repHangzhou', CREATE, { input: { customerId, lines: LINES } });
    const { id, number } = generated.data!.createOrder;
    const unchanged = await t.gqlAs('repHangzhou', UPDATE, { id, input: { version: 1, number, contractRef: 'C-1' } });
    expect(unchanged.errors).toBeUndefined();
    expect(unchanged.data!.updateOrder.number).toBe(number);
    const taken = await t.gqlAs('repHangzhou', UPDATE, { id, input: { version: 2, number: 'SO-2030-000001' } });
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'number' });
    const typed = await t.gqlAs('repHangzhou', UPDATE, { id, input: { version: 2, number: 'SO-CUSTOM-1' } });
    expect(typed.errors).toBeUndefined();
  });
});

describe('order totals and payments', () => {
  const CREATE_PAYMENT = 'mutation ($input: CreatePaymentInput!) { createPayment(input: $input) { id amount } }';
  const ORDER = 'query ($id: ID!) { order(id: $id) { total amountPaid balance version payments { amount } } }';
  const priced = (unitPrice: string) => [{ product: 'Machine', quantity: '1', unitPrice }];

  async function orderWithPayment(total: string, paid: string | null): Promise<{ id: string; version: number }> {
    const created = await t.gqlAs('repHangzhou', CREATE, { input: { customerId: accountOf('repHangzhou').id, lines: priced(total) } });
    expect(created.errors).toBeUndefined();
    const { id, version } = created.data!.createOrder;
    if (paid) {
      const payment = await t.gqlAs('repHangzhou', CREATE_PAYMENT, {
        input: { orderId: id, amount: paid, dueDate: '2025-05-01', paidAt: '2025-04-20T00:00:00Z' },
      });
      expect(payment.errors).toBeUndefined();
    }
    return { id, version };
  }

  it('refuses lowering a total below the payments recorded: BAD_USER_INPUT on lines, nothing written', async () => {
    const { id, version } = await orderWithPayment('1000.00', '600.00');
    const lowered = await t.gqlAs('repHangzhou', UPDATE, { id, input: { version, lines: priced('1.00') } });
    expect(lowered.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines' });
    expect((await t.gqlAs('repHangzhou', ORDER, { id })).data!.order).toMatchObject({
      total: '1000.00',
      amountPaid: '600.00',
      balance: '400.00',
      version,
    });
    // Down to exactly what was paid is fine.
    const exact = await t.gqlAs('managerEast', UPDATE, { id, input: { version, lines: priced('600.00') } });
    expect(exact.errors).toBeUndefined();
    expect((await t.gqlAs('repHangzhou', ORDER, { id })).data!.order).toMatchObject({ total: '600.00', balance: '0.00' });
  });

  it('counts payments still due as recorded payments too', async () => {
    const { id, version } = await orderWithPayment('1000.00', null);
    expect(
      (await t.gqlAs('repHangzhou', CREATE_PAYMENT, { input: { orderId: id, amount: '700.00', dueDate: '2025-06-01' } })).errors,
    ).toBeUndefined();
    const lowered = await t.gqlAs('repHangzhou', UPDATE, { id, input: { version, lines: priced('699.99') } });
    expect(lowered.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines' });
  });

  it('never ends with payments above the total when a lowered total races a payment', async () => {
    for (let round = 0; round < 12; round += 1) {
      const { id, version } = await orderWithPayment('1000.00', null);
      const [update, payment] = await Promise.all([
        t.gqlAs('repHangzhou', UPDATE, { id, input: { version, lines: priced('500.00') } }),
        t.gqlAs('managerEast', CREATE_PAYMENT, { input: { orderId: id, amount: '600.00', dueDate: '2025-05-01' } }),
      ]);
      // Whichever comes second is refused, naming the field at fault.
      const outcomes = [update.errors ? 'refused' : 'done', payment.errors ? 'refused' : 'done'];
      expect(
        outcomes.filter((outcome) => outcome === 'done'),
        `round ${round}`,
      ).toHaveLength(1);
      const refusal = (update.errors ?? payment.errors)![0]!.extensions;
      expect(refusal).toMatchObject({ code: 'BAD_USER_INPUT', field: update.errors ? 'lines' : 'amount' });
      const [row] = await sql<{ total: string; scheduled: string }>(
        'select o.total::text, coalesce(sum(p.amount), 0)::text as scheduled from sales_order o left join payment p on p.order_id = o.id where o.id = ? group by o.id',
        [id],
      );
      expect(Number(row!.scheduled), `round ${round}`).toBeLessThanOrEqual(Number(row!.total));
    }
  });

  it('is kept by the database for any writer, not only the API', async () => {
    const { id } = await orderWithPayment('1000.00', '600.00');
    await expect(sql('update sales_order set total = 599.99 where id = ?', [id])).rejects.toThrow(/less than the payments/);
    await expect(
      sql(`insert into payment (id, order_id, amount, due_date) values (gen_random_uuid(), ?, 400.01, '2025-07-01')`, [id]),
    ).rejects.toThrow(/exceed the order total/);
    await sql(`insert into payment (id, order_id, amount, due_date) values (gen_random_uuid(), ?, 400.00, '2025-07-01')`, [id]);
    expect((await t.gqlAs('repHangzhou', ORDER, { id })).data!.order).toMatchObject({ total: '1000.00', amountPaid: '600.00' });
  });
});
