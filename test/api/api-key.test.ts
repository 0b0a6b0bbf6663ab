import 'reflect-metadata';
import { createHash, randomUUID } from 'node:crypto';
import { getMetadataStorage } from 'type-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_SCOPES } from '../../api/src/common/access/index.js';
import { createSchema } from '../../api/src/schema.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const CREATE = `mutation Create($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id version name prefix kind scopes active expiresAt revokedAt lastUsedAt territories { code } createdBy { id } } }
}`;
const REVOKE = `mutation Revoke($id: ID!, $version: Int!) { revokeApiKey(id: $id, version: $version) { id version active revokedAt } }`;
const KEYS = `query Keys($first: Int, $after: String, $filter: ApiKeyFilter) { apiKeys(first: $first, after: $after, filter: $filter) { totalCount edges { node { id name active } } pageInfo { hasNextPage endCursor } } }`;
const KEY = `query Key($id: ID!) { apiKey(id: $id) { id name scopes territories { code } createdBy { id } } }`;
const CUSTOMERS = `query Customers { customers(first: 100) { totalCount edges { node { id territory { code } } } } }`;
/** Cheap enough for the anonymous cost budget, so a refused key sees UNAUTHENTICATED. */
const PROBE = `query Probe { customers(first: 1) { totalCount } }`;
const CUSTOMER = `query Customer($id: ID!) { customer(id: $id) { id legalName } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id notes } }`;

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

/** Runs a document with an API key's bearer token. */
async function asKey(secret: string, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const response = await t.http().post('/graphql').set('authorization', `Bearer ${secret}`).send({ query, variables });
  return { status: response.status, data: response.body?.data ?? null, errors: response.body?.errors, body: response.body };
}

async function createKey(input: Record<string, unknown>, who: Principal = 'admin') {
  return t.gqlAs(who, CREATE, {
    input: { name: 'ERP sync', kind: 'INTEGRATOR', scopes: ['CUSTOMERS_READ'], territoryIds: [t.baseline.regions.zhejiang.id], ...input },
  });
}

async function newKey(input: Record<string, unknown>) {
  const { data, errors } = await createKey(input);
  expect(errors).toBeUndefined();
  return data!.createApiKey as { secret: string; apiKey: { id: string; version: number; prefix: string } };
}

describe('createApiKey', () => {
  it('returns the whole bearer token once and stores only the hash of its secret part', async () => {
    const { data, errors } = await createKey({ name: '  ERP sync  ', scopes: ['CUSTOMERS_READ', 'CONTACTS_READ', 'CUSTOMERS_READ'] });
    expect(errors).toBeUndefined();
    const { secret, apiKey } = data!.createApiKey;
    const match = /^acc_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(secret);
    expect(match).not.toBeNull();
    expect(apiKey).toMatchObject({
      name: 'ERP sync',
      prefix: match![1],
      kind: 'INTEGRATOR',
      scopes: ['CUSTOMERS_READ', 'CONTACTS_READ'],
      active: true,
      revokedAt: null,
      lastUsedAt: null,
      territories: [{ code: 'ZJ' }],
      createdBy: { id: t.baseline.users.admin.id },
    });
    const [row] = await sql('select secret_hash, scopes from api_key where id = ?', [apiKey.id]);
    expect(row!.secret_hash).toBe(createHash('sha256').update(match![2]!).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(match![2]);
    const [audit] = await sql(`select actor_id, after, region_paths from audit_event where action = 'API_KEY_CREATED' and entity_id = ?`, [
      apiKey.id,
    ]);
    expect(audit).toMatchObject({
      actor_id: t.baseline.users.admin.id,
      region_paths: ['EAST/ZJ'],
      after: { name: 'ERP sync', prefix: match![1] },
    });
    expect(JSON.stringify(audit)).not.toContain(match![2]);
  });

  it('is for admins only, and nothing is written for others', async () => {
    const [before] = await sql<{ n: number }>('select count(*)::int as n from api_key');
    for (const who of ['managerEast', 'repHangzhou'] as Principal[]) {
      const { errors } = await createKey({}, who);
      expect(errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
    }
    expect((await t.gqlAs(null, CREATE, { input: {} })).errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|UNAUTHENTICATED/);
    const [after] = await sql<{ n: number }>('select count(*)::int as n from api_key');
    expect(after!.n).toBe(before!.n);
  });

  it('rejects bad input naming the field, and writes nothing', async () => {
    const [before] = await sql<{ n: number }>('select count(*)::int as n from api_key');
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'BI', scopes: ['EVALUATIONS_READ', 'ORDERS_WRITE'] }, 'scopes'],
      [{ scopes: [] }, 'scopes'],
      [{ territoryIds: [] }, 'territoryIds'],
      [{ territoryIds: ['nope'] }, 'territoryIds'],
      [{ territoryIds: [randomUUID()] }, 'territoryIds'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'expiresAt'],
    ];
    for (const [input, field] of cases) {
      const { errors } = await createKey(input);
      expect(errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const [after] = await sql<{ n: number }>('select count(*)::int as n from api_key');
    expect(after!.n).toBe(before!.n);
  });
});

describe('a created key', () => {
  it('authenticates, reaches only the customers of its territories, and records its last use', async () => {
    const { secret, apiKey } = await newKey({ scopes: ['CUSTOMERS_READ', 'CUSTOMERS_WRITE'] });
    const list = await asKey(secret, CUSTOMERS);
    expect(list.errors).toBeUndefined();
    expect(list.data!.customers.totalCount).toBe(9);
    expect(new Set(list.data!.customers.edges.map((edge: any) => edge.node.territory.code))).toEqual(new Set(['HZ', 'NB']));

    const guangzhou = t.baseline.customers.find((customer) => customer.territory.id === t.baseline.regions.guangzhou.id)!;
    const hangzhou = t.baseline.customers[0]!;
    expect((await asKey(secret, CUSTOMER, { id: guangzhou.id })).data!.customer).toBeNull();
    expect((await asKey(secret, CUSTOMER, { id: hangzhou.id })).data!.customer).toMatchObject({ id: hangzhou.id });
    const outside = await asKey(secret, UPDATE, { id: guangzhou.id, input: { version: 1, notes: 'from the ERP' } });
    expect(outside.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const [current] = await sql<{ version: number }>('select version from customer where id = ?', [hangzhou.id]);
    const version = current!.version;
    const inside = await asKey(secret, UPDATE, { id: hangzhou.id, input: { version, notes: 'from the ERP' } });
    expect(inside.errors).toBeUndefined();

    const [row] = await sql('select last_used_at from api_key where id = ?', [apiKey.id]);
    expect(Date.now() - new Date(row!.last_used_at).getTime()).toBeLessThan(60_000);
  });

  it('is FORBIDDEN, naming the scope, where it lacks one', async () => {
    const { secret } = await newKey({ scopes: ['INTERACTIONS_READ'] });
    const { errors, data } = await asKey(secret, CUSTOMERS);
    expect(data).toBeNull();
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'customers:read' });
  });

  it('cannot use user-only operations', async () => {
    const { secret } = await newKey({ scopes: ['CUSTOMERS_READ', 'CUSTOMERS_WRITE'] });
    for (const query of [KEYS, '{ auditEvents { totalCount } }', '{ transferRequests { totalCount } }']) {
      const { errors } = await asKey(secret, query);
      expect(errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
    }
  });

  it('stops authenticating once revoked or expired', async () => {
    const revoked = await newKey({});
    expect((await asKey(revoked.secret, PROBE)).errors).toBeUndefined();
    const { data, errors } = await t.gqlAs('admin', REVOKE, { id: revoked.apiKey.id, version: revoked.apiKey.version });
    expect(errors).toBeUndefined();
    expect(data!.revokeApiKey).toMatchObject({ active: false, version: revoked.apiKey.version + 1 });
    expect((await asKey(revoked.secret, PROBE)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const [audit] = await sql(`select region_paths from audit_event where action = 'API_KEY_REVOKED' and entity_id = ?`, [
      revoked.apiKey.id,
    ]);
    expect(audit!.region_paths).toEqual(['EAST/ZJ']);

    const expiring = await newKey({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await asKey(expiring.secret, PROBE)).errors).toBeUndefined();
    await sql(`update api_key set expires_at = now() - interval '1 second' where id = ?`, [expiring.apiKey.id]);
    expect((await asKey(expiring.secret, PROBE)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // A well-formed token with a wrong secret is no better.
    const forged = `acc_${revoked.apiKey.prefix}_${'A'.repeat(43)}`;
    expect((await asKey(forged, PROBE)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('cannot be BI and mutate anything', async () => {
    const { secret } = await newKey({ kind: 'BI', scopes: ['CUSTOMERS_READ', 'EVALUATIONS_READ', 'PII_READ'] });
    const customer = t.baseline.customers[0]!;
    const attempts: [string, Record<string, unknown>][] = [
      [
        'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
        { input: { legalName: 'BI Co', territoryId: t.baseline.regions.hangzhou.id } },
      ],
      [UPDATE, { id: customer.id, input: { version: 1, notes: 'x' } }],
      [
        'mutation ($input: RequestTransferInput!) { requestTransfer(input: $input) { id } }',
        { input: { customerId: customer.id, reason: 'BI wants it' } },
      ],
      [CREATE, { input: { name: 'x', kind: 'BI', scopes: ['CUSTOMERS_READ'], territoryIds: [t.baseline.regions.east.id] } }],
      [
        'mutation ($input: ReassignCustomersInput!) { reassignCustomers(input: $input) { count } }',
        { input: { customerIds: [customer.id], toOwnerId: t.baseline.users.repHangzhou2.id, reason: 'BI wants it' } },
      ],
    ];
    for (const [query, variables] of attempts) {
      const { errors } = await asKey(secret, query, variables);
      expect(errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
    }
    expect((await asKey(secret, CUSTOMERS)).errors).toBeUndefined();
  });

  it('cannot be BI and hold a scope any mutation accepts (every mutation policy checked)', async () => {
    await createSchema();
    const readScopes = new Set(READ_SCOPES.map((scope) => `scope:${scope}`));
    const mutations = getMetadataStorage().mutations.filter((mutation) => mutation.roles !== undefined);
    expect(mutations.length).toBeGreaterThan(10);
    for (const mutation of mutations) {
      const admitted = (mutation.roles ?? []).filter((role) => readScopes.has(String(role)));
      expect(admitted, mutation.schemaName).toEqual([]);
    }
  });
});

describe('listing keys', () => {
  it('lists newest first, filters by active, and reads one key — for admins only', async () => {
    const active = await t.gqlAs('admin', KEYS, { first: 100, filter: { active: true } });
    const inactive = await t.gqlAs('admin', KEYS, { first: 100, filter: { active: false } });
    const all = await t.gqlAs('admin', KEYS, { first: 100 });
    expect(all.errors).toBeUndefined();
    expect(active.data!.apiKeys.edges.every((edge: any) => edge.node.active)).toBe(true);
    expect(inactive.data!.apiKeys.edges.every((edge: any) => !edge.node.active)).toBe(true);
    expect(inactive.data!.apiKeys.totalCount).toBeGreaterThanOrEqual(2);
    expect(active.data!.apiKeys.totalCount + inactive.data!.apiKeys.totalCount).toBe(all.data!.apiKeys.totalCount);

    const page1 = await t.gqlAs('admin', KEYS, { first: 2 });
    const page2 = await t.gqlAs('admin', KEYS, { first: 2, after: page1.data!.apiKeys.pageInfo.endCursor });
    expect([...page1.data!.apiKeys.edges, ...page2.data!.apiKeys.edges].map((edge: any) => edge.node.id)).toEqual(
      all.data!.apiKeys.edges.slice(0, 4).map((edge: any) => edge.node.id),
    );

    const id = all.data!.apiKeys.edges[0].node.id;
    const one = await t.gqlAs('admin', KEY, { id });
    expect(one.data!.apiKey).toMatchObject({ id, territories: [{ code: 'ZJ' }], createdBy: { id: t.baseline.users.admin.id } });
    expect((await t.gqlAs('admin', KEY, { id: 'nope' })).data!.apiKey).toBeNull();
    for (const who of ['managerEast', 'repHangzhou'] as Principal[]) {
      expect((await t.gqlAs(who, KEYS, {})).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await t.gqlAs(who, KEY, { id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('revokes for admins only, with CONFLICT on a stale version; revoking twice changes nothing', async () => {
    const { apiKey } = await newKey({});
    expect((await t.gqlAs('managerEast', REVOKE, { id: apiKey.id, version: apiKey.version })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await t.gqlAs('admin', REVOKE, { id: apiKey.id, version: apiKey.version + 5 })).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      currentVersion: apiKey.version,
    });
    expect((await t.gqlAs('admin', REVOKE, { id: randomUUID(), version: 1 })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.gqlAs('admin', REVOKE, { id: 'x', version: 1 })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
    const first = await t.gqlAs('admin', REVOKE, { id: apiKey.id, version: apiKey.version });
    const second = await t.gqlAs('admin', REVOKE, { id: apiKey.id, version: first.data!.revokeApiKey.version });
    expect(second.data!.revokeApiKey).toEqual(first.data!.revokeApiKey);
    const [events] = await sql<{ n: number }>(
      `select count(*)::int as n from audit_event where action = 'API_KEY_REVOKED' and entity_id = ?`,
      [apiKey.id],
    );
    expect(events!.n).toBe(1);
  });
});
