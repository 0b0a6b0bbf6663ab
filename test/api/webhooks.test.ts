import 'reflect-metadata';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as dns } from 'node:dns';
import http from 'node:http';
import { hostname } from 'node:os';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { ApiKeyKind, Scope } from '../../api/src/common/access/index.js';
import type { Config } from '../../api/src/config.js';
import { ApiKey } from '../../api/src/modules/api-key/api-key.entity.js';
import { Region } from '../../api/src/modules/region/region.entity.js';
import { isBlockedAddress, postWebhook } from '../../api/src/modules/webhook/webhook.target.js';
import { startWebhookWorker, type WebhookWorker } from '../../api/src/modules/webhook/webhook.worker.js';
import { createTestApp, type TestApp } from '../setup/app.js';

// Webhooks as an integrator meets them (docs/webhooks.md): every event the key may see arrives,
// signed, in order per record, through a receiver that fails for a while, a restart of the worker
// and two workers at once; nothing the key's `changes` would not show; internal targets refused;
// a webhook failing for the whole retry window disabled with a notification for the admins.
let t: TestApp;
/** Default configuration: private targets refused. */
let strict: TestApp;
const db = () => t.orm.em.fork() as EntityManager;
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(
  check: () => Promise<T | false | undefined | null> | T | false | undefined | null,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(25);
  }
}

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  status: number;
}

interface Receiver {
  url: string;
  requests: Received[];
  /** Answer 500 to everything while true. */
  failing: boolean;
  close(): Promise<void>;
}

