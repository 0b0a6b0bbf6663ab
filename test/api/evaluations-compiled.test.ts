import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyKind, Scope, TerritoryAccess } from '../../api/src/common/access/index.js';
import { type Region } from '../../api/src/modules/region/region.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { bothPaths, keyCaller } from '../support/both-paths.js';

let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;
const { request, compare } = bothPaths(() => t);
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db().getConnection().execute<T[]>(query, params);

type Caller = { name: string; user: Principal } | { name: string; key: string; territories: string[]; published: true };
const keys: Record<'bi' | 'evaluationsOnly' | 'withCustomers' | 'full' | 'noEvaluations', Caller> = {} as never;
/** A published cycle, a computed one (not yet published: hidden from keys), a draft with no results. */
const cycles = { published: randomUUID(), computed: randomUUID(), draft: randomUUID() };

async function keyFor(name: string, kind: ApiKeyKind, scopes: Scope[], territories: Region[]): Promise<Caller> {
  return { ...(await keyCaller(t, { name, kind, scopes, territories })), published: true };
}

/** Values a careless JSON mapping would change: doubles JavaScript writes otherwise, quotes, nulls, jsonb with and without normalised metrics. */
const DOUBLES = [0.1 + 0.2, 1e-7, 123456789012345680000, 0.5, null, 1e21, -0, 1 / 3];
/** A double whose shortest digits PostgreSQL and JavaScript write differently: its page is the resolvers' (jsFloat in json-sql.ts). */
const BOUNDARY = 5.0611477106328304e16;
const METRICS = [null, { purchases: 3, normalized: { amount: 0.25 } }, { purchases: 1 }, { normalized: null, note: 'a "quoted" \\ value' }];

async function seedResults(): Promise<void> {
  const insertCycle = (id: string, name: string, start: string, end: string) =>
    sql(
      `insert into evaluation_cycle (id, name, period_start, period_end, status, settings, computed_at) values (?, ?, ?, ?, 'COMPUTED', '{}', ?)`,
      [id, name, start, end, '2025-01-05T00:00:00.123Z'],
    );
  await insertCycle(cycles.published, 'FY "2023"', '2023-01-01', '2023-12-31');
  await insertCycle(cycles.computed, 'FY 2024', '2024-01-01', '2024-12-31');
  await insertCycle(cycles.draft, 'FY 2025', '2025-01-01', '2025-12-31');
  await sql(`update evaluation_cycle set status = 'DRAFT', computed_at = null where id = ?`, [cycles.draft]);
  const { users, regions } = t.baseline;
  let n = 0;
  for (const cycle of [cycles.published, cycles.computed]) {
    for (const customer of t.baseline.customers) {
      n += 1;
      const double = (offset: number) => DOUBLES[(n + offset) % DOUBLES.length] ?? null;
      // Pairs of rows share updated_at to the microsecond: the cursor tells them apart by id only.
      const updatedAt = new Date(Date.UTC(2025, 1, 1, 0, 0, Math.floor(n / 2))).toISOString().replace('Z', '123456Z').replace('.000', '.');
      await sql(
        `insert into evaluation (id, cycle_id, customer_id, purchase_count, purchase_amount, amount_paid, on_time_share, average_days_late, contribution, score,
           grade, territory_id, region_id, owner_id, rank_in_region, rank_overall, previous_grade, movement, quadrant, value_tier, customer_value, metrics, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz)`,
        [
          randomUUID(),
          cycle,
          customer.id,
          n % 4,
          `${n * 100}.50`,
          n % 3 ? '0.00' : `${n}.10`,
          cycle === cycles.computed && n % 5 === 0 ? BOUNDARY : double(0),
          double(1),
          double(2),
          double(3),
          n % 5 ? `Grade "${n % 3}"` : null,
          n % 4 ? customer.territory.id : null,
          n % 4 ? (customer.territory.id === regions.guangzhou.id ? regions.south.id : regions.east.id) : null,
          // The period-end owner, not always today's.
          n % 3 ? customer.owner.id : users.repNingbo.id,
          n % 6 || null,
          n,
          n % 2 ? 'Grade "1"' : null,
          ['UP', 'DOWN', 'SAME', 'NEW', null][n % 5],
          ['I', 'II', 'III', 'IV', null][n % 5],
          ['MVC', 'MGC', 'BELOW_ZERO', null][n % 4],
          n % 3 ? `${n * 1000}.00` : null,
          METRICS[n % METRICS.length] === null ? null : JSON.stringify(METRICS[n % METRICS.length]),
          updatedAt,
        ],
      );
    }
  }
  await sql(`update evaluation_cycle set status = 'PUBLISHED', published_at = '2025-01-06T00:00:00Z' where id = ?`, [cycles.published]);
}

