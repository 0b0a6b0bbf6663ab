import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope, TerritoryAccess } from '../../api/src/common/access/index.js';
import { Channel } from '../../api/src/modules/customer/customer.entity.js';
import { Interaction, InteractionKind } from '../../api/src/modules/interaction/interaction.entity.js';
import { Order, OrderLine, OrderStatus, Payment } from '../../api/src/modules/order/order.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { bothPaths, keyCaller } from '../support/both-paths.js';

let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;
const { compare } = bothPaths(() => t);

type Caller = { name: string; user: Principal } | { name: string; key: string };
const keys: Record<'full' | 'noPii' | 'listsOnly' | 'interactionsOnly', Caller> = {} as never;

const keyFor = (name: string, scopes: Scope[]): Promise<Caller> =>
  keyCaller(t, { name, scopes, territories: [t.baseline.regions.hangzhou] });

beforeAll(async () => {
  // Each principal sends hundreds of requests here, more than a minute's rate limit allows on an idle machine.
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  const em = db();
  const [first, second] = t.baseline.customers;
  const { repHangzhou } = t.baseline.users;
  // Values a careless JSON mapping or cursor would change: quotes and backslashes, no contact,
  // follow-up dates, a quote with a win probability, unpaid and no payments, decimals with zeros.
  em.create(Interaction, {
    customer: first!,
    contact: null,
    author: repHangzhou.id,
    kind: InteractionKind.CALL,
    channel: Channel.PHONE,
    occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 0, 7)),
    summary: 'Called "back" about C:\\orders',
    outcome: 'Wants a quote ✓',
    nextStep: 'Send it',
    followUpOn: '2025-01-09',
  });
  const quote = em.create(Order, {
    customer: second!,
    number: 'Q-"1"\\a',
    status: OrderStatus.QUOTE,
    winProbability: 40,
    orderedAt: new Date(Date.UTC(2025, 0, 1)),
    currency: 'USD',
    contractRef: 'Line\nbreak',
    subtotal: '310.50',
    discountTotal: '10.50',
    total: '300.00',
  });
  em.create(OrderLine, { order: quote, position: 2, product: 'Gadget', quantity: '1.500', unitPrice: '7.00', amount: '10.50' });
  em.create(OrderLine, {
    order: quote,
    position: 1,
    product: 'Widget',
    quantity: '3.000',
    unitPrice: '100.00',
    discountPercent: '3.50',
    amount: '289.50',
  });
  em.create(Payment, { order: quote, amount: '0.10', dueDate: '2025-03-01', paidAt: null });
  em.create(Payment, { order: quote, amount: '99.90', dueDate: '2025-02-15', paidAt: new Date(Date.UTC(2025, 1, 14, 8, 30, 0, 123)) });
  await em.flush();
  // Two rows stamped in one statement: equal to the microsecond, told apart by id only.
  await em
    .getConnection()
    .execute(`update interaction set created_at = timestamptz '2025-06-01 08:00:00.123456+00' where summary in ('Visit 1', 'Visit 2')`);
  await em.getConnection().execute(`update sales_order set created_at = timestamptz '2025-06-01 08:00:00.123456+00' where total = 200`);
  const read = [Scope.CUSTOMERS_READ, Scope.CONTACTS_READ, Scope.INTERACTIONS_READ, Scope.ORDERS_READ];
  keys.full = await keyFor('full', [...read, Scope.PII_READ, Scope.EVALUATIONS_READ]);
  keys.noPii = await keyFor('no pii', read);
  keys.listsOnly = await keyFor('lists only', [Scope.INTERACTIONS_READ, Scope.ORDERS_READ]);
  keys.interactionsOnly = await keyFor('interactions only', [Scope.INTERACTIONS_READ]);
});

afterAll(async () => {
  if (t) {
    t.app.config.compiledReads = true;
    t.app.config.territoryAccess = TerritoryAccess.NONE;
  }
  await t?.close();
});

type Root = 'interactions' | 'orders';

const PAGE = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const DOCUMENTS: Record<Root, Record<string, string>> = {
  interactions: {
    plain: `edges { cursor node { id kind channel occurredAt summary outcome nextStep followUpOn createdAt updatedAt version __typename } } ${PAGE}`,
    relations: `edges { node { id customer { id legalName access industry lastInteractionAt owner { id name } territory { name } region { name } } contact { id name title } author { id name email role active } } } pageInfo { hasNextPage endCursor }`,
    pii: `edges { node { id contact { id name email phone mobile } } } pageInfo { hasNextPage endCursor }`,
    imHandles: `edges { node { id contact { imHandles { network handle } } } } pageInfo { hasNextPage endCursor }`,
    deep: `edges { node { id customer { id grade contacts { id name } orders(first: 1) { totalCount edges { node { id number } } } evaluations { id grade } } } } pageInfo { hasNextPage endCursor }`,
  },
  orders: {
    plain: `edges { cursor node { id number status orderedAt winProbability currency contractRef subtotal discountTotal total createdAt updatedAt version __typename } } ${PAGE}`,
    relations: `edges { node { id amountPaid balance customer { id legalName access lastOrderAt owner { name } } lines { id position product quantity unitPrice discountPercent amount } payments { id amount dueDate paidAt } } } pageInfo { hasNextPage endCursor }`,
    deep: `edges { node { id customer { id notes interactions(first: 2) { edges { node { id summary } } } } } } totalCount pageInfo { hasNextPage endCursor }`,
  },
};

