import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyKind, Scope } from '../../api/src/common/access/index.js';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { ApiKey } from '../../api/src/modules/api-key/api-key.entity.js';
import { Region } from '../../api/src/modules/region/region.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

let t: TestApp;

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().getConnection().execute<T[]>(query, params);

const LIST = `query ($first: Int, $after: String, $filter: CustomerFilter, $orderBy: CustomerOrder, $scope: CustomerScope! = ACCESSIBLE) {
  customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy, scope: $scope) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id legalName grade lastInteractionAt lastOrderAt } }
  }
}`;

/** Ids only: a walk selects nothing the caller might be refused. */
const WALK = LIST.replace('node { id legalName grade lastInteractionAt lastOrderAt }', 'node { id }');

/** The documented orders (customer.inputs.ts CustomerSortField), written out here as the test's oracle. */
const FUNNEL = ['POTENTIAL', 'INTENTION', 'FIRST_PURCHASE', 'REPEAT', 'DORMANT', 'LOST'];
const LATEST_GRADES = ['Key account', 'Quality', 'Normal'];
const PLACED = ['CONFIRMED', 'SHIPPED', 'DELIVERED'];

const TAG = 'sorts-fixture';

// Microsecond times, as now() writes them: T1 and T2 are the same millisecond.
const T1 = '2026-03-01T10:00:00.123456Z';
const T2 = '2026-03-01T10:00:00.123457Z';
const T3 = '2026-03-02T08:00:00.000001Z';
const OLD = '2025-01-01T00:00:00.000000Z';
const LATER = '2026-06-01T00:00:00.000000Z';

type Territory = 'hangzhou' | 'ningbo' | 'guangzhou';
interface Fixture {
  key: string;
  territory: Territory;
  owner: Principal;
  stage: string;
  industry: string | null;
  /** Grade in the latest published cycle: a name, null (evaluated, below every grade), undefined (not evaluated). */
  grade?: string | null;
  interactions: string[];
  orders: [string, string][];
  id: string;
}

const fixture = (f: Omit<Fixture, 'id'>): Fixture => ({ ...f, id: randomUUID() });

const FIXTURES: Fixture[] = [
  fixture({
    key: 's1',
    territory: 'hangzhou',
    owner: 'repHangzhou',
    stage: 'REPEAT',
    industry: 'Machinery',
    grade: 'Key account',
    interactions: [T1, OLD],
    orders: [
      ['CONFIRMED', T3],
      ['QUOTE', LATER],
    ],
  }),
  fixture({
    key: 's2',
    territory: 'hangzhou',
    owner: 'repHangzhou2',
    stage: 'POTENTIAL',
    industry: 'machinery',
    grade: 'Quality',
    interactions: [T1],
    orders: [['DELIVERED', T3]],
  }),
  fixture({
    key: 's3',
    territory: 'ningbo',
    owner: 'repNingbo',
    stage: 'REPEAT',
    industry: 'Electronics',
    grade: 'Key account',
    interactions: [T2],
    orders: [['CANCELLED', LATER]],
  }),
  fixture({
    key: 's4',
    territory: 'ningbo',
    owner: 'repNingbo',
    stage: 'LOST',
    industry: 'MACHINERY',
    grade: 'Normal',
    interactions: [],
    orders: [],
  }),
  fixture({
    key: 's5',
    territory: 'guangzhou',
    owner: 'repGuangzhou',
    stage: 'INTENTION',
    industry: null,
    grade: null,
    interactions: [T2],
    orders: [['SHIPPED', T1]],
  }),
  fixture({
    key: 's6',
    territory: 'guangzhou',
    owner: 'repGuangzhou',
    stage: 'POTENTIAL',
    industry: 'Electronics',
    interactions: [T3],
    orders: [['CONFIRMED', T1]],
  }),
  fixture({
    key: 's7',
    territory: 'hangzhou',
    owner: 'repHangzhou',
    stage: 'DORMANT',
    industry: null,
    grade: 'Quality',
    interactions: [],
    orders: [['SHIPPED', T2]],
  }),
  fixture({
    key: 's8',
    territory: 'hangzhou',
    owner: 'repHangzhou',
    stage: 'FIRST_PURCHASE',
    industry: 'Electronics',
    interactions: [T3, T3],
    orders: [],
  }),
];

const byKey = (key: string) => FIXTURES.find((f) => f.key === key)!;
const keysOf = (ids: string[]) => ids.map((id) => FIXTURES.find((f) => f.id === id)?.key ?? id);

