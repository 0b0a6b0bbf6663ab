import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * The checks GraphQL security scanners (graphql-cop, InQL, Escape) run, each as a request an
 * attacker would send, signed in as an admin (the most generous budget) unless stated.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const post = (body: unknown, who: 'admin' | 'repHangzhou' | null = 'admin') => {
  // The media type whose statuses tell a refusal from a success (application/json answers 200).
  const request = t.http().post('/graphql').set('content-type', 'application/json').set('accept', 'application/graphql-response+json');
  return (who ? request.set('authorization', `Bearer ${t.tokenFor(who)}`) : request).send(body as object);
};

/** Refused before execution: a 4xx, no data, no stack, no internals. */
function expectRefused(response: supertest.Response) {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.body?.data ?? undefined).toBeUndefined();
  expect(response.text).not.toMatch(/stacktrace|node_modules|at [A-Za-z.]+ \(|<html/i);
}

describe('GraphQL scanner probes', () => {
  it('alias overload: hundreds of aliases of one field', async () => {
    const response = await post({ query: `{ me { ${Array.from({ length: 400 }, (_, i) => `a${i}: id`).join(' ')} } }` });
    expectRefused(response);
    expect(response.body.errors[0].message).toBe('The query uses too many aliases');
  });

  it('array batching: several operations in one HTTP request', async () => {
    const response = await post(
      Array.from({ length: 10 }, () => ({ query: 'mutation { login(email: "rep.hz@test.local", password: "guess") { token } }' })),
      null,
    );
    expectRefused(response);
    expect(Array.isArray(response.body)).toBe(false);
  });

  it('circular fragments: fragments that spread each other', async () => {
    const response = await post({ query: '{ me { ...A } } fragment A on User { id ...B } fragment B on User { name ...A }' });
    expectRefused(response);
    expect(response.body.errors.some((error: { message: string }) => /Cannot spread fragment "A" within itself/.test(error.message))).toBe(
      true,
    );
  });

  it('deep introspection: type → fields → type → fields … nested', async () => {
    const response = await post({
      query: '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }',
    });
    expectRefused(response);
    expect(response.body.errors[0].message).toMatch(/Maximum introspection depth exceeded/);
  });

  it('directive overload: hundreds of directives on one field', async () => {
    const response = await post({ query: `{ __typename ${'@aa '.repeat(500)}}` });
    expectRefused(response);
    // The limit is reported first, and validation stops early instead of echoing hundreds of errors.
    expect(response.body.errors[0].message).toBe('The query uses too many directives');
    expect(response.body.errors.length).toBeLessThanOrEqual(11);
  });

  it('field duplication: one field selected hundreds of times', async () => {
    const response = await post({ query: `{ me { ${'id '.repeat(500)}} }` });
    expectRefused(response);
    expect(response.body.errors[0].message).toBe('The query selects the same field too many times');
    const viaFragments = await post({ query: `{ me { ${Array.from({ length: 50 }, () => '... on User { id }').join(' ')} } }` });
    expectRefused(viaFragments);
  });

  it('field suggestions: a misspelt field gets no "Did you mean"', async () => {
    const response = await post({ query: '{ customers { edges { node { legalNme ownr { nam } } } } }' }, 'repHangzhou');
    expectRefused(response);
    expect(response.text).not.toMatch(/Did you mean/);
    const argument = await post({ query: '{ customers(frist: 1) { totalCount } }' }, 'repHangzhou');
    expect(argument.text).not.toMatch(/Did you mean/);
    const enumValue = await post(
      { query: 'query ($s: LifecycleStage) { customers(lifecycleStage: $s) { totalCount } }', variables: { s: 'REPEATT' } },
      'repHangzhou',
    );
    expect(enumValue.text).not.toMatch(/Did you mean/);
  });

  it('GET mutation: a state change over GET is refused with 405', async () => {
    const response = await t
      .http()
      .get('/graphql')
      .set('apollo-require-preflight', 'true')
      .set('authorization', `Bearer ${t.tokenFor('admin')}`)
      .query({ query: 'mutation { createRegion(input: { code: "GETX", name: "Via GET", kind: REGION }) { id } }' });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
    const regions = await post({ query: '{ regions(first: 100) { edges { node { code } } } }' });
    expect(JSON.stringify(regions.body)).not.toContain('GETX');
  });

  it('CSRF content types: form posts and simple GETs never execute', async () => {
    const token = t.tokenFor('admin');
    const body = 'query=mutation { createRegion(input: { code: "CSRF", name: "Forged", kind: REGION }) { id } }';
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await t.http().post('/graphql').set('authorization', `Bearer ${token}`).set('content-type', type).send(body);
      expectRefused(response);
    }
    const simpleGet = await t.http().get('/graphql').set('authorization', `Bearer ${token}`).query({ query: '{ me { email } }' });
    expectRefused(simpleGet);
    expect(simpleGet.text).toMatch(/CSRF/);
  });

  it('debug and trace output: no stack traces, federated traces, cache hints or server banners', async () => {
    const response = await t
      .http()
      .post('/graphql')
      .set('authorization', `Bearer ${t.tokenFor('admin')}`)
      .set('apollo-federation-include-trace', 'ftv1')
      .send({ query: '{ me { id } nope }' });
    const ok = await t
      .http()
      .post('/graphql')
      .set('authorization', `Bearer ${t.tokenFor('admin')}`)
      .set('apollo-federation-include-trace', 'ftv1')
      .send({ query: '{ me { id } }' });
    expect(ok.body.extensions).toBeUndefined();
    for (const reply of [response, ok]) {
      expect(reply.text).not.toMatch(/stacktrace|exception|ftv1|tracing|cacheControl/i);
      expect(reply.headers['x-powered-by']).toBeUndefined();
      expect(reply.headers.server).toBeUndefined();
    }
  });

  it('unhandled errors: malformed requests get clean 4xx JSON errors, never a stack or HTML', async () => {
    const cases: unknown[] = [
      { query: 123 },
      { query: '{ me { id } }', variables: 'not an object' },
      { query: '{ me { id } }', operationName: 'Missing' },
      { query: 'query Q($n: Int!) { customers(first: $n) { totalCount } }', variables: { n: 'ten' } },
      { query: 'query Q($n: Int!) { customers(first: $n) { totalCount } }', variables: { n: 1e20 } },
      {},
    ];
    for (const body of cases) {
      const response = await post(body);
      expectRefused(response);
      expect(response.headers['content-type']).toMatch(/json/);
      expect(response.body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
    // Automatic persisted queries are off: announced as unsupported, nothing runs.
    const apq = await post({ query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } });
    expect(apq.body.data).toBeUndefined();
    expect(apq.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    const html = await t.http().post('/graphql').set('content-type', 'application/json').send('{"query": ');
    expectRefused(html);
    expect(html.headers['content-type']).toMatch(/json/);
  });
});
