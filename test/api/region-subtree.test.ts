import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { PASSWORD } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

/**
 * A region's subtree is the region and every region whose path starts with its path and '/'
 * (docs/permissions.md): `_` and `%` in codes are ordinary characters. Sibling regions whose
 * codes differ only where a LIKE pattern has a wildcard must not reach into each other.
 */
let t: TestApp;
const ids: Record<string, string> = {};
let managerX1: string;
let managerPct: string;
let repU1: string;
let accountU1: string;
let accountT1: string;

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) => t.orm.em.fork().getConnection().execute<T[]>(text, params);

async function as(token: string, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const response = await t.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  return { status: response.status, data: response.body?.data ?? null, errors: response.body?.errors, body: response.body };
}

async function createRegion(code: string, kind: string, parent?: string): Promise<void> {
  const { data, errors } = await t.gqlAs('admin', `mutation ($input: CreateRegionInput!) { createRegion(input: $input) { id } }`, {
    input: { code, name: code, kind, parentId: parent ? ids[parent] : undefined },
  });
  expect(errors).toBeUndefined();
  ids[code] = data!.createRegion.id;
}

async function createUser(email: string, role: string, regions: string[]): Promise<string> {
  const regionIds = regions.map((code) => ids[code]);
  const { data, errors } = await t.gqlAs('admin', `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
    input: {
      email,
      name: email,
      role,
      password: PASSWORD,
      ...(role === 'MANAGER' ? { managedRegionIds: regionIds } : { territoryIds: regionIds }),
    },
  });
  expect(errors).toBeUndefined();
  return data!.createUser.id;
}

async function signIn(email: string): Promise<string> {
  const { data, errors } = await t.gqlAs(
    null,
    `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
    { email, password: PASSWORD },
  );
  expect(errors).toBeUndefined();
  return data!.login.token;
}

async function account(name: string, territory: string, owner: string): Promise<string> {
  const id = randomUUID();
  await sql(
    `insert into customer (id, legal_name, normalized_name, territory_id, owner_id, notes) values (?, ?, ?, ?, ?, 'private notes')`,
    [id, name, name.toLowerCase(), ids[territory], owner],
  );
  await sql(`insert into contact (id, customer_id, name, mobile) values (?, ?, 'Buyer', '13900000001')`, [randomUUID(), id]);
  return id;
}

/** An API key row as createApiKey writes it, bound to `regions`; returns the bearer token. */
async function apiKey(regions: string[]): Promise<string> {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const id = randomUUID();
  await sql(
    `insert into api_key (id, name, prefix, secret_hash, kind, scopes, created_by_id) values (?, ?, ?, ?, 'INTEGRATOR', '{customers:read,contacts:read,pii:read}', ?)`,
    [id, `key ${prefix}`, prefix, hashSecret(secret), t.baseline.users.admin.id],
  );
  for (const code of regions) await sql('insert into api_key_territory (api_key_id, region_id) values (?, ?)', [id, ids[code]]);
  return `acc_${prefix}_${secret}`;
}

const ACCESSIBLE = `{ customers(first: 100) { totalCount edges { node { id access } } } }`;
const CUSTOMER = `query ($id: ID!) { customer(id: $id) { id access notes contacts { mobile } } }`;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  // X_1 and X-1: a LIKE pattern 'X_1/%' matches every path below X-1 too.
  await createRegion('X_1', 'REGION');
  await createRegion('P_1', 'PROVINCE', 'X_1');
  await createRegion('T_1', 'TERRITORY', 'P_1');
  await createRegion('X-1', 'REGION');
  await createRegion('Q-1', 'PROVINCE', 'X-1');
  await createRegion('U-1', 'TERRITORY', 'Q-1');
  // A code the API refuses today, as older data may hold it: the pattern '%/%' matches every path with a '/'.
  ids['%'] = randomUUID();
  await sql(`insert into region (id, code, name, kind, path) values (?, '%', 'Percent', 'REGION', '%')`, [ids['%']]);
  managerX1 = await createUser('manager.x1@test.local', 'MANAGER', ['X_1']);
  managerPct = await createUser('manager.pct@test.local', 'MANAGER', ['%']);
  repU1 = await createUser('rep.u1@test.local', 'REP', ['U-1']);
  accountT1 = await account('T_1 Works', 'T_1', managerX1);
  accountU1 = await account('U-1 Works', 'U-1', repU1);
});

afterAll(async () => {
  await t?.close();
});