/** The latest of some microsecond times ('' for none: "none yet" sorts before every time). */
const latest = (times: string[]) => times.reduce((a, b) => (b > a ? b : a), '');

const TERRITORY_NAMES: Record<Territory, string> = { hangzhou: 'Hangzhou', ningbo: 'Ningbo', guangzhou: 'Guangzhou' };
const OWNER_NAMES: Partial<Record<Principal, string>> = {
  repHangzhou: 'Hu Hangzhou',
  repHangzhou2: 'Han Hangzhou',
  repNingbo: 'Ning Ningbo',
  repGuangzhou: 'Guo Guangzhou',
};

const SORT_KEYS: Record<string, (f: Fixture) => string | number> = {
  TERRITORY: (f) => TERRITORY_NAMES[f.territory],
  OWNER: (f) => OWNER_NAMES[f.owner]!,
  STAGE: (f) => FUNNEL.indexOf(f.stage),
  GRADE: (f) => (f.grade ? LATEST_GRADES.indexOf(f.grade) : LATEST_GRADES.length),
  LAST_INTERACTION: (f) => latest(f.interactions),
  LAST_ORDER: (f) => latest(f.orders.filter(([status]) => PLACED.includes(status)).map(([, at]) => at)),
};

/** The expected order: by key, then id (uuids order as their lower-case hex text); DESC is the exact reverse. */
function expectedOrder(field: string, direction: 'ASC' | 'DESC', rows: Fixture[] = FIXTURES): string[] {
  const key = SORT_KEYS[field]!;
  const sorted = [...rows].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    if (ka !== kb) return ka < kb ? -1 : 1;
    return a.id < b.id ? -1 : 1;
  });
  if (direction === 'DESC') sorted.reverse();
  return sorted.map((f) => f.key);
}

type Caller = Principal | { key: string };

async function gql(who: Caller, variables: Record<string, unknown>, query = LIST): Promise<GqlResult> {
  if (typeof who === 'string') return t.gqlAs(who, query, variables);
  const response = await t.http().post('/graphql').set('authorization', `Bearer ${who.key}`).send({ query, variables });
  return { status: response.status, data: response.body?.data ?? null, errors: response.body?.errors, body: response.body };
}

/** Every page from the first to the last, asserting each is well formed; the ids in order. */
async function walk(who: Caller, orderBy: Record<string, unknown>, first: number, filter: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  let total: number | null = null;
  for (let page = 0; page < 20; page++) {
    const { data, errors } = await gql(who, { first, after, orderBy, filter: { tag: TAG, ...filter } }, WALK);
    expect(errors).toBeUndefined();
    const connection = data!.customers;
    total ??= connection.totalCount;
    expect(connection.edges.length).toBeLessThanOrEqual(first);
    ids.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
    if (!connection.pageInfo.hasNextPage) {
      expect(ids).toHaveLength(total!);
      return ids;
    }
    after = connection.pageInfo.endCursor;
  }
  throw new Error('the cursor never reached the end');
}

async function keyWith(scopes: Scope[]): Promise<{ key: string }> {
  const em = t.orm.em.fork() as EntityManager;
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = em.create(ApiKey, {
    name: `sorts ${scopes.join(' ')}`,
    prefix,
    secretHash: hashSecret(secret),
    kind: ApiKeyKind.INTEGRATOR,
    scopes,
    createdBy: t.baseline.users.admin.id,
  });
  key.territories.add(em.getReference(Region, t.baseline.regions.hangzhou.id));
  await em.flush();
  return { key: `acc_${prefix}_${secret}` };
}

async function cycle(name: string, start: string, end: string, grades: string[], results: [Fixture, string | null][], publish: boolean) {
  const id = randomUUID();
  const settings = { grades: grades.map((grade, index) => ({ name: grade, minScore: 90 - index * 10 })) };
  await sql(`insert into evaluation_cycle (id, name, period_start, period_end, status, settings) values (?, ?, ?, ?, 'COMPUTED', ?)`, [
    id,
    name,
    start,
    end,
    JSON.stringify(settings),
  ]);
  for (const [f, grade] of results)
    await sql(`insert into evaluation (id, cycle_id, customer_id, grade) values (?, ?, ?, ?)`, [randomUUID(), id, f.id, grade]);
  if (publish) await sql(`update evaluation_cycle set status = 'PUBLISHED', published_at = now() where id = ?`, [id]);
}

