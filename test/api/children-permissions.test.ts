import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { ApiKeyKind, Scope } from '../../api/src/common/access/index.js';
import { ApiKey } from '../../api/src/modules/api-key/api-key.entity.js';
import { Contact } from '../../api/src/modules/contact/contact.entity.js';
import type { Customer } from '../../api/src/modules/customer/customer.entity.js';
import { Evaluation, EvaluationCycle } from '../../api/src/modules/evaluation/evaluation.entity.js';
import { Interaction } from '../../api/src/modules/interaction/interaction.entity.js';
import { Order, Payment } from '../../api/src/modules/order/order.entity.js';
import { Region } from '../../api/src/modules/region/region.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

let t: TestApp;

beforeAll(async () => {
  // The READ opt-in: every child operation meets all three outcomes (EDIT, a read-only teammate's FORBIDDEN, NOT_FOUND).
  t = await createTestApp({ TERRITORY_ACCESS: 'READ' });
});

afterAll(async () => {
  await t?.close();
});

const PRINCIPALS: Principal[] = ['admin', 'managerEast', 'managerSouth', 'repHangzhou', 'repHangzhou2', 'repNingbo', 'repGuangzhou'];

/**
 * What each principal may do with an account of repHangzhou (territory HZ, region EAST), with
 * TERRITORY_ACCESS=READ (an opt-in; the default is NONE): the admin, the manager of EAST and the owner change it; the
 * teammate in HZ reads it but may not change it; everyone else may only know it exists.
 */