const TYPES: Record<Root, [string, string]> = {
  interactions: ['InteractionFilter', 'InteractionOrder'],
  orders: ['OrderFilter', 'OrderSort'],
};

function document(root: Root, selection: string): string {
  const [filter, order] = TYPES[root];
  return `query ($first: Int, $after: String, $filter: ${filter}, $orderBy: ${order}) { ${root}(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { ${selection} } }`;
}

const SORTS: Record<Root, { field: string; direction: string }[]> = {
  interactions: ['OCCURRED_AT', 'CREATED_AT'].flatMap((field) => ['ASC', 'DESC'].map((direction) => ({ field, direction }))),
  orders: ['ORDERED_AT', 'NUMBER', 'TOTAL', 'CREATED_AT'].flatMap((field) => ['ASC', 'DESC'].map((direction) => ({ field, direction }))),
};

/** Every page of a list on both paths; the ids in order, and whether every page was compiled / sent as text. */
async function walk(caller: Caller, root: Root, query: string, variables: Record<string, unknown>) {
  const ids: string[] = [];
  let compiledAll = true;
  let textAll = true;
  let after: string | null = null;
  for (let step = 0; step < 80; step += 1) {
    const { resolvers, compiled } = await compare(caller, query, { ...variables, after });
    compiledAll &&= compiled.statements <= 3;
    textAll &&= compiled.asText;
    const page = (JSON.parse(resolvers.body) as { data?: Record<Root, any> | null }).data?.[root];
    if (!page) return { ids, compiled: false, text: false };
    ids.push(...page.edges.map((edge: { node: { id: string } }) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, compiled: compiledAll, text: textAll };
}

/** The records each principal may list, by the documented rule (own accounts; admins all), from the tables directly. */
async function expectedIds(root: Root, caller: Principal): Promise<string[]> {
  const table = root === 'interactions' ? 'interaction' : 'sales_order';
  const admin = caller === 'admin';
  const rows = await db()
    .getConnection()
    .execute<{ id: string }[]>(
      admin ? `select x.id from ${table} x` : `select x.id from ${table} x join customer c on c.id = x.customer_id where c.owner_id = ?`,
      admin ? [] : [t.baseline.users[caller].id],
    );
  return rows.map((row) => row.id).sort();
}

const users: Principal[] = ['admin', 'managerEast', 'managerSouth', 'repHangzhou', 'repHangzhou2', 'repNingbo'];
const ROOTS: Root[] = ['interactions', 'orders'];

describe('interactions and orders pages compiled to one statement', () => {
  it('answers every principal, sort and page with the same bytes as the resolvers', { timeout: 900_000 }, async () => {
    for (const root of ROOTS) {
      for (const user of users) {
        const caller: Caller = { name: user, user };
        for (const orderBy of SORTS[root]) {
          for (const first of [2, 25]) {
            const { ids, compiled, text } = await walk(caller, root, document(root, DOCUMENTS[root].plain!), { first, orderBy });
            const label = `${root} ${user} ${JSON.stringify(orderBy)} ${first}`;
            expect(new Set(ids).size, label).toBe(ids.length);
            if (user === 'admin' || user.startsWith('rep')) expect([...ids].sort(), label).toEqual(await expectedIds(root, user));
            // Nothing on these pages needs a mask for a user: one statement, sent as text.
            expect(compiled, `${label} compiled`).toBe(true);
            expect(text, `${label} as text`).toBe(true);
          }
        }
      }
    }
  });

  it('answers relations, filters and keys with and without scopes the same', { timeout: 900_000 }, async () => {
    const [first] = t.baseline.customers;
    const { repHangzhou } = t.baseline.users;
    const contactId = (
      await db().getConnection().execute<{ id: string }[]>('select id from contact where customer_id = ? limit 1', [first!.id])
    )[0]!.id;
    const filters: Record<Root, Record<string, unknown>[]> = {
      interactions: [
        {},
        { customerId: first!.id },
        { authorId: repHangzhou.id },
        { contactId },
        { kinds: ['CALL'] },
        { channels: ['FIELD', 'PHONE'] },
        { occurredAfter: '2025-01-02T00:00:00.000Z', occurredBefore: '2025-01-03T00:00:00.010Z' },
        { followUpDueBy: '2025-01-10' },
      ],
      orders: [
        {},
        { customerId: first!.id },
        { statuses: ['QUOTE'] },
        { orderedAfter: '2025-01-02T00:00:00.000Z' },
        { orderedBefore: '2025-01-02T00:00:00.000Z' },
        { search: '"1"\\' },
        { search: 'so-t-00' },
      ],
    };
    const callers: Caller[] = [
      ...users.map((user) => ({ name: user, user })),
      keys.full,
      keys.noPii,
      keys.listsOnly,
      keys.interactionsOnly,
    ];
    for (const root of ROOTS)
      for (const caller of callers)
        for (const filter of filters[root])
          for (const selection of Object.values(DOCUMENTS[root])) await walk(caller, root, document(root, selection), { first: 3, filter });

    // A territory colleague's accounts are READ: their records are listed in full, compiled and sent as text.
    t.app.config.territoryAccess = TerritoryAccess.READ;
    for (const user of ['repHangzhou', 'repHangzhou2'] as const) {
      const caller: Caller = { name: user, user };
      for (const root of ROOTS) {
        for (const selection of Object.values(DOCUMENTS[root])) await walk(caller, root, document(root, selection), { first: 4 });
        const { compiled, text } = await walk(caller, root, document(root, DOCUMENTS[root].relations!), { first: 4 });
        expect(compiled && text, `${user} ${root}`).toBe(true);
      }
    }
    t.app.config.territoryAccess = TerritoryAccess.NONE;

    // Not vacuous: which path answered.
    const admin: Caller = { name: 'admin', user: 'admin' };
    const rep: Caller = { name: 'repHangzhou', user: 'repHangzhou' };
    const interactions = (selection: string) => document('interactions', DOCUMENTS.interactions[selection]!);
    const orders = (selection: string) => document('orders', DOCUMENTS.orders[selection]!);
    for (const caller of [admin, rep, keys.full]) {
      expect((await walk(caller, 'interactions', interactions('relations'), { first: 3 })).text, caller.name).toBe(true);
      expect((await walk(caller, 'interactions', interactions('pii'), { first: 3 })).text, caller.name).toBe(true);
      expect((await walk(caller, 'orders', orders('relations'), { first: 3 })).text, caller.name).toBe(true);
      expect((await walk(caller, 'orders', orders('deep'), { first: 3 })).text, caller.name).toBe(true);
    }
    // Keys missing a scope the selection needs: the resolvers mask it (errors, never text), in their own statements.
    expect((await walk(keys.noPii, 'interactions', interactions('pii'), { first: 3 })).text).toBe(false);
    expect((await walk(keys.noPii, 'interactions', interactions('relations'), { first: 3 })).text).toBe(true);
    expect((await walk(keys.listsOnly, 'interactions', interactions('relations'), { first: 3 })).text).toBe(false);
    expect((await walk(keys.listsOnly, 'interactions', interactions('plain'), { first: 3 })).text).toBe(true);
    expect((await walk(keys.listsOnly, 'orders', orders('relations'), { first: 3 })).text).toBe(false);
    expect((await walk(keys.interactionsOnly, 'orders', orders('plain'), { first: 3 })).text).toBe(false);
    // IM handles are transformed, and an account's evaluations reached through a key's relation are the resolvers': walked.
    expect((await walk(admin, 'interactions', interactions('imHandles'), { first: 3 })).text).toBe(false);
    expect((await walk(admin, 'interactions', interactions('imHandles'), { first: 3 })).compiled).toBe(true);
    expect((await walk(keys.full, 'interactions', interactions('deep'), { first: 3 })).text).toBe(false);
  });

  it('refuses bad cursors and page sizes exactly as the resolvers do', async () => {
    const garbage = [
      'garbage',
      Buffer.from('["x","not-a-uuid"]').toString('base64url'),
      Buffer.from('[1,"00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from('["2025-13-45 00:00:00+00","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from('["12.5.3","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
    ];
    const callers: Caller[] = [{ name: 'admin', user: 'admin' }, { name: 'repHangzhou', user: 'repHangzhou' }, keys.full];
    for (const caller of callers) {
      for (const root of ROOTS) {
        const query = document(root, DOCUMENTS[root].plain!);
        for (const after of garbage) for (const orderBy of SORTS[root]) await compare(caller, query, { first: 2, after, orderBy });
        await compare(caller, query, { first: 1000 });
        await compare(caller, query, { first: 0 });
        await compare(caller, query, { filter: { customerId: 'not-an-id' } });
      }
    }
  });
});
