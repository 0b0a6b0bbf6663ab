import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import type { getComplexity as GetComplexity } from 'graphql-query-complexity';
import pg from 'pg';
import { pino } from 'pino';
import supertest from 'supertest';
import { createApp } from '../../api/src/app.js';
import { costEstimator } from '../../api/src/common/http/limits.js';
import { loadConfig } from '../../api/src/config.js';
import { PASSWORD } from '../fixtures/baseline.js';
import { createApiKey, withAdmin } from '../faults/support.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;
// CommonJS, like graphql itself (see limits.ts).
const { getComplexity } = createRequire(import.meta.url)('graphql-query-complexity') as { getComplexity: typeof GetComplexity };
let integrator: string;
let bi: string;

beforeAll(async () => {
  t = await createTestApp({}, { captureLogs: true });
  const { admin } = t.baseline.users;
  integrator = (
    await createApiKey(t.databaseUrl, {
      scopes: ['customers:read', 'customers:write', 'interactions:read', 'interactions:write'],
      territories: [t.baseline.regions.east.id],
      createdBy: admin.id,
    })
  ).token;
  bi = (
    await createApiKey(t.databaseUrl, {
      kind: 'BI',
      scopes: ['customers:read'],
      territories: [t.baseline.regions.east.id],
      createdBy: admin.id,
    })
  ).token;
});

afterAll(async () => {
  await t?.close();
});

const post = (body: unknown, token?: string) => {
  // The media type whose statuses tell a refusal from a success (application/json answers 200).
  const request = t.http().post('/graphql').set('content-type', 'application/json').set('accept', 'application/graphql-response+json');
  return (token ? request.set('authorization', `Bearer ${token}`) : request).send(body as object);
};
const asAdmin = (body: unknown) => post(body, t.tokenFor('admin'));
const asRep = (body: unknown) => post(body, t.tokenFor('repHangzhou'));

/** No limit value may show in a rejection. */
function expectNoNumbers(response: supertest.Response) {
  for (const error of response.body.errors ?? []) expect(error.message).not.toMatch(/\d/);
}

