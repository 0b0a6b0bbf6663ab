import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../api/src/common/background.js';
import { beginRun, executeRun } from '../../api/src/modules/evaluation/evaluation-run.service.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().getConnection().execute<T[]>(query, params);

const CREATE = `mutation ($input: CreateEvaluationCycleInput!) { createEvaluationCycle(input: $input) { id status version weights { purchaseAmount } grades { name minScore } valueModel { marginRate costPerInteraction } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateEvaluationCycleInput!) { updateEvaluationCycle(id: $id, input: $input) { id status version } }`;
const RUN = `mutation ($id: ID!) { runEvaluationCycle(id: $id) { cycleId status phase } }`;
const PUBLISH = `mutation ($id: ID!) { publishEvaluationCycle(id: $id) { id status publishedAt } }`;
const PROGRESS = `query ($id: ID!) { evaluationRun(cycleId: $id) { status phase done total customers share etaSeconds error finishedAt } }`;
const RESULTS = `query ($id: ID!, $after: String) {
  evaluations(cycleId: $id, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { customer { id legalName } purchaseCount purchaseAmount amountPaid onTimeShare averageDaysLate contribution score grade
      rankInRegion rankOverall previousGrade movement quadrant valueTier customerValue territory { code } region { code } owner { name } metrics } }
  }
}`;

const WEIGHTS = { purchaseCount: 0.2, purchaseAmount: 0.3, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.1 };
const GRADES = [
  { name: 'Key account', minScore: 80 },
  { name: 'Quality', minScore: 60 },
  { name: 'Normal', minScore: 20 },
];

/** Four customers that existed through 2022–2023, with a history computed by hand in the test below. */
const ids = { a: randomUUID(), b: randomUUID(), c: randomUUID(), d: randomUUID() };

async function seedWorld(): Promise<void> {
  const { regions, users } = t.baseline;
  const customer = (id: string, name: string, territory: string, owner: string) =>
    sql(
      `insert into customer (id, legal_name, normalized_name, territory_id, owner_id, created_at, updated_at) values (?, ?, ?, ?, ?, '2022-06-01T00:00:00Z', '2022-06-01T00:00:00Z')`,
      [id, name, name.toLowerCase(), territory, owner],
    );
  await customer(ids.a, 'Eval A Works', regions.hangzhou.id, users.repHangzhou.id);
  await customer(ids.b, 'Eval B Works', regions.hangzhou.id, users.repHangzhou.id);
  await customer(ids.c, 'Eval C Works', regions.guangzhou.id, users.repGuangzhou.id);
  await customer(ids.d, 'Eval D Works', regions.guangzhou.id, users.repGuangzhou.id);
  const order = async (
    customerId: string,
    status: string,
    orderedAt: string,
    total: string,
    payment?: { due: string; paidAt: string | null },
    winProbability: number | null = null,
  ) => {
    const id = randomUUID();
    await sql(
      `insert into sales_order (id, customer_id, number, status, ordered_at, currency, subtotal, total, win_probability) values (?, ?, ?, ?, ?, 'CNY', ?, ?, ?)`,
      [id, customerId, `EV-${id.slice(0, 12)}`, status, orderedAt, total, total, winProbability],
    );
    if (payment)
      await sql(`insert into payment (id, order_id, amount, due_date, paid_at) values (?, ?, ?, ?, ?)`, [
        randomUUID(),
        id,
        total,
        payment.due,
        payment.paidAt,
      ]);
  };
  // 2022: only B buys.
  await order(ids.b, 'DELIVERED', '2022-06-15T02:00:00Z', '1000.00', { due: '2022-07-15', paidAt: '2022-07-10T02:00:00Z' });
  // 2023.
  await order(ids.a, 'DELIVERED', '2023-02-01T02:00:00Z', '1000.00', { due: '2023-03-01', paidAt: '2023-02-25T02:00:00Z' });
  await order(ids.a, 'SHIPPED', '2023-09-01T02:00:00Z', '3000.00', { due: '2023-10-01', paidAt: '2023-10-11T02:00:00Z' });
  await order(ids.b, 'CONFIRMED', '2023-05-01T02:00:00Z', '2000.00', { due: '2023-06-01', paidAt: '2023-06-01T09:00:00Z' });
  await order(ids.c, 'CONFIRMED', '2023-08-01T02:00:00Z', '500.00', { due: '2023-12-15', paidAt: null });
  await order(ids.c, 'QUOTE', '2023-11-01T02:00:00Z', '1000.00', undefined, 50);
  await order(ids.d, 'CANCELLED', '2023-04-01T02:00:00Z', '9000.00');
  const touch = (customerId: string, at: string, author: string) =>
    sql(
      `insert into interaction (id, customer_id, author_id, kind, channel, occurred_at, summary) values (?, ?, ?, 'VISIT', 'FIELD', ?, 'Visit')`,
      [randomUUID(), customerId, author, at],
    );
  await touch(ids.a, '2023-03-01T02:00:00Z', users.repHangzhou.id);
  await touch(ids.a, '2023-04-01T02:00:00Z', users.repHangzhou.id);
  for (const month of ['02', '05', '07']) await touch(ids.d, `2023-${month}-01T02:00:00Z`, users.repGuangzhou.id);
  // After the period C moves to Hangzhou: its 2023 result keeps Guangzhou and its owner then.
  await sql(`update customer set territory_id = ?, owner_id = ? where id = ?`, [regions.hangzhou.id, users.repHangzhou.id, ids.c]);
}

