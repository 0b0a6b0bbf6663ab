import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonTextAnswers } from '../../api/src/common/graphql/compile/json-text.js';
import { Customer } from '../../api/src/modules/customer/customer.entity.js';
import { CycleStatus, Evaluation, EvaluationCycle } from '../../api/src/modules/evaluation/evaluation.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

// Attacks on the JSON text answer with withheld figures. The oracle is the resolver path (the same
// request with compiled reads off): the status, the bytes and the headers that describe the body
// must be the same, whatever the document does to the withheld fields.
let t: TestApp;
let keySecret = '';
const db = () => t.orm.em.fork() as EntityManager;

beforeAll(async () => {
  t = await createTestApp();
  const em = db();
  const cycle = em.create(EvaluationCycle, { name: 'attack', periodStart: '2022-01-01', periodEnd: '2022-12-31' });
  const customers = await em.find(Customer, {}, { orderBy: { id: 'asc' } });
  customers.forEach((customer, index) => em.create(Evaluation, { cycle, customer, grade: 'B', score: 40 + index, contribution: 0.25 }));
  await em.flush();
  cycle.status = CycleStatus.PUBLISHED;
  cycle.publishedAt = new Date('2023-01-05T00:00:00Z');
  await em.flush();
  const created = await t.gqlAs('admin', `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, {
    input: { name: 'bi', kind: 'INTEGRATOR', scopes: ['CUSTOMERS_READ'], territoryIds: [t.baseline.regions.zhejiang.id] },
  });
  expect(created.errors).toBeUndefined();
  keySecret = created.data!.createApiKey.secret as string;
});

afterAll(async () => {
  if (t) t.app.config.compiledReads = true;
  await t?.close();
});

type Who = Principal | 'key';
/** Headers that differ between any two responses. */
const VOLATILE = new Set([
  'date',
  'x-request-id',
  'etag',
  'content-length',
  'ratelimit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'x-ratelimit-remaining',
]);
interface Sent {
  status: number;
  body: string;
  type: string | undefined;
  headers: Record<string, string>;
  asText: boolean;
}

const bearer = (who: Who) => `Bearer ${who === 'key' ? keySecret : t.tokenFor(who)}`;

async function send(
  who: Who,
  query: string,
  variables: Record<string, unknown>,
  compiled: boolean,
  extra: Record<string, unknown> = {},
  get = false,
): Promise<Sent> {
  t.app.config.compiledReads = compiled;
  const answered = jsonTextAnswers.count;
  const request = get
    ? t
        .http()
        .get('/graphql')
        .query({ query, variables: JSON.stringify(variables), ...extra })
        .set('apollo-require-preflight', 'true')
    : t
        .http()
        .post('/graphql')
        .send({ query, variables, ...extra });
  const response = await request.set('authorization', bearer(who));
  const headers = Object.fromEntries(Object.entries(response.headers as Record<string, string>).filter(([name]) => !VOLATILE.has(name)));
  return {
    status: response.status,
    body: response.text,
    type: response.headers['content-type'],
    headers,
    asText: jsonTextAnswers.count > answered,
  };
}

async function same(who: Who, query: string, variables: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, get = false) {
  const resolvers = await send(who, query, variables, false, extra, get);
  const compiled = await send(who, query, variables, true, extra, get);
  expect(compiled.status, `${who} ${query}`).toBe(resolvers.status);
  expect(compiled.type, `${who} ${query}`).toBe(resolvers.type);
  expect(compiled.headers, `${who} ${query}`).toEqual(resolvers.headers);
  expect(compiled.body, `${who} ${query}`).toBe(resolvers.body);
  return compiled;
}

const own = () => t.baseline.customers[0]!.id;
const colleague = () => t.baseline.customers[3]!.id;

describe('withheld figures in the text answer against the resolver path', () => {
  it('directives with variables, inline fragments and __typename', async () => {
    const query = `query Q($id: ID!, $yes: Boolean!, $no: Boolean!) {
      __typename
      customer(id: $id) { __typename id
        evaluations { __typename ... on Evaluation { score @include(if: $yes) } score @skip(if: $no) x: score @include(if: $no) grade contribution @skip(if: $yes) ...E }
      }
    }
    fragment E on Evaluation { score contribution @include(if: $yes) __typename }`;
    for (const [yes, no] of [
      [true, false],
      [false, true],
      [true, true],
      [false, false],
    ])
      await same('repHangzhou', query, { id: own(), yes, no });
  });

  it('a root alias, a second root field, operationName choices and a colleague’s record', async () => {
    await same('repHangzhou', '{ mine: customer(id: "' + own() + '") { evaluations { score contribution } } }');
    await same('repHangzhou', `{ a: customer(id: "${own()}") { evaluations { score } } b: customer(id: "${own()}") { id } }`);
    const two = `query A($id: ID!) { customer(id: $id) { evaluations { score } } } query B($id: ID!) { customer(id: $id) { id evaluations { contribution } } }`;
    await same('repHangzhou', two, { id: own() }, { operationName: 'B' });
    await same('repHangzhou', two, { id: own() }, { operationName: 'C' });
    await same('repHangzhou', two, { id: own() });
    for (const who of ['repHangzhou2', 'repNingbo', 'managerEast', 'repGuangzhou'] as const)
      await same(who, `query ($id: ID!) { customer(id: $id) { id legalName evaluations { grade score contribution } } }`, {
        id: colleague(),
      });
  });

  it('nested pages, evaluation → customer → evaluations, mergedFrom, and an API key', async () => {
    const deep = `{ customers(first: 20) { totalCount edges { cursor node { id evaluations { score mergedFrom customer { id evaluations { contribution score } } } } } pageInfo { hasNextPage } } }`;
    for (const who of ['repHangzhou', 'repNingbo', 'managerEast', 'key'] as const) await same(who, deep);
    await same('key', `query ($id: ID!) { customer(id: $id) { id evaluations { score grade } } }`, { id: own() });
  });

  it('GET requests and an Idempotency-Key', async () => {
    const query = `query ($id: ID!) { customer(id: $id) { evaluations { score } } }`;
    await same('repHangzhou', query, { id: own() }, {}, true);
    t.app.config.compiledReads = false;
    const resolvers = await t
      .http()
      .post('/graphql')
      .set('authorization', bearer('repHangzhou'))
      .set('idempotency-key', 'attack-withheld-1')
      .send({ query, variables: { id: own() } });
    t.app.config.compiledReads = true;
    const compiled = await t
      .http()
      .post('/graphql')
      .set('authorization', bearer('repHangzhou'))
      .set('idempotency-key', 'attack-withheld-2')
      .send({ query, variables: { id: own() } });
    expect(compiled.status).toBe(resolvers.status);
    expect(compiled.text).toBe(resolvers.text);
  });
  it('literal directives, a merged evaluations field and a merged record read by its old id', async () => {
    const literal = `query ($id: ID!) { customer(id: $id) { ... on Customer { evaluations { score @include(if: true) grade } } evaluations { contribution score @skip(if: true) s: score @skip(if: false) } } }`;
    await same('repHangzhou', literal, { id: own() });
    const [survivor, merged] = [t.baseline.customers[1]!.id, t.baseline.customers[2]!.id];
    const versions = await Promise.all(
      [survivor, merged].map(async (id) => {
        const read = await t.gqlAs('admin', `query ($id: ID!) { customer(id: $id) { id version } }`, { id });
        return { id, version: read.data!.customer.version as number };
      }),
    );
    const merge = await t.gqlAs('admin', `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { __typename } }`, {
      input: { survivorId: survivor, mergedIds: [merged], versions },
    });
    expect(merge.errors).toBeUndefined();
    const read = `query ($id: ID!) { customer(id: $id) { id mergedFrom evaluations { mergedFrom score grade contribution } } }`;
    for (const id of [survivor, merged]) {
      const sent = await same('repHangzhou', read, { id });
      expect(JSON.parse(sent.body).data.customer.evaluations).toHaveLength(2);
    }
    await same('repHangzhou', `{ customers(first: 5) { edges { node { id evaluations { mergedFrom score } } } } }`);
  });
  it('__typename beside withheld figures, and accounts with no evaluations in a page', async () => {
    const em = db();
    const template = await em.findOneOrFail(Customer, { id: own() }, { populate: ['territory', 'owner'] });
    const legalName = 'Hangzhou Attack Without Evaluations Co., Ltd.';
    em.create(Customer, {
      legalName,
      normalizedName: legalName.toLowerCase(),
      registrationId: '913301009999999999',
      industry: 'Retail',
      territory: template.territory,
      owner: template.owner,
      lifecycleStage: template.lifecycleStage,
      tags: [],
      sourceChannel: template.sourceChannel,
      websiteDomain: 'attack-without-evaluations.example.com',
    });
    await em.flush();
    const sent = await same(
      'repHangzhou',
      `{ __typename customers(first: 30) { __typename edges { __typename node { __typename id evaluations { __typename score grade contribution __typename } } } } }`,
    );
    const sentTyped = await same(
      'repHangzhou',
      `{ customers(first: 30) { edges { node { id evaluations { __typename score t: __typename contribution } } } } }`,
    );
    expect(sentTyped.asText).toBe(true);
    const edges = JSON.parse(sentTyped.body).data.customers.edges as { node: { evaluations: unknown[] | null } }[];
    expect(edges.some((edge) => edge.node.evaluations?.length === 0)).toBe(true);
    expect(JSON.parse(sent.body).errors.length).toBeGreaterThan(0);
  });
});