describe('region subtrees are matched by exact path prefix', () => {
  it("the manager of X_1 edits X_1's accounts and sees X-1's only as a directory card", async () => {
    const token = await signIn('manager.x1@test.local');
    const list = await as(token, ACCESSIBLE);
    expect(list.errors).toBeUndefined();
    expect(list.data!.customers.edges.map((edge: any) => edge.node.id)).toEqual([accountT1]);
    const own = await as(token, CUSTOMER, { id: accountT1 });
    expect(own.data!.customer).toMatchObject({ access: 'EDIT', notes: 'private notes' });
    const other = await as(token, CUSTOMER, { id: accountU1 });
    expect(other.data!.customer).toMatchObject({ id: accountU1, access: 'DIRECTORY', notes: null, contacts: null });
    expect(other.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const update = await as(token, `mutation ($id: ID!) { updateCustomer(id: $id, input: { notes: "taken", version: 1 }) { id } }`, {
      id: accountU1,
    });
    expect(update.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const [row] = await sql<{ notes: string }>('select notes from customer where id = ?', [accountU1]);
    expect(row!.notes).toBe('private notes');
  });

  it('the manager of a region coded % reaches no account outside it', async () => {
    const token = await signIn('manager.pct@test.local');
    const list = await as(token, ACCESSIBLE);
    expect(list.errors).toBeUndefined();
    expect(list.data!.customers.totalCount).toBe(0);
    const other = await as(token, CUSTOMER, { id: accountU1 });
    expect(other.data!.customer).toMatchObject({ access: 'DIRECTORY', notes: null });
  });

  it("an API key bound to X_1 does not know X-1's accounts", async () => {
    const token = await apiKey(['X_1']);
    const list = await as(token, ACCESSIBLE);
    expect(list.errors).toBeUndefined();
    expect(list.data!.customers.edges.map((edge: any) => edge.node.id)).toEqual([accountT1]);
    const other = await as(token, CUSTOMER, { id: accountU1 });
    expect(other.errors).toBeUndefined();
    expect(other.data!.customer).toBeNull();
  });

  it("X-1 is outside X_1's manager's regions for ownership, and for the admin's explanation", async () => {
    const created = await t.gqlAs('admin', `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
      input: { legalName: 'Wildcard Placement Ltd', territoryId: ids['U-1'], ownerId: managerX1 },
    });
    expect(created.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const explained = await t.gqlAs('admin', `query ($c: ID!, $u: ID!) { explainAccess(customerId: $c, userId: $u) { level rule } }`, {
      c: accountU1,
      u: managerX1,
    });
    expect(explained.errors).toBeUndefined();
    expect(explained.data!.explainAccess).toEqual({ level: 'DIRECTORY', rule: 'DIRECTORY_ONLY' });
    const pct = await t.gqlAs('admin', `query ($c: ID!, $u: ID!) { explainAccess(customerId: $c, userId: $u) { level } }`, {
      c: accountU1,
      u: managerPct,
    });
    expect(pct.data!.explainAccess.level).toBe('DIRECTORY');
  });

  it("moving a region rewrites its own subtree's paths and no one else's", async () => {
    await createRegion('M_1', 'REGION');
    await createRegion('M-2', 'REGION');
    await createRegion('N_1', 'PROVINCE', 'M_1');
    await createRegion('O_1', 'TERRITORY', 'N_1');
    // N-1 sits next to N_1: the pattern 'M_1/N_1/%' matches its paths.
    await createRegion('N-1', 'PROVINCE', 'M_1');
    await createRegion('O-1', 'TERRITORY', 'N-1');
    const [before] = await sql<{ version: number }>('select version from region where id = ?', [ids['N_1']]);
    const moved = await t.gqlAs(
      'admin',
      `mutation ($id: ID!, $input: UpdateRegionInput!) { updateRegion(id: $id, input: $input) { path } }`,
      {
        id: ids['N_1'],
        input: { parentId: ids['M-2'], version: before!.version },
      },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateRegion.path).toBe('M-2/N_1');
    const paths = await sql<{ code: string; path: string; version: number }>(
      `select code, path, version from region where code in ('N_1', 'O_1', 'N-1', 'O-1') order by code`,
    );
    expect(paths.map(({ code, path }) => [code, path])).toEqual([
      ['N-1', 'M_1/N-1'],
      ['N_1', 'M-2/N_1'],
      ['O-1', 'M_1/N-1/O-1'],
      ['O_1', 'M-2/N_1/O_1'],
    ]);
    expect(paths.find((row) => row.code === 'O-1')!.version).toBe(1);
  });
});
