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