const ON_HANGZHOU_ACCOUNT: Record<Principal, 'EDIT' | 'FORBIDDEN' | 'NOT_FOUND'> = {
  admin: 'EDIT',
  managerEast: 'EDIT',
  repHangzhou: 'EDIT',
  repHangzhou2: 'FORBIDDEN',
  managerSouth: 'NOT_FOUND',
  repNingbo: 'NOT_FOUND',
  repGuangzhou: 'NOT_FOUND',
};
const EDITORS = PRINCIPALS.filter((who) => ON_HANGZHOU_ACCOUNT[who] === 'EDIT');
const DENIED = PRINCIPALS.filter((who) => ON_HANGZHOU_ACCOUNT[who] !== 'EDIT');
const READERS = PRINCIPALS.filter((who) => ON_HANGZHOU_ACCOUNT[who] !== 'NOT_FOUND');
const OUTSIDERS = PRINCIPALS.filter((who) => ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND');

/** Accounts each principal may open in the baseline (3 per rep; HZ has two reps). */
const OPEN_ACCOUNTS: Record<Principal, number> = {
  admin: 12,
  managerEast: 9,
  managerSouth: 3,
  repHangzhou: 6,
  repHangzhou2: 6,
  repNingbo: 3,
  repGuangzhou: 3,
};

function codeOf(result: GqlResult): unknown {
  return result.errors?.[0]?.extensions?.code;
}

/** The Hangzhou account owned by repHangzhou that these tests act on. */
function account(): Customer {
  return t.baseline.customers[0]!;
}

const db = () => t.orm.em.fork();

describe('contacts', () => {
  const CONTACT = 'query ($id: ID!) { contact(id: $id) { id name email customer { id legalName owner { name } } } }';
  const CONTACTS =
    'query ($filter: ContactFilter) { contacts(first: 100, filter: $filter) { totalCount edges { node { id customer { id } } } } }';
  const NESTED = 'query ($id: ID!) { customer(id: $id) { id contacts { id name } } }';
  const CREATE = 'mutation ($input: CreateContactInput!) { createContact(input: $input) { id name email customer { id } } }';
  const UPDATE = 'mutation ($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id name version } }';
  const DELETE = 'mutation ($id: ID!, $version: Int!) { deleteContact(id: $id, version: $version) }';

  const contactOf = async (customer: Customer) => db().findOneOrFail(Contact, { customer: customer.id }, { orderBy: { createdAt: 'asc' } });

  it('gets a contact for those who may open the account, and null for the others', async () => {
    const contact = await contactOf(account());
    for (const who of READERS) {
      const { data, errors } = await t.gqlAs(who, CONTACT, { id: contact.id });
      expect(errors, who).toBeUndefined();
      expect(data!.contact, who).toMatchObject({
        id: contact.id,
        email: contact.email,
        customer: { id: account().id, owner: { name: 'Hu Hangzhou' } },
      });
    }
    for (const who of OUTSIDERS) {
      const { data, errors } = await t.gqlAs(who, CONTACT, { id: contact.id });
      expect(errors, who).toBeUndefined();
      expect(data!.contact, who).toBeNull();
    }
  });

  it('lists the contacts of the accounts the viewer may open, whatever the filter', async () => {
    for (const who of PRINCIPALS) {
      const all = await t.gqlAs(who, CONTACTS, {});
      expect(all.errors, who).toBeUndefined();
      expect(all.data!.contacts.totalCount, who).toBe(OPEN_ACCOUNTS[who]);
      expect(all.data!.contacts.edges, who).toHaveLength(OPEN_ACCOUNTS[who]);
      const filtered = await t.gqlAs(who, CONTACTS, { filter: { customerId: account().id } });
      expect(filtered.data!.contacts.totalCount, who).toBe(ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND' ? 0 : 1);
      const searched = await t.gqlAs(who, CONTACTS, { filter: { search: (await contactOf(account())).email } });
      expect(searched.data!.contacts.totalCount, who).toBe(ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND' ? 0 : 1);
    }
  });

  it('lists contacts nested in the account for readers, and hides them from the others', async () => {
    for (const who of READERS) {
      const { data, errors } = await t.gqlAs(who, NESTED, { id: account().id });
      expect(errors, who).toBeUndefined();
      expect(data!.customer.contacts, who).toHaveLength(1);
    }
    for (const who of OUTSIDERS) {
      const { data, errors } = await t.gqlAs(who, NESTED, { id: account().id });
      expect(data!.customer, who).toMatchObject({ id: account().id, contacts: null });
      expect(errors?.[0], who).toMatchObject({ path: ['customer', 'contacts'], extensions: { code: 'FORBIDDEN' } });
    }
  });

  it('creates a contact for editors of the account; FORBIDDEN for a read-only teammate, NOT_FOUND for the others, adding nothing', async () => {
    const before = await db().count(Contact, { customer: account().id });
    for (const who of DENIED) {
      const result = await t.gqlAs(who, CREATE, { input: { customerId: account().id, name: `Denied ${who}` } });
      expect(codeOf(result), who).toBe(ON_HANGZHOU_ACCOUNT[who]);
      expect(result.data, who).toBeNull();
    }
    expect(await db().count(Contact, { customer: account().id })).toBe(before);
    for (const who of EDITORS) {
      const { data, errors } = await t.gqlAs(who, CREATE, {
        input: { customerId: account().id, name: `Added by ${who}`, email: `${who}@customer.example` },
      });
      expect(errors, who).toBeUndefined();
      expect(data!.createContact, who).toMatchObject({
        name: `Added by ${who}`,
        email: `${who.toLowerCase()}@customer.example`,
        customer: { id: account().id },
      });
    }
    expect(await db().count(Contact, { customer: account().id })).toBe(before + EDITORS.length);
  });

  it('updates a contact for editors; a denied update names the contact, never its account, and changes nothing', async () => {
    const contact = await contactOf(account());
    for (const who of DENIED) {
      const result = await t.gqlAs(who, UPDATE, { id: contact.id, input: { version: contact.version, name: 'Hijacked' } });
      expect(result.errors?.[0]?.extensions, who).toMatchObject(
        ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND' ? { code: 'NOT_FOUND', type: 'Contact', id: contact.id } : { code: 'FORBIDDEN' },
      );
    }
    const unchanged = await db().findOneOrFail(Contact, contact.id);
    expect(unchanged).toMatchObject({ name: contact.name, version: contact.version });
    let version = contact.version;
    for (const who of EDITORS) {
      const { data, errors } = await t.gqlAs(who, UPDATE, { id: contact.id, input: { version, name: `Renamed by ${who}` } });
      expect(errors, who).toBeUndefined();
      expect(data!.updateContact, who).toMatchObject({ name: `Renamed by ${who}`, version: version + 1 });
      version += 1;
    }
  });

  it('deletes a contact for editors only, leaving it in place on a denial', async () => {
    for (const editor of EDITORS) {
      const created = await t.gqlAs(editor, CREATE, { input: { customerId: account().id, name: `To delete by ${editor}` } });
      const id = created.data!.createContact.id as string;
      for (const who of DENIED) {
        const result = await t.gqlAs(who, DELETE, { id, version: 1 });
        expect(codeOf(result), who).toBe(ON_HANGZHOU_ACCOUNT[who]);
      }
      expect(await db().findOne(Contact, id)).not.toBeNull();
      const deleted = await t.gqlAs(editor, DELETE, { id, version: 1 });
      expect(deleted.errors, editor).toBeUndefined();
      expect(deleted.data!.deleteContact).toBe(true);
      expect(await db().findOne(Contact, id)).toBeNull();
    }
  });

  it('lets a manager act in their regions only', async () => {
    const guangzhou = t.baseline.customers[9]!;
    const contact = await contactOf(guangzhou);
    const east = await t.gqlAs('managerEast', UPDATE, { id: contact.id, input: { version: contact.version, name: 'Out of region' } });
    expect(codeOf(east)).toBe('NOT_FOUND');
    const south = await t.gqlAs('managerSouth', UPDATE, {
      id: contact.id,
      input: { version: contact.version, title: 'Head of purchasing' },
    });
    expect(south.errors).toBeUndefined();
    expect((await db().findOneOrFail(Contact, contact.id)).title).toBe('Head of purchasing');
  });
});

describe('interactions', () => {
  const INTERACTION = 'query ($id: ID!) { interaction(id: $id) { id summary author { name } contact { name } customer { id } } }';
  const INTERACTIONS =
    'query ($filter: InteractionFilter) { interactions(first: 100, filter: $filter) { totalCount edges { node { id } } } }';
  const NESTED = 'query ($id: ID!) { customer(id: $id) { id interactions { totalCount edges { node { id author { name } } } } } }';
  const LOG = 'mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id summary author { id } customer { id } } }';
  const UPDATE =
    'mutation ($id: ID!, $input: UpdateInteractionInput!) { updateInteraction(id: $id, input: $input) { id summary version } }';
  const DELETE = 'mutation ($id: ID!, $version: Int!) { deleteInteraction(id: $id, version: $version) }';

  const interactionOf = async (customer: Customer) =>
    db().findOneOrFail(Interaction, { customer: customer.id }, { orderBy: { occurredAt: 'asc' } });

  it('gets an interaction for those who may open the account, and null for the others', async () => {
    const interaction = await interactionOf(account());
    for (const who of READERS) {
      const { data, errors } = await t.gqlAs(who, INTERACTION, { id: interaction.id });
      expect(errors, who).toBeUndefined();
      expect(data!.interaction, who).toMatchObject({ id: interaction.id, author: { name: 'Hu Hangzhou' }, customer: { id: account().id } });
      expect(data!.interaction.contact, who).not.toBeNull();
    }
    for (const who of OUTSIDERS) {
      const { data, errors } = await t.gqlAs(who, INTERACTION, { id: interaction.id });
      expect(errors, who).toBeUndefined();
      expect(data!.interaction, who).toBeNull();
    }
  });

  it('lists interactions on the accounts the viewer may open, also when filtered by an account they may not', async () => {
    for (const who of PRINCIPALS) {
      const all = await t.gqlAs(who, INTERACTIONS, {});
      expect(all.errors, who).toBeUndefined();
      expect(all.data!.interactions.totalCount, who).toBe(3 * OPEN_ACCOUNTS[who]);
      const filtered = await t.gqlAs(who, INTERACTIONS, { filter: { customerId: account().id } });
      expect(filtered.data!.interactions.totalCount, who).toBe(ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND' ? 0 : 3);
      const byAuthor = await t.gqlAs(who, INTERACTIONS, { filter: { authorId: t.baseline.users.repHangzhou.id } });
      expect(byAuthor.data!.interactions.totalCount, who).toBe(ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND' ? 0 : 9);
    }
  });

  it('shows the timeline nested in the account to readers only', async () => {
    for (const who of READERS) {
      const { data, errors } = await t.gqlAs(who, NESTED, { id: account().id });
      expect(errors, who).toBeUndefined();
      expect(data!.customer.interactions.totalCount, who).toBe(3);
    }
    for (const who of OUTSIDERS) {
      const { data, errors } = await t.gqlAs(who, NESTED, { id: account().id });
      expect(data!.customer.interactions, who).toBeNull();
      expect(errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
    }
  });

  it('logs an interaction for editors, authored by the signed-in user; denials add nothing', async () => {
    const before = await db().count(Interaction, { customer: account().id });
    const input = { customerId: account().id, kind: 'CALL', channel: 'PHONE', summary: 'Called about the renewal' };
    for (const who of DENIED) {
      const result = await t.gqlAs(who, LOG, { input });
      expect(codeOf(result), who).toBe(ON_HANGZHOU_ACCOUNT[who]);
    }
    expect(await db().count(Interaction, { customer: account().id })).toBe(before);
    for (const who of EDITORS) {
      const { data, errors } = await t.gqlAs(who, LOG, { input });
      expect(errors, who).toBeUndefined();
      expect(data!.logInteraction, who).toMatchObject({ author: { id: t.baseline.users[who].id }, customer: { id: account().id } });
    }
    expect(await db().count(Interaction, { customer: account().id })).toBe(before + EDITORS.length);
  });

  it('updates and deletes an interaction for editors only; denials change nothing', async () => {
    const interaction = await interactionOf(account());
    for (const who of DENIED) {
      const update = await t.gqlAs(who, UPDATE, { id: interaction.id, input: { version: interaction.version, summary: 'Rewritten' } });
      expect(update.errors?.[0]?.extensions, who).toMatchObject(
        ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND' ? { code: 'NOT_FOUND', type: 'Interaction', id: interaction.id } : { code: 'FORBIDDEN' },
      );
      const remove = await t.gqlAs(who, DELETE, { id: interaction.id, version: interaction.version });
      expect(codeOf(remove), who).toBe(ON_HANGZHOU_ACCOUNT[who]);
    }
    expect(await db().findOneOrFail(Interaction, interaction.id)).toMatchObject({
      summary: interaction.summary,
      version: interaction.version,
    });
    let version = interaction.version;
    for (const who of EDITORS) {
      const { data, errors } = await t.gqlAs(who, UPDATE, { id: interaction.id, input: { version, summary: `Edited by ${who}` } });
      expect(errors, who).toBeUndefined();
      expect(data!.updateInteraction.version, who).toBe(version + 1);
      version += 1;
    }
    const removed = await t.gqlAs('repHangzhou', DELETE, { id: interaction.id, version });
    expect(removed.errors).toBeUndefined();
    expect(await db().findOne(Interaction, interaction.id)).toBeNull();
  });
});

describe('orders and payments', () => {
  const ORDER =
    'query ($id: ID!) { order(id: $id) { id number lines { product } payments { id amount } amountPaid balance customer { id } } }';
  const ORDERS = 'query ($filter: OrderFilter) { orders(first: 100, filter: $filter) { totalCount edges { node { id } } } }';
  const NESTED =
    'query ($id: ID!) { customer(id: $id) { id orders { totalCount edges { node { id lines { product } payments { amount } } } } } }';
  const CREATE = 'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id status total customer { id } } }';
  const UPDATE = 'mutation ($id: ID!, $input: UpdateOrderInput!) { updateOrder(id: $id, input: $input) { id contractRef version } }';
  const DELETE = 'mutation ($id: ID!, $version: Int!) { deleteOrder(id: $id, version: $version) }';
  const CREATE_PAYMENT = 'mutation ($input: CreatePaymentInput!) { createPayment(input: $input) { id amount order { id } } }';
  const UPDATE_PAYMENT =
    'mutation ($id: ID!, $input: UpdatePaymentInput!) { updatePayment(id: $id, input: $input) { id dueDate version } }';
  const DELETE_PAYMENT = 'mutation ($id: ID!, $version: Int!) { deletePayment(id: $id, version: $version) }';
  const LINES = [{ product: 'Widget', quantity: '1', unitPrice: '50.00' }];

  const orderOf = async (customer: Customer) => db().findOneOrFail(Order, { customer: customer.id }, { orderBy: { orderedAt: 'asc' } });

  it('gets an order with its lines and payments for those who may open the account, and null for the others', async () => {
    const order = await orderOf(account());
    for (const who of READERS) {
      const { data, errors } = await t.gqlAs(who, ORDER, { id: order.id });
      expect(errors, who).toBeUndefined();
      expect(data!.order, who).toMatchObject({
        id: order.id,
        lines: [{ product: 'Widget' }],
        payments: [{ amount: '200.00' }],
        amountPaid: '200.00',
        balance: '0.00',
        customer: { id: account().id },
      });
    }
    for (const who of OUTSIDERS) {
      const { data, errors } = await t.gqlAs(who, ORDER, { id: order.id });
      expect(errors, who).toBeUndefined();
      expect(data!.order, who).toBeNull();
    }
  });

  it('lists the orders of the accounts the viewer may open, whatever the filter', async () => {
    for (const who of PRINCIPALS) {
      const all = await t.gqlAs(who, ORDERS, {});
      expect(all.errors, who).toBeUndefined();
      expect(all.data!.orders.totalCount, who).toBe(2 * OPEN_ACCOUNTS[who]);
      const filtered = await t.gqlAs(who, ORDERS, { filter: { customerId: account().id } });
      expect(filtered.data!.orders.totalCount, who).toBe(ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND' ? 0 : 2);
    }
  });

  it('shows orders nested in the account to readers only', async () => {
    for (const who of READERS) {
      const { data, errors } = await t.gqlAs(who, NESTED, { id: account().id });
      expect(errors, who).toBeUndefined();
      expect(data!.customer.orders.edges[0].node.payments, who).toEqual([{ amount: '200.00' }]);
    }
    for (const who of OUTSIDERS) {
      const { data, errors } = await t.gqlAs(who, NESTED, { id: account().id });
      expect(data!.customer.orders, who).toBeNull();
      expect(errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
    }
  });

  it('creates an order for editors; denials add nothing', async () => {
    const before = await db().count(Order, { customer: account().id });
    for (const who of DENIED) {
      const result = await t.gqlAs(who, CREATE, { input: { customerId: account().id, lines: LINES } });
      expect(codeOf(result), who).toBe(ON_HANGZHOU_ACCOUNT[who]);
    }
    // The access check comes first: a denied viewer learns nothing from validating the rest.
    const invalid = await t.gqlAs('repNingbo', CREATE, {
      input: { customerId: account().id, status: 'CONFIRMED', winProbability: 50, lines: LINES },
    });
    expect(codeOf(invalid)).toBe('NOT_FOUND');
    expect(await db().count(Order, { customer: account().id })).toBe(before);
    for (const who of EDITORS) {
      const { data, errors } = await t.gqlAs(who, CREATE, { input: { customerId: account().id, lines: LINES } });
      expect(errors, who).toBeUndefined();
      expect(data!.createOrder, who).toMatchObject({ status: 'QUOTE', total: '50.00', customer: { id: account().id } });
    }
    expect(await db().count(Order, { customer: account().id })).toBe(before + EDITORS.length);
  });

  it('updates and deletes an order for editors only; denials change nothing', async () => {
    const created = await t.gqlAs('repHangzhou', CREATE, { input: { customerId: account().id, lines: LINES } });
    const id = created.data!.createOrder.id as string;
    for (const who of DENIED) {
      const update = await t.gqlAs(who, UPDATE, { id, input: { version: 1, contractRef: 'HACK-1' } });
      expect(update.errors?.[0]?.extensions, who).toMatchObject(
        ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND' ? { code: 'NOT_FOUND', type: 'Order', id } : { code: 'FORBIDDEN' },
      );
      const remove = await t.gqlAs(who, DELETE, { id, version: 1 });
      expect(codeOf(remove), who).toBe(ON_HANGZHOU_ACCOUNT[who]);
    }
    expect(await db().findOneOrFail(Order, id)).toMatchObject({ contractRef: null, version: 1 });
    let version = 1;
    for (const who of EDITORS) {
      const { data, errors } = await t.gqlAs(who, UPDATE, { id, input: { version, contractRef: `C-${who}` } });
      expect(errors, who).toBeUndefined();
      expect(data!.updateOrder, who).toMatchObject({ contractRef: `C-${who}`, version: version + 1 });
      version += 1;
    }
    const removed = await t.gqlAs('managerEast', DELETE, { id, version });
    expect(removed.errors).toBeUndefined();
    expect(await db().findOne(Order, id)).toBeNull();
  });

  it("follows the order's account for payments: create, update and delete", async () => {
    const created = await t.gqlAs('repHangzhou', CREATE, { input: { customerId: account().id, lines: LINES } });
    const orderId = created.data!.createOrder.id as string;
    for (const who of DENIED) {
      const result = await t.gqlAs(who, CREATE_PAYMENT, { input: { orderId, amount: '10.00', dueDate: '2025-03-01' } });
      expect(result.errors?.[0]?.extensions, who).toMatchObject(
        ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND'
          ? { code: 'NOT_FOUND', type: 'Order', id: orderId }
          : { code: 'FORBIDDEN', field: 'orderId' },
      );
    }
    expect(await db().count(Payment, { order: orderId })).toBe(0);
    for (const who of EDITORS) {
      const { data, errors } = await t.gqlAs(who, CREATE_PAYMENT, { input: { orderId, amount: '10.00', dueDate: '2025-03-01' } });
      expect(errors, who).toBeUndefined();
      expect(data!.createPayment, who).toMatchObject({ amount: '10.00', order: { id: orderId } });
    }
    const payment = await db().findOneOrFail(Payment, { order: orderId }, { orderBy: { createdAt: 'asc' } });
    for (const who of DENIED) {
      const update = await t.gqlAs(who, UPDATE_PAYMENT, { id: payment.id, input: { version: payment.version, dueDate: '2030-01-01' } });
      expect(update.errors?.[0]?.extensions, who).toMatchObject(
        ON_HANGZHOU_ACCOUNT[who] === 'NOT_FOUND' ? { code: 'NOT_FOUND', type: 'Payment', id: payment.id } : { code: 'FORBIDDEN' },
      );
      const remove = await t.gqlAs(who, DELETE_PAYMENT, { id: payment.id, version: payment.version });
      expect(codeOf(remove), who).toBe(ON_HANGZHOU_ACCOUNT[who]);
    }
    expect(await db().findOneOrFail(Payment, payment.id)).toMatchObject({ dueDate: payment.dueDate, version: payment.version });
    const updated = await t.gqlAs('managerEast', UPDATE_PAYMENT, {
      id: payment.id,
      input: { version: payment.version, dueDate: '2025-04-01' },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updatePayment).toMatchObject({ dueDate: '2025-04-01', version: payment.version + 1 });
    const removed = await t.gqlAs('repHangzhou', DELETE_PAYMENT, { id: payment.id, version: payment.version + 1 });
    expect(removed.errors).toBeUndefined();
    expect(await db().findOne(Payment, payment.id)).toBeNull();
  });
});

let cycle: Promise<string> | undefined;

/** A cycle with a result for every baseline account, created on first use. */
function evaluatedCycle(): Promise<string> {
  cycle ??= (async () => {
    const em = db();
    const created = em.create(EvaluationCycle, { name: '2025', periodStart: '2025-01-01', periodEnd: '2025-12-31' });
    for (const customer of t.baseline.customers) em.create(Evaluation, { cycle: created, customer: customer.id, grade: 'NORMAL' });
    await em.flush();
    return created.id;
  })();
  return cycle;
}

describe('evaluation cycles', () => {
  const CYCLE =
    'query ($id: ID!) { evaluationCycle(id: $id) { id evaluations(first: 100) { totalCount edges { node { grade customer { id } } } } } }';

  it("lists only the evaluations of accounts the viewer may open: a rep sees their territory's", async () => {
    const cycleId = await evaluatedCycle();
    for (const who of PRINCIPALS) {
      const { data, errors } = await t.gqlAs(who, CYCLE, { id: cycleId });
      expect(errors, who).toBeUndefined();
      const evaluations = data!.evaluationCycle.evaluations;
      expect(evaluations.totalCount, who).toBe(OPEN_ACCOUNTS[who]);
      expect(evaluations.edges, who).toHaveLength(OPEN_ACCOUNTS[who]);
    }
    const PAGE =
      'query ($id: ID!, $after: String) { evaluationCycle(id: $id) { evaluations(first: 4, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }';
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const result: GqlResult = await t.gqlAs('managerEast', PAGE, { id: cycleId, after });
      const evaluations: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } =
        result.data!.evaluationCycle.evaluations;
      seen.push(...evaluations.edges.map((edge) => edge.node.id));
      if (!evaluations.pageInfo.hasNextPage) break;
      after = evaluations.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(OPEN_ACCOUNTS.managerEast);
    const ningbo = await t.gqlAs('repNingbo', CYCLE, { id: cycleId });
    const owners = new Set(
      ningbo.data!.evaluationCycle.evaluations.edges.map((edge: { node: { customer: { id: string } } }) => edge.node.customer.id),
    );
    expect(owners).toEqual(new Set(t.baseline.customers.slice(6, 9).map((customer) => customer.id)));
  });
});

describe('API keys', () => {
  /** Creates a key for Hangzhou and returns its bearer secret. */
  async function keyFor(kind: ApiKeyKind, scopes: Scope[]): Promise<string> {
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
    return `acc_${prefix}_${secret}`;
  }

  async function gqlWithKey(key: string, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
    const response = await t.http().post('/graphql').set('authorization', `Bearer ${key}`).send({ query, variables });
    return { status: response.status, data: response.body?.data ?? null, errors: response.body?.errors, body: response.body };
  }

  it('admits a key to an operation only with its scope', async () => {
    const key = await keyFor(ApiKeyKind.INTEGRATOR, [Scope.CUSTOMERS_READ]);
    for (const query of [
      '{ contacts { totalCount } }',
      '{ interactions { totalCount } }',
      '{ orders { totalCount } }',
      '{ evaluationCycles { totalCount } }',
      '{ me { id } }',
      '{ users { totalCount } }',
    ]) {
      const result = await gqlWithKey(key, query);
      expect(codeOf(result), query).toBe('FORBIDDEN');
    }
    const regions = await gqlWithKey(key, '{ regions { totalCount } }');
    expect(regions.errors).toBeUndefined();
  });

  it("lists contacts of the key's territories, hiding personal data and searching names only without pii:read", async () => {
    const key = await keyFor(ApiKeyKind.BI, [Scope.CONTACTS_READ]);
    const list = await gqlWithKey(
      key,
      '{ contacts(first: 100) { totalCount edges { node { name email mobile imHandles { network } } } } }',
    );
    expect(list.data!.contacts.totalCount).toBe(await db().count(Contact, { customer: { territory: t.baseline.regions.hangzhou.id } }));
    const node = list.data!.contacts.edges[0].node;
    expect(node).toMatchObject({ email: null, mobile: null, imHandles: null });
    expect(node.name).toBeTruthy();
    expect(new Set(list.errors!.map((error) => error.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
    const contact = await db().findOneOrFail(Contact, { customer: t.baseline.customers[3]!.id });
    const byEmail = await gqlWithKey(key, 'query ($search: String) { contacts(filter: { search: $search }) { totalCount } }', {
      search: contact.email,
    });
    expect(byEmail.data!.contacts.totalCount).toBe(0);
    const byName = await gqlWithKey(key, 'query ($id: ID!) { contacts(filter: { customerId: $id }) { totalCount } }', {
      id: t.baseline.customers[3]!.id,
    });
    expect(byName.data!.contacts.totalCount).toBe(1);
    const outside = await gqlWithKey(key, 'query ($id: ID!) { contact(id: $id) { id } }', {
      id: (await db().findOneOrFail(Contact, { customer: t.baseline.customers[9]!.id })).id,
    });
    expect(outside.data!.contact).toBeNull();
  });

  it("attributes an interaction an integration logs to the account's owner", async () => {
    const key = await keyFor(ApiKeyKind.INTEGRATOR, [Scope.INTERACTIONS_READ, Scope.INTERACTIONS_WRITE]);
    const teammateAccount = t.baseline.customers[3]!;
    const logged = await gqlWithKey(key, 'mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id author { id } } }', {
      input: { customerId: teammateAccount.id, kind: 'EMAIL', channel: 'EMAIL', summary: 'Pushed by the ERP' },
    });
    expect(logged.errors).toBeUndefined();
    expect(logged.data!.logInteraction.author.id).toBe(t.baseline.users.repHangzhou2.id);
    // Logged without a contact: the key still may not learn that (contact is the contacts group's).
    const read = await gqlWithKey(key, 'query ($id: ID!) { interaction(id: $id) { id contact { id } } }', {
      id: logged.data!.logInteraction.id,
    });
    expect(read.data!.interaction).toEqual({ id: logged.data!.logInteraction.id, contact: null });
    expect(read.errors?.[0]).toMatchObject({ path: ['interaction', 'contact'], extensions: { code: 'FORBIDDEN' } });
    const outside = await gqlWithKey(key, 'mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id } }', {
      input: { customerId: t.baseline.customers[9]!.id, kind: 'EMAIL', channel: 'EMAIL', summary: 'Pushed by the ERP' },
    });
    expect(codeOf(outside)).toBe('NOT_FOUND');
    const noWriteScope = await gqlWithKey(key, 'mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }', {
      input: { customerId: teammateAccount.id, name: 'Nope' },
    });
    expect(codeOf(noWriteScope)).toBe('FORBIDDEN');
  });

  it("hides an interaction's contact from a key without contacts:read", async () => {
    const key = await keyFor(ApiKeyKind.BI, [Scope.INTERACTIONS_READ]);
    const { data, errors } = await gqlWithKey(
      key,
      'query ($id: ID!) { interactions(first: 1, filter: { customerId: $id }) { edges { node { summary contact { name } } } } }',
      { id: t.baseline.customers[4]!.id },
    );
    expect(data!.interactions.edges[0].node).toMatchObject({ contact: null });
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('users and regions', () => {
  it('lists users for managers and admins only; reads one user for any user', async () => {
    for (const who of PRINCIPALS) {
      const list = await t.gqlAs(who, '{ users { totalCount } }');
      expect(codeOf(list), who).toBe(who === 'admin' || who.startsWith('manager') ? undefined : 'FORBIDDEN');
      const one = await t.gqlAs(who, 'query ($id: ID!) { user(id: $id) { name } }', { id: t.baseline.users.repHangzhou.id });
      expect(one.data!.user, who).toEqual({ name: 'Hu Hangzhou' });
    }
  });

  it('changes users and regions for admins only', async () => {
    const input = { code: 'XX', name: 'Nowhere', kind: 'REGION' };
    for (const who of PRINCIPALS.filter((principal) => principal !== 'admin')) {
      const region = await t.gqlAs(who, 'mutation ($input: CreateRegionInput!) { createRegion(input: $input) { id } }', { input });
      expect(codeOf(region), who).toBe('FORBIDDEN');
      const user = await t.gqlAs(who, 'mutation ($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }', {
        id: t.baseline.users.repNingbo.id,
        input: { version: 1, name: 'Renamed' },
      });
      expect(codeOf(user), who).toBe('FORBIDDEN');
    }
    expect(await db().count(Region, { code: 'XX' })).toBe(0);
  });
});

describe('with row-level security switched off', () => {
  // Row-level security is the second layer; the API must scope on its own. Last in this file:
  // it changes this file's database.
  beforeAll(async () => {
    for (const table of ['customer', 'contact', 'interaction', 'sales_order', 'order_line', 'payment', 'evaluation']) {
      await db().execute(`alter table "${table}" disable row level security`);
    }
  });

  it('still keeps the children of accounts a viewer may not open out of reach', async () => {
    const contact = await db().findOneOrFail(Contact, { customer: account().id }, { orderBy: { createdAt: 'asc' } });
    const interaction = await db().findOneOrFail(Interaction, { customer: account().id }, { orderBy: { occurredAt: 'asc' } });
    const order = await db().findOneOrFail(Order, { customer: account().id }, { orderBy: { orderedAt: 'asc' } });
    const payment = await db().findOneOrFail(Payment, { order: order.id });
    for (const who of OUTSIDERS) {
      const read = await t.gqlAs(
        who,
        'query ($c: ID!, $i: ID!, $o: ID!) { contact(id: $c) { id } interaction(id: $i) { id } order(id: $o) { id } }',
        { c: contact.id, i: interaction.id, o: order.id },
      );
      expect(read.data, who).toEqual({ contact: null, interaction: null, order: null });
      const lists = await t.gqlAs(
        who,
        'query ($id: ID!) { contacts(filter: { customerId: $id }) { totalCount } interactions(filter: { customerId: $id }) { totalCount } orders(filter: { customerId: $id }) { totalCount } }',
        { id: account().id },
      );
      expect(lists.data, who).toEqual({ contacts: { totalCount: 0 }, interactions: { totalCount: 0 }, orders: { totalCount: 0 } });
      const writes = [
        await t.gqlAs(who, 'mutation ($id: ID!) { updateContact(id: $id, input: { version: 1, name: "x" }) { id } }', { id: contact.id }),
        await t.gqlAs(who, 'mutation ($id: ID!) { deleteInteraction(id: $id, version: 1) }', { id: interaction.id }),
        await t.gqlAs(who, 'mutation ($id: ID!) { updateOrder(id: $id, input: { version: 1, contractRef: "x" }) { id } }', {
          id: order.id,
        }),
        await t.gqlAs(who, 'mutation ($id: ID!) { deletePayment(id: $id, version: 1) }', { id: payment.id }),
        await t.gqlAs(who, 'mutation ($id: ID!) { createContact(input: { customerId: $id, name: "x" }) { id } }', { id: account().id }),
      ];
      expect(writes.map(codeOf), who).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    }
    const teammate = await t.gqlAs('repHangzhou2', 'mutation ($id: ID!) { deleteInteraction(id: $id, version: 1) }', {
      id: interaction.id,
    });
    expect(codeOf(teammate)).toBe('FORBIDDEN');
    expect(await db().findOne(Interaction, interaction.id)).not.toBeNull();
    expect(await db().findOneOrFail(Contact, contact.id)).toMatchObject({ name: contact.name, version: contact.version });
  });

  it('still lists only the evaluations of accounts the viewer may open', async () => {
    const { data } = await t.gqlAs(
      'repNingbo',
      'query ($id: ID!) { evaluationCycle(id: $id) { evaluations(first: 100) { totalCount edges { node { id } } } } }',
      { id: await evaluatedCycle() },
    );
    expect(data!.evaluationCycle.evaluations.totalCount).toBe(3);
    expect(data!.evaluationCycle.evaluations.edges).toHaveLength(3);
  });
});