/** An admin merges a Ningbo account into a Guangzhou one: the merged record's results are listed on the survivor (mergedFrom). */
async function mergeOne(): Promise<void> {
  const merged = t.baseline.customers[6]!;
  const survivor = t.baseline.customers[9]!;
  const versions = await sql<{ id: string; version: number }>('select id, version from customer where id in (?, ?)', [
    merged.id,
    survivor.id,
  ]);
  const result = await t.gqlAs('admin', `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { merge { id } } }`, {
    input: { survivorId: survivor.id, mergedIds: [merged.id], versions },
  });
  expect(result.errors).toBeUndefined();
}

beforeAll(async () => {
  // Each principal sends hundreds of requests here, more than a minute's rate limit allows on an idle machine.
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  await seedResults();
  await mergeOne();
  const { hangzhou, ningbo, guangzhou } = t.baseline.regions;
  keys.bi = await keyFor('bi', ApiKeyKind.BI, [Scope.EVALUATIONS_READ], [hangzhou, ningbo, guangzhou]);
  keys.evaluationsOnly = await keyFor('evaluations only', ApiKeyKind.INTEGRATOR, [Scope.EVALUATIONS_READ], [hangzhou]);
  keys.withCustomers = await keyFor('with customers', ApiKeyKind.INTEGRATOR, [Scope.EVALUATIONS_READ, Scope.CUSTOMERS_READ], [hangzhou]);
  keys.full = await keyFor(
    'full',
    ApiKeyKind.INTEGRATOR,
    [Scope.EVALUATIONS_READ, Scope.CUSTOMERS_READ, Scope.CONTACTS_READ, Scope.PII_READ, Scope.INTERACTIONS_READ, Scope.ORDERS_READ],
    [hangzhou, guangzhou],
  );
  keys.noEvaluations = await keyFor('no evaluations', ApiKeyKind.INTEGRATOR, [Scope.CUSTOMERS_READ], [hangzhou]);
});

afterAll(async () => {
  if (t) {
    t.app.config.compiledReads = true;
    t.app.config.territoryAccess = TerritoryAccess.NONE;
  }
  await t?.close();
});

const PAGE = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const FIGURES =
  'purchaseCount purchaseAmount amountPaid onTimeShare averageDaysLate grade rankInRegion rankOverall previousGrade movement quadrant valueTier customerValue';
const DOCUMENTS: Record<string, string> = {
  plain: `edges { cursor node { id ${FIGURES} createdAt updatedAt version __typename } } ${PAGE}`,
  companyWide: `edges { node { id contribution score metrics } } pageInfo { hasNextPage endCursor }`,
  relations: `edges { node { id mergedFrom cycle { id name periodStart periodEnd status publishedAt computedAt version } territory { id code name } region { code } owner { id name email role } } } ${PAGE}`,
  account: `edges { node { id mergedFrom customer { id legalName access industry lifecycleStage grade owner { name } territory { code } } } } pageInfo { hasNextPage endCursor }`,
  deep: `edges { node { id customer { id notes contacts { id name } evaluations { id grade mergedFrom } orders(first: 1) { totalCount edges { node { id number } } } } } } pageInfo { hasNextPage endCursor }`,
  unknown: `edges { node { id cycle { weights { purchaseAmount } } } } pageInfo { hasNextPage endCursor }`,
};

const document = (selection: string) =>
  `query ($cycleId: ID!, $first: Int, $after: String, $since: DateTime) { evaluations(cycleId: $cycleId, first: $first, after: $after, updatedSince: $since) { ${selection} } }`;

