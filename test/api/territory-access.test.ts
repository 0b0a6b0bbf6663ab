import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * TERRITORY_ACCESS (docs/permissions.md): what a rep gets on a territory colleague's account.
 * Unset, it is NONE — owner-only, the colleague's accounts are directory cards — and READ and
 * EDIT are opt-ins.
 */
const ACCOUNT = `query ($id: ID!) { customer(id: $id) { id access owner { id } notes contacts { mobile imHandles { handle } } } }`;
const UPDATE = `mutation ($id: ID!, $notes: String!) { updateCustomer(id: $id, input: { notes: $notes, version: 1 }) { id notes } }`;

const cases = [
  { name: 'unset (the default)', env: {}, level: 'DIRECTORY', update: 'NOT_FOUND' },
  { name: 'READ', env: { TERRITORY_ACCESS: 'READ' }, level: 'READ', update: 'FORBIDDEN' },
  { name: 'EDIT', env: { TERRITORY_ACCESS: 'EDIT' }, level: 'EDIT', update: null },
] as const;

describe.each(cases)('TERRITORY_ACCESS $name', ({ env, level, update }) => {
  let t: TestApp;
  let colleagues: string;
  let mobile: string;

  beforeAll(async () => {
    t = await createTestApp(env);
    colleagues = t.baseline.customers.find((customer) => customer.owner.id === t.baseline.users.repHangzhou.id)!.id;
    const [row] = await t.orm.em
      .fork()
      .getConnection()
      .execute<{ mobile: string }[]>('select mobile from contact where customer_id = ?', [colleagues]);
    mobile = row!.mobile;
  });

  afterAll(async () => {
    await t?.close();
  });

  it(`gives a rep ${level} on a territory colleague's account`, async () => {
    const { data, errors, body } = await t.gqlAs('repHangzhou2', ACCOUNT, { id: colleagues });
    expect(data!.customer).toMatchObject({ id: colleagues, access: level, owner: { id: t.baseline.users.repHangzhou.id } });
    if (level === 'DIRECTORY') {
      expect(data!.customer).toMatchObject({ notes: null, contacts: null });
      expect(errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
      expect(JSON.stringify(body)).not.toContain(mobile);
    } else {
      expect(errors).toBeUndefined();
      expect(data!.customer.contacts.map((contact: any) => contact.mobile)).toContain(mobile);
    }
    const own = await t.gqlAs('repHangzhou', ACCOUNT, { id: colleagues });
    expect(own.data!.customer.access).toBe('EDIT');
  });

  it(`lists the colleague's accounts and contacts only from READ on`, async () => {
    const { data, errors } = await t.gqlAs(
      'repHangzhou2',
      `{ customers(first: 100) { edges { node { id } } } contacts(first: 100) { edges { node { customer { id } } } } }`,
    );
    expect(errors).toBeUndefined();
    const listed = data!.customers.edges.some((edge: any) => edge.node.id === colleagues);
    const contacts = data!.contacts.edges.some((edge: any) => edge.node.customer.id === colleagues);
    expect({ listed, contacts }).toEqual({ listed: level !== 'DIRECTORY', contacts: level !== 'DIRECTORY' });
  });

  it(`answers the colleague's change with ${update ?? 'the change'}`, async () => {
    const { data, errors } = await t.gqlAs('repHangzhou2', UPDATE, { id: colleagues, notes: 'from a colleague' });
    const [row] = await t.orm.em
      .fork()
      .getConnection()
      .execute<{ notes: string }[]>('select notes from customer where id = ?', [colleagues]);
    if (update) {
      expect(errors?.[0]?.extensions?.code).toBe(update);
      expect(row!.notes).not.toBe('from a colleague');
    } else {
      expect(errors).toBeUndefined();
      expect(data!.updateCustomer.notes).toBe('from a colleague');
      expect(row!.notes).toBe('from a colleague');
    }
  });
});
