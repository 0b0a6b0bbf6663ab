import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

/**
 * Merging duplicates (docs/merge.md), through the public API on real PostgreSQL. Expected values
 * come from the rules written there: children counted by SQL before and after, who may merge per
 * role and key, a dry run writes nothing, lineage, feed tombstones, undo and its refusals, and
 * concurrent merges of overlapping records where exactly one wins.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id version legalName } }`;
const CONTACT = `mutation ($input: CreateContactInput!) { createContact(input: $input) { id version } }`;
const INTERACTION = `mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
const ORDER = `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }`;
const PAYMENT = `mutation ($input: CreatePaymentInput!) { createPayment(input: $input) { id } }`;
const MERGE = `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) {
  dryRun survivorId mergedIds fields { field fromId value } moves { kind count ids }
  merge { id survivorId mergedIds undoneAt moves { kind count } survivor { id legalName } } } }`;
const UNDO = `mutation ($id: ID!) { undoMerge(mergeId: $id) { id undoneAt } }`;
const CUSTOMER = `query ($id: ID!) { customer(id: $id) { id legalName version mergedFrom } }`;
const CUSTOMER_COMPILED = `query ($id: ID!) { customer(id: $id) { id legalName version } }`;
const API_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

function ok<T>(result: GqlResult<T>): T {
  expect(result.errors).toBeUndefined();
  return result.data!;
}

interface Account {
  id: string;
  version: number;
  legalName: string;
}

async function account(who: Principal, territory: 'hangzhou' | 'ningbo', name = unique('Merge Co')): Promise<Account> {
  return ok(await t.gqlAs(who, CREATE, { input: { legalName: name, territoryId: t.baseline.regions[territory].id } }))
    .createCustomer as Account;
}

/** An account with 2 contacts, 1 interaction, 1 order with 1 payment. */
async function withChildren(who: Principal, territory: 'hangzhou' | 'ningbo'): Promise<Account> {
  const customer = await account(who, territory);
  for (const name of ['Li Wei', 'Wang Fang']) ok(await t.gqlAs(who, CONTACT, { input: { customerId: customer.id, name } }));
  ok(await t.gqlAs(who, INTERACTION, { input: { customerId: customer.id, kind: 'CALL', channel: 'PHONE', summary: 'first call' } }));
  const order = ok(
    await t.gqlAs(who, ORDER, { input: { customerId: customer.id, lines: [{ product: 'Valve', quantity: '2', unitPrice: '10.00' }] } }),
  ).createOrder as { id: string };
  ok(await t.gqlAs(who, PAYMENT, { input: { orderId: order.id, amount: '5.00', dueDate: '2026-12-31' } }));
  return customer;
}

async function children(customerId: string) {
  const [row] = await sql<{ contacts: number; interactions: number; orders: number; payments: number; transitions: number }>(
    `select (select count(*)::int from contact where customer_id = ?) as contacts,
            (select count(*)::int from interaction where customer_id = ?) as interactions,
            (select count(*)::int from sales_order where customer_id = ?) as orders,
            (select count(*)::int from payment p join sales_order o on o.id = p.order_id where o.customer_id = ?) as payments,
            (select count(*)::int from lifecycle_transition where customer_id = ?) as transitions`,
    [customerId, customerId, customerId, customerId, customerId],
  );
  return row!;
}

async function version(id: string): Promise<number> {
  const [row] = await sql<{ version: number }>('select version from customer where id = ?', [id]);
  return row!.version;
}

async function input(survivor: string, merged: string[], extra: Record<string, unknown> = {}) {
  const versions = await Promise.all([survivor, ...merged].map(async (id) => ({ id, version: await version(id) })));
  return { survivorId: survivor, mergedIds: merged, versions, ...extra };
}

function moveCount(result: Record<string, any>, kind: string): number {
  return (result.moves as { kind: string; count: number }[]).find((move) => move.kind === kind)!.count;
}

