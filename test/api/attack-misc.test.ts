import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';

/** Smaller probes: inputs the API should refuse as BAD_USER_INPUT per docs/permissions.md. */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const CREATE_ORDER = 'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id number } }';
const CREATE_CUSTOMER = 'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }';

describe("attack: order numbers in the generator's shape", () => {
  it.each([
    ['full-width forms (NFKC: the reserved shape)', 'ＳＯ－２０３５－０００００１'],
    ['a trailing zero-width space', 'SO-2035-000001\u200b'],
    ['a trailing next-line control (not trimmed)', 'SO-2035-000001\u0085'],
  ])('refuses a typed number in %s', async (_label, number) => {
    const customer = t.baseline.customers.find((row) => row.owner.id === t.baseline.users.repHangzhou.id)!;
    const generated = await t.gqlAs('repHangzhou', CREATE_ORDER, {
      input: {
        customerId: customer.id,
        orderedAt: '2035-03-01T00:00:00Z',
        lines: [{ product: 'Widget', quantity: '1', unitPrice: '5.00' }],
      },
    });
    expect(generated.data!.createOrder.number).toMatch(/^SO-2035-\d{6}$/);
    const typed = await t.gqlAs('repHangzhou', CREATE_ORDER, {
      input: {
        customerId: customer.id,
        number,
        orderedAt: '2035-03-01T00:00:00Z',
        lines: [{ product: 'Widget', quantity: '1', unitPrice: '5.00' }],
      },
    });
    // Documented: a number typed by hand in the SO-<year>-<sequence> shape is BAD_USER_INPUT on number.
    expect(typed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'number' });
  });
});

describe('attack: a NUL character in a name', () => {
  it('is refused as BAD_USER_INPUT on legalName, not an internal error', async () => {
    const result = await t.gqlAs('repHangzhou', CREATE_CUSTOMER, {
      input: { legalName: 'Nul\u0000 Trading', territoryId: t.baseline.regions.hangzhou.id },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'legalName' });
  });
});

describe('the NUL character', () => {
  // PostgreSQL's text cannot hold U+0000: anywhere in input it is the client's mistake, named by field.
  it('is BAD_USER_INPUT on the field that holds it, in variables or in the query, and nothing is written', async () => {
    const customer = t.baseline.customers[0]!;
    const cases: [string, Record<string, unknown>, string][] = [
      [
        `query($types: [String!]) { changes(first: 5, types: $types) { totalCount } }`,
        { types: ['customer.updated', 'a\u0000b'] },
        'types',
      ],
      [
        `mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }`,
        { id: customer.id, input: { notes: 'before\u0000after', version: customer.version } },
        'notes',
      ],
      [`query { customers(first: 1, filter: { search: "x\\u0000y" }) { totalCount } }`, {}, 'query'],
    ];
    for (const [query, variables, field] of cases) {
      const { errors } = await t.gqlAs('admin', query, variables);
      expect(errors?.[0]?.extensions, query).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(errors)).not.toMatch(/0x00|invalid byte sequence|SQL/i);
    }
    const { rows } = await t.orm.em
      .fork()
      .getConnection()
      .execute<{ notes: string | null }[]>('select notes from customer where id = ?', [customer.id])
      .then((result) => ({ rows: result }));
    expect(rows[0]!.notes ?? '').not.toContain('after');
  });
});