/** Every page of the feed on both paths; the ids in order, and whether every page was compiled / sent as text. */
async function walk(caller: Caller, query: string, variables: Record<string, unknown>) {
  const ids: string[] = [];
  let compiledAll = true;
  let textAll = true;
  let after: string | null = null;
  for (let step = 0; step < 40; step += 1) {
    const { resolvers, compiled } = await compare(caller, query, { ...variables, after });
    compiledAll &&= compiled.statements <= 3;
    textAll &&= compiled.asText;
    const page = (JSON.parse(resolvers.body) as { data?: { evaluations: any } | null }).data?.evaluations;
    if (!page) return { ids, compiled: false, text: false, answered: false };
    ids.push(...page.edges.map((edge: { node: { id: string } }) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, compiled: compiledAll, text: textAll, answered: true };
}

/**
 * The results each caller may list, by the documented rule, from the tables directly: admins all;
 * a manager the accounts in their regions' subtrees; a rep the accounts they own in a territory
 * they work in (and with TERRITORY_ACCESS=READ every account of those territories); a key the
 * accounts in its territories, published cycles only. Results listed by their own account.
 */
async function expectedIds(caller: Caller, cycle: string, since: string | null, territoryRead = false): Promise<string[] | null> {
  if (!('user' in caller) && cycle !== cycles.published) return null;
  const base = `select e.id from evaluation e join customer c on c.id = e.customer_id where e.cycle_id = ? and (?::timestamptz is null or e.updated_at >= ?::timestamptz)`;
  const params: unknown[] = [cycle, since, since];
  if (!('user' in caller))
    return (await sql<{ id: string }>(`${base} and c.territory_id = any(?::uuid[])`, [...params, `{${caller.territories.join(',')}}`]))
      .map((r) => r.id)
      .sort();
  const user = t.baseline.users[caller.user];
  if (caller.user === 'admin') return (await sql<{ id: string }>(base, params)).map((r) => r.id).sort();
  if (caller.user.startsWith('manager'))
    return (
      await sql<{ id: string }>(
        `${base} and c.territory_id in (select t.id from region t join region m on t.path = m.path or t.path like m.path || '/%' join user_managed_region um on um.region_id = m.id where um.user_id = ?)`,
        [...params, user.id],
      )
    )
      .map((r) => r.id)
      .sort();
  const worksIn = `c.territory_id in (select ut.region_id from user_territory ut where ut.user_id = ?)`;
  return (await sql<{ id: string }>(`${base} and ${worksIn} and (c.owner_id = ? or ?)`, [...params, user.id, user.id, territoryRead]))
    .map((r) => r.id)
    .sort();
}

const users: Principal[] = ['admin', 'managerEast', 'managerSouth', 'repHangzhou', 'repHangzhou2', 'repNingbo', 'repGuangzhou'];
const userCallers = (): Caller[] => users.map((user) => ({ name: user, user }));
const keyCallers = (): Caller[] => [keys.bi, keys.evaluationsOnly, keys.withCustomers, keys.full];

describe('evaluations (the BI feed) compiled to one statement', () => {
  it(
    'answers every caller, cycle, page size and incremental pull with the same bytes and rows as the resolvers',
    { timeout: 900_000 },
    async () => {
      const since = ['2025-02-01T00:00:03.000Z', '2025-02-01T00:00:03.123456Z'];
      for (const caller of [...userCallers(), ...keyCallers()]) {
        for (const cycle of [cycles.published, cycles.computed, cycles.draft]) {
          for (const first of [1, 2, 25]) {
            for (const updatedSince of [null, ...since]) {
              const label = `${caller.name} ${cycle} ${first} ${updatedSince}`;
              const { ids, compiled, text, answered } = await walk(caller, document(DOCUMENTS.plain!), {
                cycleId: cycle,
                first,
                since: updatedSince,
              });
              const expected = await expectedIds(caller, cycle, updatedSince);
              if (expected === null) {
                // To a key an unpublished cycle does not exist: NOT_FOUND from the resolvers, on both paths.
                expect(answered, label).toBe(false);
                continue;
              }
              expect(new Set(ids).size, label).toBe(ids.length);
              expect([...ids].sort(), label).toEqual(expected);
              // Nothing of these fields is masked: one statement, sent as text (the computed cycle holds a boundary double on some pages).
              if (cycle === cycles.computed) continue;
              expect(compiled, `${label} compiled`).toBe(true);
              expect(text, `${label} as text`).toBe(true);
            }
          }
        }
      }
    },
  );

  it('answers relations, masks, merged results and keys with narrow scopes the same', { timeout: 900_000 }, async () => {
    for (const caller of [...userCallers(), ...keyCallers()])
      for (const selection of Object.values(DOCUMENTS))
        for (const cycle of [cycles.published, cycles.computed]) await walk(caller, document(selection), { cycleId: cycle, first: 5 });

    // A territory colleague's accounts are READ: their results are listed in full, compiled.
    t.app.config.territoryAccess = TerritoryAccess.READ;
    for (const user of ['repHangzhou', 'repHangzhou2'] as const) {
      const caller: Caller = { name: user, user };
      for (const selection of Object.values(DOCUMENTS)) await walk(caller, document(selection), { cycleId: cycles.published, first: 4 });
      const { ids, compiled, text } = await walk(caller, document(DOCUMENTS.account!), { cycleId: cycles.published, first: 4 });
      expect([...ids].sort(), user).toEqual(await expectedIds(caller, cycles.published, null, true));
      expect(compiled && text, user).toBe(true);
    }
    t.app.config.territoryAccess = TerritoryAccess.NONE;

    // Not vacuous: which path answered.
    const admin: Caller = { name: 'admin', user: 'admin' };
    const rep: Caller = { name: 'repHangzhou', user: 'repHangzhou' };
    const published = { cycleId: cycles.published, first: 5 };
    for (const caller of [admin, rep, keys.bi, keys.withCustomers])
      expect((await walk(caller, document(DOCUMENTS.relations!), published)).text, caller.name).toBe(true);
    for (const caller of [admin, rep, keys.withCustomers, keys.full])
      expect((await walk(caller, document(DOCUMENTS.account!), published)).text, caller.name).toBe(true);
    // Company-wide figures: jsonb metrics are walked, never text; for anyone but an admin score and contribution are FORBIDDEN, still compiled.
    for (const caller of [admin, rep, keys.bi]) {
      const { text, compiled } = await walk(caller, document(DOCUMENTS.companyWide!), published);
      expect(text, caller.name).toBe(false);
      expect(compiled, caller.name).toBe(true);
    }
    const forbidden = JSON.parse((await request(rep, document(DOCUMENTS.companyWide!), published, true)).body) as {
      errors?: { extensions: { code: string } }[];
    };
    expect(forbidden.errors?.length).toBeGreaterThan(0);
    expect(new Set(forbidden.errors!.map((error) => error.extensions.code))).toEqual(new Set(['FORBIDDEN']));
    // The merged record's result, on the survivor: admins read it compiled, with mergedFrom.
    const merged = t.baseline.customers[6]!;
    const survivor = t.baseline.customers[9]!;
    const [link] = await sql<{ id: string }>(
      `select mc.child_id as id from customer_merge_child mc join evaluation e on e.id = mc.child_id where mc.kind = 'EVALUATION' and e.cycle_id = ?`,
      [cycles.published],
    );
    expect(link).toBeDefined();
    const all = JSON.parse((await request(admin, document(DOCUMENTS.account!), { cycleId: cycles.published, first: 100 }, true)).body);
    const node = all.data.evaluations.edges.map((edge: { node: any }) => edge.node).find((n: { id: string }) => n.id === link!.id);
    expect(node.mergedFrom).toBe(merged.id);
    expect(node.customer.id).toBe(survivor.id);
    const ningbo: Caller = { name: 'repNingbo', user: 'repNingbo' };
    // To the merged record's owner the merge is not visible (its rows are the survivor's readers'): the result is listed under the record it was taken of, compiled.
    const seen = await walk(ningbo, document(DOCUMENTS.account!), { cycleId: cycles.published, first: 100 });
    expect(seen.ids).toContain(link!.id);
    expect(seen.compiled).toBe(true);
    const own = JSON.parse((await request(ningbo, document(DOCUMENTS.account!), { cycleId: cycles.published, first: 100 }, true)).body);
    const ownNode = own.data.evaluations.edges.map((edge: { node: any }) => edge.node).find((n: { id: string }) => n.id === link!.id);
    expect(ownNode.mergedFrom).toBeNull();
    expect(ownNode.customer.id).toBe(merged.id);
    // Keys missing a scope the account's fields need, a key's account evaluations, fields the compiler does not know: the resolvers'.
    expect((await walk(keys.evaluationsOnly, document(DOCUMENTS.account!), published)).text).toBe(false);
    expect((await walk(keys.bi, document(DOCUMENTS.account!), published)).text).toBe(false);
    expect((await walk(keys.withCustomers, document(DOCUMENTS.deep!), published)).compiled).toBe(false);
    expect((await walk(admin, document(DOCUMENTS.unknown!), published)).compiled).toBe(false);
    expect((await walk(admin, document(DOCUMENTS.deep!), published)).compiled).toBe(true);
  });

  it('refuses unknown cycles, bad ids, cursors and page sizes exactly as the resolvers do', { timeout: 300_000 }, async () => {
    const garbage = [
      'garbage',
      Buffer.from('["x","not-a-uuid"]').toString('base64url'),
      Buffer.from('["x","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from('[1,"00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from('["2025-13-45T00:00:00Z","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from('["2025-02-01T00:00:03.123456Z","00000000-0000-4000-8000-00000000000A"]').toString('base64url'),
      Buffer.from('["2025-02-01 00:00:03+00","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
    ];
    const query = document(DOCUMENTS.plain!);
    for (const caller of [
      { name: 'admin', user: 'admin' } as Caller,
      { name: 'repHangzhou', user: 'repHangzhou' } as Caller,
      keys.bi,
      keys.noEvaluations,
    ]) {
      for (const after of garbage) await compare(caller, query, { cycleId: cycles.published, first: 2, after });
      for (const first of [1000, 0, -1]) await compare(caller, query, { cycleId: cycles.published, first });
      for (const cycleId of ['not-an-id', randomUUID(), cycles.computed.toUpperCase(), cycles.published.toUpperCase()])
        await compare(caller, query, { cycleId, first: 2 });
      await compare(caller, query, { cycleId: cycles.published, since: 'yesterday' });
    }
  });
});