/** A receiver on loopback answering 500 to its first `failFirst` requests, then 200 (after `delayMs`). */
async function receiver(failFirst = 0, delayMs = 0): Promise<Receiver> {
  let seen = 0;
  const state: Receiver = { url: '', requests: [], failing: false, close: async () => undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen += 1;
      const status = seen <= failFirst || state.failing ? 500 : 200;
      state.requests.push({
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        body,
        status,
      });
      setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'temporarily broken'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  state.url = `http://127.0.0.1:${port}/hook`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

/** What a receiver does (docs/webhooks.md): any v1= entry that matches an HMAC of "<timestamp>.<body>" under the secret. */
function verifies(request: Received, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(`${request.timestamp}.${request.body}`).digest();
  return request.signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

const delivered = (r: Receiver) => new Set(r.requests.filter((q) => q.status === 200).map((q) => q.id));

/** For each request, every earlier event of the same record had been answered 2xx before it arrived. */
function assertPerEntityOrder(requests: Received[]): void {
  const done = new Map<string, Set<string>>();
  const ids = new Map<string, string[]>();
  for (const request of requests) {
    const { entityId } = JSON.parse(request.body) as { entityId: string };
    const list = ids.get(entityId) ?? [];
    if (!list.includes(request.id)) list.push(request.id);
    ids.set(entityId, list);
  }
  for (const request of requests) {
    const { entityId } = JSON.parse(request.body) as { entityId: string };
    const earlier = ids.get(entityId)!.filter((id) => BigInt(id) < BigInt(request.id));
    const succeeded = done.get(entityId) ?? new Set<string>();
    for (const id of earlier) expect(succeeded.has(id), `event ${request.id} sent before ${id} of the same record succeeded`).toBe(true);
    if (request.status === 200) done.set(entityId, succeeded.add(request.id));
  }
}

async function keyWith(scopes: Scope[], territory: Region | Region[], app: TestApp = t): Promise<{ token: string; id: string }> {
  const em = app.orm.em.fork();
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = em.create(ApiKey, {
    name: `hooks ${prefix}`,
    prefix,
    secretHash: hashSecret(secret),
    kind: ApiKeyKind.INTEGRATOR,
    createdBy: app.baseline.users.admin.id,
    scopes,
  });
  for (const region of Array.isArray(territory) ? territory : [territory]) key.territories.add(em.getReference(Region, region.id));
  await em.flush();
  return { token: `acc_${prefix}_${secret}`, id: key.id };
}

async function asKey(app: TestApp, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await app.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  return response.body as { data: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, any> }[] };
}

const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) {
  secret webhook { id apiKeyId apiKeyName url eventTypes fieldFilter enabled version } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) {
  id enabled version disabledReason failingSince } }`;
const CHANGES = `query($after: String) { changes(after: $after, first: 100, types: ["customer.updated"]) {
  edges { node { id entityId } } pageInfo { endCursor hasNextPage } } }`;
const DELIVERIES = `query($id: ID!) { webhookDeliveries(webhookId: $id, first: 100) {
  edges { node { eventId attempt succeeded statusCode errorKind latencyMs responseExcerpt } } } }`;

/** The key's own `changes` after a cursor: what a webhook of the key must deliver, no more. */
async function changesFor(token: string, after: string | null): Promise<{ ids: string[]; cursor: string | null }> {
  const ids: string[] = [];
  let cursor = after;
  for (;;) {
    const { data, errors } = await asKey(t, token, CHANGES, { after: cursor });
    expect(errors).toBeUndefined();
    ids.push(...data!.changes.edges.map((edge: { node: { id: string } }) => edge.node.id));
    cursor = data!.changes.pageInfo.endCursor;
    if (!data!.changes.pageInfo.hasNextPage) return { ids, cursor };
  }
}

async function subscribe(token: string, url: string, extra: Record<string, unknown> = {}) {
  const { data, errors } = await asKey(t, token, CREATE, { input: { url, eventTypes: ['customer.updated'], ...extra } });
  expect(errors).toBeUndefined();
  return data!.createWebhook as { secret: string; webhook: { id: string; version: number } };
}

function worker(overrides: Partial<Config['webhooks']> = {}): WebhookWorker {
  const config = t.app.config;
  return startWebhookWorker({ orm: t.orm, config: { ...config, webhooks: { ...config.webhooks, ...overrides } }, logger: silent });
}

/** Changes as the database sees them from outside the API (actor SYSTEM), one transaction each. */
async function touch(customerIds: string[], rounds: number, column = 'notes'): Promise<void> {
  for (let round = 0; round < rounds; round += 1)
    for (const id of customerIds)
      await db().execute(`update customer set ${column} = ? where id = ?`, [`${column} ${round} ${randomBytes(3).toString('hex')}`, id]);
}

const dropHooks = () => db().execute('delete from webhook');

beforeAll(async () => {
  const fast = {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_RETRY_BASE_MS: '20',
    WEBHOOK_RETRY_MAX_MS: '100',
    WEBHOOK_POLL_INTERVAL_MS: '25',
    WEBHOOK_TIMEOUT_MS: '3000',
  };
  [t, strict] = await Promise.all([createTestApp(fast), createTestApp()]);
});

afterAll(async () => {
  await t?.close();
  await strict?.close();
});

describe('subscriptions', () => {
  it('a key with webhooks:manage subscribes, sees the secret once and only its own webhooks; admins see every key’s', async () => {
    const { hangzhou } = t.baseline.regions;
    const mine = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], hangzhou);
    const other = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], hangzhou);
    const created = await subscribe(mine.token, 'http://127.0.0.1:9/hook', { fieldFilter: ['industry'] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.webhook).toMatchObject({
      apiKeyId: mine.id,
      eventTypes: ['customer.updated'],
      fieldFilter: ['industry'],
      enabled: true,
    });

    const list = `query { webhooks { edges { node { id apiKeyId apiKeyName } } } }`;
    expect((await asKey(t, mine.token, list)).data!.webhooks.edges.map((e: any) => e.node.id)).toEqual([created.webhook.id]);
    expect((await asKey(t, other.token, list)).data!.webhooks.edges).toEqual([]);
    const forAdmin = await t.gqlAs('admin', list);
    expect(forAdmin.data!.webhooks.edges.map((e: any) => e.node)).toContainEqual({
      id: created.webhook.id,
      apiKeyId: mine.id,
      apiKeyName: expect.stringMatching(/^hooks /),
    });

    // Another key's webhook does not exist for it.
    const stolen = await asKey(t, other.token, UPDATE, {
      id: created.webhook.id,
      input: { version: created.webhook.version, enabled: false },
    });
    expect(stolen.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const denied = await asKey(t, other.token, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, {
      id: created.webhook.id,
    });
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // Audited, never with the secret.
    const [audit] = await db().execute<{ after: unknown }[]>(
      `select after from audit_event where action = 'WEBHOOK_CREATED' and entity_id = ?`,
      [created.webhook.id],
    );
    expect(audit?.after).toMatchObject({ url: 'http://127.0.0.1:9/hook', apiKeyId: mine.id });
    expect(JSON.stringify(audit)).not.toContain('whsec_');

    // The secret is not selectable by the role requests run as.
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(`set local role accountable_app; select set_config('app.all', 'on', true)`);
      await expect(client.query('select secret_ciphertext from webhook')).rejects.toThrow(/permission denied/);
      await client.query('rollback');
    } finally {
      await client.end();
    }
    await dropHooks();
  });

  it('refuses callers without the scope, and bad input with a typed error on the field at fault', async () => {
    const { hangzhou } = t.baseline.regions;
    const reader = await keyWith([Scope.CUSTOMERS_READ], hangzhou);
    const manager = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], hangzhou);
    const input = { url: 'http://127.0.0.1:9/hook', eventTypes: ['customer.updated'] };
    expect((await asKey(t, reader.token, CREATE, { input })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gqlAs('managerEast', CREATE, { input })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const cases: [Record<string, unknown>, string][] = [
      [{ ...input, eventTypes: ['customer.exploded!'] }, 'eventTypes'],
      [{ ...input, eventTypes: ['order.created'] }, 'eventTypes'], // the key cannot read orders
      [{ ...input, eventTypes: ['transfer.requested'] }, 'eventTypes'], // no key reads transfer requests
      [{ ...input, eventTypes: ['stage_change.approved'] }, 'eventTypes'],
      [{ ...input, fieldFilter: ['no spaces'] }, 'fieldFilter'],
      [{ ...input, url: 'not a url' }, 'url'],
      [{ ...input, apiKeyId: reader.id }, 'FORBIDDEN'],
    ];
    for (const [bad, field] of cases) {
      const { errors } = await asKey(t, manager.token, CREATE, { input: bad });
      if (field === 'FORBIDDEN') expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      else expect(errors?.[0]?.extensions, JSON.stringify(bad)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    // Admins act on behalf of a named key.
    const unnamed = await t.gqlAs('admin', CREATE, { input });
    expect(unnamed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'apiKeyId' });
    const named = await t.gqlAs('admin', CREATE, { input: { ...input, apiKeyId: manager.id } });
    expect(named.errors).toBeUndefined();
    expect(named.data!.createWebhook.webhook.apiKeyId).toBe(manager.id);
    await dropHooks();
  });
});

describe('limits and the audit trail', () => {
  it('a key has at most WEBHOOK_MAX_PER_KEY webhooks, however many creates race; more is LIMIT_EXCEEDED and writes nothing', async () => {
    const key = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], t.baseline.regions.hangzhou);
    const input = { url: 'http://127.0.0.1:9/hook', eventTypes: ['customer.updated'] };
    // The default is 10 (docs/webhooks.md); 30 creates at once, on the real server.
    const results = await Promise.all(Array.from({ length: 30 }, () => asKey(t, key.token, CREATE, { input })));
    const made = results.filter((result) => !result.errors);
    const refused = results.filter((result) => result.errors);
    expect(made).toHaveLength(10);
    for (const result of refused)
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'apiKeyId', limit: 10 });
    const [row] = await db().execute<{ count: string }[]>('select count(*) from webhook where api_key_id = ?', [key.id]);
    expect(Number(row!.count)).toBe(10);
    // An admin acting for the key meets the same cap; another key is not affected.
    const forKey = await t.gqlAs('admin', CREATE, { input: { ...input, apiKeyId: key.id } });
    expect(forKey.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    const other = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], t.baseline.regions.hangzhou);
    expect((await asKey(t, other.token, CREATE, { input })).errors).toBeUndefined();
    await dropHooks();
  });

  it('an update is audited with what changed, the URL without its credentials', async () => {
    const key = await keyWith([Scope.CUSTOMERS_READ, Scope.CONTACTS_READ, Scope.WEBHOOKS_MANAGE], t.baseline.regions.hangzhou);
    const { webhook } = await subscribe(key.token, 'http://127.0.0.1:9/hook');
    const url = 'http://127.0.0.1:9/services/T0001/B0002/xoxbabcdefghijklmnopqrstuvw/s3cr3tT0k3n?token=s3cret';
    const { errors } = await asKey(t, key.token, UPDATE, {
      id: webhook.id,
      input: { url, eventTypes: ['customer.updated', 'contact.updated'], version: webhook.version },
    });
    expect(errors).toBeUndefined();
    const audits = await db().execute<{ before: Record<string, unknown>; after: Record<string, unknown> }[]>(
      `select before, after from audit_event where action = 'WEBHOOK_UPDATED' and entity_id = ?`,
      [webhook.id],
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]!.before).toEqual({ url: 'http://127.0.0.1:9/hook', eventTypes: ['customer.updated'] });
    expect(audits[0]!.after).toEqual({
      url: 'http://127.0.0.1:9/services/T0001/B0002/…/…?…',
      eventTypes: ['contact.updated', 'customer.updated'],
      apiKeyId: key.id,
    });
    expect(JSON.stringify(audits)).not.toMatch(/s3cret|s3cr3t|xoxb/);
    // Saving nothing new writes no audit line.
    const again = await asKey(t, key.token, UPDATE, { id: webhook.id, input: { url, version: webhook.version + 1 } });
    expect(again.errors).toBeUndefined();
    const [count] = await db().execute<{ count: string }[]>(
      `select count(*) from audit_event where action = 'WEBHOOK_UPDATED' and entity_id = ?`,
      [webhook.id],
    );
    expect(Number(count!.count)).toBe(1);
    // A per-receiver host name is a credential too; the registered domain stays.
    const hosted = await asKey(t, key.token, UPDATE, {
      id: webhook.id,
      input: { url: 'http://eo1a2b3c4d5e6f7g8.m.example.test/hook', version: webhook.version + 2 },
    });
    expect(hosted.errors).toBeUndefined();
    const [last] = await db().execute<{ after: Record<string, unknown> }[]>(
      `select after from audit_event where action = 'WEBHOOK_UPDATED' and entity_id = ? order by at desc limit 1`,
      [webhook.id],
    );
    expect(last!.after.url).toBe('http://….m.example.test/hook');
    await dropHooks();
  });

  it('event ids beyond a bigint are input errors, not server errors', async () => {
    const key = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], t.baseline.regions.hangzhou);
    const { webhook } = await subscribe(key.token, 'http://127.0.0.1:9/hook');
    const huge = '9999999999999999999';
    const log = await asKey(t, key.token, `query($id: ID!, $e: ID) { webhookDeliveries(webhookId: $id, eventId: $e) { totalCount } }`, {
      id: webhook.id,
      e: huge,
    });
    expect(log.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'eventId' });
    const paged = await asKey(t, key.token, `query($id: ID!, $a: String) { webhookDeliveries(webhookId: $id, after: $a) { totalCount } }`, {
      id: webhook.id,
      a: Buffer.from(huge).toString('base64url'),
    });
    expect(paged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const redo = await asKey(t, key.token, `mutation($w: ID!, $e: ID!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) }`, {
      w: webhook.id,
      e: huge,
    });
    expect(redo.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'eventId' });
    await dropHooks();
  });
});

describe('reading one webhook and its log', () => {
  it('webhook(id) reads one (null for another key’s); the delivery log filters by outcome and event, and pages within the filter', async () => {
    const { hangzhou } = t.baseline.regions;
    const mine = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], hangzhou);
    const other = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], hangzhou);
    const { webhook } = await subscribe(mine.token, 'http://127.0.0.1:9/hook');
    const ONE = `query($id: ID!) { webhook(id: $id) { id url apiKeyId enabled } }`;
    expect((await asKey(t, mine.token, ONE, { id: webhook.id })).data!.webhook).toMatchObject({ id: webhook.id, apiKeyId: mine.id });
    expect((await asKey(t, other.token, ONE, { id: webhook.id })).data!.webhook).toBeNull();
    expect((await t.gqlAs('admin', ONE, { id: webhook.id })).data!.webhook).toMatchObject({ id: webhook.id });
    expect((await t.gqlAs('admin', ONE, { id: 'not-a-uuid' })).data!.webhook).toBeNull();
    expect((await t.gqlAs('managerEast', ONE, { id: webhook.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Two events: 101 failed twice then succeeded, 102 failed once.
    const attempts: [string, number, boolean, number | null, string | null][] = [
      ['101', 1, false, 500, null],
      ['102', 1, false, null, 'CONNECTION_REFUSED'],
      ['101', 2, false, null, 'TIMEOUT'],
      ['101', 3, true, 200, null],
    ];
    const deliveries = new Map<string, string>();
    for (const eventId of ['101', '102']) {
      const [row] = await db().execute<{ id: string }[]>(
        `insert into webhook_delivery (webhook_id, event_id, event_type, entity, entity_id, payload)
         values (?, ?, 'customer.updated', 'customer', gen_random_uuid(), '{}') returning id::text`,
        [webhook.id, eventId],
      );
      deliveries.set(eventId, row!.id);
    }
    for (const [eventId, attempt, succeeded, statusCode, errorKind] of attempts)
      await db().execute(
        `insert into webhook_attempt (delivery_id, webhook_id, event_id, event_type, attempt, succeeded, status_code, error_kind, latency_ms)
         values (?, ?, ?, 'customer.updated', ?, ?, ?, ?, 12)`,
        [deliveries.get(eventId), webhook.id, eventId, attempt, succeeded, statusCode, errorKind],
      );
    const LOG = `query($id: ID!, $succeeded: Boolean, $eventId: ID, $first: Int, $after: String) {
      webhookDeliveries(webhookId: $id, succeeded: $succeeded, eventId: $eventId, first: $first, after: $after) {
        totalCount edges { node { eventId attempt succeeded statusCode errorKind } } pageInfo { hasNextPage endCursor } } }`;
    const log = async (variables: Record<string, unknown>) => {
      const { data, errors } = await asKey(t, mine.token, LOG, { id: webhook.id, ...variables });
      expect(errors).toBeUndefined();
      const page = data!.webhookDeliveries;
      return { ...page, lines: page.edges.map((e: any) => `${e.node.eventId}#${e.node.attempt}`) };
    };
    expect((await log({})).lines).toEqual(['101#3', '101#2', '102#1', '101#1']);
    expect(await log({ succeeded: false })).toMatchObject({ totalCount: 3, lines: ['101#2', '102#1', '101#1'] });
    expect(await log({ succeeded: true })).toMatchObject({ totalCount: 1, lines: ['101#3'] });
    expect(await log({ eventId: '101' })).toMatchObject({ totalCount: 3, lines: ['101#3', '101#2', '101#1'] });
    expect(await log({ eventId: '101', succeeded: false })).toMatchObject({ totalCount: 2, lines: ['101#2', '101#1'] });
    // Paging keeps the filter: the next page starts after the cursor, the count is the filter's.
    const first = await log({ succeeded: false, first: 2 });
    expect(first).toMatchObject({ totalCount: 3, lines: ['101#2', '102#1'], pageInfo: { hasNextPage: true } });
    const second = await log({ succeeded: false, first: 2, after: first.pageInfo.endCursor });
    expect(second).toMatchObject({ totalCount: 3, lines: ['101#1'], pageInfo: { hasNextPage: false } });

    const bad = await asKey(t, mine.token, LOG, { id: webhook.id, eventId: 'abc' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'eventId' });
    // Another key's log stays NOT_FOUND, filters or not.
    const stolen = await asKey(t, other.token, LOG, { id: webhook.id, succeeded: false });
    expect(stolen.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await dropHooks();
  });
});

