import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { ApiKeyKind, Scope } from '../../api/src/common/access/index.js';
import { ApiKey } from '../../api/src/modules/api-key/api-key.entity.js';
import { Region } from '../../api/src/modules/region/region.entity.js';
import { createTestApp, type TestApp } from '../setup/app.js';

// Attacks on the hot writes' shortened round trips (the savepoint and the Idempotency-Key claim
// sent with the opening query, payloads from the written row), on the real cluster, with dozens
// of requests at once where a race is the point.
let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;
const CONCURRENT = 30;

async function keyWith(scopes: Scope[]): Promise<string> {
  const em = db();
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = em.create(ApiKey, {
    name: `hot writes ${scopes.join(' ')}`,
    prefix,
    secretHash: hashSecret(secret),
    kind: ApiKeyKind.INTEGRATOR,
    createdBy: t.baseline.users.admin.id,
    scopes,
  });
  key.territories.add(em.getReference(Region, t.baseline.regions.hangzhou.id));
  await em.flush();
  return `acc_${prefix}_${secret}`;
}

let writer: string;
let otherWriter: string;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_BURST: '100000' }, { poolMax: CONCURRENT + 5 });
  const all = [
    Scope.CUSTOMERS_READ,
    Scope.CUSTOMERS_WRITE,
    Scope.CONTACTS_READ,
    Scope.PII_READ,
    Scope.INTERACTIONS_READ,
    Scope.INTERACTIONS_WRITE,
    Scope.ORDERS_READ,
    Scope.ORDERS_WRITE,
  ];
  writer = await keyWith(all);
  otherWriter = await keyWith(all);
});

afterAll(async () => {
  await t?.close();
});

type Body = { data?: Record<string, any> | null; errors?: { path?: unknown[]; extensions?: { code?: string } }[] };

async function post(token: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const request = t.http().post('/graphql').set('authorization', `Bearer ${token}`);
  for (const [name, value] of Object.entries(headers)) request.set(name, value);
  const response = await request.send({ query, variables });
  return { status: response.status, body: response.body as Body, replayed: response.headers['idempotent-replayed'] };
}

const own = () => t.baseline.customers[0]!;
const CREATE = 'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id number total } }';
const LOG = 'mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id summary } }';
const count = async (sql: string, values: unknown[]) => ((await db().execute(sql, values))[0] as { n: number }).n;
const code = (body: Body) => body.errors?.[0]?.extensions?.code ?? null;

