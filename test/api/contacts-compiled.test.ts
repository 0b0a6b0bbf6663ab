import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope, TerritoryAccess } from '../../api/src/common/access/index.js';
import { Contact, DecisionRole } from '../../api/src/modules/contact/contact.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { bothPaths, keyCaller } from '../support/both-paths.js';

let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;
const { compare } = bothPaths(() => t);

type Caller = { name: string; user: Principal } | { name: string; key: string };
const keys: Record<'full' | 'noPii' | 'customersOnly', Caller> = {} as never;

const keyFor = (name: string, scopes: Scope[]): Promise<Caller> =>
  keyCaller(t, { name, scopes, territories: [t.baseline.regions.hangzhou] });

beforeAll(async () => {
  t = await createTestApp();
  const em = db();
  const [first, , , other] = t.baseline.customers;
  // Names a careless cursor or JSON mapping would change, IM handles, equal timestamps told apart by id.
  for (const [index, name] of ['Zhang "Quoted"', 'Li Back\\slash', 'Wang  two  spaces', 'Chen ✓'].entries()) {
    em.create(Contact, {
      customer: index % 2 ? first!.id : other!.id,
      name,
      email: `c${index}@example.com`,
      mobile: `+86 138 0000 000${index}`,
      decisionRole: index % 2 ? DecisionRole.BUYER : DecisionRole.INFLUENCER,
      consent: index % 2 === 0,
      imHandles: index === 0 ? { wechat: 'wx', qq: '1' } : {},
    });
  }
  await em.flush();
  await em
    .getConnection()
    .execute(`update contact set created_at = timestamptz '2025-06-01 08:00:00.123456+00' where name like 'Wang%' or name like 'Chen%'`);
  keys.full = await keyFor('full', [Scope.CUSTOMERS_READ, Scope.CONTACTS_READ, Scope.PII_READ]);
  keys.noPii = await keyFor('no pii', [Scope.CONTACTS_READ]);
  keys.customersOnly = await keyFor('customers only', [Scope.CUSTOMERS_READ]);
});

afterAll(async () => {
  if (t) {
    t.app.config.compiledReads = true;
    t.app.config.territoryAccess = TerritoryAccess.NONE;
  }
  await t?.close();
});

