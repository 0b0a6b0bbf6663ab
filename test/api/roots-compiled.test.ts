import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../../api/src/common/access/index.js';
import {
  AdminCyclePeriodsDocument,
  AdminEvaluationDistributionDocument,
  AdminEvaluationCycleByIdDocument,
  AdminEvaluationCyclesDocument,
  AdminMeDocument,
  AdminMyPlacesDocument,
  AdminRegionByIdDocument,
  MeDocument,
} from '../../schema/generated/graphql.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { bothPaths, keyCaller, type Caller } from '../support/both-paths.js';

// `me`, `region(id)`, and records by id that are not there or not open to the viewer: one
// statement, byte for byte what the resolvers answer. Answered as text, it travels with the
// COMMIT (two round trips: the opening, then the statement with COMMIT); otherwise three.
let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db().getConnection().execute<T[]>(query, params);
const { compare } = bothPaths(() => t);

let narrowKey: Caller;
let fullKey: Caller;
let evaluationsKey: Caller;
/** A published cycle with every setting, a computed one with defaults and a JSON null, a draft with no settings at all. */
const cycles: Record<'published' | 'computed' | 'draft' | 'older', string> = {
  published: randomUUID(),
  computed: randomUUID(),
  draft: randomUUID(),
  older: randomUUID(),
};
/** A rep deactivated after the baseline: their token no longer opens a session, and `user(id)` still answers them. */
const DEACTIVATED: Principal = 'repHangzhou2';

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  const { hangzhou, guangzhou } = t.baseline.regions;
  narrowKey = await keyCaller(t, { name: 'customers only', scopes: [Scope.CUSTOMERS_READ], territories: [hangzhou] });
  fullKey = await keyCaller(t, {
    name: 'full',
    scopes: [Scope.CUSTOMERS_READ, Scope.CONTACTS_READ, Scope.PII_READ, Scope.INTERACTIONS_READ, Scope.ORDERS_READ],
    territories: [hangzhou, guangzhou],
  });
  evaluationsKey = await keyCaller(t, { name: 'evaluations', scopes: [Scope.EVALUATIONS_READ], territories: [hangzhou] });
  const settings = {
    weights: { purchaseCount: 0.1, purchaseAmount: 0.3, amountPaid: 0.15, paymentTimeliness: 0.25, contribution: 0.2 },
    grades: [
      { name: 'A "top"', minScore: 0.8 },
      { name: 'B', minScore: 0.5 },
    ],
    valueModel: { marginRate: 0.35, costPerInteraction: 12.5 },
  };
  const cycle = (id: string, name: string, start: string, end: string, stored: string | null) =>
    sql(
      `insert into evaluation_cycle (id, name, period_start, period_end, status, settings, computed_at) values (?, ?, ?, ?, 'COMPUTED', ?::jsonb, '2025-01-05T00:00:00.123Z')`,
      [id, name, start, end, stored],
    );
  await cycle(cycles.published, 'FY "2023"', '2023-01-01', '2023-12-31', JSON.stringify(settings));
  await cycle(cycles.older, 'FY 2022', '2022-01-01', '2022-12-31', JSON.stringify({ grades: settings.grades }));
  await cycle(cycles.computed, 'FY 2024', '2024-01-01', '2024-12-31', JSON.stringify({ weights: null, valueModel: settings.valueModel }));
  await cycle(cycles.draft, 'FY 2025', '2025-01-01', '2025-12-31', '{}');
  await sql(`update evaluation_cycle set status = 'DRAFT', computed_at = null where id = ?`, [cycles.draft]);
  // Results of the published and computed cycles: every quadrant, tier, movement and grade (nulls too), amounts with cents.
  let n = 0;
  for (const cycle of [cycles.published, cycles.computed])
    for (const customer of t.baseline.customers) {
      n += 1;
      await sql(
        `insert into evaluation (id, cycle_id, customer_id, purchase_count, purchase_amount, amount_paid, score, grade, previous_grade, territory_id, owner_id, quadrant, value_tier, movement, customer_value, rank_overall)
         values (?, ?, ?, 1, ?, 0, 0.5, ?, ?, ?, ?, ?, ?, ?, 10, ?)`,
        [
          randomUUID(),
          cycle,
          customer.id,
          `${(n * 137) % 1000}.${n % 10}5`,
          [null, 'A "top"', 'B', 'Z'][n % 4],
          [null, 'B'][n % 2],
          customer.territory.id,
          customer.owner.id,
          ['I', 'II', 'III', 'IV', null][n % 5],
          ['MVC', 'MGC', 'BELOW_ZERO', null][n % 4],
          ['UP', 'DOWN', 'SAME', 'NEW', null][n % 5],
          n,
        ],
      );
    }
  await sql(`update evaluation_cycle set status = 'PUBLISHED', published_at = '2025-01-06T00:00:00Z' where id in (?, ?)`, [
    cycles.published,
    cycles.older,
  ]);
});

