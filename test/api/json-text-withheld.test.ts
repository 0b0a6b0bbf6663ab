import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer } from '../../api/src/modules/customer/customer.entity.js';
import { CycleStatus, Evaluation, EvaluationCycle } from '../../api/src/modules/evaluation/evaluation.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { bothPaths, type Outcome } from '../support/both-paths.js';

// Company-wide figures (an evaluation's score and contribution) are withheld from everyone but
// admins (docs/evaluation.md): graphql-js answers each with null and a FORBIDDEN error at its path.
// The compiled read's text answer must write those same bytes (the oracle: the same request with
// COMPILED_READS=off), and the errors must be what the rule says, written out here by hand.
let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;

beforeAll(async () => {
  t = await createTestApp();
  const em = db();
  // Every account gets an evaluation with figures, then the cycle is published so a rep reads them
  // (a published cycle's results cannot change).
  const cycle = em.create(EvaluationCycle, { name: 'withheld', periodStart: '2022-01-01', periodEnd: '2022-12-31' });
  const customers = await em.find(Customer, {}, { orderBy: { id: 'asc' } });
  customers.forEach((customer, index) => em.create(Evaluation, { cycle, customer, grade: 'B', score: 40 + index, contribution: 0.25 }));
  await em.flush();
  cycle.status = CycleStatus.PUBLISHED;
  cycle.publishedAt = new Date('2023-01-05T00:00:00Z');
  await em.flush();
});

afterAll(async () => {
  if (t) t.app.config.compiledReads = true;
  await t?.close();
});

const paths = bothPaths(() => t);
const caller = (who: Principal) => ({ name: who, user: who });

/** The request through the resolvers, then compiled: the same status and bytes; the compiled answer. */
async function same(who: Principal, query: string, variables: Record<string, unknown> = {}): Promise<Outcome> {
  return (await paths.compare(caller(who), query, variables)).compiled;
}

/** Where the `nth` `token` of the document starts, counted by hand: 1-based line and column. */
function at(query: string, token: string, nth = 0): { line: number; column: number } {
  let index = -1;
  for (let seen = 0; seen <= nth; seen += 1) index = query.indexOf(token, index + 1);
  if (index < 0) throw new Error(`no ${token} in the document`);
  const before = query.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

const forbidden = (locations: { line: number; column: number }[], path: (string | number)[]) => ({
  locations,
  path,
  message: 'Not visible to you',
  extensions: { code: 'FORBIDDEN' },
});

describe('withheld company figures in the JSON text answer', () => {
  const own = () => t.baseline.customers[0]!;

  it('nulls a rep’s scores with one FORBIDDEN error each, in order, as the text', async () => {
    const query = 'query ($id: ID!) {\n  customer(id: $id) {\n    id\n    evaluations { grade score }\n  }\n}';
    const sent = await same('repHangzhou', query, { id: own().id });
    expect(sent.asText).toBe(true);
    const body = JSON.parse(sent.body);
    const evaluations = body.data.customer.evaluations as { grade: string; score: number | null }[];
    expect(evaluations.length).toBeGreaterThan(0);
    expect(evaluations.every((evaluation) => evaluation.score === null)).toBe(true);
    expect(at(query, 'score')).toEqual({ line: 4, column: 25 });
    expect(body.errors).toEqual(
      evaluations.map((_, index) => forbidden([at(query, 'score')], ['customer', 'evaluations', index, 'score'])),
    );
    // graphql-js puts errors before data.
    expect(sent.body.startsWith('{"errors":[')).toBe(true);
  });

  it('reports each alias on its own and a field merged from a fragment once, at both of its nodes', async () => {
    const query =
      'query ($id: ID!) {\n  customer(id: $id) {\n    evaluations { a: score ...F contribution b: score }\n  }\n}\nfragment F on Evaluation { contribution grade }';
    const sent = await same('repHangzhou', query, { id: own().id });
    expect(sent.asText).toBe(true);
    const body = JSON.parse(sent.body);
    const count = body.data.customer.evaluations.length as number;
    expect(count).toBeGreaterThan(0);
    // Response order per evaluation: a, contribution (merged: the fragment's node first), grade, b.
    const expected = Array.from({ length: count }, (_, index) => [
      forbidden([at(query, 'a: score')], ['customer', 'evaluations', index, 'a']),
      forbidden([at(query, 'contribution', 1), at(query, 'contribution', 0)], ['customer', 'evaluations', index, 'contribution']),
      forbidden([at(query, 'b: score')], ['customer', 'evaluations', index, 'b']),
    ]).flat();
    expect(body.errors).toEqual(expected);
  });

  it('reports a page’s withheld figures by edge, and gives an admin the figures with no error', async () => {
    const query = '{\n  customers(first: 3) {\n    edges { node { evaluations { score } } }\n  }\n}';
    const rep = await same('repHangzhou', query);
    expect(rep.asText).toBe(true);
    const body = JSON.parse(rep.body);
    const paths = (body.data.customers.edges as { node: { evaluations: unknown[] } }[]).flatMap((edge, index) =>
      edge.node.evaluations.map((_, at) => ['customers', 'edges', index, 'node', 'evaluations', at, 'score']),
    );
    expect(paths.length).toBeGreaterThanOrEqual(3);
    expect(body.errors).toEqual(paths.map((path) => forbidden([at(query, 'score')], path)));

    const admin = await same('admin', query);
    expect(admin.asText).toBe(true);
    const answer = JSON.parse(admin.body);
    expect(answer.errors).toBeUndefined();
    const scores = (answer.data.customers.edges as { node: { evaluations: { score: number | null }[] } }[]).flatMap((edge) =>
      edge.node.evaluations.map((evaluation) => evaluation.score),
    );
    expect(scores.some((score) => typeof score === 'number')).toBe(true);
  });

  it('counts the answer as an error in the metrics, as a walked one is', async () => {
    const metric = async () => {
      const text = (
        await t
          .http()
          .get('/metrics')
          .set('authorization', `Bearer ${t.tokenFor('admin')}`)
      ).text;
      return text
        .split('\n')
        .filter((line) => line.startsWith('accountable_graphql_requests_total') && line.includes('outcome="error"'))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    };
    const before = await metric();
    const sent = await paths.request(
      caller('repHangzhou'),
      '{ customers(first: 1) { edges { node { evaluations { score } } } } }',
      {},
      true,
    );
    expect(sent.asText).toBe(true);
    expect(await metric()).toBe(before + 1);
  });
});