describe('Idempotency-Key under attack', () => {
  it(`${CONCURRENT} requests at once with one key and one body write once; each answers the stored response or IN_FLIGHT`, async () => {
    const key = `race-${randomBytes(8).toString('hex')}`;
    const number = `RACE-${randomBytes(4).toString('hex')}`;
    const input = { customerId: own().id, number, lines: [{ product: 'race', quantity: '1', unitPrice: '3.00' }] };
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, () => post(writer, CREATE, { input }, { 'idempotency-key': key })),
    );
    expect(await count('select count(*)::int as n from sales_order where number = ?', [number])).toBe(1);
    const done = answers.filter((answer) => answer.status === 200 && !answer.body.errors);
    const busy = answers.filter((answer) => code(answer.body) === 'IDEMPOTENCY_KEY_IN_FLIGHT');
    expect(done.length + busy.length, JSON.stringify(answers.map((a) => [a.status, code(a.body)]))).toBe(CONCURRENT);
    expect(done.length).toBeGreaterThanOrEqual(1);
    // Everyone who got an answer got the same order.
    expect(new Set(done.map((answer) => answer.body.data!.createOrder.id)).size).toBe(1);
    expect(done.filter((answer) => answer.replayed !== 'true').length).toBe(1);
  });

  it(`${CONCURRENT} requests at once with one key and different bodies write once; the others are refused`, async () => {
    const key = `race-bodies-${randomBytes(8).toString('hex')}`;
    const tag = randomBytes(4).toString('hex');
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, index) =>
        post(
          writer,
          LOG,
          { input: { customerId: own().id, kind: 'CALL', channel: 'PHONE', summary: `race ${tag} ${index}` } },
          { 'idempotency-key': key },
        ),
      ),
    );
    expect(await count('select count(*)::int as n from interaction where summary like ?', [`race ${tag} %`])).toBe(1);
    const codes = answers.map((answer) => (answer.body.errors ? code(answer.body) : 'OK'));
    expect(codes.filter((c) => c === 'OK').length, JSON.stringify(codes)).toBe(1);
    for (const c of codes) expect(['OK', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_FLIGHT']).toContain(c);
  });

  it('is scoped per API key: the same key string under two API keys writes twice; a user’s key header is ignored', async () => {
    const key = `shared-${randomBytes(8).toString('hex')}`;
    const tag = randomBytes(4).toString('hex');
    const variables = { input: { customerId: own().id, kind: 'CALL', channel: 'PHONE', summary: `shared ${tag}` } };
    const first = await post(writer, LOG, variables, { 'idempotency-key': key });
    const second = await post(otherWriter, LOG, variables, { 'idempotency-key': key });
    expect(first.body.errors).toBeUndefined();
    expect(second.body.errors).toBeUndefined();
    expect(second.replayed).toBeUndefined();
    expect(second.body.data!.logInteraction.id).not.toBe(first.body.data!.logInteraction.id);
    // The stored response of one key never answers another principal.
    const user = await post(t.tokenFor('repHangzhou'), LOG, variables, { 'idempotency-key': key });
    expect(user.replayed).toBeUndefined();
    expect(user.body.errors).toBeUndefined();
    expect(await count('select count(*)::int as n from interaction where summary = ?', [`shared ${tag}`])).toBe(3);
  });

  it('refuses a replay with another body, another operation name or other variables, and writes nothing', async () => {
    const key = `reuse-${randomBytes(8).toString('hex')}`;
    const tag = randomBytes(4).toString('hex');
    const input = { customerId: own().id, kind: 'CALL', channel: 'PHONE', summary: `reuse ${tag}` };
    expect((await post(writer, LOG, { input }, { 'idempotency-key': key })).body.errors).toBeUndefined();
    const attempts: [string, Record<string, unknown>][] = [
      [LOG, { input: { ...input, summary: `reuse ${tag} again` } }],
      [LOG.replace('summary }', 'summary kind }'), { input }],
      ['mutation Named($input: LogInteractionInput!) { logInteraction(input: $input) { id summary } }', { input }],
      [LOG, { input, extra: 1 }],
    ];
    for (const [query, variables] of attempts) {
      const again = await post(writer, query, variables, { 'idempotency-key': key });
      expect(code(again.body), query).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(again.status).toBe(422);
    }
    // The same document reformatted is the same request.
    const reformatted = await post(
      writer,
      LOG.replace(/ {2,}|\(/g, (m) => (m === '(' ? ' ( ' : ' ')),
      { input },
      { 'idempotency-key': key },
    );
    expect(reformatted.replayed).toBe('true');
    expect(await count('select count(*)::int as n from interaction where summary like ?', [`reuse ${tag}%`])).toBe(1);
  });

  it('a revoked key cannot replay its stored response', async () => {
    const token = await keyWith([Scope.INTERACTIONS_WRITE, Scope.INTERACTIONS_READ, Scope.CUSTOMERS_READ]);
    const key = `revoked-${randomBytes(8).toString('hex')}`;
    const variables = { input: { customerId: own().id, kind: 'CALL', channel: 'PHONE', summary: `revoked ${key}` } };
    expect((await post(token, LOG, variables, { 'idempotency-key': key })).body.errors).toBeUndefined();
    const prefix = /^acc_([0-9a-f]{12})_/.exec(token)![1]!;
    await db().execute('update api_key set revoked_at = now() where prefix = ?', [prefix]);
    const again = await post(token, LOG, variables, { 'idempotency-key': key });
    expect(again.replayed).toBeUndefined();
    expect(again.body.data?.logInteraction ?? null).toBeNull();
    expect(code(again.body)).toBe('UNAUTHENTICATED');
  });
});