describe('mergeCustomers', () => {
  it('a dry run says what would move and where the fields come from, and writes nothing', async () => {
    const survivor = await account('repHangzhou', 'hangzhou');
    const merged = await withChildren('repHangzhou', 'hangzhou');
    const before = {
      s: await children(survivor.id),
      m: await children(merged.id),
      vs: await version(survivor.id),
      vm: await version(merged.id),
    };
    const [{ count: audits }] = await sql<{ count: number }>(
      `select count(*)::int as count from audit_event where action = 'CUSTOMERS_MERGED'`,
    );
    const result = ok(
      await t.gqlAs('repHangzhou', MERGE, {
        input: await input(survivor.id, [merged.id], { dryRun: true, fieldChoices: [{ field: 'LEGAL_NAME', fromId: merged.id }] }),
      }),
    ).mergeCustomers;
    expect(result.dryRun).toBe(true);
    expect(result.merge).toBeNull();
    expect(moveCount(result, 'CONTACT')).toBe(2);
    expect(moveCount(result, 'INTERACTION')).toBe(1);
    expect(moveCount(result, 'ORDER')).toBe(1);
    expect(moveCount(result, 'PAYMENT')).toBe(1);
    expect(moveCount(result, 'LIFECYCLE_TRANSITION')).toBe(before.m.transitions);
    const name = result.fields.find((f: { field: string }) => f.field === 'LEGAL_NAME');
    expect(name).toEqual({ field: 'LEGAL_NAME', fromId: merged.id, value: { value: merged.legalName } });
    expect(result.fields.find((f: { field: string }) => f.field === 'NOTES').fromId).toBe(survivor.id);
    expect(await children(survivor.id)).toEqual(before.s);
    expect(await children(merged.id)).toEqual(before.m);
    expect([await version(survivor.id), await version(merged.id)]).toEqual([before.vs, before.vm]);
    const [{ count: after }] = await sql<{ count: number }>(
      `select count(*)::int as count from audit_event where action = 'CUSTOMERS_MERGED'`,
    );
    expect(after).toBe(audits);
    const [{ count: merges }] = await sql<{ count: number }>('select count(*)::int as count from customer_merge where survivor_id = ?', [
      survivor.id,
    ]);
    expect(merges).toBe(0);
  });

  it('moves every child, archives the merged record with its lineage, and the survivor takes its name', async () => {
    const survivor = await withChildren('repHangzhou', 'hangzhou');
    const merged = await withChildren('repHangzhou', 'hangzhou');
    const s0 = await children(survivor.id);
    const m0 = await children(merged.id);
    const result = ok(
      await t.gqlAs('repHangzhou', MERGE, {
        input: await input(survivor.id, [merged.id], { fieldChoices: [{ field: 'LEGAL_NAME', fromId: merged.id }] }),
      }),
    ).mergeCustomers;
    expect(result.merge.survivor).toEqual({ id: survivor.id, legalName: merged.legalName });
    expect(result.merge.mergedIds).toEqual([merged.id]);
    const s1 = await children(survivor.id);
    expect(s1).toEqual({
      contacts: s0.contacts + 2,
      interactions: s0.interactions + 1,
      orders: s0.orders + 1,
      payments: s0.payments + 1,
      transitions: s0.transitions + m0.transitions,
    });
    expect(await children(merged.id)).toEqual({ contacts: 0, interactions: 0, orders: 0, payments: 0, transitions: 0 });
    const [row] = await sql<{ archived: boolean; merged_into_id: string }>(
      'select archived_at is not null as archived, merged_into_id from customer where id = ?',
      [merged.id],
    );
    expect(row).toEqual({ archived: true, merged_into_id: survivor.id });
    // The identity key moved with the name: the survivor holds it now.
    const [key] = await sql<{ customer_id: string }>(
      `select customer_id from customer_identity where kind = 'NAME' and customer_id in (?, ?)`,
      [survivor.id, merged.id],
    );
    expect(key!.customer_id).toBe(survivor.id);

    // Lineage: the merged id answers with the survivor, on the compiled path and on the resolvers.
    const compiled = ok(await t.gqlAs('repHangzhou', CUSTOMER_COMPILED, { id: merged.id })).customer;
    expect(compiled.id).toBe(survivor.id);
    const resolved = ok(await t.gqlAs('repHangzhou', CUSTOMER, { id: merged.id })).customer;
    expect(resolved).toMatchObject({ id: survivor.id, legalName: merged.legalName, mergedFrom: [merged.id] });
    const archived = ok(
      await t.gqlAs(
        'admin',
        `query ($s: String) { customers(first: 5, filter: { search: $s, includeArchived: true }) { edges { node { id mergedInto } } } }`,
        {
          s: merged.legalName,
        },
      ),
    ).customers.edges.map((e: { node: unknown }) => e.node);
    expect(archived).toContainEqual({ id: merged.id, mergedInto: survivor.id });

    // Audit and change feed: one merge event, the merged id a tombstone.
    const audit = await sql(`select entity_id from audit_event where action = 'CUSTOMERS_MERGED' and entity_id = ?`, [survivor.id]);
    expect(audit).toHaveLength(1);
    const events = await sql(`select type from change_event where entity_id = ? and type = 'customer.merged'`, [merged.id]);
    expect(events).toHaveLength(1);
    let after: string | null = null;
    let tombstone: unknown = undefined;
    for (let page = 0; page < 50 && tombstone === undefined; page++) {
      const feed: {
        edges: { node: { entityId: string; tombstone: boolean } }[];
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      } = ok(
        await t.gqlAs(
          'admin',
          `query ($after: String) { changes(first: 100, after: $after, types: ["customer.merged"]) { edges { node { entityId tombstone } } pageInfo { endCursor hasNextPage } } }`,
          {
            after,
          },
        ),
      ).changes;
      tombstone = feed.edges.find((e: { node: { entityId: string } }) => e.node.entityId === merged.id)?.node.tombstone;
      if (!feed.pageInfo.hasNextPage) break;
      after = feed.pageInfo.endCursor;
    }
    expect(tombstone).toBe(true);
  });

  it('refuses a stale version, an archived record and a pending transfer', async () => {
    const survivor = await account('repHangzhou', 'hangzhou');
    const merged = await account('repHangzhou', 'hangzhou');
    const stale = await t.gqlAs('repHangzhou', MERGE, {
      input: {
        survivorId: survivor.id,
        mergedIds: [merged.id],
        versions: [
          { id: survivor.id, version: 1 },
          { id: merged.id, version: 99 },
        ],
      },
    });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', id: merged.id });
    const missing = await t.gqlAs('repHangzhou', MERGE, { input: { survivorId: survivor.id, mergedIds: [merged.id], versions: [] } });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'versions' });

    const other = await account('repHangzhou', 'hangzhou');
    ok(
      await t.gqlAs('repNingbo', `mutation ($input: RequestTransferInput!) { requestTransfer(input: $input) { id } }`, {
        input: { customerId: other.id, reason: 'my customer', toTerritoryId: t.baseline.regions.ningbo.id },
      }),
    );
    const pending = await t.gqlAs('repHangzhou', MERGE, { input: await input(survivor.id, [other.id]) });
    expect(pending.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PENDING_TRANSFER', customers: [{ id: other.id }] });
  });
});