describe('abuse limits before execution', () => {
  const nest = (levels: number) => {
    const fragments = Array.from(
      { length: levels },
      (_, i) =>
        `fragment F${i} on Customer { interactions(first: 1) { edges { node { customer { ${i + 1 < levels ? `...F${i + 1}` : 'id'} } } } } }`,
    );
    return `query Deep($id: ID!) { customer(id: $id) { ...F0 } } ${fragments.join(' ')}`;
  };

  it('measures depth through fragments and refuses a query nested too deeply', async () => {
    const id = t.baseline.customers[0]!.id;
    const ok = await asAdmin({ query: nest(2), variables: { id } });
    expect(ok.body.errors).toBeUndefined();
    const deep = await asAdmin({ query: nest(3), variables: { id } });
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0]).toMatchObject({
      message: 'The query is nested too deeply',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(deep.body.data).toBeUndefined();
    expectNoNumbers(deep);
  });

  it('refuses too many aliases, directives and repeats of one field, counting fragments where they are spread', async () => {
    const max = t.app.config.limits.aliases;
    const aliased = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: id`).join(' ');
    // The console batches getMany as one aliased field per record: a full page must pass.
    expect((await asAdmin({ query: `{ me { ${aliased(max)} } }` })).body.errors).toBeUndefined();
    const aliases = await asAdmin({ query: `{ me { ${aliased(max + 1)} } }` });
    expect(aliases.status).toBe(400);
    expect(aliases.body.errors[0].message).toBe('The query uses too many aliases');
    const half = Math.ceil(max / 2);
    const spread = await asAdmin({ query: `{ me { ...A ... on User { ...A } x: name } } fragment A on User { ${aliased(half)} }` });
    expect(spread.body.errors[0].message).toBe('The query uses too many aliases');
    const directives = await asAdmin({
      query: `query ($y: Boolean = true) { me { ${Array.from({ length: 21 }, (_, i) => `f${i}: id @include(if: $y)`).join(' ')} } }`,
    });
    expect(directives.body.errors.map((error: { message: string }) => error.message)).toContain('The query uses too many directives');
    const repeats = await asAdmin({ query: '{ me { id id id id } }' });
    expect(repeats.body.errors[0].message).toBe('The query selects the same field too many times');
    for (const response of [aliases, spread, directives, repeats]) expectNoNumbers(response);
  });

  it('stops parsing a document with too many tokens', async () => {
    const response = await asAdmin({ query: `{ ${'__typename '.repeat(3100)}}` });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({
      message: 'Syntax Error: the document is too large.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  it('prices pages by `first` and holds reps and BI keys to a lower budget than admins', async () => {
    const query =
      'query ($n: Int) { customers(first: $n) { edges { node { id orders(first: 100) { edges { node { id lines { product } payments { amount } } } } } } } }';
    const big = await asRep({ query, variables: { n: 100 } });
    expect(big.status).toBe(400);
    expect(big.body.errors[0]).toMatchObject({
      message: 'The query asks for too much at once; request fewer records or fields',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    expectNoNumbers(big);
    expect((await post({ query, variables: { n: 100 } }, bi)).body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect((await asRep({ query, variables: { n: 1 } })).body.errors).toBeUndefined();
    expect((await asAdmin({ query, variables: { n: 100 } })).body.errors).toBeUndefined();
    // The same document again, its cost remembered: still priced by the page size it is sent with.
    expect((await asRep({ query, variables: { n: 100 } })).body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect((await asRep({ query, variables: { n: 1 } })).body.errors).toBeUndefined();
    // An explicit null is not the default it replaces: a cheap null must not price the default.
    const defaulted =
      'query ($n: Int = 100) { customers(first: $n) { edges { node { id orders(first: $n) { edges { node { id lines { product } payments { amount } } } } } } } }';
    expect((await asRep({ query: defaulted, variables: { n: null } })).body.errors).toBeUndefined();
    expect((await asRep({ query: defaulted, variables: {} })).body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    // …and by the @include conditions: the costly branch counts only when included.
    const branch =
      'query ($all: Boolean!) { me { id } customers(first: 100) @include(if: $all) { edges { node { orders(first: 100) { edges { node { lines { product } } } } } } } }';
    for (const all of [true, false, true, false])
      expect((await asRep({ query: branch, variables: { all } })).body.errors?.[0]?.extensions?.code, String(all)).toBe(
        all ? 'QUERY_TOO_COMPLEX' : undefined,
      );
    // Without `first` the default page size (25) is priced, not 1.
    const schema = (await import('../../api/src/schema.js')).createSchema();
    const cost = async (source: string) =>
      getComplexity({ schema: await schema, query: parse(source), variables: {}, estimators: [costEstimator] });
    const page = (first: string) =>
      `{ customers${first} { edges { node { orders(first: 10) { edges { node { lines { product } } } } } } } }`;
    expect(await cost(page(''))).toBe(await cost(page('(first: 25)')));
    expect(await cost(page(''))).toBeGreaterThan(20 * (await cost(page('(first: 1)'))));
    expect(await cost(page('(first: 100000)'))).toBe(await cost(page('(first: 100)')));
  });

  it('limits the request body and answers malformed or oversized bodies as JSON errors', async () => {
    const small = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
    try {
      const big = await small
        .http()
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: `{ __typename }`, variables: { pad: 'x'.repeat(4096) } });
      expect(big.status).toBe(413);
      expect(big.headers['content-type']).toMatch(/json/);
      expect(big.body.errors[0]).toMatchObject({ message: 'The request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } });
      expect(big.text).not.toMatch(/2048|2kb|<html|stack/i);
    } finally {
      await small.close();
    }
    const malformed = await t.http().post('/graphql').set('content-type', 'application/json').send('{"query": "{ __typename }"');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/json/);
    expect(malformed.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(malformed.text).not.toMatch(/<html|SyntaxError|at JSON|node_modules/i);
    expect(malformed.body.errors[0].extensions.requestId).toBe(malformed.headers['x-request-id']);
  });

  it('refuses batched operations', async () => {
    const response = await asAdmin([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/batching disabled/i);
  });
});

describe('introspection and suggestions', () => {
  const introspect = { query: '{ __schema { queryType { name } } }' };

  it('lets admins and integrators introspect outside demo mode, not reps, managers or BI keys', async () => {
    expect((await asAdmin(introspect)).body.data.__schema.queryType.name).toBe('Query');
    expect((await post(introspect, integrator)).body.data.__schema.queryType.name).toBe('Query');
    for (const response of [
      await asRep(introspect),
      await post(introspect, t.tokenFor('managerEast')),
      await post(introspect, bi),
      await post(introspect),
    ]) {
      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    // __typename is not introspection.
    expect((await asRep({ query: '{ __typename }' })).body.data).toEqual({ __typename: 'Query' });
  });

  it('hides "Did you mean" suggestions outside demo mode and shows them in demo mode', async () => {
    const typo = { query: '{ customers { edges { node { legalNam } } } }' };
    const hidden = await asRep(typo);
    expect(hidden.body.errors[0].message).toBe('Cannot query field "legalNam" on type "Customer".');
    const demo = await createApp(
      loadConfig({ DATABASE_URL: t.databaseUrl, DEMO_MODE: 'true', AUTH_SECRET: t.app.config.authSecret, LOG_LEVEL: 'silent' }),
      { database: t.app.database, logger: pino({ level: 'silent' }) },
    );
    try {
      const shown = await supertest(demo.express)
        .post('/graphql')
        .set('authorization', `Bearer ${t.tokenFor('repHangzhou')}`)
        .send(typo);
      expect(shown.body.errors[0].message).toMatch(/Did you mean "legalName"/);
      const open = await supertest(demo.express)
        .post('/graphql')
        .set('authorization', `Bearer ${t.tokenFor('repHangzhou')}`)
        .send(introspect);
      expect(open.body.data.__schema.queryType.name).toBe('Query');
    } finally {
      await demo.close();
    }
  });
});

describe('metrics', () => {
  const SCRAPER = 'metrics-scraper-secret-of-forty-characters!';

  it('are for admins and the configured scraper only', async () => {
    const scraped = await createTestApp({ METRICS_TOKEN: SCRAPER });
    try {
      const get = (bearer?: string) => {
        const request = scraped.http().get('/metrics');
        return bearer ? request.set('authorization', `Bearer ${bearer}`) : request;
      };
      expect((await get()).status).toBe(401);
      expect((await get('not-a-token')).status).toBe(401);
      expect((await get(`${SCRAPER}x`)).status).toBe(401);
      for (const who of ['repHangzhou', 'managerEast'] as const) expect((await get(scraped.tokenFor(who))).status, who).toBe(403);
      const admin = await get(scraped.tokenFor('admin'));
      expect(admin.status).toBe(200);
      expect(admin.text).toContain('accountable_graphql_requests_total');
      expect((await get(SCRAPER)).status).toBe(200);
    } finally {
      await scraped.close();
    }
    // Without METRICS_TOKEN, admins only; a short token is a configuration error.
    expect(
      (
        await t
          .http()
          .get('/metrics')
          .set('authorization', `Bearer ${t.tokenFor('admin')}`)
      ).status,
    ).toBe(200);
    expect(
      (
        await t
          .http()
          .get('/metrics')
          .set('authorization', `Bearer ${t.tokenFor('repHangzhou')}`)
      ).status,
    ).toBe(403);
    for (const key of [bi, integrator]) expect((await t.http().get('/metrics').set('authorization', `Bearer ${key}`)).status).toBe(403);
    expect(() => loadConfig({ DEMO_MODE: 'true', DATA_DIR: '/tmp/accountable-config-test', METRICS_TOKEN: 'short' })).toThrow(
      /METRICS_TOKEN/,
    );
  });

  it('label requests by root field, so callers cannot grow the label set with operation names', async () => {
    const open = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const labels = async () => {
        const text = (
          await open
            .http()
            .get('/metrics')
            .set('authorization', `Bearer ${open.tokenFor('admin')}`)
        ).text;
        return new Set([...text.matchAll(/^accountable_graphql_requests_total\{operation="([^"]*)"/gm)].map((match) => match[1]));
      };
      const documents = [
        (name: string) => ({ query: `query ${name} { me { id } }` }),
        (name: string) => ({ query: `query ${name} { __typename }` }),
        (name: string) => ({ query: `mutation ${name} { login(email: "nobody@test.local", password: "x") { token } }` }),
        (name: string) => ({ query: `query ${name} { nope }` }),
        (name: string) => ({ query: `query ${name} { me { id } } query Other { me { id } }`, operationName: name }),
      ];
      for (let batch = 0; batch < 20; batch += 1) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) => {
            const name = `Op${randomBytes(6).toString('hex')}`;
            const request = open.http().post('/graphql');
            return (i % 2 ? request.set('authorization', `Bearer ${open.tokenFor('repHangzhou')}`) : request).send(
              documents[i % documents.length]!(name),
            );
          }),
        );
      }
      expect([...(await labels())].sort()).toEqual(['mutation:login', 'other', 'query:me']);
    } finally {
      await open.close();
    }
  });
});

describe('CSRF and CORS', () => {
  it('never runs a mutation over GET, and refuses simple GET requests without a preflight header', async () => {
    const query = 'mutation { login(email: "rep.hz@test.local", password: "x") { token } }';
    const mutation = await t.http().get('/graphql').query({ query }).set('apollo-require-preflight', 'true');
    expect(mutation.status).toBe(405);
    expect(mutation.body.data).toBeUndefined();
    const simple = await t.http().get('/graphql').query({ query: '{ __typename }' });
    expect(simple.status).toBe(400);
    expect(simple.body.data).toBeUndefined();
    const allowed = await t.http().get('/graphql').query({ query: '{ __typename }' }).set('apollo-require-preflight', 'true');
    expect(allowed.body.data).toEqual({ __typename: 'Query' });
  });

  it('sends no CORS headers unless the origin is configured', async () => {
    const none = await t.http().options('/graphql').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    expect(none.status).toBe(403);
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
    const withOrigins = await createTestApp({ CORS_ORIGINS: 'https://crm.example.com' });
    try {
      const preflight = await withOrigins
        .http()
        .options('/graphql')
        .set('origin', 'https://crm.example.com')
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'authorization, content-type');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://crm.example.com');
      expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/);
      const other = await withOrigins.http().post('/graphql').set('origin', 'https://evil.example').send({ query: '{ __typename }' });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await withOrigins.close();
    }
    expect(() => loadConfig({ DEMO_MODE: 'true', DATA_DIR: '/tmp/accountable-config-test', CORS_ORIGINS: 'not a url' })).toThrow(
      /CORS_ORIGINS/,
    );
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a principal has spent its burst, without affecting others', async () => {
    const limited = await createTestApp({ RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '3' });
    try {
      const me = { query: '{ me { id } }' };
      const rep = () =>
        limited
          .http()
          .post('/graphql')
          .set('authorization', `Bearer ${limited.tokenFor('repHangzhou')}`)
          .send(me);
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await rep()).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await rep();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.body.errors[0]).toMatchObject({ message: 'Too many requests; slow down', extensions: { code: 'RATE_LIMITED' } });
      expectNoNumbers(refused);
      const other = await limited
        .http()
        .post('/graphql')
        .set('authorization', `Bearer ${limited.tokenFor('repNingbo')}`)
        .send(me);
      expect(other.status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('locks sign-in per account after repeated failures, the same for unknown accounts, and per address', async () => {
    const guarded = await createTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '8' });
    try {
      const login = (email: string, password: string) =>
        guarded.http().post('/graphql').send({
          query: 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
          variables: { email, password },
        });
      const sequence = async (email: string) => {
        const seen = [];
        for (let i = 0; i < 4; i += 1) {
          const response = await login(email, 'wrong');
          seen.push(`${response.status} ${response.body.errors?.[0]?.extensions?.code}`);
        }
        return seen;
      };
      const known = await sequence('rep.hz@test.local');
      const unknown = await sequence('nobody@test.local');
      expect(known).toEqual(['200 UNAUTHENTICATED', '200 UNAUTHENTICATED', '200 UNAUTHENTICATED', '429 RATE_LIMITED']);
      expect(unknown).toEqual(known);
      // Locked even with the right password, and the lock says nothing about the password.
      const right = await login('rep.hz@test.local', PASSWORD);
      expect(right.status).toBe(429);
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
      expect(right.body.data).toBeUndefined();
      // Another account still signs in, until the address has failed too often.
      expect((await login('rep.nb@test.local', PASSWORD)).body.data.login.token).toBeTruthy();
      for (let i = 0; i < 2; i += 1) await login(`other${i}@test.local`, 'wrong');
      expect((await login('rep.nb@test.local', PASSWORD)).status).toBe(429);
    } finally {
      await guarded.close();
    }
  });

  it('reserves each sign-in attempt before the password is checked, so parallel guesses cannot pass the limit', async () => {
    const guarded = await createTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' });
    try {
      const login = (email: string, password: string) =>
        guarded.http().post('/graphql').send({
          query: 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
          variables: { email, password },
        });
      const guesses = await Promise.all(Array.from({ length: 50 }, (_, i) => login('rep.hz@test.local', `wrong-${i}`)));
      const outcomes = guesses.map((response) => `${response.status} ${response.body.errors?.[0]?.extensions?.code}`);
      // Exactly the limit is evaluated (each a wrong password); every other guess is refused unseen.
      expect(outcomes.filter((outcome) => outcome === '200 UNAUTHENTICATED')).toHaveLength(5);
      expect(outcomes.filter((outcome) => outcome === '429 RATE_LIMITED')).toHaveLength(45);
      // The right password, even several at once, gets no further now.
      const right = await Promise.all(Array.from({ length: 5 }, () => login('rep.hz@test.local', PASSWORD)));
      expect(right.map((response) => response.status)).toEqual([429, 429, 429, 429, 429]);
      expect(right.every((response) => response.body.data === undefined)).toBe(true);
      // One request cannot buy more attempts with aliases either.
      const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: login(email: "rep.nb@test.local", password: "wrong") { token }`).join(
        ' ',
      );
      const batch = await guarded
        .http()
        .post('/graphql')
        .send({ query: `mutation { ${aliases} }` });
      expect(batch.status).toBe(429);
      expect((await login('rep.nb@test.local', PASSWORD)).body.data.login.token).toBeTruthy();
    } finally {
      await guarded.close();
    }
  });
});