afterAll(async () => {
  if (t) t.app.config.compiledReads = true;
  await t?.close();
});

const users = (...names: Principal[]): Caller[] => names.map((name) => ({ name, user: name }));
const everyone = (): Caller[] => [
  ...users('admin', 'managerEast', 'managerSouth', 'repHangzhou', 'repGuangzhou'),
  narrowKey,
  fullKey,
  evaluationsKey,
];

/** Both paths: the same bytes; the compiled one within the budget. Returns the resolvers' body and both counts. */
async function same(caller: Caller, query: string, variables: Record<string, unknown>) {
  const { resolvers, compiled } = await compare(caller, query, variables);
  const label = `${caller.name} ${JSON.stringify(variables)} ${query.slice(0, 80)}`;
  expect(compiled.statements, label).toBeLessThanOrEqual(3);
  return {
    body: JSON.parse(resolvers.body) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] },
    resolvers,
    compiled,
  };
}

describe('me compiled to one statement', () => {
  it('answers every user with the same bytes as the resolvers, with their regions; keys are refused on both paths', async () => {
    for (const document of [MeDocument, AdminMeDocument, AdminMyPlacesDocument]) {
      const query = print(document);
      for (const caller of everyone()) {
        const { body, compiled } = await same(caller, query, {});
        if ('key' in caller) {
          expect(body.errors?.[0]?.extensions?.code, caller.name).toBe('FORBIDDEN');
          continue;
        }
        const me = body.data!.me as { id: string };
        expect(me.id, caller.name).toBe(t.baseline.users[caller.name as Principal].id);
        expect(compiled.asText, caller.name).toBe(true);
      }
    }
    // A rep's territories and a manager's regions, as the baseline placed them (hand-listed).
    const places = print(MeDocument);
    const rep = await same({ name: 'repHangzhou', user: 'repHangzhou' }, places, {});
    expect(rep.body.data!.me).toMatchObject({ territories: [{ code: 'HZ' }], managedRegions: [] });
    const manager = await same({ name: 'managerEast', user: 'managerEast' }, places, {});
    expect(manager.body.data!.me).toMatchObject({ territories: [], managedRegions: [{ code: 'EAST' }] });
  });

  it('a deactivated user is refused on both paths', async () => {
    const token = t.tokenFor(DEACTIVATED);
    await sql('update app_user set active = false where id = ?', [t.baseline.users[DEACTIVATED].id]);
    try {
      for (const document of [MeDocument, AdminMeDocument]) {
        const { body } = await same({ name: 'deactivated', key: token }, print(document), {});
        expect(body.data?.me ?? null).toBeNull();
        expect(body.errors?.length).toBeGreaterThan(0);
      }
    } finally {
      await sql('update app_user set active = true where id = ?', [t.baseline.users[DEACTIVATED].id]);
    }
  });

  it('costs more on the resolvers (the user, then a statement per relation)', async () => {
    const { resolvers, compiled } = await same({ name: 'repHangzhou', user: 'repHangzhou' }, print(MeDocument), {});
    expect(compiled.statements).toBe(2);
    expect(resolvers.statements).toBeGreaterThan(3);
  });
});

