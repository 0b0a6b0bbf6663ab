import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

let t: TestApp;

/** A follow-up this file logged: its account, its owner and its date. */
interface Logged {
  id: string;
  customerId: string;
  ownerId: string;
  territoryId: string;
  followUpOn: string;
}

const logged: Logged[] = [];

const LOG = `mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id followUpOn } }`;
const FOLLOW_UPS = `query ($first: Int, $after: String, $dueBefore: String) {
  followUps(first: $first, after: $after, dueBefore: $dueBefore) {
    totalCount
    edges { node { id followUpOn customer { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const BREAKDOWN = `query ($by: BreakdownBy!, $regionId: ID) { lifecycleBreakdown(by: $by, regionId: $regionId) { id name total stages { stage count } } }`;
const FUNNEL = `query ($ownerId: ID) { lifecycleFunnel(ownerId: $ownerId) { total stages { stage count } } }`;
const OVERDUE = `query ($ownerId: ID) { overdueCustomers(first: 50, ownerId: $ownerId) { totalCount edges { node { customer { id owner { id } } } } } }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;

/** Today (UTC) moved by `days`, as YYYY-MM-DD. */
function day(days: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Overdue, due soon, due later than the default window: far from its edges, so the database's time zone cannot move a row across. */
const OFFSETS = [-3, 5, 40];

beforeAll(async () => {
  t = await createTestApp();
  for (const customer of t.baseline.customers) {
    for (const offset of OFFSETS) {
      const { data, errors } = await t.gqlAs('admin', LOG, {
        input: { customerId: customer.id, kind: 'CALL', channel: 'PHONE', summary: `Call back in ${offset} days`, followUpOn: day(offset) },
      });
      expect(errors).toBeUndefined();
      logged.push({
        id: data!.logInteraction.id,
        customerId: customer.id,
        ownerId: customer.owner.id,
        territoryId: customer.territory.id,
        followUpOn: day(offset),
      });
    }
    // An interaction with no follow-up date is no follow-up.
    const { errors } = await t.gqlAs('admin', LOG, { input: { customerId: customer.id, kind: 'VISIT', channel: 'FIELD', summary: 'Met' } });
    expect(errors).toBeUndefined();
  }
});

afterAll(async () => {
  await t?.close();
});

/** Soonest first, ties by id: the order the API promises. */
const ordered = (rows: Logged[]) =>
  [...rows].sort((a, b) => a.followUpOn.localeCompare(b.followUpOn) || a.id.localeCompare(b.id)).map((row) => row.id);

async function followUps(who: Principal, variables: Record<string, unknown> = {}) {
  const { data, errors } = await t.gqlAs(who, FOLLOW_UPS, { first: 100, ...variables });
  expect(errors).toBeUndefined();
  return data!.followUps as { totalCount: number; edges: { node: { id: string; followUpOn: string; customer: { id: string } } }[] };
}

async function asKey(secret: string, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const response = await t.http().post('/graphql').set('authorization', `Bearer ${secret}`).send({ query, variables });
  return { status: response.status, data: response.body?.data ?? null, errors: response.body?.errors, body: response.body };
}

async function newKey(scopes: string[], territoryIds: string[]): Promise<string> {
  const { data, errors } = await t.gqlAs('admin', CREATE_KEY, {
    input: { name: 'Dashboard feed', kind: 'INTEGRATOR', scopes, territoryIds },
  });
  expect(errors).toBeUndefined();
  return data!.createApiKey.secret;
}

describe('followUps', () => {
  it('gives each rep the follow-ups of their own accounts, overdue and due in the next 14 days, soonest first', async () => {
    for (const rep of ['repHangzhou', 'repHangzhou2', 'repNingbo', 'repGuangzhou'] as const) {
      const me = t.baseline.users[rep].id;
      const expected = ordered(logged.filter((row) => row.ownerId === me && row.followUpOn < day(15)));
      const page = await followUps(rep);
      expect(
        page.edges.map((edge) => edge.node.id),
        rep,
      ).toEqual(expected);
      expect(page.totalCount).toBe(expected.length);
      expect(expected).toHaveLength(6);
    }
  });

  it('never lists a teammate’s follow-ups, though the teammate shares the territory', async () => {
    const page = await followUps('repHangzhou', { dueBefore: day(100) });
    const mine = new Set(t.baseline.customers.filter((c) => c.owner.id === t.baseline.users.repHangzhou.id).map((c) => c.id));
    expect(page.edges.length).toBe(9);
    expect(page.edges.every((edge) => mine.has(edge.node.customer.id))).toBe(true);
  });

  it('takes dueBefore as an exclusive bound and pages by cursor without repeating a row', async () => {
    const me = t.baseline.users.repNingbo.id;
    expect((await followUps('repNingbo', { dueBefore: day(5) })).edges.map((edge) => edge.node.id)).toEqual(
      ordered(logged.filter((row) => row.ownerId === me && row.followUpOn < day(5))),
    );
    const expected = ordered(logged.filter((row) => row.ownerId === me && row.followUpOn < day(100)));
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { data, errors }: GqlResult = await t.gqlAs('repNingbo', FOLLOW_UPS, { first: 2, after, dueBefore: day(100) });
      expect(errors).toBeUndefined();
      seen.push(...data!.followUps.edges.map((edge: any) => edge.node.id));
      if (!data!.followUps.pageInfo.hasNextPage) break;
      after = data!.followUps.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('loads the accounts of a page of follow-ups in one batch, however long the page', async () => {
    const query = `query ($first: Int, $dueBefore: String) { followUps(first: $first, dueBefore: $dueBefore) { edges { node { id customer { id legalName } } } } }`;
    const small = await t.countSql(() => t.gqlAs('admin', query, { first: 2, dueBefore: day(100) }));
    const large = await t.countSql(() => t.gqlAs('admin', query, { first: 40, dueBefore: day(100) }));
    expect(large).toBe(small);
  });

  it('refuses a date that does not exist', async () => {
    const { errors } = await t.gqlAs('repHangzhou', FOLLOW_UPS, { dueBefore: '2025-02-30' });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('gives an API key with interactions:read the follow-ups of the accounts it reaches; without it, FORBIDDEN', async () => {
    const { regions } = t.baseline;
    const reader = await newKey(['INTERACTIONS_READ'], [regions.zhejiang.id]);
    const zhejiang = new Set([regions.hangzhou.id, regions.ningbo.id]);
    const { data, errors } = await asKey(reader, FOLLOW_UPS, { first: 100 });
    expect(errors).toBeUndefined();
    expect(data!.followUps.edges.map((edge: any) => edge.node.id)).toEqual(
      ordered(logged.filter((row) => zhejiang.has(row.territoryId) && row.followUpOn < day(15))),
    );

    const customersOnly = await newKey(['CUSTOMERS_READ'], [regions.zhejiang.id]);
    const denied = await asKey(customersOnly, FOLLOW_UPS, { first: 10 });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(denied.data?.followUps ?? null).toBeNull();
  });
});

/** Customers per stage per group, from the fixture world. */
function expectedGroups(key: (customer: (typeof t.baseline.customers)[number]) => string | null) {
  const groups = new Map<string, Map<string, number>>();
  for (const customer of t.baseline.customers) {
    const id = key(customer);
    if (!id) continue;
    const counts = groups.get(id) ?? new Map<string, number>();
    counts.set(customer.lifecycleStage, (counts.get(customer.lifecycleStage) ?? 0) + 1);
    groups.set(id, counts);
  }
  return Object.fromEntries([...groups].map(([id, counts]) => [id, Object.fromEntries(counts)]));
}

function actualGroups(rows: { id: string; total: number; stages: { stage: string; count: number }[] }[]) {
  return Object.fromEntries(
    rows.map((row) => {
      expect(row.total).toBe(row.stages.reduce((sum, s) => sum + s.count, 0));
      return [row.id, Object.fromEntries(row.stages.filter((s) => s.count > 0).map((s) => [s.stage, s.count]))];
    }),
  );
}

async function breakdown(who: Principal, by: 'PROVINCE' | 'OWNER') {
  const { data, errors } = await t.gqlAs(who, BREAKDOWN, { by });
  expect(errors).toBeUndefined();
  return data!.lifecycleBreakdown as { id: string; name: string; total: number; stages: { stage: string; count: number }[] }[];
}

describe('lifecycleBreakdown', () => {
  const provinceOf = (territoryId: string) => {
    const all = t.baseline.regions;
    if (territoryId === all.hangzhou.id || territoryId === all.ningbo.id) return all.zhejiang.id;
    if (territoryId === all.guangzhou.id) return all.guangdong.id;
    return null;
  };

  it("gives a manager their regions' provinces only", async () => {
    const east = new Set([t.baseline.regions.hangzhou.id, t.baseline.regions.ningbo.id]);
    const south = new Set([t.baseline.regions.guangzhou.id]);
    expect(actualGroups(await breakdown('managerEast', 'PROVINCE'))).toEqual(
      expectedGroups((c) => (east.has(c.territory.id) ? provinceOf(c.territory.id) : null)),
    );
    expect(actualGroups(await breakdown('managerSouth', 'PROVINCE'))).toEqual(
      expectedGroups((c) => (south.has(c.territory.id) ? provinceOf(c.territory.id) : null)),
    );
    expect((await breakdown('managerEast', 'PROVINCE')).map((row) => row.name)).toEqual(['Zhejiang']);
  });

  it('gives a manager the reps of their regions, and admins every rep', async () => {
    const east = new Set([t.baseline.regions.hangzhou.id, t.baseline.regions.ningbo.id]);
    const rows = await breakdown('managerEast', 'OWNER');
    expect(actualGroups(rows)).toEqual(expectedGroups((c) => (east.has(c.territory.id) ? c.owner.id : null)));
    expect(rows.map((row) => row.name).sort()).toEqual(['Han Hangzhou', 'Hu Hangzhou', 'Ning Ningbo']);
    expect(actualGroups(await breakdown('admin', 'OWNER'))).toEqual(expectedGroups((c) => c.owner.id));
    expect(actualGroups(await breakdown('admin', 'PROVINCE'))).toEqual(expectedGroups((c) => provinceOf(c.territory.id)));
  });

  it('lists every stage of a group, zeros included', async () => {
    const [zhejiang] = await breakdown('managerEast', 'PROVINCE');
    const { data } = await t.gqlAs('admin', `query { __type(name: "LifecycleStage") { enumValues { name } } }`);
    expect(new Set(zhejiang!.stages.map((s) => s.stage))).toEqual(new Set(data!.__type.enumValues.map((v: any) => v.name)));
    expect(zhejiang!.stages.find((s) => s.stage === 'INTENTION')?.count).toBe(0);
  });

  it('is FORBIDDEN to API keys, whatever their scopes', async () => {
    const key = await newKey(['CUSTOMERS_READ', 'INTERACTIONS_READ'], [t.baseline.regions.east.id]);
    const { errors, data } = await asKey(key, BREAKDOWN, { by: 'PROVINCE' });
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(data?.lifecycleBreakdown ?? null).toBeNull();
  });
});

describe("a rep's own funnel and overdue accounts", () => {
  it("narrows the funnel to the rep's own accounts", async () => {
    const me = t.baseline.users.repHangzhou.id;
    const { data, errors } = await t.gqlAs('repHangzhou', FUNNEL, { ownerId: me });
    expect(errors).toBeUndefined();
    const mine = t.baseline.customers.filter((c) => c.owner.id === me);
    expect(data!.lifecycleFunnel.total).toBe(mine.length);
    const counts = Object.fromEntries(data!.lifecycleFunnel.stages.filter((s: any) => s.count > 0).map((s: any) => [s.stage, s.count]));
    expect(counts).toEqual(expectedGroups((c) => (c.owner.id === me ? 'me' : null)).me);
  });

  it("narrows overdue accounts to one owner's", async () => {
    // Every baseline account has stayed in its stage since 2025: a one-day SLA makes them all overdue.
    for (const stage of ['POTENTIAL', 'REPEAT']) {
      const { errors } = await t.gqlAs('admin', `mutation ($stage: LifecycleStage!) { setStageSla(stage: $stage, maxDays: 1) { stage } }`, {
        stage,
      });
      expect(errors).toBeUndefined();
    }
    const me = t.baseline.users.repHangzhou.id;
    const mine = t.baseline.customers.filter((c) => c.owner.id === me).map((c) => c.id);
    for (const who of ['admin', 'repHangzhou'] as const) {
      const { data, errors } = await t.gqlAs(who, OVERDUE, { ownerId: me });
      expect(errors).toBeUndefined();
      expect(data!.overdueCustomers.edges.map((edge: any) => edge.node.customer.id).sort()).toEqual([...mine].sort());
      expect(data!.overdueCustomers.totalCount).toBe(mine.length);
    }
  });
});