describe('who may merge', () => {
  it('an owner their own accounts; others FORBIDDEN naming the accounts at fault, or NOT_FOUND where they know none', async () => {
    const mine = await account('repHangzhou', 'hangzhou');
    const colleague = await account('repHangzhou2', 'hangzhou');
    const ningbo = await account('repNingbo', 'ningbo');
    const mixed = await t.gqlAs('repHangzhou', MERGE, { input: await input(mine.id, [colleague.id], { dryRun: true }) });
    expect(mixed.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      customers: [{ id: colleague.id, legalName: colleague.legalName }],
    });
    const south = await t.gqlAs('managerSouth', MERGE, { input: await input(mine.id, [colleague.id], { dryRun: true }) });
    expect(south.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(south.errors?.[0]?.extensions?.customers).toHaveLength(2);
    // A manager of both regions' parent (East: Hangzhou and Ningbo) may; an admin may.
    for (const who of ['managerEast', 'admin'] as const) {
      const allowed = ok(await t.gqlAs(who, MERGE, { input: await input(mine.id, [colleague.id, ningbo.id], { dryRun: true }) }));
      expect(allowed.mergeCustomers.mergedIds).toEqual([colleague.id, ningbo.id]);
    }
  });

  it('API keys: only with customers:merge (and customers:write), only within their territories', async () => {
    const a = await account('repHangzhou', 'hangzhou');
    const b = await account('repHangzhou', 'hangzhou');
    const key = async (scopes: string[], territory: 'hangzhou' | 'ningbo') =>
      ok(
        await t.gqlAs('admin', API_KEY, {
          input: { name: unique('ERP'), kind: 'INTEGRATOR', scopes, territoryIds: [t.baseline.regions[territory].id] },
        }),
      ).createApiKey.secret as string;
    const asKey = async (secret: string, variables: Record<string, unknown>) => {
      const response = await t.http().post('/graphql').set('authorization', `Bearer ${secret}`).send({ query: MERGE, variables });
      return response.body as { data: any; errors?: { extensions: Record<string, unknown> }[] };
    };
    const plain = await asKey(await key(['CUSTOMERS_READ', 'CUSTOMERS_WRITE'], 'hangzhou'), {
      input: await input(a.id, [b.id], { dryRun: true }),
    });
    expect(plain.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'customers:merge' });
    const elsewhere = await asKey(await key(['CUSTOMERS_READ', 'CUSTOMERS_WRITE', 'CUSTOMERS_MERGE'], 'ningbo'), {
      input: await input(a.id, [b.id], { dryRun: true }),
    });
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const readOnly = await asKey(await key(['CUSTOMERS_READ', 'CUSTOMERS_MERGE'], 'hangzhou'), {
      input: await input(a.id, [b.id], { dryRun: true }),
    });
    expect(readOnly.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const allowed = await asKey(await key(['CUSTOMERS_READ', 'CUSTOMERS_WRITE', 'CUSTOMERS_MERGE'], 'hangzhou'), {
      input: await input(a.id, [b.id]),
    });
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data.mergeCustomers.merge.mergedIds).toEqual([b.id]);
  });
});