describe('region(id) compiled to one statement', () => {
  it('answers every caller and region with the same bytes as the resolvers, and null for an unknown or malformed id', async () => {
    const query = print(AdminRegionByIdDocument);
    const regions = await sql<{ id: string }>('select id from region order by path');
    expect(regions.length).toBe(7);
    for (const caller of everyone()) {
      for (const { id } of regions) {
        const { body, compiled } = await same(caller, query, { id });
        if (body.errors) continue;
        expect((body.data!.region as { id: string }).id, caller.name).toBe(id);
        expect(compiled.asText, caller.name).toBe(true);
      }
      for (const id of [randomUUID(), 'not-a-uuid', regions[0]!.id.toUpperCase()]) {
        const { body } = await same(caller, query, { id });
        if (!body.errors) expect(body.data!.region, `${caller.name} ${id}`).toBeNull();
      }
    }
    const deep = 'query ($id: ID!) { region(id: $id) { id code parent { code parent { code } } children { code children { code } } } }';
    for (const caller of everyone()) for (const { id } of regions) await same(caller, deep, { id });
  });

  it('costs more on the resolvers (the region, then its parent and children)', async () => {
    const deep = 'query ($id: ID!) { region(id: $id) { id parent { code } children { code } } }';
    const { resolvers, compiled } = await same({ name: 'admin', user: 'admin' }, deep, { id: t.baseline.regions.zhejiang.id });
    expect(compiled.statements).toBe(2);
    expect(resolvers.statements).toBeGreaterThan(3);
  });
});

describe('records by id not there or not open to the viewer', () => {
  const ROOTS = {
    user: { table: 'app_user', selection: 'id name territories { code }' },
    region: { table: 'region', selection: 'id code parent { code }' },
    contact: { table: 'contact', selection: 'id name customer { id legalName }' },
    order: { table: 'sales_order', selection: 'id number customer { id legalName } lines { position }' },
    interaction: { table: 'interaction', selection: 'id summary customer { id legalName } author { name }' },
  } as const;
  const document = (root: keyof typeof ROOTS) => `query ($id: ID!) { ${root}(id: $id) { ${ROOTS[root].selection} } }`;

  it('an unknown id answers null in one statement, for every caller, as the resolvers do', async () => {
    for (const root of Object.keys(ROOTS) as (keyof typeof ROOTS)[])
      for (const caller of everyone()) {
        const { body } = await same(caller, document(root), { id: randomUUID() });
        if (!body.errors) expect(body.data![root], `${root} ${caller.name}`).toBeNull();
      }
  });

  it('a record of an account the viewer may not open answers null in one statement, as the resolvers do', async () => {
    // Accounts of Guangzhou: closed to the Hangzhou rep, the East manager and Hangzhou-only keys (the documented reach).
    const guangzhou = t.baseline.regions.guangzhou.id;
    const closedTo = [...users('repHangzhou', 'managerEast'), narrowKey];
    for (const root of ['contact', 'order', 'interaction'] as const) {
      const rows = await sql<{ id: string }>(
        `select t.id from ${ROOTS[root].table} t join customer c on c.id = t.customer_id where c.territory_id = ? order by t.id limit 3`,
        [guangzhou],
      );
      expect(rows.length, root).toBeGreaterThan(0);
      for (const caller of closedTo)
        for (const { id } of rows) {
          const { body } = await same(caller, document(root), { id });
          if (!body.errors) expect(body.data![root], `${root} ${caller.name}`).toBeNull();
        }
      // Open to the South manager and the full key: the record itself, compiled as before.
      for (const caller of [...users('managerSouth', 'admin'), fullKey]) {
        const { body } = await same(caller, document(root), { id: rows[0]!.id });
        expect((body.data![root] as { id: string }).id, `${root} ${caller.name}`).toBe(rows[0]!.id);
      }
    }
  });

  it('costs the one statement, sent with COMMIT: its answer is no longer handed to the resolvers, which took a fourth round trip after it', async () => {
    const rep: Caller = { name: 'repHangzhou', user: 'repHangzhou' };
    for (const root of Object.keys(ROOTS) as (keyof typeof ROOTS)[]) {
      const { resolvers, compiled } = await same(rep, document(root), { id: randomUUID() });
      expect(compiled.statements, root).toBe(2);
      expect(compiled.asText, root).toBe(true);
      // The resolvers alone: their lookup finds nothing, and nothing below it runs.
      expect(resolvers.statements, root).toBe(3);
    }
  });
});