describe('several mutations in one request', () => {
  const UPDATE = 'updateCustomer(id: $id, input: $input) { id notes version }';

  it('each is one transaction: a failing second leaves the first committed, as documented, and a replay runs neither again', async () => {
    const id = own().id;
    const [{ version }] = (await db().execute('select version from customer where id = ?', [id])) as [{ version: number }];
    const tag = randomBytes(4).toString('hex');
    const query = `mutation ($id: ID!, $input: UpdateCustomerInput!, $stale: UpdateCustomerInput!) { a: ${UPDATE} b: ${UPDATE.replace('$input', '$stale')} }`;
    const variables = { id, input: { version, notes: `first ${tag}` }, stale: { version, notes: `second ${tag}` } };
    const key = `multi-${randomBytes(8).toString('hex')}`;
    const { body } = await post(writer, query, variables, { 'idempotency-key': key });
    // b is non-null: its error nulls the whole data, but a is committed (each mutation its own transaction).
    expect(body.data ?? null).toBeNull();
    expect(body.errors!.map((error) => [error.path, error.extensions?.code])).toEqual([[['b'], 'CONFLICT']]);
    const read = async () => (await db().execute('select notes, version from customer where id = ?', [id]))[0];
    expect(await read()).toEqual({ notes: `first ${tag}`, version: version + 1 });
    const again = await post(writer, query, variables, { 'idempotency-key': key });
    expect(again.replayed).toBe('true');
    expect(again.body).toEqual(body);
    expect(await read()).toEqual({ notes: `first ${tag}`, version: version + 1 });
  });

  it('a failing first mutation leaves nothing of its own; the operation ends there (non-null), so the second never runs', async () => {
    const id = own().id;
    const [{ version }] = (await db().execute('select version from customer where id = ?', [id])) as [{ version: number }];
    const tag = randomBytes(4).toString('hex');
    const query = `mutation ($input: CreateOrderInput!, $log: LogInteractionInput!) {
      a: createOrder(input: $input) { id }
      b: logInteraction(input: $log) { id }
    }`;
    for (const token of [writer, t.tokenFor('repHangzhou')]) {
      // The number is taken: the unique index refuses the order's insert, after the account's check ran.
      const input = { customerId: id, number: `DUP-${tag}-${token.length}`, lines: [{ product: 'x', quantity: '1', unitPrice: '1.00' }] };
      expect((await post(writer, CREATE, { input })).body.errors).toBeUndefined();
      const log = { customerId: id, kind: 'CALL', channel: 'PHONE', summary: `after failure ${tag} ${token.length}` };
      const { body } = await post(token, query, { input, log }, token === writer ? { 'idempotency-key': `first-fails-${tag}` } : {});
      expect(body.errors?.[0]?.path).toEqual(['a']);
      expect(JSON.stringify(body), 'no SQL or stack').not.toMatch(/insert|sales_order|numeric|at \w+ \(/i);
      expect(body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(await count('select count(*)::int as n from sales_order where number = ?', [input.number])).toBe(1);
      expect(body.data ?? null).toBeNull();
      expect(await count('select count(*)::int as n from interaction where summary = ?', [log.summary])).toBe(0);
    }
    expect(
      ((await db().execute('select version from customer where id = ?', [id]))[0] as { version: number }).version,
    ).toBeGreaterThanOrEqual(version);
  });
});

describe('concurrent edits', () => {
  it(`${CONCURRENT} updates of one version at once: exactly one wins, the others get CONFLICT, nothing is overwritten`, async () => {
    const id = own().id;
    const [{ version }] = (await db().execute('select version from customer where id = ?', [id])) as [{ version: number }];
    const tag = randomBytes(4).toString('hex');
    const query = 'mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { notes version } }';
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, index) =>
        post(index % 2 ? writer : t.tokenFor('repHangzhou'), query, { id, input: { version, notes: `edit ${tag} ${index}` } }),
      ),
    );
    const winners = answers.filter((answer) => !answer.body.errors);
    const codes = answers.filter((answer) => answer.body.errors).map((answer) => code(answer.body));
    expect(winners.length, JSON.stringify(codes)).toBe(1);
    expect(new Set(codes)).toEqual(new Set(['CONFLICT']));
    const [row] = await db().execute('select notes, version from customer where id = ?', [id]);
    expect(row).toEqual({ notes: winners[0]!.body.data!.updateCustomer.notes, version: version + 1 });
    expect(winners[0]!.body.data!.updateCustomer.version).toBe(version + 1);
  });
});

describe('payloads from the written row go through the read mask', () => {
  it('a key that may write a customer but not read its groups gets them FORBIDDEN in the payload, as in a read', async () => {
    const token = await keyWith([Scope.CUSTOMERS_WRITE]);
    const id = own().id;
    const [{ version }] = (await db().execute('select version from customer where id = ?', [id])) as [{ version: number }];
    const query = `mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) {
      id legalName notes registrationId version lastInteractionAt lastOrderAt contacts { email } interactions { totalCount } orders { totalCount } evaluations { grade } grade } }`;
    const { body } = await post(token, query, { id, input: { version, notes: 'written blind' } });
    const hidden = (body.errors ?? []).map((error) => [(error.path ?? []).slice(1).join('.'), error.extensions?.code]).sort();
    // customers:write alone: the directory card only (what anyone may know of any account).
    expect(hidden).toEqual(
      [
        ['notes', 'FORBIDDEN'],
        ['registrationId', 'FORBIDDEN'],
        ['version', 'FORBIDDEN'],
        ['lastInteractionAt', 'FORBIDDEN'],
        ['lastOrderAt', 'FORBIDDEN'],
        ['contacts', 'FORBIDDEN'],
        ['interactions', 'FORBIDDEN'],
        ['orders', 'FORBIDDEN'],
        ['evaluations', 'FORBIDDEN'],
        ['grade', 'FORBIDDEN'],
      ].sort(),
    );
    expect(JSON.stringify(body.data)).not.toContain('written blind');
    expect(body.data!.updateCustomer).toMatchObject({ id, notes: null, version: null, contacts: null });
  });
});
