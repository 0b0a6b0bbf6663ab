import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../faults/support.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;
let server: Server;
let url: string;
let integrator: string;

beforeAll(async () => {
  t = await createTestApp();
  integrator = (
    await createApiKey(t.databaseUrl, {
      scopes: ['customers:read', 'customers:write'],
      territories: [t.baseline.regions.east.id],
      createdBy: t.baseline.users.admin.id,
    })
  ).token;
  server = await new Promise<Server>((done) => {
    const listening = t.app.express.listen(0, '127.0.0.1', () => done(listening));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  await t?.close();
});

/**
 * As an admin: some audits introspect (`__type`), which outside demo mode only admins and
 * integrators may do. Authentication is all it adds; the audit's own headers go as they are.
 */
const asAdmin: typeof fetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${t.tokenFor('admin')}`);
  return fetch(input, { ...init, headers });
};

// The GraphQL-over-HTTP working group's own audit suite, against the real server over a socket.
// MAY audits are optional and only reported; every MUST and SHOULD has to pass.
const audits = serverAudits({ url: () => url, fetchFn: asAdmin });
const required = audits.filter((audit) => /^(MUST|SHOULD)\b/.test(audit.name));

describe('GraphQL over HTTP audits (graphql-http)', () => {
  it('has MUST and SHOULD audits to run', () => {
    expect(required.filter((audit) => audit.name.startsWith('MUST')).length).toBeGreaterThan(0);
    expect(required.filter((audit) => audit.name.startsWith('SHOULD')).length).toBeGreaterThan(0);
  });

  it.each(required.map((audit) => [`${audit.id} ${audit.name}`, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
  });

  it('reports the optional (MAY) audits', async () => {
    for (const audit of audits.filter((candidate) => !required.includes(candidate))) {
      const result = await audit.fn();
      console.log(`${result.status === 'ok' ? 'supported' : 'not supported'}: ${audit.id} ${audit.name}`);
    }
  });
});

describe('status codes per response media type', () => {
  const JSON_TYPE = 'application/json';
  const GRAPHQL_RESPONSE = 'application/graphql-response+json';
  const send = (accept: string | null, body: string, token?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (accept) headers.accept = accept;
    if (token) headers.authorization = `Bearer ${token}`;
    return fetch(url, { method: 'POST', headers, body });
  };
  const requestErrors: [string, string, () => string | undefined][] = [
    ['a document that does not parse', JSON.stringify({ query: '{ customers { ' }), () => undefined],
    ['a document that does not validate', JSON.stringify({ query: '{ customers { nope } }' }), () => t.tokenFor('admin')],
    ['an operation name the document lacks', JSON.stringify({ query: 'query A { __typename }', operationName: 'B' }), () => undefined],
    [
      'variables that do not coerce',
      JSON.stringify({ query: 'query ($id: ID!) { customer(id: $id) { id } }', variables: { id: null } }),
      () => t.tokenFor('admin'),
    ],
    // Our own validation: introspection is for admins and integrators outside demo mode.
    ['introspection by a rep', JSON.stringify({ query: '{ __schema { queryType { name } } }' }), () => t.tokenFor('repHangzhou')],
    [
      "a query beyond the rep's cost budget",
      JSON.stringify({
        query: '{ customers(first: 100) { edges { node { orders(first: 100) { edges { node { lines { product } } } } } } } }',
      }),
      () => t.tokenFor('repHangzhou'),
    ],
  ];

  it.each(requestErrors)(
    'answers %s with 200 as application/json (also without Accept) and 400 as application/graphql-response+json',
    async (_name, body, token) => {
      for (const accept of [JSON_TYPE, null, `${JSON_TYPE}, ${GRAPHQL_RESPONSE};q=0.9`]) {
        const response = await send(accept, body, token());
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        const result = (await response.json()) as { data?: unknown; errors?: unknown[] };
        expect(result.errors?.length).toBeGreaterThan(0);
        expect(result.data).toBeUndefined();
      }
      for (const accept of [GRAPHQL_RESPONSE, `${GRAPHQL_RESPONSE}, ${JSON_TYPE}`, `${JSON_TYPE};q=0.5, ${GRAPHQL_RESPONSE}`]) {
        const response = await send(accept, body, token());
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
      }
    },
  );

  it('answers requests that are not well-formed with 400 in either media type', async () => {
    const malformed = [
      '{"query": ',
      JSON.stringify({ qeury: '{ __typename }' }),
      JSON.stringify({ query: '{ __typename }', variables: [7] }),
    ];
    for (const body of malformed) {
      for (const accept of [JSON_TYPE, GRAPHQL_RESPONSE]) expect((await send(accept, body)).status).toBe(400);
    }
  });

  it('keeps field errors at 200 with the data in either media type, and refusals of the HTTP request as they are', async () => {
    for (const accept of [JSON_TYPE, GRAPHQL_RESPONSE]) {
      const anonymous = await send(accept, JSON.stringify({ query: '{ me { id } }' }));
      expect(anonymous.status).toBe(200);
      expect(((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
        'UNAUTHENTICATED',
      );
      // A malformed Idempotency-Key header is a fault of the HTTP request, not a GraphQL error.
      const badKey = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, 'idempotency-key': 'has spaces', authorization: `Bearer ${integrator}` },
        body: JSON.stringify({ query: 'mutation { __typename }' }),
      });
      expect(badKey.status).toBe(400);
    }
  });
});