describe('evaluation cycles compiled to one statement', () => {
  it('answers every caller with the same bytes as the resolvers: users every cycle, keys the published ones, newest period first', async () => {
    for (const caller of everyone()) {
      for (const document of [AdminEvaluationCyclesDocument, AdminCyclePeriodsDocument]) {
        const { body, compiled } = await same(caller, print(document), {});
        if (caller === narrowKey || caller === fullKey) {
          expect(body.errors?.[0]?.extensions?.code, caller.name).toBe('FORBIDDEN');
          continue;
        }
        const ids = (body.data!.evaluationCycles as { edges: { node: { id: string } }[] }).edges.map((edge) => edge.node.id);
        // Hand-listed from the seed: newest period first; keys see the published two only.
        const expected =
          'key' in caller ? [cycles.published, cycles.older] : [cycles.draft, cycles.computed, cycles.published, cycles.older];
        expect(ids, caller.name).toEqual(expected);
        // As text the statement travels with COMMIT.
        expect(compiled.statements, caller.name).toBe(compiled.asText ? 2 : 3);
      }
      // Page by page, on the cursors each path gave.
      let after: string | null = null;
      for (let page = 0; page < 5; page += 1) {
        const { body } = await same(caller, print(AdminEvaluationCyclesDocument), { first: 1, after });
        if (body.errors) break;
        const info = (body.data!.evaluationCycles as { pageInfo: { hasNextPage: boolean; endCursor: string | null } }).pageInfo;
        if (!info.hasNextPage) break;
        after = info.endCursor;
      }
    }
  });

  it('a cycle by id: its settings or their defaults, null where there is none or a key may not open it', async () => {
    const query = print(AdminEvaluationCycleByIdDocument);
    for (const caller of everyone())
      for (const id of [...Object.values(cycles), randomUUID(), 'nope', cycles.draft.toUpperCase()]) {
        const { body, compiled } = await same(caller, query, { id });
        if (body.errors) continue;
        const cycle = body.data!.evaluationCycle as { id: string; weights: unknown; grades: unknown } | null;
        const opens = Object.values(cycles).includes(id) && (!('key' in caller) || id === cycles.published || id === cycles.older);
        expect(cycle?.id ?? null, `${caller.name} ${id}`).toBe(opens ? id : null);
        if (opens) expect(compiled.statements, `${caller.name} ${id}`).toBe(2);
      }
    // Defaults where the settings hold none (the documented weights: a fifth each; no grades).
    const draft = await same({ name: 'admin', user: 'admin' }, query, { id: cycles.draft });
    expect(draft.body.data!.evaluationCycle).toMatchObject({
      weights: { purchaseCount: 0.2, purchaseAmount: 0.2, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.2 },
      grades: [],
    });
    const published = await same({ name: 'admin', user: 'admin' }, query, { id: cycles.published });
    expect(published.body.data!.evaluationCycle).toMatchObject({
      grades: [
        { name: 'A "top"', minScore: 0.8 },
        { name: 'B', minScore: 0.5 },
      ],
    });
  });

  it('costs more on the resolvers (the page, then its count)', async () => {
    const { resolvers, compiled } = await same({ name: 'admin', user: 'admin' }, print(AdminEvaluationCyclesDocument), {});
    expect(compiled.statements).toBe(3);
    expect(resolvers.statements).toBeGreaterThan(3);
  });
});

describe('evaluationDistribution in one statement', () => {
  it('answers every caller, cycle and region with the same bytes as the resolvers, and their errors', async () => {
    const query = print(AdminEvaluationDistributionDocument);
    const { east, hangzhou, guangzhou } = t.baseline.regions;
    const cycleIds = [...Object.values(cycles), randomUUID(), 'nope', cycles.published.toUpperCase()];
    const regionIds = [undefined, east.id, hangzhou.id, guangzhou.id, randomUUID(), 'bad'];
    for (const caller of everyone())
      for (const cycleId of cycleIds)
        for (const regionId of regionIds) {
          const { body, compiled } = await same(caller, query, regionId === undefined ? { cycleId } : { cycleId, regionId });
          if (!body.errors) expect(compiled.statements, `${caller.name} ${cycleId} ${regionId}`).toBe(3);
        }
  });

  it('counts what the seed put in scope (hand-counted: an admin sees all 12 results of the published cycle)', async () => {
    const { body } = await same({ name: 'admin', user: 'admin' }, print(AdminEvaluationDistributionDocument), {
      cycleId: cycles.published,
    });
    expect((body.data!.evaluationDistribution as { total: number }).total).toBe(12);
    const key = await same(evaluationsKey, print(AdminEvaluationDistributionDocument), { cycleId: cycles.computed });
    expect(key.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('costs more on the resolvers (the cycle, then three aggregates)', async () => {
    const { resolvers, compiled } = await same({ name: 'admin', user: 'admin' }, print(AdminEvaluationDistributionDocument), {
      cycleId: cycles.published,
    });
    expect(compiled.statements).toBe(3);
    expect(resolvers.statements).toBe(6);
  });
});