describe('what a key learns', () => {
  const key = async (scopes: string[]) =>
    ok(
      await t.gqlAs('admin', API_KEY, {
        input: { name: unique('ERP'), kind: 'INTEGRATOR', scopes, territoryIds: [t.baseline.regions.hangzhou.id] },
      }),
    ).createApiKey.secret as string;
  const asKey = async (secret: string, query: string, variables: Record<string, unknown>) => {
    const response = await t.http().post('/graphql').set('authorization', `Bearer ${secret}`).send({ query, variables });
    return response.body as { data: any; errors?: { extensions: Record<string, unknown> }[] };
  };
  const kinds = (moves: { kind: string }[]) => moves.map((move) => move.kind).sort();

  it('a key without customers:read may not merge (a dry run shows every profile value)', async () => {
    const a = await account('repHangzhou', 'hangzhou');
    const b = await account('repHangzhou', 'hangzhou');
    const blind = await asKey(await key(['CUSTOMERS_WRITE', 'CUSTOMERS_MERGE']), MERGE, {
      input: await input(a.id, [b.id], { dryRun: true }),
    });
    expect(blind.data?.mergeCustomers ?? null).toBeNull();
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(blind.errors?.[0]?.extensions?.code);
  });

  it('moves list only the kinds of children the key may read, in a dry run and in the history', async () => {
    const a = await account('repHangzhou', 'hangzhou');
    const b = await withChildren('repHangzhou', 'hangzhou');
    const secret = await key(['CUSTOMERS_READ', 'CUSTOMERS_WRITE', 'CUSTOMERS_MERGE']);
    const dry = await asKey(secret, MERGE, { input: await input(a.id, [b.id], { dryRun: true }) });
    expect(dry.errors).toBeUndefined();
    expect(kinds(dry.data.mergeCustomers.moves)).toEqual(['LIFECYCLE_ALERT', 'LIFECYCLE_TRANSITION']);
    const full = await asKey(await key(['CUSTOMERS_READ', 'CUSTOMERS_WRITE', 'CUSTOMERS_MERGE', 'CONTACTS_READ', 'ORDERS_READ']), MERGE, {
      input: await input(a.id, [b.id], { dryRun: true }),
    });
    expect(kinds(full.data.mergeCustomers.moves)).toEqual(['CONTACT', 'LIFECYCLE_ALERT', 'LIFECYCLE_TRANSITION', 'ORDER', 'PAYMENT']);
    const merged = ok(
      await t.gqlAs('admin', MERGE, { input: await input(a.id, [b.id], { fieldChoices: [{ field: 'NOTES', fromId: b.id }] }) }),
    ).mergeCustomers.merge.id as string;
    const ONE = `query ($id: ID!) { merge(id: $id) { id fields { field value } moves { kind count ids } } }`;
    const history = await asKey(secret, ONE, { id: merged });
    expect(history.errors).toBeUndefined();
    expect(kinds(history.data.merge.moves)).toEqual(['LIFECYCLE_ALERT', 'LIFECYCLE_TRANSITION']);
    // A key with customers:merge alone reads no profile value and no child of the merge.
    const bare = await asKey(await key(['CUSTOMERS_MERGE']), ONE, { id: merged });
    expect(bare.errors).toBeUndefined();
    expect(bare.data.merge === null || (bare.data.merge.fields.length === 0 && bare.data.merge.moves.length === 0)).toBe(true);
  });
});

