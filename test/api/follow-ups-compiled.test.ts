import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope, TerritoryAccess } from '../../api/src/common/access/index.js';
import { type Region } from '../../api/src/modules/region/region.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { bothPaths, keyCaller } from '../support/both-paths.js';

let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;
const { compare } = bothPaths(() => t);
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db().getConnection().execute<T[]>(query, params);

type Caller = { name: string; user: Principal } | { name: string; key: string; territories: string[] };
const keys: Record<'interactionsOnly' | 'full' | 'noPii' | 'noInteractions', Caller> = {} as never;

const keyFor = (name: string, scopes: Scope[], territories: Region[]): Promise<Caller> => keyCaller(t, { name, scopes, territories });

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  // Follow-ups on every baseline account, relative to today: overdue, due today, within the default 14 days, on its edge and beyond; several on one day (told apart by id).
  const offsets = [-40, -3, 0, 0, 7, 14, 15, 30];
  let n = 0;
  for (const customer of t.baseline.customers) {
    for (const offset of offsets.filter((_, index) => (index + n) % 3 !== 0)) {
      n += 1;
      await sql(
        `insert into interaction (id, customer_id, contact_id, author_id, kind, channel, occurred_at, summary, follow_up_on)
         values (?, ?, (select id from contact where customer_id = ? limit 1), ?, 'CALL', 'PHONE', now() - make_interval(days => ?), ?, current_date + ?::int)`,
        [randomUUID(), customer.id, n % 4 ? customer.id : randomUUID(), customer.owner.id, n, `Call back "${n}" \\ soon`, offset],
      );
    }
  }
  // An archived account's follow-ups are nobody's to call back.
  await sql(`update customer set archived_at = now() where id = ?`, [t.baseline.customers[2]!.id]);
  const { hangzhou, guangzhou } = t.baseline.regions;
  keys.interactionsOnly = await keyFor('interactions only', [Scope.INTERACTIONS_READ], [hangzhou]);
  keys.noPii = await keyFor('no pii', [Scope.INTERACTIONS_READ, Scope.CUSTOMERS_READ, Scope.CONTACTS_READ], [hangzhou]);
  keys.full = await keyFor(
    'full',
    [Scope.INTERACTIONS_READ, Scope.CUSTOMERS_READ, Scope.CONTACTS_READ, Scope.PII_READ, Scope.ORDERS_READ, Scope.EVALUATIONS_READ],
    [hangzhou, guangzhou],
  );
  keys.noInteractions = await keyFor('no interactions', [Scope.CUSTOMERS_READ], [hangzhou]);
});

afterAll(async () => {
  if (t) {
    t.app.config.compiledReads = true;
    t.app.config.territoryAccess = TerritoryAccess.NONE;
  }
  await t?.close();
});

const PAGE = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const DOCUMENTS: Record<string, string> = {
  plain: `edges { cursor node { id kind channel occurredAt summary followUpOn createdAt updatedAt version __typename } } ${PAGE}`,
  relations: `edges { node { id followUpOn customer { id legalName access owner { id name } territory { code } } contact { id name title } author { id name } } } pageInfo { hasNextPage endCursor }`,
  pii: `edges { node { id contact { id name email mobile } } } pageInfo { hasNextPage endCursor }`,
  deep: `edges { node { id customer { id notes contacts { id name } evaluations { id } } } } pageInfo { hasNextPage endCursor }`,
};

const document = (selection: string) =>
  `query ($first: Int, $after: String, $dueBefore: String) { followUps(first: $first, after: $after, dueBefore: $dueBefore) { ${selection} } }`;

