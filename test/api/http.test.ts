import { createHmac } from 'node:crypto';
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
    const me = await t
      .http()
      .post('/graphql')
      .set('authorization', `Bearer ${token}`)
      .send({ query: 'query { me { email role territories { code } } }' });
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
    const { errors } = await t.gqlAs('repHangzhou', 'mutation ($input: CreateRegionInput!) { createRegion(input: $input) { id } }', {
      input: { code: 'X1', name: 'X', kind: 'REGION' },
    });
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('sessions', () => {
  const login = async (email: string, password: string) => {
    const response = await t.gqlAs(null, LoginDocument, { email, password });
    expect(response.errors).toBeUndefined();
    return response.data!.login.token;
  };
  const meWith = async (token: string) => {
    const response = await t.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query: '{ me { email } }' });
    return response.body.errors?.[0]?.extensions?.code ?? response.body.data.me.email;
  };
  const asToken = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    t.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const createUser = async (email: string, role = 'REP') => {
    const response = await t.gqlAs('admin', 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }', {
      input: { email, name: email, role, password: 'first-password' },
    });
    expect(response.errors).toBeUndefined();
    return response.data!.createUser as { id: string; version: number };
  };
  const updateUser = async (user: { id: string }, input: Record<string, unknown>) => {
    const version = (await t.gqlAs('admin', 'query ($id: ID!) { user(id: $id) { version } }', { id: user.id })).data!.user.version;
    const response = await t.gqlAs('admin', 'mutation ($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }', {
      id: user.id,
      input: { version, ...input },
    });
    expect(response.errors).toBeUndefined();
  };

  it('ends the sessions from before a password change, a role change and a deactivation', async () => {
    const user = await createUser('sessions.password@test.local');
    const before = await login('sessions.password@test.local', 'first-password');
    expect(await meWith(before)).toBe('sessions.password@test.local');
    await updateUser(user, { password: 'second-password' });
    expect(await meWith(before)).toBe('UNAUTHENTICATED');
    const after = await login('sessions.password@test.local', 'second-password');
    expect(await meWith(after)).toBe('sessions.password@test.local');

    // A rename leaves sessions alone; a new role does not.
    await updateUser(user, { name: 'Renamed' });
    expect(await meWith(after)).toBe('sessions.password@test.local');
    await updateUser(user, { role: 'MANAGER' });
    expect(await meWith(after)).toBe('UNAUTHENTICATED');

    // Deactivated and active again: the old token stays dead.
    const beforeDeactivation = await login('sessions.password@test.local', 'second-password');
    await updateUser(user, { active: false });
    await updateUser(user, { active: true });
    expect(await meWith(beforeDeactivation)).toBe('UNAUTHENTICATED');
    expect(await meWith(await login('sessions.password@test.local', 'second-password'))).toBe('sessions.password@test.local');
  });

  it('signs the user out everywhere, and nobody else; a new sign-in works', async () => {
    await createUser('sessions.everywhere@test.local');
    await createUser('sessions.bystander@test.local');
    const [laptop, phone] = [
      await login('sessions.everywhere@test.local', 'first-password'),
      await login('sessions.everywhere@test.local', 'first-password'),
    ];
    const bystander = await login('sessions.bystander@test.local', 'first-password');
    const signOut = await asToken(laptop, 'mutation { signOutEverywhere }');
    expect(signOut.body).toEqual({ data: { signOutEverywhere: true } });
    expect(await meWith(laptop)).toBe('UNAUTHENTICATED');
    expect(await meWith(phone)).toBe('UNAUTHENTICATED');
    expect(await meWith(bystander)).toBe('sessions.bystander@test.local');
    expect((await asToken(phone, 'mutation { signOutEverywhere }')).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await meWith(await login('sessions.everywhere@test.local', 'first-password'))).toBe('sessions.everywhere@test.local');
    expect((await t.gqlAs(null, 'mutation { signOutEverywhere }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets admins, and only admins, sign another user out everywhere', async () => {
    const user = await createUser('sessions.revoked@test.local');
    const token = await login('sessions.revoked@test.local', 'first-password');
    const revoke = 'mutation ($userId: ID!) { revokeUserSessions(userId: $userId) { email } }';
    for (const who of ['managerEast', 'repHangzhou'] as const) {
      expect((await t.gqlAs(who, revoke, { userId: user.id })).errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
    }
    expect(await meWith(token)).toBe('sessions.revoked@test.local');
    const revoked = await t.gqlAs('admin', revoke, { userId: user.id });
    expect(revoked.data).toEqual({ revokeUserSessions: { email: 'sessions.revoked@test.local' } });
    expect(await meWith(token)).toBe('UNAUTHENTICATED');
    expect(await meWith(t.tokenFor('admin'))).toBe('admin@test.local');
    expect((await t.gqlAs('admin', revoke, { userId: '00000000-0000-4000-8000-000000000000' })).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
  });

  it('refuses tokens that carry no session version (issued before versions existed)', async () => {
    const user = t.baseline.users.repHangzhou;
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: object) => {
      const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return `${body}.${createHmac('sha256', t.app.config.authSecret).update(body).digest('base64url')}`;
    };
    expect(await meWith(sign({ sub: user.id, iat: now, exp: now + 600 }))).toBe('UNAUTHENTICATED');
    expect(await meWith(sign({ sub: user.id, sv: 2, iat: now, exp: now + 600 }))).toBe('UNAUTHENTICATED');
    // The same token with the current version (a fresh user's is 1) is honoured: only the claim differs.
    expect(await meWith(sign({ sub: user.id, sv: 1, iat: now, exp: now + 600 }))).toBe('rep.hz@test.local');
  });
});

describe('HTTP surface', () => {
  it('answers health, readiness and Prometheus metrics', async () => {
    expect((await t.http().get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.http().get('/readyz')).body).toEqual({ status: 'ready' });
    await t.gqlAs('admin', MeDocument);
    const metrics = await t
      .http()
      .get('/metrics')
      .set('authorization', `Bearer ${t.tokenFor('admin')}`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('accountable_graphql_requests_total{operation="query:me",outcome="ok"}');
    expect(metrics.text).toContain('accountable_graphql_request_duration_seconds_bucket');
    expect(metrics.text).toMatch(/accountable_sql_statements_total \d+/);
  });

  it('mounts the BI export, which requires credentials', async () => {
    const anonymous = await t.http().get('/export/evaluations?format=csv');
    expect(anonymous.status).toBe(401);
  });

  // As application/json these are 200 with the errors (graphql-over-http.test.ts).
  it('answers malformed GraphQL with HTTP 400 and a clear message to clients of application/graphql-response+json', async () => {
    const response = await t
      .http()
      .post('/graphql')
      .set('accept', 'application/graphql-response+json')
      .set('authorization', `Bearer ${t.tokenFor('admin')}`)
      .send({ query: '{ customers { ' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(response.body.errors[0].message).toMatch(/Syntax Error/);
  });

  it('rejects an unknown field at validation with 400 to clients of application/graphql-response+json', async () => {
    const response = await t
      .http()
      .post('/graphql')
      .set('accept', 'application/graphql-response+json')
      .set('authorization', `Bearer ${t.tokenFor('admin')}`)
      .send({ query: '{ customers { nope } }' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('never runs a GraphQL request sent as a simple cross-site form', async () => {
    const response = await t.http().post('/graphql').set('content-type', 'text/plain').send('{"query":"{ __typename }"}');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.body?.data).toBeUndefined();
  });

  it('leaks no stack, SQL or constraint name in errors', async () => {
    const response = await t
      .http()
      .post('/graphql')
      .set('authorization', `Bearer ${t.tokenFor('admin')}`)
      .send({
        query: 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
        variables: { input: { email: 'ADMIN@test.local', name: 'Dup', role: 'REP', password: 'long enough' } },
      });
    const text = JSON.stringify(response.body);
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    expect(text).not.toMatch(/stack|app_user_email_unique|insert into|duplicate key/i);
  });
});