beforeAll(async () => {
  t = await createTestApp();
  const { users, regions } = t.baseline;
  for (const f of FIXTURES) {
    const name = `Sorts ${f.key.toUpperCase()} Trading`;
    await sql(
      `insert into customer (id, legal_name, normalized_name, territory_id, owner_id, lifecycle_stage, industry, tags) values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [f.id, name, name.toLowerCase(), regions[f.territory].id, users[f.owner].id, f.stage, f.industry, `{${TAG}}`],
    );
    // Each customer's interactions in one statement, the way a bulk load writes them.
    if (f.interactions.length)
      await sql(
        `insert into interaction (id, customer_id, author_id, kind, channel, occurred_at, summary)
         select gen_random_uuid(), ?, ?, 'VISIT', 'FIELD', at, 'Visit' from unnest(?::timestamptz[]) at`,
        [f.id, users[f.owner].id, `{${f.interactions.join(',')}}`],
      );
    for (const [status, at] of f.orders)
      await sql(
        `insert into sales_order (id, customer_id, number, status, ordered_at, currency, subtotal, total) values (?, ?, ?, ?, ?, 'CNY', 0, 0)`,
        [randomUUID(), f.id, `SRT-${randomUUID().slice(0, 8)}`, status, at],
      );
  }
  const evaluated = FIXTURES.filter((f) => f.grade !== undefined);
  // An earlier published cycle with other grades, and a later one not yet published: neither counts.
  await cycle('2024', '2024-01-01', '2024-12-31', ['Gold', 'Silver'], [[byKey('s4'), 'Gold']], true);
  await cycle(
    '2025',
    '2025-01-01',
    '2025-12-31',
    LATEST_GRADES,
    evaluated.map((f) => [f, f.grade!] as [Fixture, string | null]),
    true,
  );
  await cycle('2026', '2026-01-01', '2026-12-31', ['Key account', 'Quality'], [[byKey('s6'), 'Key account']], false);
});

afterAll(async () => {
  await t?.close();
});

describe('customer list sorts', () => {
  const fields = Object.keys(SORT_KEYS);
  for (const field of fields) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`${field} ${direction} walks every page in the documented order, ties broken by id`, async () => {
        const expected = expectedOrder(field, direction);
        for (const first of [2, 3]) {
          expect(keysOf(await walk('admin', { field, direction }, first))).toEqual(expected);
        }
      });
    }
  }

  it('the fixtures tie on every key, so the tie-breaker is exercised', () => {
    for (const field of fields) {
      const keys = FIXTURES.map(SORT_KEYS[field]!);
      expect(new Set(keys).size, field).toBeLessThan(keys.length);
    }
    // T1 and T2 are one millisecond: a cursor holding a JS Date could not tell them apart.
    expect(new Date(T1).getTime()).toBe(new Date(T2).getTime());
  });

  it('shows the grade of the latest published cycle, and the last interaction and order', async () => {
    const { data, errors } = await gql('admin', { first: 20, filter: { tag: TAG } });
    expect(errors).toBeUndefined();
    const nodes = new Map(data!.customers.edges.map((edge: { node: Record<string, unknown> }) => [edge.node.id, edge.node]));
    for (const f of FIXTURES) {
      const node = nodes.get(f.id) as Record<string, unknown>;
      expect(node.grade, f.key).toBe(f.grade ?? null);
      const interaction = latest(f.interactions);
      expect(node.lastInteractionAt, f.key).toBe(interaction ? new Date(interaction).toISOString() : null);
      const order = latest(f.orders.filter(([status]) => PLACED.includes(status)).map(([, at]) => at));
      expect(node.lastOrderAt, f.key).toBe(order ? new Date(order).toISOString() : null);
    }
  });

  it('costs the same number of SQL statements for 2 and for 8 rows with grades and activity', async () => {
    const page = (first: number) =>
      t.countSql(async () => {
        const { data, errors } = await gql('admin', { first, filter: { tag: TAG }, orderBy: { field: 'GRADE', direction: 'ASC' } });
        expect(errors).toBeUndefined();
        expect(data!.customers.edges).toHaveLength(first);
      });
    expect(await page(8)).toBe(await page(2));
  });

  it('keeps the last interaction and order right through updates and deletes', async () => {
    const s1 = byKey('s1');
    const s7 = byKey('s7');
    /** Whether the stored columns are exactly these times (compared in PostgreSQL, to the microsecond). */
    const expectLast = async (id: string, interaction: string | null | undefined, order: string | null | undefined) => {
      const [row] = await sql<{ interaction: boolean; order: boolean }>(
        `select last_interaction_at is not distinct from ?::timestamptz as interaction, last_order_at is not distinct from ?::timestamptz as "order" from customer where id = ?`,
        [interaction ?? null, order ?? null, id],
      );
      if (interaction !== undefined) expect(row!.interaction, `interaction ${interaction}`).toBe(true);
      if (order !== undefined) expect(row!.order, `order ${order}`).toBe(true);
    };
    // The latest interaction moves back: the older one is the latest again.
    await sql(`update interaction set occurred_at = '2024-01-01T00:00:00Z' where customer_id = ? and occurred_at = ?`, [s1.id, T1]);
    await expectLast(s1.id, OLD, undefined);
    await sql(`delete from interaction where customer_id = ?`, [s1.id]);
    await expectLast(s1.id, null, undefined);
    // A quote confirmed counts; the confirmed order cancelled no longer does.
    await sql(`update sales_order set status = 'CONFIRMED' where customer_id = ? and status = 'QUOTE'`, [s1.id]);
    await expectLast(s1.id, undefined, LATER);
    await sql(`update sales_order set status = 'CANCELLED' where customer_id = ?`, [s7.id]);
    await expectLast(s7.id, undefined, null);
    // An order moved to another account leaves both right.
    await sql(`update sales_order set customer_id = ? where customer_id = ? and status = 'CONFIRMED' and ordered_at = ?`, [
      s7.id,
      s1.id,
      LATER,
    ]);
    await expectLast(s1.id, undefined, T3);
    await expectLast(s7.id, undefined, LATER);
    // Put the world back as the other tests expect it.
    await sql(`update sales_order set customer_id = ?, status = 'QUOTE' where customer_id = ? and ordered_at = ?`, [s1.id, s7.id, LATER]);
    await sql(`update sales_order set status = 'SHIPPED' where customer_id = ?`, [s7.id]);
    await sql(
      `insert into interaction (id, customer_id, author_id, kind, channel, occurred_at, summary)
       select gen_random_uuid(), ?, ?, 'VISIT', 'FIELD', at, 'Visit' from unnest(?::timestamptz[]) at`,
      [s1.id, t.baseline.users.repHangzhou.id, `{${s1.interactions.join(',')}}`],
    );
    await expectLast(s1.id, T1, T3);
    await expectLast(s7.id, null, T2);
  });

  it('keeps the later time when a delete recomputes while an insert is in flight', async () => {
    const s4 = byKey('s4');
    const author = t.baseline.users.repNingbo.id;
    const insert = `insert into interaction (id, customer_id, author_id, kind, channel, occurred_at, summary) values (gen_random_uuid(), $1, $2, 'VISIT', 'FIELD', $3, 'Visit')`;
    await sql(insert.replace('$1', '?').replace('$2', '?').replace('$3', '?'), [s4.id, author, OLD]);
    const [inserter, deleter] = [new pg.Client({ connectionString: t.databaseUrl }), new pg.Client({ connectionString: t.databaseUrl })];
    await Promise.all([inserter.connect(), deleter.connect()]);
    try {
      await inserter.query('begin');
      await inserter.query(insert, [s4.id, author, LATER]);
      await deleter.query('begin');
      // Waits for the inserter's lock on the account, then must see its row.
      const deleting = deleter.query(`delete from interaction where customer_id = $1 and occurred_at = $2`, [s4.id, OLD]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await inserter.query('commit');
      await deleting;
      await deleter.query('commit');
    } finally {
      await Promise.all([inserter.end(), deleter.end()]);
    }
    const [row] = await sql<{ same: boolean }>(`select last_interaction_at = ?::timestamptz as same from customer where id = ?`, [
      LATER,
      s4.id,
    ]);
    expect(row!.same).toBe(true);
    await sql(`delete from interaction where customer_id = ?`, [s4.id]);
    const [after] = await sql<{ last: string | null }>(`select last_interaction_at as last from customer where id = ?`, [s4.id]);
    expect(after!.last).toBeNull();
  });

  it('logInteraction moves the last interaction forward in the same request', async () => {
    const s8 = byKey('s8');
    const LOG = `mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id occurredAt } }`;
    const occurredAt = '2026-03-03T09:00:00.000Z';
    const { errors } = await t.gqlAs('repHangzhou', LOG, {
      input: { customerId: s8.id, kind: 'CALL', channel: 'PHONE', summary: 'Called', occurredAt },
    });
    expect(errors).toBeUndefined();
    const { data } = await gql('repHangzhou', {
      first: 1,
      filter: { tag: TAG },
      orderBy: { field: 'LAST_INTERACTION', direction: 'DESC' },
    });
    expect(data!.customers.edges[0].node).toMatchObject({ id: s8.id, lastInteractionAt: occurredAt });
    await sql(`delete from interaction where customer_id = ? and occurred_at = ?`, [s8.id, occurredAt]);
  });
});

describe('grade filter', () => {
  it('matches grades of the latest published cycle whatever their case', async () => {
    expect(keysOf(await walk('admin', { field: 'LEGAL_NAME', direction: 'ASC' }, 2, { grades: ['key ACCOUNT'] }))).toEqual(['s1', 's3']);
    expect(keysOf(await walk('admin', { field: 'LEGAL_NAME', direction: 'ASC' }, 2, { grades: ['Quality', 'normal'] }))).toEqual([
      's2',
      's4',
      's7',
    ]);
    // Gold is s4's grade in an earlier cycle only; s6 is a Key account only in an unpublished one.
    expect(await walk('admin', { field: 'LEGAL_NAME', direction: 'ASC' }, 2, { grades: ['Gold'] })).toEqual([]);
    expect(await walk('managerSouth', { field: 'LEGAL_NAME', direction: 'ASC' }, 2, { grades: ['Key account'] })).toEqual([]);
  });

  it('combines with a grade sort, paging across ties', async () => {
    const rows = FIXTURES.filter((f) => f.grade && ['Key account', 'Quality'].includes(f.grade));
    for (const direction of ['ASC', 'DESC'] as const) {
      expect(keysOf(await walk('admin', { field: 'GRADE', direction }, 2, { grades: ['Key account', 'Quality'] }))).toEqual(
        expectedOrder('GRADE', direction, rows),
      );
    }
  });

  it('lists the grades of the latest published cycle, best first', async () => {
    const { data, errors } = await t.gqlAs('repHangzhou', `{ customerGrades }`);
    expect(errors).toBeUndefined();
    expect(data!.customerGrades).toEqual(LATEST_GRADES);
  });
});

describe('grade masking: a sort or filter must not tell what the viewer may not see', () => {
  const visibleTo: Partial<Record<Principal, Territory[]>> = {
    repHangzhou: ['hangzhou'],
    managerEast: ['hangzhou', 'ningbo'],
  };

  for (const [who, territories] of Object.entries(visibleTo) as [Principal, Territory[]][]) {
    it(`${who}: filters and sorts on grade range over the accounts they may open only`, async () => {
      // A rep opens only their own accounts (TERRITORY_ACCESS=NONE); a manager every account of the region.
      const mine = FIXTURES.filter((f) => territories.includes(f.territory) && (who !== 'repHangzhou' || f.owner === who));
      const keyAccounts = mine.filter((f) => f.grade === 'Key account').map((f) => f.key);
      const filtered = await gql(who, { first: 10, filter: { tag: TAG, grades: ['Key account'] } });
      expect(filtered.errors).toBeUndefined();
      expect(filtered.data!.customers.totalCount).toBe(keyAccounts.length);
      expect(keysOf(filtered.data!.customers.edges.map((edge: { node: { id: string } }) => edge.node.id)).sort()).toEqual(
        [...keyAccounts].sort(),
      );
      for (const direction of ['ASC', 'DESC'] as const) {
        expect(keysOf(await walk(who, { field: 'GRADE', direction }, 2))).toEqual(expectedOrder('GRADE', direction, mine));
      }
    });

    it(`${who}: a directory listing refuses the grade filter and sort, and hides the grade of cards`, async () => {
      const filter = await gql(who, { first: 10, scope: 'DIRECTORY', filter: { grades: ['Key account'] } });
      expect(filter.data).toBeNull();
      expect(filter.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.grades' });
      const sort = await gql(who, { first: 10, scope: 'DIRECTORY', orderBy: { field: 'GRADE', direction: 'ASC' } });
      expect(sort.data).toBeNull();
      expect(sort.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'orderBy.field' });

      const cards = await gql(who, { first: 100, scope: 'DIRECTORY', filter: { search: 'Sorts ' } });
      const edges = cards.data!.customers.edges as { node: { id: string; grade: string | null } }[];
      expect(edges).toHaveLength(FIXTURES.length);
      const hidden = new Set(
        (cards.errors ?? [])
          .filter((error) => error.extensions?.code === 'FORBIDDEN' && error.path?.at(-1) === 'grade')
          .map((error) => error.path![2]),
      );
      edges.forEach((edge, index) => {
        const f = FIXTURES.find((candidate) => candidate.id === edge.node.id)!;
        const opens = territories.includes(f.territory) && (who !== 'repHangzhou' || f.owner === who);
        expect(edge.node.grade, f.key).toBe(opens ? (f.grade ?? null) : null);
        expect(hidden.has(index), f.key).toBe(!opens);
      });
    });
  }

  it('an API key without evaluations:read sees no grade and may neither filter nor sort on it', async () => {
    const key = await keyWith([Scope.CUSTOMERS_READ]);
    const list = await gql(key, { first: 10, filter: { tag: TAG } });
    expect(list.data!.customers.totalCount).toBe(FIXTURES.filter((f) => f.territory === 'hangzhou').length);
    for (const edge of list.data!.customers.edges)
      expect(edge.node).toMatchObject({ grade: null, lastInteractionAt: null, lastOrderAt: null });
    const fields = new Set(list.errors!.map((error) => `${error.extensions?.code} ${error.path?.at(-1)}`));
    expect(fields).toEqual(new Set(['FORBIDDEN grade', 'FORBIDDEN lastInteractionAt', 'FORBIDDEN lastOrderAt']));

    const filter = await gql(key, { first: 10, filter: { tag: TAG, grades: ['Key account'] } });
    expect(filter.data).toBeNull();
    expect(filter.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.grades', scope: 'evaluations:read' });
    for (const [field, scope] of [
      ['GRADE', 'evaluations:read'],
      ['LAST_INTERACTION', 'interactions:read'],
      ['LAST_ORDER', 'orders:read'],
    ]) {
      const sort = await gql(key, { first: 10, filter: { tag: TAG }, orderBy: { field, direction: 'ASC' } });
      expect(sort.data, field).toBeNull();
      expect(sort.errors![0]!.extensions, field).toMatchObject({ code: 'FORBIDDEN', field: 'orderBy.field', scope });
    }
    // The sorts on what it may read still work.
    const hangzhou = FIXTURES.filter((f) => f.territory === 'hangzhou');
    expect(keysOf(await walk(key, { field: 'STAGE', direction: 'DESC' }, 2))).toEqual(expectedOrder('STAGE', 'DESC', hangzhou));
  });

  it('an API key with evaluations:read filters and sorts on grade within its territories', async () => {
    const key = await keyWith([Scope.CUSTOMERS_READ, Scope.EVALUATIONS_READ]);
    const hangzhou = FIXTURES.filter((f) => f.territory === 'hangzhou');
    expect(keysOf(await walk(key, { field: 'GRADE', direction: 'ASC' }, 3))).toEqual(expectedOrder('GRADE', 'ASC', hangzhou));
    expect(keysOf(await walk(key, { field: 'LEGAL_NAME', direction: 'ASC' }, 3, { grades: ['KEY ACCOUNT'] }))).toEqual(['s1']);
    const grades = await t.http().post('/graphql').set('authorization', `Bearer ${key.key}`).send({ query: '{ customerGrades }' });
    expect(grades.body.data.customerGrades).toEqual(LATEST_GRADES);
    const without = await keyWith([Scope.CUSTOMERS_READ]);
    const refused = await t.http().post('/graphql').set('authorization', `Bearer ${without.key}`).send({ query: '{ customerGrades }' });
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('industry filter', () => {
  it('matches whatever the case, and customerIndustries lists each industry once, of the accounts the viewer may open', async () => {
    const machinery = FIXTURES.filter((f) => f.industry?.toLowerCase() === 'machinery').map((f) => f.key);
    expect(keysOf(await walk('admin', { field: 'LEGAL_NAME', direction: 'ASC' }, 2, { industry: 'MacHinery' })).sort()).toEqual(machinery);

    const industries = async (who: Principal) => {
      const { data, errors } = await t.gqlAs(who, `{ customerIndustries }`);
      expect(errors).toBeUndefined();
      return data!.customerIndustries as string[];
    };
    const all = await industries('admin');
    expect(all.filter((name) => name.toLowerCase() === 'machinery')).toHaveLength(1);
    expect(all.map((name) => name.toLowerCase())).toEqual([...new Set(all.map((name) => name.toLowerCase()))].sort());
    // The rep of Guangzhou opens s5 (no industry) and s6 (Electronics) of these, and the baseline's accounts.
    const guangzhou = await industries('repGuangzhou');
    expect(guangzhou).toContain('Electronics');
    expect(guangzhou.map((name) => name.toLowerCase())).not.toContain('machinery');
  });
});
