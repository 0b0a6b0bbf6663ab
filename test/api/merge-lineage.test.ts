import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

/**
 * Who learns a merge's lineage (docs/merge.md, "Lineage"; docs/permissions.md): a merged id
 * answers with the survivor only to a viewer who may know both (at least a directory card of the
 * merged record as it was left and of the survivor). Anyone else gets what any archived record
 * gives them: the record itself where they may read it, with `mergedInto` null exactly as for a
 * record that was only archived, or null exactly as for an id that never existed. The feed tells
 * the same people, and no one else, where a merged record and its children went.
 *
 * The world: X in Ningbo owned by repNingbo is merged by the admin into Y in Guangzhou owned by
 * repGuangzhou; A, archived in Ningbo and never merged, is the control; keys are bound to Ningbo,
 * to Guangzhou, or to both. Expectations are written from the rule, not read from the code.
 */
let t: TestApp;

const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id version legalName } }`;
const CONTACT = `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`;
const ARCHIVE = `mutation ($id: ID!, $version: Int!) { archiveCustomer(id: $id, version: $version) { id } }`;
const MERGE = `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { merge { id } } }`;
const API_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;
/** Compiled when the answer needs no mask (a READ or EDIT row). */
const COMPILED = `query ($id: ID!) { customer(id: $id) { id legalName access } }`;
/** `mergedInto` is not compiled: the resolvers answer. */
const RESOLVED = `query ($id: ID!) { customer(id: $id) { id legalName access mergedInto } }`;
const FEED = `query ($after: String) { changes(first: 100, after: $after, types: ["customer.merged", "contact.updated"]) {
  edges { node { type entityId customerId tombstone mergedInto } } pageInfo { endCursor hasNextPage } } }`;

type Caller = Principal | { key: string };
interface Event {
  type: string;
  entityId: string;
  customerId: string;
  tombstone: boolean;
  mergedInto: string | null;
}

async function call(who: Caller, query: string, variables: Record<string, unknown>): Promise<GqlResult> {
  if (typeof who === 'string') return t.gqlAs(who, query, variables);
  const response = await t.http().post('/graphql').set('authorization', `Bearer ${who.key}`).send({ query, variables });
  return response.body as GqlResult;
}

function ok<T>(result: GqlResult<T>): T {
  expect(result.errors).toBeUndefined();
  return result.data!;
}

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

async function account(owner: Principal, territory: 'ningbo' | 'guangzhou' | 'hangzhou') {
  return ok(
    await t.gqlAs('admin', CREATE, {
      input: { legalName: unique('Lineage Co'), territoryId: t.baseline.regions[territory].id, ownerId: t.baseline.users[owner].id },
    }),
  ).createCustomer as { id: string; version: number; legalName: string };
}

async function key(territories: ('ningbo' | 'guangzhou')[], scopes = ['CUSTOMERS_READ', 'CONTACTS_READ']): Promise<{ key: string }> {
  const input = { name: unique('ERP'), kind: 'INTEGRATOR', scopes, territoryIds: territories.map((name) => t.baseline.regions[name].id) };
  return { key: ok(await t.gqlAs('admin', API_KEY, { input })).createApiKey.secret as string };
}

/** The reader's events of these records after `after`, polled until `enough` (the feed's horizon is cluster-wide). */
async function events(who: Caller, after: string | null, ids: string[], enough: (events: Event[]) => boolean): Promise<Event[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const seen: Event[] = [];
    let cursor = after;
    for (;;) {
      const page = ok(await call(who, FEED, { after: cursor })).changes as {
        edges: { node: Event }[];
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      };
      seen.push(...page.edges.map((edge) => edge.node).filter((event) => ids.includes(event.entityId)));
      cursor = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    if (enough(seen) || Date.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function feedEnd(): Promise<string | null> {
  let cursor: string | null = null;
  for (;;) {
    const page = ok(await t.gqlAs('admin', FEED, { after: cursor })).changes as {
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
    cursor = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage) return cursor;
  }
}

let x: { id: string; legalName: string };
let y: { id: string; legalName: string };
let archived: { id: string; legalName: string };
let contactIds: string[];
let start: string | null;
let mergeId: string;
/** Published results: one of X's, one of Y's, both in one cycle (inserted as an evaluation run writes them). */
const results = { x: randomUUID(), y: randomUUID() };

beforeAll(async () => {
  t = await createTestApp();
  start = await feedEnd();
  x = await account('repNingbo', 'ningbo');
  y = await account('repGuangzhou', 'guangzhou');
  archived = await account('repNingbo', 'ningbo');
  contactIds = [];
  for (const name of ['Li Wei', 'Wang Fang'])
    contactIds.push(ok(await t.gqlAs('admin', CONTACT, { input: { customerId: x.id, name } })).createContact.id as string);
  const cycle = randomUUID();
  await sql(
    `insert into evaluation_cycle (id, name, period_start, period_end, status, settings) values (?, ?, '2025-01-01', '2025-12-31', 'COMPUTED', '{}')`,
    [cycle, unique('Lineage cycle')],
  );
  await sql(
    `insert into evaluation (id, cycle_id, customer_id, grade, created_at) values (?, ?, ?, 'A', now() - interval '1 minute'), (?, ?, ?, 'B', now())`,
    [results.x, cycle, x.id, results.y, cycle, y.id],
  );
  await sql(`update evaluation_cycle set status = 'PUBLISHED', published_at = now() where id = ?`, [cycle]);
  const versions = await sql<{ id: string; version: number }>('select id, version from customer where id in (?, ?, ?)', [
    x.id,
    y.id,
    archived.id,
  ]);
  const versionOf = (id: string) => versions.find((row) => row.id === id)!.version;
  ok(await t.gqlAs('admin', ARCHIVE, { id: archived.id, version: versionOf(archived.id) }));
  mergeId = ok(
    await t.gqlAs('admin', MERGE, {
      input: {
        survivorId: y.id,
        mergedIds: [x.id],
        versions: [
          { id: y.id, version: versionOf(y.id) },
          { id: x.id, version: versionOf(x.id) },
        ],
      },
    }),
  ).mergeCustomers.merge.id as string;
});

afterAll(async () => {
  await t?.close();
});

describe('customer(id: mergedId)', () => {
  it('answers with the survivor, at the viewer’s own level on it, to users (every user may know both as directory cards)', async () => {
    const expected: [Principal, string][] = [
      ['admin', 'EDIT'],
      ['repGuangzhou', 'EDIT'],
      ['managerSouth', 'EDIT'],
      ['repNingbo', 'DIRECTORY'], // the merged record's owner: the survivor is another rep's
      ['managerEast', 'DIRECTORY'],
      ['repHangzhou', 'DIRECTORY'], // another territory altogether
    ];
    for (const [who, access] of expected) {
      for (const query of [COMPILED, RESOLVED]) {
        const result = await call(who, query, { id: x.id });
        expect(result.data?.customer, `${who}`).toMatchObject({ id: y.id, legalName: y.legalName, access });
      }
    }
  });

  it('to a key bound to the survivor’s territory only, a merged id is an id that never existed', async () => {
    const guangzhou = await key(['guangzhou']);
    for (const query of [COMPILED, RESOLVED]) {
      const merged = await call(guangzhou, query, { id: x.id });
      const never = await call(guangzhou, query, { id: randomUUID() });
      expect(merged).toEqual(never);
      expect(merged).toEqual({ data: { customer: null } });
    }
    // The survivor itself is the key's to read; its mergedFrom lists only records the key may open.
    const survivor = ok(await call(guangzhou, `query ($id: ID!) { customer(id: $id) { id mergedFrom } }`, { id: y.id })).customer;
    expect(survivor).toEqual({ id: y.id, mergedFrom: [] });
  });

  it('to a key bound to the merged record’s territory only, the merged record is an archived record like any other', async () => {
    const ningbo = await key(['ningbo']);
    const ARCHIVED = `query ($id: ID!) { customer(id: $id) { id legalName access archivedAt mergedInto } }`;
    const merged = ok(await call(ningbo, ARCHIVED, { id: x.id })).customer;
    const control = ok(await call(ningbo, ARCHIVED, { id: archived.id })).customer;
    expect(merged).toMatchObject({ id: x.id, legalName: x.legalName, access: 'READ', mergedInto: null });
    expect(Object.keys(merged)).toEqual(Object.keys(control));
    expect(control).toMatchObject({ id: archived.id, access: 'READ', mergedInto: null });
    expect(typeof merged.archivedAt).toBe('string');
    // Listing archived accounts names no survivor either.
    const listed = ok(
      await call(
        ningbo,
        `query ($s: String) { customers(first: 5, filter: { search: $s, includeArchived: true }) { edges { node { id mergedInto } } } }`,
        {
          s: x.legalName,
        },
      ),
    ).customers.edges.map((edge: { node: unknown }) => edge.node);
    expect(listed).toEqual([{ id: x.id, mergedInto: null }]);
    expect(ok(await call(ningbo, COMPILED, { id: x.id })).customer).toEqual({ id: x.id, legalName: x.legalName, access: 'READ' });
  });

  it('a key bound to both territories follows the lineage', async () => {
    const both = await key(['ningbo', 'guangzhou']);
    for (const query of [COMPILED, RESOLVED])
      expect(ok(await call(both, query, { id: x.id })).customer).toMatchObject({ id: y.id, legalName: y.legalName, access: 'READ' });
    const listed = ok(
      await call(
        both,
        `query ($s: String) { customers(first: 5, filter: { search: $s, includeArchived: true }) { edges { node { id mergedInto } } } }`,
        {
          s: x.legalName,
        },
      ),
    ).customers.edges.map((edge: { node: unknown }) => edge.node);
    expect(listed).toEqual([{ id: x.id, mergedInto: y.id }]);
  });
});

describe('the feed', () => {
  const ids = () => [x.id, ...contactIds];
  const merged = (list: Event[]) => list.find((event) => event.type === 'customer.merged');
  const moves = (list: Event[]) => list.filter((event) => event.type === 'contact.updated');

  it('tells users who may know both where the merged record went; its moved contacts name the survivor only to readers of it', async () => {
    const admin = await events('admin', start, ids(), (list) => !!merged(list) && moves(list).length === 2);
    expect(merged(admin)).toMatchObject({ entityId: x.id, customerId: x.id, tombstone: true, mergedInto: y.id });
    expect(moves(admin).map((event) => [event.customerId, event.tombstone])).toEqual([
      [y.id, false],
      [y.id, false],
    ]);
    // The merged record's owner reads X's events; X's contacts left for an account they only know as a card.
    const owner = await events('repNingbo', start, ids(), (list) => !!merged(list) && moves(list).length === 2);
    expect(merged(owner)).toMatchObject({ customerId: x.id, tombstone: true, mergedInto: y.id });
    expect(moves(owner).map((event) => [event.customerId, event.tombstone])).toEqual([
      [x.id, true],
      [x.id, true],
    ]);
  });

  it('names no survivor to a key that may not see it, and nothing of the merged record to one that may only see the survivor', async () => {
    await events('admin', start, ids(), (list) => !!merged(list) && moves(list).length === 2);
    const ningbo = await events(await key(['ningbo']), start, ids(), (list) => !!merged(list) && moves(list).length === 2);
    expect(merged(ningbo)).toMatchObject({ entityId: x.id, customerId: x.id, tombstone: true, mergedInto: null });
    expect(moves(ningbo).map((event) => [event.customerId, event.tombstone])).toEqual([
      [x.id, true],
      [x.id, true],
    ]);
    const guangzhou = await events(await key(['guangzhou']), start, ids(), (list) => moves(list).length === 2);
    expect(merged(guangzhou)).toBeUndefined();
    expect(moves(guangzhou).map((event) => [event.customerId, event.tombstone])).toEqual([
      [y.id, false],
      [y.id, false],
    ]);
    const both = await events(await key(['ningbo', 'guangzhou']), start, ids(), (list) => !!merged(list));
    expect(merged(both)).toMatchObject({ tombstone: true, mergedInto: y.id });
  });
});

describe('the survivor’s evaluations', () => {
  /** Compiled: every field is a column or a subquery the compiler writes. */
  const COMPILED_EVALUATIONS = `query ($id: ID!) { customer(id: $id) { id evaluations { id grade mergedFrom } } }`;
  /** `customer` of an evaluation is not compiled: the resolvers answer. */
  const RESOLVED_EVALUATIONS = `query ($id: ID!) { customer(id: $id) { id evaluations { id grade mergedFrom customer { id } } } }`;
  const own = { id: results.y, grade: 'B', mergedFrom: null };
  const linked = { id: results.x, grade: 'A', mergedFrom: '' };

  async function both(who: Caller) {
    const compiled = ok(await call(who, COMPILED_EVALUATIONS, { id: y.id })).customer.evaluations;
    const resolved = ok(await call(who, RESOLVED_EVALUATIONS, { id: y.id })).customer.evaluations as { customer: { id: string } }[];
    // The same list on both paths; every result, linked or not, belongs to the survivor now.
    expect(resolved.map(({ customer: _customer, ...rest }) => rest)).toEqual(compiled);
    expect(resolved.map((result) => result.customer.id)).toEqual(resolved.map(() => y.id));
    return compiled;
  }

  it('lists the merged record’s snapshots beside its own, newest first, marked with the record they were taken of', async () => {
    linked.mergedFrom = x.id;
    for (const who of ['admin', 'managerSouth', 'repGuangzhou'] as Principal[]) expect(await both(who), who).toEqual([own, linked]);
    expect(await both(await key(['ningbo', 'guangzhou'], ['CUSTOMERS_READ', 'EVALUATIONS_READ']))).toEqual([own, linked]);
    // The published snapshot itself is as the cycle left it: still the merged record's row.
    expect(await sql('select customer_id, grade from evaluation where id = ?', [results.x])).toEqual([{ customer_id: x.id, grade: 'A' }]);
  });

  it('to a key that may not know the merged record, the survivor has only its own results', async () => {
    expect(await both(await key(['guangzhou'], ['CUSTOMERS_READ', 'EVALUATIONS_READ']))).toEqual([own]);
    // The merged record's own readers still see the snapshot under it, unmarked: to them it is an archived record's result.
    const ningbo = await key(['ningbo'], ['CUSTOMERS_READ', 'EVALUATIONS_READ']);
    expect(ok(await call(ningbo, COMPILED_EVALUATIONS, { id: x.id })).customer).toEqual({
      id: x.id,
      evaluations: [{ id: results.x, grade: 'A', mergedFrom: null }],
    });
  });

  it('an undo takes the linked snapshots back off the survivor', async () => {
    ok(await t.gqlAs('admin', `mutation ($id: ID!) { undoMerge(mergeId: $id) { id } }`, { id: mergeId }));
    expect(await both('repGuangzhou')).toEqual([own]);
    expect(await both('admin')).toEqual([own]);
    expect(ok(await call('admin', COMPILED, { id: x.id })).customer).toMatchObject({ id: x.id, legalName: x.legalName });
  });
});