async function createCycle(input: Record<string, unknown>, who: Principal = 'admin') {
  return t.gqlAs(who, CREATE, { input: { weights: WEIGHTS, grades: GRADES, ...input } });
}

async function runToEnd(id: string): Promise<Record<string, any>> {
  const started = await t.gqlAs('admin', RUN, { id });
  expect(started.errors).toBeUndefined();
  expect(started.data!.runEvaluationCycle).toMatchObject({ cycleId: id, status: 'RUNNING' });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { data } = await t.gqlAs('admin', PROGRESS, { id });
    const run = data!.evaluationRun;
    if (run.status !== 'RUNNING') return run;
    if (Date.now() > deadline) throw new Error('run did not finish');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function results(id: string, who: Principal = 'admin') {
  const { data, errors } = await t.gqlAs(who, RESULTS, { id });
  expect(errors).toBeUndefined();
  return new Map<string, Record<string, any>>(data!.evaluations.edges.map((edge: any) => [edge.node.customer.id, edge.node]));
}

let cycle2022: string;
let cycle2023: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedWorld();
});

afterAll(async () => {
  await t?.close();
});

describe('defining a cycle', () => {
  it('checks periods, weights and thresholds, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', periodStart: '2019-02-01', periodEnd: '2019-01-31' }, 'periodEnd'],
      [{ name: 'x', periodStart: '2019-02-30', periodEnd: '2019-12-31' }, 'periodStart'],
      [{ name: 'x', periodStart: '2019-01-01', periodEnd: '2019-12-31', weights: { ...WEIGHTS, contribution: 0.2 } }, 'weights'],
      [
        { name: 'x', periodStart: '2019-01-01', periodEnd: '2019-12-31', weights: { ...WEIGHTS, purchaseCount: 1.5 } },
        'weights.purchaseCount',
      ],
      [
        {
          name: 'x',
          periodStart: '2019-01-01',
          periodEnd: '2019-12-31',
          grades: [
            { name: 'A', minScore: 50 },
            { name: 'B', minScore: 50 },
          ],
        },
        'grades.1.minScore',
      ],
      [
        {
          name: 'x',
          periodStart: '2019-01-01',
          periodEnd: '2019-12-31',
          grades: [
            { name: 'A', minScore: 50 },
            { name: 'a', minScore: 40 },
          ],
        },
        'grades.1.name',
      ],
      [
        {
          name: 'x',
          periodStart: '2019-01-01',
          periodEnd: '2019-12-31',
          grades: [
            { name: 'A', minScore: 50 },
            { name: 'B', minScore: -1 },
          ],
        },
        'grades.1.minScore',
      ],
      [{ name: 'x', periodStart: '2019-01-01', periodEnd: '2019-12-31', grades: [] }, 'grades'],
    ];
    for (const [input, field] of cases) {
      const { errors } = await createCycle(input);
      expect(errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const [{ count }] = await sql<{ count: number }>('select count(*)::int as count from evaluation_cycle');
    expect(count).toBe(0);
  });

  it('is for admins only, and refuses overlapping periods', async () => {
    expect(
      (await createCycle({ name: 'x', periodStart: '2022-01-01', periodEnd: '2022-12-31' }, 'managerEast')).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const created = await createCycle({ name: 'FY2022', periodStart: '2022-01-01', periodEnd: '2022-12-31' });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createEvaluationCycle).toMatchObject({
      status: 'DRAFT',
      weights: { purchaseAmount: 0.3 },
      grades: GRADES,
      valueModel: { marginRate: 0.2, costPerInteraction: '50.00' },
    });
    cycle2022 = created.data!.createEvaluationCycle.id;
    const overlap = await createCycle({ name: 'Q4 2022', periodStart: '2022-10-01', periodEnd: '2023-03-31' });
    expect(overlap.errors?.[0]).toMatchObject({
      message: 'The period overlaps the cycle "FY2022"',
      extensions: { code: 'BAD_USER_INPUT', field: 'periodStart' },
    });
    // The database refuses it too, whoever writes.
    await expect(
      sql(`insert into evaluation_cycle (id, name, period_start, period_end) values (gen_random_uuid(), 'x', '2022-12-31', '2023-01-05')`),
    ).rejects.toThrow(/evaluation_cycle_period_overlap/);
  });
});