const vars = '($first: Int, $after: String, $filter: ContactFilter, $orderBy: ContactOrder)';
const args = '(first: $first, after: $after, filter: $filter, orderBy: $orderBy)';
const DOCUMENTS = {
  plain: `query ${vars} { contacts${args} { totalCount edges { cursor node { id name title decisionRole preferredChannel preferredFrequency consent createdAt updatedAt version __typename } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
  pii: `query ${vars} { contacts${args} { edges { node { id name email phone mobile } } pageInfo { hasNextPage endCursor } } }`,
  imHandles: `query ${vars} { contacts${args} { edges { node { id imHandles { network handle } } } pageInfo { hasNextPage endCursor } } }`,
  account: `query ${vars} { contacts${args} { edges { node { id customer { id legalName } } } pageInfo { hasNextPage endCursor } } }`,
};

const SORTS = ['NAME', 'CREATED_AT', 'UPDATED_AT'].flatMap((field) => ['ASC', 'DESC'].map((direction) => ({ field, direction })));

/** Every page of a list on both paths; the ids in order, and whether every page was compiled / sent as text. */
async function walk(caller: Caller, query: string, variables: Record<string, unknown>) {
  const ids: string[] = [];
  let compiledAll = true;
  let textAll = true;
  let after: string | null = null;
  for (let step = 0; step < 60; step += 1) {
    const { resolvers, compiled } = await compare(caller, query, { ...variables, after });
    compiledAll &&= compiled.statements < resolvers.statements || compiled.statements <= 3;
    textAll &&= compiled.asText;
    const page = (JSON.parse(resolvers.body) as { data?: { contacts?: any } }).data?.contacts;
    if (!page) return { ids, compiled: false, text: false };
    ids.push(...page.edges.map((edge: { node: { id: string } }) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, compiled: compiledAll, text: textAll };
}

/** The contacts each principal may list, by the documented rule, from the tables directly. */
async function expectedIds(caller: Principal): Promise<string[]> {
  const user = t.baseline.users[caller];
  const rows = await db()
    .getConnection()
    .execute<{ id: string }[]>(
      caller === 'admin'
        ? 'select k.id from contact k'
        : 'select k.id from contact k join customer c on c.id = k.customer_id where c.owner_id = ?',
      caller === 'admin' ? [] : [user.id],
    );
  return rows.map((row) => row.id).sort();
}

const users: Principal[] = ['admin', 'managerEast', 'managerSouth', 'repHangzhou', 'repHangzhou2', 'repNingbo'];

describe('contacts pages compiled to one statement', () => {
  it('answers every principal, sort and page with the same bytes as the resolvers', { timeout: 600_000 }, async () => {
    for (const user of users) {
      const caller: Caller = { name: user, user };
      for (const orderBy of SORTS) {
        for (const first of [2, 25]) {
          const { ids, compiled, text } = await walk(caller, DOCUMENTS.plain, { first, orderBy });
          expect(new Set(ids).size, `${user} ${JSON.stringify(orderBy)}`).toBe(ids.length);
          if (user === 'admin' || user.startsWith('rep'))
            expect([...ids].sort(), `${user} ${JSON.stringify(orderBy)}`).toEqual(await expectedIds(user));
          // Nothing on a contacts page needs a mask for a user: one statement, sent as text.
          expect(compiled, `${user} compiled`).toBe(true);
          expect(text, `${user} as text`).toBe(true);
        }
      }
    }
  });

  it('answers filters, personal data, IM handles and accounts the same for users and keys', { timeout: 600_000 }, async () => {
    const [first] = t.baseline.customers;
    const filters: Record<string, unknown>[] = [
      {},
      { customerId: first!.id },
      { search: 'quoted' },
      { search: 'example.com' },
      { search: '138' },
      { consent: true },
      { decisionRole: 'BUYER' },
    ];
    const callers: Caller[] = [...users.map((user) => ({ name: user, user })), keys.full, keys.noPii, keys.customersOnly];
    for (const caller of callers) {
      for (const filter of filters) for (const document of Object.values(DOCUMENTS)) await walk(caller, document, { first: 3, filter });
    }
    t.app.config.territoryAccess = TerritoryAccess.READ;
    for (const user of ['repHangzhou', 'repHangzhou2'] as const) {
      const caller: Caller = { name: user, user };
      for (const document of Object.values(DOCUMENTS)) await walk(caller, document, { first: 4 });
      // A territory colleague's accounts are READ: their contacts are listed, compiled and sent as text.
      const { compiled, text } = await walk(caller, DOCUMENTS.pii, { first: 4 });
      expect(compiled && text, user).toBe(true);
    }
    t.app.config.territoryAccess = TerritoryAccess.NONE;

    // Not vacuous: which path answered.
    const admin: Caller = { name: 'admin', user: 'admin' };
    expect((await walk(admin, DOCUMENTS.pii, { first: 3 })).text).toBe(true);
    expect((await walk(keys.full, DOCUMENTS.pii, { first: 3 })).text).toBe(true);
    // A key without pii:read: personal data is masked by the resolvers (errors: never text); without it, text.
    expect((await walk(keys.noPii, DOCUMENTS.pii, { first: 3 })).text).toBe(false);
    expect((await walk(keys.noPii, DOCUMENTS.plain, { first: 3 })).text).toBe(true);
    // IM handles are transformed: walked by graphql-js. A contact's account is compiled as an interaction's is (READ or EDIT only).
    expect((await walk(admin, DOCUMENTS.imHandles, { first: 3 })).text).toBe(false);
    expect((await walk(admin, DOCUMENTS.account, { first: 3 })).text).toBe(true);
    expect((await walk(keys.noPii, DOCUMENTS.account, { first: 3 })).text).toBe(true);
  });

  it('refuses bad cursors and page sizes exactly as the resolvers do', async () => {
    const garbage = [
      'garbage',
      Buffer.from('["x","not-a-uuid"]').toString('base64url'),
      Buffer.from('[1,"00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from('["2025-13-45 00:00:00+00","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
    ];
    for (const caller of [{ name: 'admin', user: 'admin' } as Caller, { name: 'repHangzhou', user: 'repHangzhou' } as Caller, keys.full]) {
      for (const after of garbage)
        for (const orderBy of [SORTS[0], SORTS[2]]) await compare(caller, DOCUMENTS.plain, { first: 2, after, orderBy });
      await compare(caller, DOCUMENTS.plain, { first: 1000 });
      await compare(caller, DOCUMENTS.plain, { first: 0 });
    }
  });
});