/** Every page on both paths; the ids in order, and whether every page was compiled / sent as text. */
async function walk(caller: Caller, query: string, variables: Record<string, unknown>) {
  const ids: string[] = [];
  let compiledAll = true;
  let textAll = true;
  let after: string | null = null;
  for (let step = 0; step < 80; step += 1) {
    const { resolvers, compiled } = await compare(caller, query, { ...variables, after });
    compiledAll &&= compiled.statements <= 3;
    textAll &&= compiled.asText;
    const page = (JSON.parse(resolvers.body) as { data?: { followUps: any } | null }).data?.followUps;
    if (!page) return { ids, compiled: false, text: false };
    ids.push(...page.edges.map((edge: { node: { id: string } }) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, compiled: compiledAll, text: textAll };
}

/**
 * The follow-ups each caller must see, by the documented rule, from the tables directly: due
 * before the date (default today + 15), a user's on the live accounts they own in a territory
 * they work in (admins own none here), a key's on every account in its territories.
 */
async function expectedIds(caller: Caller, dueBefore: string | null): Promise<string[]> {
  const base = `select i.id from interaction i join customer c on c.id = i.customer_id
    where i.follow_up_on is not null and i.follow_up_on < coalesce(?::date, current_date + 15)`;
  if (!('user' in caller))
    return (await sql<{ id: string }>(`${base} and c.territory_id = any(?::uuid[])`, [dueBefore, `{${caller.territories.join(',')}}`]))
      .map((row) => row.id)
      .sort();
  const user = t.baseline.users[caller.user];
  return (
    await sql<{ id: string }>(
      `${base} and c.owner_id = ? and c.archived_at is null and (? or c.territory_id in (select ut.region_id from user_territory ut where ut.user_id = ?))`,
      [dueBefore, user.id, caller.user === 'admin', user.id],
    )
  )
    .map((row) => row.id)
    .sort();
}

const users: Principal[] = ['admin', 'managerEast', 'repHangzhou', 'repHangzhou2', 'repNingbo', 'repGuangzhou'];
const callers = (): Caller[] => [...users.map((user) => ({ name: user, user })), keys.interactionsOnly, keys.noPii, keys.full];
const DUE = [null, '2000-01-01', '2999-12-31'];

describe('followUps compiled to one statement', () => {
  it('answers every caller, due date and page size with the same bytes and rows as the resolvers', { timeout: 900_000 }, async () => {
    let listed = 0;
    for (const caller of callers()) {
      for (const dueBefore of DUE) {
        for (const first of [1, 3, 25]) {
          const label = `${caller.name} ${dueBefore} ${first}`;
          const { ids, compiled, text } = await walk(caller, document(DOCUMENTS.plain!), { first, dueBefore });
          expect(new Set(ids).size, label).toBe(ids.length);
          expect([...ids].sort(), label).toEqual(await expectedIds(caller, dueBefore));
          listed += ids.length;
          expect(compiled, `${label} compiled`).toBe(true);
          expect(text, `${label} as text`).toBe(true);
        }
      }
    }
    expect(listed).toBeGreaterThan(0);
  });

  it('answers relations and keys with and without scopes the same', { timeout: 900_000 }, async () => {
    for (const caller of callers())
      for (const selection of Object.values(DOCUMENTS)) await walk(caller, document(selection), { first: 4, dueBefore: '2999-12-31' });

    // A territory colleague reads the accounts of the territory, but follows up only their own.
    t.app.config.territoryAccess = TerritoryAccess.READ;
    for (const user of ['repHangzhou', 'repHangzhou2'] as const) {
      const caller: Caller = { name: user, user };
      for (const selection of Object.values(DOCUMENTS)) await walk(caller, document(selection), { first: 4 });
      const { ids, compiled, text } = await walk(caller, document(DOCUMENTS.relations!), { first: 4 });
      expect([...ids].sort(), user).toEqual(await expectedIds(caller, null));
      expect(compiled && text, user).toBe(true);
    }
    t.app.config.territoryAccess = TerritoryAccess.NONE;

    // Not vacuous: which path answered.
    const rep: Caller = { name: 'repHangzhou', user: 'repHangzhou' };
    for (const caller of [rep, keys.full]) {
      expect((await walk(caller, document(DOCUMENTS.relations!), { first: 3 })).text, caller.name).toBe(true);
      expect((await walk(caller, document(DOCUMENTS.pii!), { first: 3 })).text, caller.name).toBe(true);
    }
    expect((await walk(keys.noPii, document(DOCUMENTS.pii!), { first: 3 })).text).toBe(false);
    expect((await walk(keys.interactionsOnly, document(DOCUMENTS.relations!), { first: 3 })).text).toBe(false);
    expect((await walk(keys.interactionsOnly, document(DOCUMENTS.plain!), { first: 3 })).text).toBe(true);
    // An account's evaluations reached through a key's relation are the resolvers'.
    expect((await walk(keys.full, document(DOCUMENTS.deep!), { first: 3 })).compiled).toBe(false);
    expect((await walk(rep, document(DOCUMENTS.deep!), { first: 3 })).compiled).toBe(true);
  });

  it('refuses bad cursors, dates and page sizes exactly as the resolvers do', { timeout: 300_000 }, async () => {
    const cursor = (key: unknown, id: string) => Buffer.from(JSON.stringify([key, id])).toString('base64url');
    const garbage = [
      'garbage',
      cursor('x', 'not-a-uuid'),
      cursor('x', '00000000-0000-4000-8000-000000000000'),
      cursor(1, '00000000-0000-4000-8000-000000000000'),
      cursor('2025-02-30', '00000000-0000-4000-8000-000000000000'),
      cursor('2025-13-01', '00000000-0000-4000-8000-000000000000'),
      cursor('2025-02-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'),
      cursor('2025-02-01', '00000000-0000-4000-8000-00000000000A'),
      cursor('2025-02-01', '00000000-0000-4000-8000-000000000000'),
    ];
    const query = document(DOCUMENTS.plain!);
    const some: Caller[] = [{ name: 'admin', user: 'admin' }, { name: 'repHangzhou', user: 'repHangzhou' }, keys.full, keys.noInteractions];
    for (const caller of some) {
      for (const after of garbage) await compare(caller, query, { first: 2, after, dueBefore: '2999-12-31' });
      for (const first of [1000, 0, -1]) await compare(caller, query, { first });
      for (const dueBefore of ['tomorrow', '2025-02-30', '2025-2-1']) await compare(caller, query, { dueBefore });
    }
  });
});
