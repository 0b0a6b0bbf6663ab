import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginDocument, MeDocument } from '../../schema/generated/graphql.js';
import { PASSWORD } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('authentication', () => {
  it('signs in with email (any case) and password, and the token identifies the user', async () => {
    const login = await t.gqlAs(null, LoginDocument, { email: 'Rep.HZ@Test.Local', password: PASSWORD });
    expect(login.errors).toBeUndefined();
    const token = login.data!.login.token;
    const me = await t.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query: 'query { me { email role territories { code } } }' });
    expect(me.body.data.me).toEqual({ email: 'rep.hz@test.local', role: 'REP', territories: [{ code: 'HZ' }] });
  });

  it('refuses a wrong password and an unknown account with the same error', async () => {
    const wrong = await t.gqlAs(null, LoginDocument, { email: 'rep.hz@test.local', password: 'nope' });
    const unknown = await t.gqlAs(null, LoginDocument, { email: 'nobody@test.local', password: 'nope' });
    expect(wrong.errors?.[0]).toMatchObject({ message: 'Wrong email or password', extensions: { code: 'UNAUTHENTICATED' } });
    expect(unknown.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
  });

  it('requires a token for everything but login', async () => {
    const anonymous = await t.gqlAs(null, MeDocument);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await t.http().post('/graphql').set('authorization', 'Bearer a.b.c').send({ query: '{ me { id } }' });
    expect(forged.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const list = await t.gqlAs(null, '{ customers { totalCount } }');
    expect(list.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(list.data).toBeNull();
  });

  it('stops honouring the token of a deactivated user', async () => {
    const em = t.orm.em.fork();
    const user = t.baseline.users.repGuangzhou;
    await em.getConnection().execute('update app_user set active = false where id = ?', [user.id]);
    const me = await t.gqlAs('repGuangzhou', MeDocument);
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await em.getConnection().execute('update app_user set active = true where id = ?', [user.id]);
  });

  it('forbids admin-only mutations to others', async () => {
    const { errors } = await t.gqlAs('repHangzhou', 'mutation ($input: CreateRegionInput!) { createRegion(input: $input) { id } }', { input: { code: 'X1', name: 'X', kind: 'REGION' } });
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('HTTP surface', () => {
  it('answers health, readiness and Prometheus metrics', async () => {
    expect((await t.http().get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.http().get('/readyz')).body).toEqual({ status: 'ready' });
    await t.gqlAs('admin', MeDocument);
    const metrics = await t.http().get('/metrics');
    expect(metrics.text).toContain('accountable_graphql_requests_total{operation="Me",outcome="ok"}');
    expect(metrics.text).toContain('accountable_graphql_request_duration_seconds_bucket');
    expect(metrics.text).toMatch(/accountable_sql_statements_total \d+/);
  });

  it('mounts the BI export, which requires credentials', async () => {
    const anonymous = await t.http().get('/export/evaluations?format=csv');
    expect(anonymous.status).toBe(401);
  });

  // As application/json these are 200 with the errors (graphql-over-http.test.ts).
  it('answers malformed GraphQL with HTTP 400 and a clear message to clients of application/graphql-response+json', async () => {
    const response = await t.http().post('/graphql').set('accept', 'application/graphql-response+json').set('authorization', `Bearer ${t.tokenFor('admin')}`).send({ query: '{ customers { ' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(response.body.errors[0].message).toMatch(/Syntax Error/);
  });

  it('rejects an unknown field at validation with 400 to clients of application/graphql-response+json', async () => {
    const response = await t.http().post('/graphql').set('accept', 'application/graphql-response+json').set('authorization', `Bearer ${t.tokenFor('admin')}`).send({ query: '{ customers { nope } }' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('never runs a GraphQL request sent as a simple cross-site form', async () => {
    const response = await t.http().post('/graphql').set('content-type', 'text/plain').send('{"query":"{ __typename }"}');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.body?.data).toBeUndefined();
  });

  it('leaks no stack, SQL or constraint name in errors', async () => {
    const response = await t.http().post('/graphql').set('authorization', `Bearer ${t.tokenFor('admin')}`).send({
      query: 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      variables: { input: { email: 'ADMIN@test.local', name: 'Dup', role: 'REP', password: 'long enough' } },
    });
    const text = JSON.stringify(response.body);
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    expect(text).not.toMatch(/stack|app_user_email_unique|insert into|duplicate key/i);
  });
});