describe('error hygiene and logs', () => {
  it('turns an unexpected database error into a bare INTERNAL_SERVER_ERROR with the request id', async () => {
    await withAdmin(t.databaseUrl, (sql) => sql.query('alter table evaluation rename to evaluation_moved'));
    try {
      const response = await asAdmin({
        query: 'query ($id: ID!) { customer(id: $id) { id evaluations { grade } } }',
        variables: { id: t.baseline.customers[0]!.id },
      });
      const error = response.body.errors[0];
      expect(error).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(error.extensions.requestId).toBe(response.headers['x-request-id']);
      const { message, extensions } = error;
      expect(JSON.stringify({ message, extensions })).not.toMatch(/evaluation|relation|select|stack|42P01|at /i);
      expect(Object.keys(response.body.errors[0]).sort()).toEqual(['extensions', 'locations', 'message', 'path']);
    } finally {
      await withAdmin(t.databaseUrl, (sql) => sql.query('alter table evaluation_moved rename to evaluation'));
    }
  });

  it('logs each request with its id, principal and operation, and never a token, key, password or email', async () => {
    t.logs.length = 0;
    const login = await post({
      query: 'mutation SignIn($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
      variables: { email: 'rep.hz@test.local', password: PASSWORD },
    });
    const token = login.body.data.login.token as string;
    const me = await post({ query: 'query WhoAmI { me { id } }' }, token);
    await post({ query: 'query KeyCheck { customers(first: 1) { totalCount } }' }, integrator);
    t.app.logger.info(
      { password: PASSWORD, headers: { authorization: `Bearer ${token}` }, variables: { password: PASSWORD } },
      'accidental',
    );
    const lines = t.logs.map((line) => JSON.parse(line) as Record<string, any>);
    const request = lines.find((line) => line.operation === 'WhoAmI')!;
    expect(request).toMatchObject({
      msg: 'graphql request',
      requestId: me.headers['x-request-id'],
      principal: { kind: 'USER', id: t.baseline.users.repHangzhou.id },
      status: 200,
    });
    expect(lines.find((line) => line.operation === 'KeyCheck')!.principal.kind).toBe('API_KEY');
    expect(lines.find((line) => line.operation === 'SignIn')!.principal.kind).toBe('ANONYMOUS');
    const text = t.logs.join('\n');
    expect(text).toContain('[redacted]');
    for (const secret of [PASSWORD, token, integrator, integrator.slice(17), 'rep.hz@test.local']) expect(text).not.toContain(secret);
  });
});