describe('running a cycle', () => {
  it('computes, reports progress, and publishes the previous year', async () => {
    const run = await runToEnd(cycle2022);
    expect(run).toMatchObject({ status: 'DONE', phase: 'FINISHED', customers: 4, share: 1, etaSeconds: null, error: null });
    expect(run.done).toBe(run.total);
    const published = await t.gqlAs('admin', PUBLISH, { id: cycle2022 });
    expect(published.errors).toBeUndefined();
    const b = (await results(cycle2022)).get(ids.b)!;
    expect(b).toMatchObject({ purchaseCount: 1, score: 100, grade: 'Key account', movement: 'NEW' });
  });

  it('scores every customer as computed by hand', async () => {
    const created = await createCycle({ name: 'FY2023', periodStart: '2023-01-01', periodEnd: '2023-12-31' });
    cycle2023 = created.data!.createEvaluationCycle.id;
    expect((await runToEnd(cycle2023)).status).toBe('DONE');
    const rows = await results(cycle2023);
    expect(rows.size).toBe(4);
    const a = rows.get(ids.a)!;
    const b = rows.get(ids.b)!;
    const c = rows.get(ids.c)!;
    const d = rows.get(ids.d)!;

    // Raw metrics.
    expect(a).toMatchObject({ purchaseCount: 2, purchaseAmount: '4000.00', amountPaid: '4000.00', onTimeShare: 0.5, averageDaysLate: 5 });
    expect(b).toMatchObject({ purchaseCount: 1, purchaseAmount: '2000.00', amountPaid: '2000.00', onTimeShare: 1, averageDaysLate: 0 });
    expect(c).toMatchObject({ purchaseCount: 1, purchaseAmount: '500.00', amountPaid: '0.00', onTimeShare: 0, averageDaysLate: 16 });
    expect(d).toMatchObject({ purchaseCount: 0, purchaseAmount: '0.00', amountPaid: '0.00', onTimeShare: null, averageDaysLate: null });
    expect(a.contribution).toBeCloseTo(4000 / 6500, 12);
    expect(c.contribution).toBeCloseTo(500 / 6500, 12);

    // Normalised: percent rank for count, amount and paid; timeliness 0.7 × on-time + 0.3 × (1 − days late / 90); contribution ÷ the largest.
    // A: .2×1 + .3×1 + .2×1 + .2×(.35 + .3×85/90) + .1×1 = 92.67
    // B: .2×⅓ + .3×⅔ + .2×⅔ + .2×1 + .1×.5 = 65.00
    // C: .2×⅓ + .3×⅓ + .2×0 + .2×(.3×74/90) + .1×.125 = 22.85
    // D: 0
    expect([a.score, b.score, c.score, d.score]).toEqual([92.67, 65, 22.85, 0]);
    expect([a.grade, b.grade, c.grade, d.grade]).toEqual(['Key account', 'Quality', 'Normal', null]);
    expect([a.rankOverall, b.rankOverall, c.rankOverall, d.rankOverall]).toEqual([1, 2, 3, 4]);
    // Region at the end of 2023: A and B in East, C and D in South (C moved to Hangzhou only later).
    expect([a.rankInRegion, b.rankInRegion, c.rankInRegion, d.rankInRegion]).toEqual([1, 2, 1, 2]);
    expect(c).toMatchObject({ territory: { code: 'GZ' }, region: { code: 'SOUTH' }, owner: { name: 'Guo Guangzhou' } });
    expect(a.metrics.normalized).toMatchObject({ purchaseCount: 1, purchaseAmount: 1, amountPaid: 1, contribution: 1 });

    // Movement against FY2022 (published): B was the only graded customer.
    expect([a.previousGrade, b.previousGrade, c.previousGrade, d.previousGrade]).toEqual([null, 'Key account', null, null]);
    expect([a.movement, b.movement, c.movement, d.movement]).toEqual(['UP', 'DOWN', 'UP', 'SAME']);

    // Loyal: ≥ 2 purchases and on-time share ≥ 0.5; profitable: paid ≥ the median paid (3000) of paying customers.
    expect([a.quadrant, b.quadrant, c.quadrant, d.quadrant]).toEqual(['I', 'IV', 'IV', 'IV']);

    // Value: cumulative purchases + open quotes × win probability + max(0, 2·H2 + 3·(H2 − H1)).
    expect([a.customerValue, b.customerValue, c.customerValue, d.customerValue]).toEqual(['16000.00', '3000.00', '3500.00', '0.00']);
    // D costs 3 × 50 to serve and paid nothing; A has the top value; C's second half grew.
    expect([a.valueTier, b.valueTier, c.valueTier, d.valueTier]).toEqual(['MVC', null, 'MGC', 'BELOW_ZERO']);
  });

  it('gives distributions against the healthy quadrant shares, and the Pareto view, within scope', async () => {
    const query = `query ($id: ID!, $regionId: ID) { evaluationDistribution(cycleId: $id, regionId: $regionId) {
      total quadrants { quadrant count share withinTarget } grades { grade count } valueTiers { tier count } movements { movement count }
      gradeTransitions { from to count } pareto { topCustomers topRevenue totalRevenue revenueShare } } }`;
    const { data, errors } = await t.gqlAs('admin', query, { id: cycle2023 });
    expect(errors).toBeUndefined();
    const distribution = data!.evaluationDistribution;
    expect(distribution.total).toBe(4);
    expect(distribution.quadrants).toEqual([
      { quadrant: 'I', count: 1, share: 0.25, withinTarget: false },
      { quadrant: 'II', count: 0, share: 0, withinTarget: false },
      { quadrant: 'III', count: 0, share: 0, withinTarget: false },
      { quadrant: 'IV', count: 3, share: 0.75, withinTarget: false },
    ]);
    expect(distribution.grades).toEqual([
      { grade: 'Key account', count: 1 },
      { grade: 'Quality', count: 1 },
      { grade: 'Normal', count: 1 },
      { grade: null, count: 1 },
    ]);
    expect(distribution.movements).toEqual([
      { movement: 'UP', count: 2 },
      { movement: 'DOWN', count: 1 },
      { movement: 'SAME', count: 1 },
      { movement: 'NEW', count: 0 },
    ]);
    expect(distribution.gradeTransitions).toContainEqual({ from: 'Key account', to: 'Quality', count: 1 });
    expect(distribution.pareto).toEqual({ topCustomers: 1, topRevenue: '4000.00', totalRevenue: '6500.00', revenueShare: 4000 / 6500 });

    const south = await t.gqlAs('admin', query, { id: cycle2023, regionId: t.baseline.regions.south.id });
    expect(south.data!.evaluationDistribution.total).toBe(2);
    // A rep sees the accounts they may open today: Guangzhou's rep has D only (C moved to Hangzhou).
    const rep = await t.gqlAs('repGuangzhou', query, { id: cycle2023 });
    expect(rep.data!.evaluationDistribution.total).toBe(1);
  });

  it("keeps the company's revenue from those the distribution keeps it from: contribution, score and the normalised metrics are for admins only", async () => {
    const query = `query ($id: ID!) {
      evaluationCycle(id: $id) { evaluations(first: 10) { edges { node { customer { id } purchaseAmount contribution score grade rankOverall metrics } } } }
      evaluations(cycleId: $id, first: 10) { edges { node { customer { id } contribution score } } } }`;
    // An admin sees the whole company: the share of the 6 500.00 the cycle's customers bought.
    const admin = await t.gqlAs('admin', query, { id: cycle2023 });
    expect(admin.errors).toBeUndefined();
    const adminA = admin.data!.evaluationCycle.evaluations.edges.find((edge: any) => edge.node.customer.id === ids.a).node;
    expect(adminA.contribution).toBeCloseTo(4000 / 6500, 12);
    expect(adminA.metrics.normalized.contribution).toBe(1);
    expect(adminA.score).toBe(92.67);

    // The rep of A and B: their own distribution totals 6 000.00 at most, so the company figure stays out of reach.
    for (const who of ['repHangzhou', 'managerEast'] as const) {
      const seen = await t.gqlAs(who, query, { id: cycle2023 });
      const nodes = [...seen.data!.evaluationCycle.evaluations.edges, ...seen.data!.evaluations.edges].map((edge: any) => edge.node);
      expect(nodes.length, who).toBeGreaterThan(0);
      expect(
        nodes.every((node: any) => node.contribution === null && node.score === null),
        who,
      ).toBe(true);
      expect(seen.errors?.length, who).toBe(2 * nodes.length);
      for (const error of seen.errors ?? []) {
        expect(error.extensions?.code, who).toBe('FORBIDDEN');
        expect(['contribution', 'score'], who).toContain(error.path?.at(-1));
      }
      const mine = seen.data!.evaluationCycle.evaluations.edges.find((edge: any) => edge.node.customer.id === ids.a)?.node;
      expect(mine, who).toBeDefined();
      // The amount, grade and rank are theirs to see; the ratios and ranks against the whole
      // company (and the score, from which the weights give them back) are not.
      expect(mine.purchaseAmount, who).toBe('4000.00');
      expect(mine.grade, who).toBe('Key account');
      expect(mine.rankOverall, who).toBe(1);
      expect(mine.metrics.normalized, who).toBeNull();
      expect(mine.metrics, who).toMatchObject({ cumulativePurchases: expect.anything(), loyal: expect.any(Boolean) });
    }
  });

  it('refuses a second run while one is under way, but not after its server died', async () => {
    await sql(`update evaluation_run set status = 'RUNNING', heartbeat_at = now() where cycle_id = ?`, [cycle2023]);
    const busy = await t.gqlAs('admin', RUN, { id: cycle2023 });
    expect(busy.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const edit = await t.gqlAs('admin', UPDATE, { id: cycle2023, input: { version: 1, name: 'x' } });
    expect(edit.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await sql(`update evaluation_run set heartbeat_at = now() - interval '1 hour' where cycle_id = ?`, [cycle2023]);
    expect((await runToEnd(cycle2023)).status).toBe('DONE');
  });

  it('sends a computed cycle whose definition changes back to DRAFT, and publishes only computed cycles', async () => {
    const [{ version }] = await sql<{ version: number }>('select version from evaluation_cycle where id = ?', [cycle2023]);
    const renamed = await t.gqlAs('admin', UPDATE, { id: cycle2023, input: { version, name: 'FY 2023' } });
    expect(renamed.data!.updateEvaluationCycle.status).toBe('COMPUTED');
    const reweighted = await t.gqlAs('admin', UPDATE, {
      id: cycle2023,
      input: { version: renamed.data!.updateEvaluationCycle.version, weights: { ...WEIGHTS, purchaseAmount: 0.2, contribution: 0.2 } },
    });
    expect(reweighted.data!.updateEvaluationCycle.status).toBe('DRAFT');
    const early = await t.gqlAs('admin', PUBLISH, { id: cycle2023 });
    expect(early.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // Back to the hand-computed weights, computed again, then published.
    await t.gqlAs('admin', UPDATE, { id: cycle2023, input: { version: reweighted.data!.updateEvaluationCycle.version, weights: WEIGHTS } });
    expect((await runToEnd(cycle2023)).status).toBe('DONE');
    expect((await results(cycle2023)).get(ids.a)!.score).toBe(92.67);
    expect((await t.gqlAs('admin', PUBLISH, { id: cycle2023 })).data!.publishEvaluationCycle.status).toBe('PUBLISHED');
  });
});

describe('who may manage cycles', () => {
  it('lets only admins update, run, publish or follow a run; results are for users and evaluations:read keys', async () => {
    for (const who of ['managerEast', 'repHangzhou'] as const) {
      expect((await t.gqlAs(who, UPDATE, { id: cycle2022, input: { version: 1, name: 'x' } })).errors?.[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );
      expect((await t.gqlAs(who, RUN, { id: cycle2022 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await t.gqlAs(who, PUBLISH, { id: cycle2022 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await t.gqlAs(who, PROGRESS, { id: cycle2022 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      // Results are readable; only the company-wide contribution and score are withheld (FORBIDDEN at those fields).
      const results = await t.gqlAs(who, RESULTS, { id: cycle2022 });
      expect(results.data!.evaluations.edges.length).toBeGreaterThan(0);
      expect(new Set(results.errors?.map((error) => `${error.extensions?.code} ${error.path?.at(-1)}`))).toEqual(
        new Set(['FORBIDDEN contribution', 'FORBIDDEN score']),
      );
    }
    const unknown = await t.gqlAs('admin', PROGRESS, { id: randomUUID() });
    expect(unknown.data!.evaluationRun).toBeNull();
  });
});

describe('a published cycle', () => {
  it('cannot be edited, computed or published again through the API', async () => {
    const [{ version }] = await sql<{ version: number }>('select version from evaluation_cycle where id = ?', [cycle2023]);
    expect((await t.gqlAs('admin', UPDATE, { id: cycle2023, input: { version, name: 'x' } })).errors?.[0]?.extensions?.code).toBe(
      'CONFLICT',
    );
    expect((await t.gqlAs('admin', RUN, { id: cycle2023 })).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await t.gqlAs('admin', PUBLISH, { id: cycle2023 })).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('cannot change in the database either, whoever writes', async () => {
    const before = await sql('select * from evaluation where cycle_id = ? order by id', [cycle2023]);
    await expect(sql('update evaluation set score = 1 where cycle_id = ?', [cycle2023])).rejects.toThrow(/published/);
    await expect(sql('delete from evaluation where cycle_id = ?', [cycle2023])).rejects.toThrow(/published/);
    await expect(
      sql(`insert into evaluation (id, cycle_id, customer_id) values (gen_random_uuid(), ?, ?)`, [cycle2023, t.baseline.customers[0]!.id]),
    ).rejects.toThrow(/published/);
    await expect(sql(`update evaluation_cycle set name = 'x' where id = ?`, [cycle2023])).rejects.toThrow(/published/);
    await expect(sql('delete from evaluation_cycle where id = ?', [cycle2023])).rejects.toThrow(/published/);
    // Later changes to orders or territories leave the snapshot as it was.
    await sql(`update customer set territory_id = ?, owner_id = ? where id = ?`, [
      t.baseline.regions.ningbo.id,
      t.baseline.users.repNingbo.id,
      ids.a,
    ]);
    expect(await sql('select * from evaluation where cycle_id = ? order by id', [cycle2023])).toEqual(before);
  });
});

describe('the BI feed', () => {
  it('pages with keyset cursors on (updatedAt, id), incrementally, scoped to what the viewer may open', async () => {
    const page = (who: Principal, variables: Record<string, unknown>) =>
      t.gqlAs(
        who,
        `query ($id: ID!, $after: String, $since: DateTime) { evaluations(cycleId: $id, first: 3, after: $after, updatedSince: $since) { totalCount pageInfo { hasNextPage endCursor } edges { node { id updatedAt } } } }`,
        variables,
      );
    const first = await page('admin', { id: cycle2023 });
    expect(first.errors).toBeUndefined();
    expect(first.data!.evaluations.totalCount).toBe(4);
    expect(first.data!.evaluations.edges).toHaveLength(3);
    const second = await page('admin', { id: cycle2023, after: first.data!.evaluations.pageInfo.endCursor });
    expect(second.data!.evaluations.edges).toHaveLength(1);
    expect(second.data!.evaluations.pageInfo.hasNextPage).toBe(false);
    const seen = [...first.data!.evaluations.edges, ...second.data!.evaluations.edges].map((edge: any) => edge.node.id);
    expect(new Set(seen).size).toBe(4);

    const future = await page('admin', { id: cycle2023, since: new Date(Date.now() + 60_000).toISOString() });
    expect(future.data!.evaluations.totalCount).toBe(0);
    const repHz = await page('repHangzhou', { id: cycle2023 });
    // A moved to Ningbo; B and C are repHangzhou's now.
    expect(repHz.data!.evaluations.totalCount).toBe(2);
    const bad = await page('admin', { id: cycle2023, after: 'nope' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('a run when the server shuts down', () => {
  it('stops before its next step, says it was interrupted, and can be run again', async () => {
    const created = await t.gqlAs('admin', CREATE, {
      input: { name: 'FY2021', periodStart: '2021-01-01', periodEnd: '2021-12-31', weights: WEIGHTS, grades: GRADES },
    });
    const id = created.data!.createEvaluationCycle.id as string;
    const { token } = await beginRun(t.orm.em.fork() as EntityManager, id);
    const background = new BackgroundWork();
    let status: string | undefined;
    // Shutdown begins as the run starts: stop() aborts it and waits for it to record why it ended.
    background.start(async (signal) => {
      status = await executeRun(t.orm.em.fork() as EntityManager, id, token, { signal });
    });
    expect(await background.stop(10_000)).toBe(true);
    expect(status).toBe('FAILED');
    const { data } = await t.gqlAs('admin', PROGRESS, { id });
    expect(data!.evaluationRun).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^Interrupted: the server shut down/) });
    expect((await t.gqlAs('admin', RUN, { id })).data!.runEvaluationCycle).toMatchObject({ status: 'RUNNING' });
    for (let attempt = 0; attempt < 300; attempt += 1) {
      const { data: progress } = await t.gqlAs('admin', PROGRESS, { id });
      if (progress!.evaluationRun.status !== 'RUNNING') return expect(progress!.evaluationRun.status).toBe('DONE');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the second run did not finish');
  });
});