describe('undoMerge', () => {
  it('moves the children back exactly and restores both records', async () => {
    const survivor = await withChildren('repHangzhou', 'hangzhou');
    const merged = await withChildren('repHangzhou', 'hangzhou');
    const s0 = await children(survivor.id);
    const m0 = await children(merged.id);
    const contacts0 = await sql(`select id, customer_id from contact where customer_id in (?, ?) order by id`, [survivor.id, merged.id]);
    const result = ok(
      await t.gqlAs('repHangzhou', MERGE, {
        input: await input(survivor.id, [merged.id], { fieldChoices: [{ field: 'LEGAL_NAME', fromId: merged.id }] }),
      }),
    ).mergeCustomers;
    ok(await t.gqlAs('repHangzhou', UNDO, { id: result.merge.id }));
    expect(await children(survivor.id)).toEqual(s0);
    expect(await children(merged.id)).toEqual(m0);
    expect(await sql(`select id, customer_id from contact where customer_id in (?, ?) order by id`, [survivor.id, merged.id])).toEqual(
      contacts0,
    );
    const rows = await sql<{ id: string; legal_name: string; archived: boolean; merged_into_id: string | null }>(
      `select id, legal_name, archived_at is not null as archived, merged_into_id from customer where id in (?, ?)`,
      [survivor.id, merged.id],
    );
    expect(rows.find((r) => r.id === survivor.id)).toMatchObject({ legal_name: survivor.legalName, archived: false, merged_into_id: null });
    expect(rows.find((r) => r.id === merged.id)).toMatchObject({ legal_name: merged.legalName, archived: false, merged_into_id: null });
    expect(ok(await t.gqlAs('repHangzhou', CUSTOMER_COMPILED, { id: merged.id })).customer.id).toBe(merged.id);
    const again = await t.gqlAs('repHangzhou', UNDO, { id: result.merge.id });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_UNDONE' });
  });

  it('is refused after a later edit of a moved child, and once the window closed', async () => {
    const survivor = await account('repHangzhou', 'hangzhou');
    const merged = await withChildren('repHangzhou', 'hangzhou');
    const result = ok(await t.gqlAs('repHangzhou', MERGE, { input: await input(survivor.id, [merged.id]) })).mergeCustomers;
    const contactId = result.moves.find((m: { kind: string }) => m.kind === 'CONTACT').ids[0];
    const [{ version: contactVersion }] = await sql<{ version: number }>('select version from contact where id = ?', [contactId]);
    ok(
      await t.gqlAs('repHangzhou', `mutation ($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id } }`, {
        id: contactId,
        input: { version: contactVersion, title: 'Buyer' },
      }),
    );
    const refused = await t.gqlAs('repHangzhou', UNDO, { id: result.merge.id });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CHANGED_SINCE', children: [contactId] });
    expect(await children(merged.id)).toMatchObject({ contacts: 0 });

    const other = await account('repHangzhou', 'hangzhou');
    const second = ok(await t.gqlAs('repHangzhou', MERGE, { input: await input(survivor.id, [other.id]) })).mergeCustomers;
    await sql(`update customer_merge set undoable_until = now() - interval '1 minute' where id = ?`, [second.merge.id]);
    const late = await t.gqlAs('repHangzhou', UNDO, { id: second.merge.id });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'WINDOW_CLOSED' });
  });

  it('history: merges and merge(id) for those who may open the survivor', async () => {
    const survivor = await account('repHangzhou', 'hangzhou');
    const merged = await account('repHangzhou', 'hangzhou');
    const result = ok(await t.gqlAs('repHangzhou', MERGE, { input: await input(survivor.id, [merged.id]) })).mergeCustomers;
    const one = `query ($id: ID!) { merge(id: $id) { id survivorId mergedIds } }`;
    expect(ok(await t.gqlAs('managerEast', one, { id: result.merge.id })).merge).toEqual({
      id: result.merge.id,
      survivorId: survivor.id,
      mergedIds: [merged.id],
    });
    expect(ok(await t.gqlAs('repNingbo', one, { id: result.merge.id })).merge).toBeNull();
    const list = ok(await t.gqlAs('repNingbo', `query { merges(first: 100) { edges { node { survivorId } } } }`)).merges.edges;
    expect(list.map((e: { node: { survivorId: string } }) => e.node.survivorId)).not.toContain(survivor.id);
  });
});