describe('SSRF', () => {
  const refused = [
    'http://127.0.0.1/hook',
    'http://[::1]/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/hook',
    'http://172.16.5.4/hook',
    'http://192.168.1.1/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:a9fe:a9fe]/hook',
    'http://[::ffff:0:7f00:1]/hook',
    'http://[fe80::1]/hook',
    'http://[fd00::1]/hook',
    'http://0.0.0.0/hook',
    'http://2130706433/hook',
    'http://224.0.0.1/hook',
    'http://localhost:8080/hook',
    'ftp://example.com/hook',
    'file:///etc/passwd',
    'http://user:pass@example.com/hook',
  ];

  it('refuses internal targets and other schemes when saved, with BAD_USER_INPUT on url', async () => {
    const key = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], strict.baseline.regions.hangzhou, strict);
    for (const url of refused) {
      const { errors } = await asKey(strict, key.token, CREATE, { input: { url, eventTypes: ['customer.updated'] } });
      expect(errors?.[0]?.extensions, url).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    }
  });

  it('classifies addresses, IPv4-mapped and NAT64 forms included', () => {
    for (const address of [
      '127.0.0.1',
      '::1',
      '::',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:0:7f00:1',
      '::ffff:0:808:808',
      '::7f00:1',
      '::1:0:0:1',
      '::ffff:0:0:7f00:1',
      '0:0:1::1',
      '1::',
      '64:ff9b::1:7f00:1',
      '64:ff9b:1::a00:1',
      '64:ff9b::a00:1',
      '2002:a00:1::',
      'ff02::1',
      '100.64.0.1',
      '255.255.255.255',
    ])
      expect(isBlockedAddress(address), address).toBe(true);
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])
      expect(isBlockedAddress(address), address).toBe(false);
  });

  it('refuses again at connect time, on the address actually connected to', async () => {
    const target = await receiver();
    try {
      const options = { timeoutMs: 2000, allowPrivateTargets: false };
      expect((await postWebhook(target.url, '{}', {}, options)).errorKind).toBe('BLOCKED_ADDRESS');
      expect((await postWebhook(target.url.replace('127.0.0.1', '[::ffff:127.0.0.1]'), '{}', {}, options)).errorKind).toBe(
        'BLOCKED_ADDRESS',
      );
      expect((await postWebhook(target.url.replace('127.0.0.1', 'localhost'), '{}', {}, options)).errorKind).toBe('BLOCKED_ADDRESS');
      // A name that is not refused by its spelling goes through the socket's lookup, which checks what it resolves to.
      const name = hostname();
      const resolved = await dns.lookup(name, { all: true }).catch(() => []);
      if (resolved.length && resolved.every((entry) => isBlockedAddress(entry.address)))
        expect((await postWebhook(target.url.replace('127.0.0.1', name), '{}', {}, options)).errorKind).toBe('BLOCKED_ADDRESS');
      expect(target.requests).toEqual([]);
      // The same URL is fine when private targets are allowed (tests, demos).
      expect((await postWebhook(target.url, '{}', {}, { ...options, allowPrivateTargets: true })).statusCode).toBe(200);

      // And through the worker: a webhook saved while allowed is not delivered by a worker that refuses.
      const key = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], t.baseline.regions.hangzhou);
      const { webhook } = await subscribe(key.token, target.url);
      const strictWorker = worker({ allowPrivateTargets: false });
      try {
        await touch([t.baseline.customers[0]!.id], 1);
        const log = await waitFor(async () => {
          const edges = (await asKey(t, key.token, DELIVERIES, { id: webhook.id })).data?.webhookDeliveries.edges ?? [];
          return edges.length ? edges : null;
        });
        expect(log[0].node).toMatchObject({ succeeded: false, statusCode: null, errorKind: 'BLOCKED_ADDRESS' });
      } finally {
        await strictWorker.stop();
      }
      expect(target.requests).toHaveLength(1); // only the allowed probe above
    } finally {
      await target.close();
      await dropHooks();
    }
  });
});

