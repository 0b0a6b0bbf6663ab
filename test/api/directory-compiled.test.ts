import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, Scope } from '../../api/src/common/access/index.js';
import { Region, RegionKind } from '../../api/src/modules/region/region.entity.js';
import { User } from '../../api/src/modules/user/user.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { bothPaths, keyCaller } from '../support/both-paths.js';

let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;
const { compare } = bothPaths(() => t);

type Caller = { name: string; user: Principal } | { name: string; key: string };
const keys: Record<'customers' | 'orders', Caller> = {} as never;

const keyFor = (name: string, scopes: Scope[]): Promise<Caller> =>
  keyCaller(t, { name, scopes, territories: [t.baseline.regions.hangzhou] });

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  const em = db();
  const { zhejiang, hangzhou } = t.baseline.regions;
  // Names a careless JSON mapping or cursor would change; a node with no children; a deactivated user with two territories.
  const wenzhou = em.create(Region, {
    code: 'WZ',
    name: 'Wen "Zhou"\\',
    nameZh: '温州',
    kind: RegionKind.TERRITORY,
    parent: zhejiang.id,
    path: `${zhejiang.path}/WZ`,
    keyCity: true,
  });
  const user = em.create(User, { email: 'left@example.com', name: 'Left "Quoted"', passwordHash: 'x', role: Role.REP, active: false });
  user.territories.add(em.getReference(Region, hangzhou.id), wenzhou);
  await em.flush();
  keys.customers = await keyFor('customers', [Scope.CUSTOMERS_READ]);
  keys.orders = await keyFor('orders', [Scope.ORDERS_READ]);
});

afterAll(async () => {
  if (t) t.app.config.compiledReads = true;
  await t?.close();
});

type Root = 'regions' | 'users';
const PAGE = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const DOCUMENTS: Record<Root, Record<string, string>> = {
  regions: {
    plain: `edges { cursor node { id code name nameZh kind path keyCity createdAt updatedAt version __typename } } ${PAGE}`,
    relations: `edges { node { id parent { id code parent { code } } children { id code children { code } } } } pageInfo { hasNextPage endCursor }`,
  },
  users: {
    plain: `edges { cursor node { id email name role active createdAt version __typename } } ${PAGE}`,
    relations: `edges { node { id territories { id code parent { code } } managedRegions { code children { code } } } } pageInfo { hasNextPage endCursor }`,
  },
};
const TYPES: Record<Root, [string, string]> = { regions: ['RegionFilter', 'RegionOrder'], users: ['UserFilter', 'UserOrder'] };
const SORTS: Record<Root, { field: string; direction: string }[]> = {
  regions: ['CODE', 'NAME', 'PATH'].flatMap((field) => ['ASC', 'DESC'].map((direction) => ({ field, direction }))),
  users: ['NAME', 'EMAIL', 'CREATED_AT'].flatMap((field) => ['ASC', 'DESC'].map((direction) => ({ field, direction }))),
};

function document(root: Root, selection: string): string {
  const [filter, order] = TYPES[root];
  return `query ($first: Int, $after: String, $filter: ${filter}, $orderBy: ${order}) { ${root}(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { ${selection} } }`;
}

async function walk(caller: Caller, root: Root, query: string, variables: Record<string, unknown>) {
  const ids: string[] = [];
  let textAll = true;
  let after: string | null = null;
  for (let step = 0; step < 40; step += 1) {
    const { resolvers, compiled } = await compare(caller, query, { ...variables, after });
    textAll &&= compiled.asText && compiled.statements <= 3;
    const page = (JSON.parse(resolvers.body) as { data?: Record<Root, any> | null }).data?.[root];
    if (!page) return { ids, text: false };
    ids.push(...page.edges.map((edge: { node: { id: string } }) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, text: textAll };
}

describe('regions and users pages compiled to one statement', () => {
  it('answers every caller, sort, filter and page with the same bytes as the resolvers', { timeout: 600_000 }, async () => {
    const { zhejiang, hangzhou } = t.baseline.regions;
    const filters: Record<Root, Record<string, unknown>[]> = {
      regions: [{}, { parentId: zhejiang.id }, { withinId: zhejiang.id }, { kind: 'TERRITORY' }, { keyCity: true }, { search: '"zhou"\\' }],
      users: [{}, { role: 'REP' }, { active: false }, { territoryId: hangzhou.id }, { search: 'quoted' }],
    };
    const callers: Caller[] = [
      ...(['admin', 'managerEast', 'managerSouth', 'repHangzhou'] as const).map((user) => ({ name: user, user })),
      keys.customers,
      keys.orders,
    ];
    for (const root of ['regions', 'users'] as const) {
      const tables = (
        await db()
          .getConnection()
          .execute<{ id: string }[]>(`select id from ${root === 'regions' ? 'region' : 'app_user'}`)
      )
        .map((row) => row.id)
        .sort();
      for (const caller of callers) {
        for (const orderBy of SORTS[root]) {
          const { ids } = await walk(caller, root, document(root, DOCUMENTS[root].plain!), { first: 2, orderBy });
          // Every region to whoever may read customers; every user to managers and admins (the operation's gate).
          const sees = root === 'regions' ? caller !== keys.orders : 'user' in caller && caller.user !== 'repHangzhou';
          if (sees) expect([...ids].sort(), `${root} ${caller.name}`).toEqual(tables);
          else expect(ids, `${root} ${caller.name}`).toEqual([]);
        }
        for (const filter of filters[root])
          for (const selection of Object.values(DOCUMENTS[root])) await walk(caller, root, document(root, selection), { first: 3, filter });
      }
    }
    // Not vacuous: which path answered.
    const admin: Caller = { name: 'admin', user: 'admin' };
    for (const root of ['regions', 'users'] as const)
      for (const selection of Object.values(DOCUMENTS[root]))
        expect((await walk(admin, root, document(root, selection), { first: 25 })).text, `${root} ${selection}`).toBe(true);
    expect((await walk(keys.customers, 'regions', document('regions', DOCUMENTS.regions.relations!), { first: 25 })).text).toBe(true);
  });

  it('refuses bad cursors and page sizes exactly as the resolvers do', async () => {
    const garbage = [
      'garbage',
      Buffer.from('["x","not-a-uuid"]').toString('base64url'),
      Buffer.from('[1,"00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from('["2025-13-45 00:00:00+00","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
    ];
    const admin: Caller = { name: 'admin', user: 'admin' };
    for (const root of ['regions', 'users'] as const) {
      const query = document(root, DOCUMENTS[root].plain!);
      for (const after of garbage) for (const orderBy of SORTS[root]) await compare(admin, query, { first: 2, after, orderBy });
      await compare(admin, query, { first: 1000 });
      await compare(admin, query, { first: 0 });
    }
  });
});