describe('concurrency on the real server', () => {
  it('dozens of concurrent merges of overlapping records: exactly one wins, the rest CONFLICT, children moved once', async () => {
    const s1 = await account('repHangzhou', 'hangzhou');
    const s2 = await account('repHangzhou', 'hangzhou');
    const merged = await withChildren('repHangzhou', 'hangzhou');
    const m0 = await children(merged.id);
    const attempts = await Promise.all(
      Array.from({ length: 30 }, async (_, index) =>
        t.gqlAs('repHangzhou', MERGE, { input: await input(index % 2 ? s1.id : s2.id, [merged.id]) }),
      ),
    );
    const wins = attempts.filter((attempt) => !attempt.errors);
    expect(wins).toHaveLength(1);
    expect(attempts.filter((attempt) => attempt.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(29);
    const winner = wins[0]!.data!.mergeCustomers.survivorId as string;
    const c1 = await children(winner);
    expect(c1.contacts).toBe(m0.contacts);
    expect(c1.orders).toBe(m0.orders);
    expect(await sql('select 1 from customer_merge_member where customer_id = ?', [merged.id])).toHaveLength(1);
  });

  it('a concurrent edit of a merged record: the merge or the edit gets CONFLICT, never a silent loss', async () => {
    const survivor = await account('repHangzhou', 'hangzhou');
    const merged = await account('repHangzhou', 'hangzhou');
    const variables = await input(survivor.id, [merged.id]);
    const v = await version(merged.id);
    const UPDATE = `mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }`;
    const results = await Promise.all([
      ...Array.from({ length: 12 }, () => t.gqlAs('repHangzhou', MERGE, { input: variables })),
      ...Array.from({ length: 12 }, (_, i) => t.gqlAs('repHangzhou', UPDATE, { id: merged.id, input: { version: v, notes: `edit ${i}` } })),
    ]);
    const succeeded = results.filter((r) => !r.errors);
    expect(succeeded).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(23);
    const [row] = await sql<{ notes: string | null; merged_into_id: string | null }>(
      'select notes, merged_into_id from customer where id = ?',
      [merged.id],
    );
    if (succeeded[0]!.data!.mergeCustomers) expect(row).toEqual({ notes: null, merged_into_id: survivor.id });
    else expect(row!.merged_into_id).toBeNull();
  });
});