describe('delivery', () => {
  it('delivers every event the key may see, signed, in order per record, through a receiver failing its first requests', async () => {
    const { customers, regions } = t.baseline;
    const key = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], regions.hangzhou);
    const target = await receiver(5);
    const { webhook, secret } = await subscribe(key.token, target.url);
    const { cursor } = await changesFor(key.token, null);
    const inReach = [customers[0]!.id, customers[1]!.id, customers[3]!.id];
    const outside = [customers[9]!.id, customers[6]!.id]; // Guangzhou, Ningbo: not the key's
    await touch([...inReach, ...outside], 3);
    const expected = await waitFor(async () => {
      const { ids } = await changesFor(key.token, cursor);
      return ids.length === 9 ? ids : null;
    });
    const work = worker();
    try {
      await waitFor(() => delivered(target).size >= expected.length);
    } finally {
      await work.stop();
    }
    // Exactly what `changes` shows the key: never an account outside its territories.
    expect([...delivered(target)].sort()).toEqual([...expected].sort());
    const bodies = target.requests.map(
      (request) => JSON.parse(request.body) as { id: string; entityId: string; type: string; cursor: string },
    );
    expect(bodies.every((body) => inReach.includes(body.entityId) && body.type === 'customer.updated' && body.cursor)).toBe(true);
    expect(bodies.every((body, i) => body.id === target.requests[i]!.id)).toBe(true);
    // Duplicates only by event id: failures were retried, each event succeeded once.
    expect(target.requests.filter((request) => request.status === 500)).toHaveLength(5);
    expect(target.requests.filter((request) => request.status === 200)).toHaveLength(expected.length);
    assertPerEntityOrder(target.requests);
    for (const request of target.requests) {
      expect(verifies(request, secret)).toBe(true);
      expect(Math.abs(Date.now() / 1000 - Number(request.timestamp))).toBeLessThan(300);
      expect(verifies(request, `${secret}x`)).toBe(false);
    }
    // The log: one line per attempt, failures with their status and the start of the body.
    const log = (await asKey(t, key.token, DELIVERIES, { id: webhook.id })).data!.webhookDeliveries.edges.map((e: any) => e.node);
    expect(log).toHaveLength(target.requests.length);
    expect(log).toContainEqual(
      expect.objectContaining({ succeeded: false, statusCode: 500, errorKind: null, responseExcerpt: 'temporarily broken' }),
    );
    expect(log.filter((line: any) => line.succeeded)).toHaveLength(expected.length);
    expect(log.some((line: any) => line.attempt > 1)).toBe(true);
    // Another key does not read this log.
    const other = await keyWith([Scope.WEBHOOKS_MANAGE], regions.hangzhou);
    expect((await asKey(t, other.token, DELIVERIES, { id: webhook.id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // Redelivery sends the same event again, with the same Webhook-Id.
    const again = expected[0]!;
    const before = target.requests.length;
    const redo = await asKey(t, key.token, `mutation($w: ID!, $e: ID!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) }`, {
      w: webhook.id,
      e: again,
    });
    expect(redo.errors).toBeUndefined();
    const once = worker();
    try {
      await waitFor(() => target.requests.length > before);
    } finally {
      await once.stop();
    }
    expect(target.requests.at(-1)!.id).toBe(again);
    await target.close();
    await dropHooks();
  });

  it('delivers customer.updated only when a filtered field changed', async () => {
    const { customers, regions } = t.baseline;
    const key = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], regions.hangzhou);
    const target = await receiver();
    await subscribe(key.token, target.url, { fieldFilter: ['industry'] });
    const work = worker();
    try {
      await touch([customers[2]!.id], 2, 'notes');
      await touch([customers[2]!.id], 1, 'industry');
      const [first] = await waitFor(() => (target.requests.length ? target.requests : null));
      expect(JSON.parse(first!.body)).toMatchObject({ fields: ['industry'] });
      await touch([customers[2]!.id], 1, 'industry');
      await waitFor(() => target.requests.length >= 2);
    } finally {
      await work.stop();
    }
    expect(target.requests.map((request) => JSON.parse(request.body).fields)).toEqual([['industry'], ['industry']]);
    await target.close();
    await dropHooks();
  });

  it('a worker stopped mid-backlog loses nothing: the next one resumes; two at once never send the same event twice', async () => {
    const { customers, regions } = t.baseline;
    const key = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], regions.hangzhou);
    const target = await receiver(0, 20);
    await subscribe(key.token, target.url);
    const { cursor } = await changesFor(key.token, null);
    const records = customers.slice(0, 6).map((customer) => customer.id);
    await touch(records, 6);
    const expected = await waitFor(async () => {
      const { ids } = await changesFor(key.token, cursor);
      return ids.length === 36 ? ids : null;
    });
    const first = worker();
    await waitFor(() => delivered(target).size >= 5);
    await first.stop();
    expect(delivered(target).size).toBeLessThan(expected.length);
    const [a, b] = [worker(), worker()];
    try {
      await waitFor(() => delivered(target).size >= expected.length);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect([...delivered(target)].sort()).toEqual([...expected].sort());
    expect(target.requests).toHaveLength(expected.length);
    assertPerEntityOrder(target.requests);
    await target.close();
    await dropHooks();
  });

  it('a webhook with a long backlog and a slow receiver holds its own slots only: another webhook is served meanwhile', async () => {
    const { customers, regions } = t.baseline;
    const [slowKey, fastKey] = [
      await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], regions.hangzhou),
      await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], regions.hangzhou),
    ];
    const slow = await receiver(0, 1000);
    const fast = await receiver();
    // The slow webhook is older, so its whole backlog comes first in queue order.
    await subscribe(slowKey.token, slow.url);
    await subscribe(fastKey.token, fast.url);
    const { cursor } = await changesFor(fastKey.token, null);
    await touch(
      customers.slice(0, 6).map((customer) => customer.id),
      10,
    );
    const expected = await waitFor(async () => {
      const { ids } = await changesFor(fastKey.token, cursor);
      return ids.length === 60 ? ids : null;
    });
    const work = worker();
    try {
      await waitFor(() => delivered(fast).size >= expected.length, 30_000);
      // In one batch ordered by queue position, the slow webhook's first 32 would all have been
      // sent (and waited for) before the fast one's first event.
      expect(delivered(slow).size).toBeLessThan(32);
    } finally {
      await work.stop();
    }
    expect([...delivered(fast)].sort()).toEqual([...expected].sort());
    assertPerEntityOrder(fast.requests);
    assertPerEntityOrder(slow.requests);
    await Promise.all([slow.close(), fast.close()]);
    await dropHooks();
  });

  it('a webhook failing for the whole retry window is disabled, the admins told; re-enabling resumes', async () => {
    const { customers, regions } = t.baseline;
    const key = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], regions.hangzhou);
    const target = await receiver();
    target.failing = true;
    const { webhook, secret } = await subscribe(key.token, target.url);
    const work = worker({ retryWindowMs: 300 });
    try {
      await touch([customers[4]!.id], 1);
      const disabled = await waitFor(async () => {
        const { data } = await asKey(t, key.token, `query { webhooks { edges { node { id enabled disabledReason version } } } }`);
        const node = data!.webhooks.edges[0]?.node;
        return node && !node.enabled ? node : null;
      });
      expect(disabled.disabledReason).toBe('FAILING');
      expect(target.requests.length).toBeGreaterThan(1);
      const inbox = await t.gqlAs(
        'admin',
        `query { notifications(first: 10) { edges { node { kind subjectId webhookUrl apiKeyName } } } }`,
      );
      expect(inbox.data!.notifications.edges.map((e: any) => e.node)).toContainEqual({
        kind: 'WEBHOOK_DISABLED',
        subjectId: webhook.id,
        webhookUrl: target.url,
        apiKeyName: expect.stringMatching(/^hooks /),
      });
      const attempts = target.requests.length;
      await sleep(150);
      expect(target.requests.length).toBe(attempts); // disabled: nothing more is sent

      // Rotation: the new secret signs, and the old one beside it during the overlap.
      const rotated = await asKey(
        t,
        key.token,
        `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { version previousSecretExpiresAt } } }`,
        {
          id: webhook.id,
        },
      );
      expect(rotated.errors).toBeUndefined();
      const newSecret = rotated.data!.rotateWebhookSecret.secret as string;
      expect(newSecret).not.toBe(secret);
      target.failing = false;
      const enabled = await asKey(t, key.token, UPDATE, {
        id: webhook.id,
        input: { version: rotated.data!.rotateWebhookSecret.webhook.version, enabled: true },
      });
      expect(enabled.errors).toBeUndefined();
      expect(enabled.data!.updateWebhook).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
      const success = await waitFor(() => target.requests.find((request) => request.status === 200));
      expect(success.signature.split(',')).toHaveLength(2);
      expect(verifies(success, newSecret)).toBe(true);
      expect(verifies(success, secret)).toBe(true);
    } finally {
      await work.stop();
      await target.close();
      await dropHooks();
    }
  });
  it('a customer.merged event names the survivor to a key that may know both records, and null to one that knows only the merged one', async () => {
    const { regions, users } = t.baseline;
    const account = async (territory: Region, ownerId: string) => {
      const { data, errors } = await t.gqlAs(
        'admin',
        `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id version } }`,
        { input: { legalName: `Merged by hook ${randomBytes(4).toString('hex')}`, territoryId: territory.id, ownerId } },
      );
      expect(errors).toBeUndefined();
      return data!.createCustomer as { id: string; version: number };
    };
    const merged = await account(regions.ningbo, users.repNingbo.id);
    const survivor = await account(regions.guangzhou, users.repGuangzhou.id);
    const scopes = [Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE];
    const narrow = await keyWith(scopes, regions.ningbo);
    const wide = await keyWith(scopes, [regions.ningbo, regions.guangzhou]);
    const target = await receiver();
    const narrowHook = await subscribe(narrow.token, target.url, { eventTypes: ['customer.merged'] });
    const wideHook = await subscribe(wide.token, target.url, { eventTypes: ['customer.merged'] });
    const bodies = () => target.requests.map((request) => JSON.parse(request.body)).filter((body) => body.entityId === merged.id);
    const work = worker();
    try {
      const { errors } = await t.gqlAs(
        'admin',
        `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { merge { id } } }`,
        {
          input: {
            survivorId: survivor.id,
            mergedIds: [merged.id],
            versions: [survivor, merged].map(({ id, version }) => ({ id, version })),
          },
        },
      );
      expect(errors).toBeUndefined();
      await waitFor(() => bodies().length === 2);
    } finally {
      await work.stop();
    }
    const byHook = new Map(bodies().map((body) => [body.webhookId as string, body]));
    expect(byHook.get(wideHook.webhook.id)).toMatchObject({ type: 'customer.merged', tombstone: true, mergedInto: survivor.id });
    // The ningbo key cannot see the guangzhou survivor: the event reads as an archived record's.
    expect(byHook.get(narrowHook.webhook.id)).toMatchObject({ type: 'customer.merged', tombstone: true, mergedInto: null });
    await target.close();
    await dropHooks();
  });

  it('an account leaving the key’s reach arrives as a tombstone and nothing of it after; a revoked key gets nothing', async () => {
    const { customers, regions, users } = t.baseline;
    const key = await keyWith([Scope.CUSTOMERS_READ, Scope.WEBHOOKS_MANAGE], regions.hangzhou);
    const target = await receiver();
    await subscribe(key.token, target.url, { eventTypes: ['customer.owner_changed', 'customer.updated'] });
    const leaving = customers[5]!.id;
    const staying = customers[0]!.id;
    const about = (id: string) => target.requests.map((request) => JSON.parse(request.body)).filter((body) => body.entityId === id);
    const work = worker();
    try {
      const moved = await t.gqlAs(
        'admin',
        `mutation($input: ReassignCustomersInput!) { reassignCustomers(input: $input) { __typename } }`,
        {
          input: { customerIds: [leaving], toOwnerId: users.repNingbo.id, toTerritoryId: regions.ningbo.id, reason: 'realignment' },
        },
      );
      expect(moved.errors).toBeUndefined();
      await touch([leaving], 1); // after the move: no longer the key's
      await touch([staying], 1);
      await waitFor(() => about(staying).length === 1 && about(leaving).length === 1);
    } finally {
      await work.stop();
    }
    // Queued in feed order: once the later event of the other account arrived, the one after the move was passed over.
    expect(about(leaving).map((body) => [body.type, body.tombstone])).toEqual([['customer.owner_changed', true]]);

    await db().execute('update api_key set revoked_at = now() where id = ?', [key.id]);
    const sent = target.requests.length;
    const [last] = await db().execute<{ id: string }[]>(`select coalesce(max(id), 0)::text as id from change_event`);
    await touch([staying], 1);
    // Wait until the event is in the feed (below the horizon), so the passes below do see it.
    await waitFor(async () => {
      const rows = await db().execute(
        `select 1 from change_event where entity_id = ? and id > ? and xid < pg_snapshot_xmin(pg_current_snapshot())`,
        [staying, last!.id],
      );
      return rows.length > 0;
    });
    const after = worker();
    try {
      await after.runOnce();
      await after.runOnce();
    } finally {
      await after.stop();
    }
    expect(target.requests).toHaveLength(sent);
    await target.close();
    await dropHooks();
  });
});
