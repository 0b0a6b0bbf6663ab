import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * docs/permissions.md, "Company-wide figures": the cycle's total revenue "and anything it can be
 * derived from (Evaluation.contribution, the normalised contribution in metrics) — are for admins
 * only". The normalised contribution is the account's purchases ÷ the company's largest account's;
 * a rep who reads their own result's score, the other normalised metrics and the cycle's weights
 * could solve the score formula (docs/evaluation.md) for it, and so for the largest account's
 * purchases — an account in a region the rep cannot open. So the score and the normalised metrics
 * are company-wide figures too.
 */
let t: TestApp;

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().getConnection().execute<T[]>(query, params);

const WEIGHTS = { purchaseCount: 0.2, purchaseAmount: 0.2, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.2 };
const mine = randomUUID();
const hidden = randomUUID();
const HIDDEN_AMOUNT = 9000;

beforeAll(async () => {
  t = await createTestApp();
  const { regions, users } = t.baseline;
  const customer = (id: string, name: string, territory: string, owner: string) =>
    sql(
      `insert into customer (id, legal_name, normalized_name, territory_id, owner_id, created_at, updated_at) values (?, ?, ?, ?, ?, '2014-06-01T00:00:00Z', '2014-06-01T00:00:00Z')`,
      [id, name, name.toLowerCase(), territory, owner],
    );
  await customer(mine, `Figures Mine ${mine.slice(0, 6)}`, regions.hangzhou.id, users.repHangzhou.id);
  await customer(hidden, `Figures Hidden ${hidden.slice(0, 6)}`, regions.guangzhou.id, users.repGuangzhou.id);
  const order = async (customerId: string, total: string) => {
    const id = randomUUID();
    await sql(
      `insert into sales_order (id, customer_id, number, status, ordered_at, currency, subtotal, total) values (?, ?, ?, 'DELIVERED', '2015-03-01T02:00:00Z', 'CNY', ?, ?)`,
      [id, customerId, `FG-${id.slice(0, 12)}`, total, total],
    );
    await sql(`insert into payment (id, order_id, amount, due_date, paid_at) values (?, ?, ?, '2015-04-01', '2015-03-20T02:00:00Z')`, [
      randomUUID(),
      id,
      total,
    ]);
  };
  await order(mine, '1000.00');
  await order(hidden, `${HIDDEN_AMOUNT}.00`);
});

afterAll(async () => {
  await t?.close();
});

describe("attack: company-wide figures from a rep's own result", () => {
  it("the largest account's purchases cannot be solved from score, weights and the other normalised metrics", async () => {
    const created = await t.gqlAs(
      'admin',
      `mutation ($input: CreateEvaluationCycleInput!) { createEvaluationCycle(input: $input) { id } }`,
      {
        input: {
          name: 'FY2015',
          periodStart: '2015-01-01',
          periodEnd: '2015-12-31',
          weights: WEIGHTS,
          grades: [
            { name: 'Top', minScore: 80 },
            { name: 'Rest', minScore: 0 },
          ],
        },
      },
    );
    const cycleId = created.data!.createEvaluationCycle.id as string;
    expect(
      (await t.gqlAs('admin', `mutation ($id: ID!) { runEvaluationCycle(id: $id) { status } }`, { id: cycleId })).errors,
    ).toBeUndefined();
    for (const deadline = Date.now() + 30_000; ;) {
      const { data } = await t.gqlAs('admin', `query ($id: ID!) { evaluationRun(cycleId: $id) { status } }`, { id: cycleId });
      if (data!.evaluationRun.status !== 'RUNNING') break;
      if (Date.now() > deadline) throw new Error('run did not finish');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(
      (await t.gqlAs('admin', `mutation ($id: ID!) { publishEvaluationCycle(id: $id) { id } }`, { id: cycleId })).errors,
    ).toBeUndefined();

    // Everything below is what the Hangzhou rep may read.
    const seen = await t.gqlAs(
      'repHangzhou',
      `query ($id: ID!) {
      evaluationCycle(id: $id) { weights { purchaseCount purchaseAmount amountPaid paymentTimeliness contribution }
        evaluations(first: 50) { edges { node { customer { id } purchaseAmount score grade metrics } } } } }`,
      { id: cycleId },
    );
    const cycle = seen.data!.evaluationCycle;
    const result = cycle.evaluations.edges.map((edge: any) => edge.node).find((node: any) => node.customer.id === mine);
    expect(result).toBeDefined();
    expect(cycle.evaluations.edges.some((edge: any) => edge.node.customer.id === hidden)).toBe(false);
    // Documented: the score and the normalised metrics are company-wide figures, withheld with
    // FORBIDDEN at the score; the account's own figures and its grade stay.
    expect(seen.errors?.length).toBeGreaterThan(0);
    expect(seen.errors!.filter((error: any) => !(error.extensions?.code === 'FORBIDDEN' && error.path?.at(-1) === 'score'))).toEqual([]);
    expect(result.score).toBeNull();
    expect(result.metrics.normalized).toBeNull();
    expect(result.purchaseAmount).toBe('1000.00');
    expect(result.grade).toEqual(expect.any(String));

    // The BI export withholds the same figures.
    const auth = { authorization: `Bearer ${t.tokenFor('repHangzhou')}` };
    const ndjson = await t.http().get(`/export/evaluations?cycle=${cycleId}&format=ndjson`).set(auth);
    expect(ndjson.status).toBe(200);
    const lines = ndjson.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const line = lines.find((row: any) => row.customer_id === mine);
    expect(line).toMatchObject({ score: null, contribution: null, purchase_amount: '1000.00' });
    expect(lines.some((row: any) => row.customer_id === hidden)).toBe(false);
    const csv = await t.http().get(`/export/evaluations?cycle=${cycleId}&format=csv`).set(auth);
    const [header, ...rows] = csv.text
      .trim()
      .split('\r\n')
      .map((row) => row.split(','));
    const row = rows.find((fields) => fields[header!.indexOf('customer_id')] === mine)!;
    expect(row[header!.indexOf('score')]).toBe('');
    expect(row[header!.indexOf('contribution')]).toBe('');
    expect(row[header!.indexOf('purchase_amount')]).toBe('1000.00');
  });
});