describe('optimistic concurrency under contention', () => {
  let busy: TestApp;
  beforeAll(async () => {
    busy = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(async () => {
    await busy?.close();
  });

  it('loses no update: every accepted write is in the final state, every other attempt got CONFLICT', async () => {
    const asAdmin = (body: unknown) =>
      busy
        .http()
        .post('/graphql')
        .set('authorization', `Bearer ${busy.tokenFor('admin')}`)
        .send(body as object);
    const hot = busy.baseline.customers.slice(0, 3);
    const read = `query ($id: ID!) { customer(id: $id) { version notes } }`;
    const write = `mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { version notes } }`;
    await Promise.all(
      hot.map(async (customer) => {
        const { body } = await asAdmin({ query: read, variables: { id: customer.id } });
        await asAdmin({ query: write, variables: { id: customer.id, input: { version: body.data.customer.version, notes: '0' } } });
      }),
    );
    const before = new Map<string, number>();
    for (const customer of hot)
      before.set(customer.id, (await asAdmin({ query: read, variables: { id: customer.id } })).body.data.customer.version);
    const accepted = new Map(hot.map((customer) => [customer.id, 0]));
    let conflicts = 0;
    let attempts = 0;
    // 24 writers, each 4 read-increment-write cycles on one of 3 accounts.
    await Promise.all(
      Array.from({ length: 24 }, async (_, writer) => {
        const id = hot[writer % hot.length]!.id;
        for (let round = 0; round < 4; round += 1) {
          const current = (await asAdmin({ query: read, variables: { id } })).body.data.customer;
          attempts += 1;
          const response = await asAdmin({
            query: write,
            variables: { id, input: { version: current.version, notes: String(Number(current.notes) + 1) } },
          });
          if (response.body.errors) {
            expect(response.body.errors[0].extensions.code).toBe('CONFLICT');
            conflicts += 1;
          } else {
            accepted.set(id, accepted.get(id)! + 1);
          }
        }
      }),
    );
    let totalAccepted = 0;
    for (const customer of hot) {
      const final = (await asAdmin({ query: read, variables: { id: customer.id } })).body.data.customer;
      const wins = accepted.get(customer.id)!;
      totalAccepted += wins;
      expect(Number(final.notes)).toBe(wins);
      expect(final.version).toBe(before.get(customer.id)! + wins);
    }
    expect(totalAccepted + conflicts).toBe(attempts);
    expect(attempts).toBe(96);
    expect(totalAccepted).toBeGreaterThan(3);
  });
});

describe('Idempotency-Key on API-key creates', () => {
  const log = 'mutation Log($input: LogInteractionInput!) { logInteraction(input: $input) { id summary } }';
  const input = (summary: string) => ({ customerId: t.baseline.customers[0]!.id, kind: 'CALL', channel: 'PHONE', summary });
  const keyed = (agent: supertest.Agent | supertest.SuperTest<supertest.Test>, key: string, summary: string, token = integrator) =>
    agent
      .post('/graphql')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send({ query: log, variables: { input: input(summary) } });
  const stored = (summary: string) =>
    withAdmin(t.databaseUrl, async (sql) =>
      (await sql.query('select id from interaction where summary = $1', [summary])).rows.map((row: { id: string }) => row.id),
    );

  it('replays the stored response for the same key and request, and creates once', async () => {
    const first = await keyed(t.http(), 'key-replay-1', 'replayed call');
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const again = await keyed(t.http(), 'key-replay-1', 'replayed call');
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await stored('replayed call')).toEqual([first.body.data.logInteraction.id]);
  });

  it('refuses the same key with a different request (422), and scopes keys per API key', async () => {
    await keyed(t.http(), 'key-reuse-1', 'first payload');
    const reused = await keyed(t.http(), 'key-reuse-1', 'second payload');
    expect(reused.status).toBe(422);
    expect(reused.body.errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stored('second payload')).toEqual([]);
    const other = await createApiKey(t.databaseUrl, {
      scopes: ['interactions:write', 'interactions:read'],
      territories: [t.baseline.regions.east.id],
      createdBy: t.baseline.users.admin.id,
    });
    const separate = await keyed(t.http(), 'key-reuse-1', 'second payload', other.token);
    expect(separate.status).toBe(200);
    expect(separate.headers['idempotent-replayed']).toBeUndefined();
    expect(await stored('second payload')).toHaveLength(1);
  });

  it('creates once when the same key arrives many times at once', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => keyed(t.http(), 'key-burst-1', 'burst call')));
    const ids = new Set(responses.map((response) => response.body.data?.logInteraction?.id));
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
    expect(ids.size).toBe(1);
    expect(await stored('burst call')).toEqual([...ids]);
  });

  it('answers 409 while the first request with the key is still running, then replays it', async () => {
    const shared = (lockMs: string) =>
      createApp(
        loadConfig({ DATABASE_URL: t.databaseUrl, AUTH_SECRET: t.app.config.authSecret, DEMO_MODE: 'false', DB_LOCK_TIMEOUT_MS: lockMs }),
        { database: t.app.database, logger: pino({ level: 'silent' }) },
      );
    const patient = await shared('20000');
    const impatient = await shared('300');
    const lock = new pg.Client({ connectionString: t.databaseUrl });
    await lock.connect();
    try {
      await lock.query('begin');
      await lock.query('select id from customer where id = $1 for update', [t.baseline.customers[0]!.id]);
      // A supertest request is sent only once awaited: start it now.
      const slow = keyed(supertest(patient.express), 'key-flight-1', 'in flight call').then((response) => response);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const duplicate = await keyed(supertest(impatient.express), 'key-flight-1', 'in flight call');
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
      expect(duplicate.headers['retry-after']).toBeDefined();
      await lock.query('commit');
      const done = await slow;
      expect(done.status).toBe(200);
      const replay = await keyed(supertest(impatient.express), 'key-flight-1', 'in flight call');
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(done.body);
      expect(await stored('in flight call')).toHaveLength(1);
    } finally {
      await lock.end();
      await patient.close();
      await impatient.close();
    }
  });

  it('ignores the header on queries and for signed-in users', async () => {
    const user = await t
      .http()
      .post('/graphql')
      .set('authorization', `Bearer ${t.tokenFor('repHangzhou')}`)
      .set('idempotency-key', 'user-key')
      .send({ query: log, variables: { input: input('user call') } });
    expect(user.body.errors).toBeUndefined();
    expect(user.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('timeouts and draining', () => {
  it('answers 503 TIMEOUT after REQUEST_TIMEOUT_MS and rolls the write back instead of committing it late', async () => {
    const quick = await createApp(
      loadConfig({
        DATABASE_URL: t.databaseUrl,
        AUTH_SECRET: t.app.config.authSecret,
        DEMO_MODE: 'false',
        REQUEST_TIMEOUT_MS: '400',
        DB_LOCK_TIMEOUT_MS: '5000',
      }),
      { database: t.app.database, logger: pino({ level: 'silent' }) },
    );
    const customer = t.baseline.customers[2]!;
    const lock = new pg.Client({ connectionString: t.databaseUrl });
    await lock.connect();
    try {
      await lock.query('begin');
      await lock.query('select id from customer where id = $1 for update', [customer.id]);
      const response = await supertest(quick.express)
        .post('/graphql')
        .set('authorization', `Bearer ${t.tokenFor('admin')}`)
        .send({
          query: 'mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id } }',
          variables: { input: { customerId: customer.id, kind: 'CALL', channel: 'PHONE', summary: 'too late' } },
        });
      expect(response.status).toBe(503);
      expect(response.body.errors[0]).toMatchObject({ message: 'The request took too long', extensions: { code: 'TIMEOUT' } });
      await lock.query('commit');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(quick.inFlight.size).toBe(0);
      const rows = await withAdmin(
        t.databaseUrl,
        async (sql) => (await sql.query(`select 1 from interaction where summary = 'too late'`)).rowCount,
      );
      expect(rows).toBe(0);
    } finally {
      await lock.end();
      await quick.close();
    }
  });

  it('maps statement and lock timeouts to TIMEOUT without SQL', async () => {
    const strict = await createApp(
      loadConfig({ DATABASE_URL: t.databaseUrl, AUTH_SECRET: t.app.config.authSecret, DEMO_MODE: 'false', DB_LOCK_TIMEOUT_MS: '200' }),
      { database: t.app.database, logger: pino({ level: 'silent' }) },
    );
    const customer = t.baseline.customers[2]!;
    const lock = new pg.Client({ connectionString: t.databaseUrl });
    await lock.connect();
    try {
      await lock.query('begin');
      await lock.query('select id from customer where id = $1 for update', [customer.id]);
      const response = await supertest(strict.express)
        .post('/graphql')
        .set('authorization', `Bearer ${t.tokenFor('admin')}`)
        .send({
          query: 'mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id } }',
          variables: { input: { customerId: customer.id, kind: 'CALL', channel: 'PHONE', summary: 'lock wait' } },
        });
      expect(response.body.errors[0]).toMatchObject({
        message: 'The database did not answer in time; retry later',
        extensions: { code: 'TIMEOUT' },
      });
      expect(response.text).not.toMatch(/lock|select|customer/i);
    } finally {
      await lock.query('rollback');
      await lock.end();
      await strict.close();
    }
  });

  it('reports not ready while draining, and finishes the request in flight first', async () => {
    const draining = await createApp(
      loadConfig({ DATABASE_URL: t.databaseUrl, AUTH_SECRET: t.app.config.authSecret, DEMO_MODE: 'false' }),
      { database: t.app.database, logger: pino({ level: 'silent' }) },
    );
    const customer = t.baseline.customers[2]!;
    const lock = new pg.Client({ connectionString: t.databaseUrl });
    await lock.connect();
    try {
      expect((await supertest(draining.express).get('/readyz')).status).toBe(200);
      await lock.query('begin');
      await lock.query('select id from customer where id = $1 for update', [customer.id]);
      const pending = supertest(draining.express)
        .post('/graphql')
        .set('authorization', `Bearer ${t.tokenFor('admin')}`)
        .send({
          query: 'mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id } }',
          variables: { input: { customerId: customer.id, kind: 'CALL', channel: 'PHONE', summary: 'drained in process' } },
        })
        .then((response) => response);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(draining.inFlight.size).toBe(1);
      const drained = draining.drain();
      const ready = await supertest(draining.express).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'draining' });
      await lock.query('commit');
      expect((await pending).body.errors).toBeUndefined();
      await drained;
      expect(draining.inFlight.size).toBe(0);
    } finally {
      await lock.end();
      await draining.close();
    }
  });
});

describe('configuration', () => {
  const base = { DEMO_MODE: 'true', DATA_DIR: '/tmp/accountable-config-test' };

  it('reads limits from the environment and refuses nonsense', () => {
    const config = loadConfig({
      ...base,
      COST_LIMITS: 'rep=8000,BI=4000',
      INTROSPECTION_ROLES: 'ADMIN',
      GRAPHQL_MAX_DEPTH: '12',
      CORS_ORIGINS: 'https://a.example, http://localhost:5173',
    });
    expect(config.limits.cost).toMatchObject({ REP: 8000, BI: 4000, ADMIN: 150_000 });
    expect(config.limits.introspectionRoles).toEqual(['ADMIN']);
    expect(config.limits.depth).toBe(12);
    expect(config.corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(() => loadConfig({ ...base, COST_LIMITS: 'ROOT=1' })).toThrow(/COST_LIMITS/);
    expect(() => loadConfig({ ...base, INTROSPECTION_ROLES: 'EVERYONE' })).toThrow(/INTROSPECTION_ROLES/);
    expect(() => loadConfig({ ...base, IDEMPOTENCY_RETENTION_HOURS: '1' })).toThrow(/IDEMPOTENCY_RETENTION_HOURS/);
    expect(() => loadConfig({ ...base, BODY_LIMIT_BYTES: '-1' })).toThrow(/BODY_LIMIT_BYTES/);
    expect(() => loadConfig({ ...base, CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
  });
});
