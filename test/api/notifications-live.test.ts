import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Customer } from '../../api/src/modules/customer/customer.entity.js';
import { normalizeName } from '../../api/src/modules/customer/customer.normalize.js';
import { createApiKey } from '../faults/support.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

// Live inboxes over graphql-ws (docs/notifications.md, "Live"): a subscriber hears of its own new
// lines only, as the database commits them; the socket is held to the HTTP path's rules.
let t: TestApp;
let server: Server;
let url: string;

beforeAll(async () => {
  t = await createTestApp({ LIVE_RECHECK_MS: '300', LIVE_CONNECTIONS_PER_USER: '3', LIVE_SUBSCRIPTIONS_PER_CONNECTION: '2' });
  server = await new Promise<Server>((done) => {
    const listening = t.app.express.listen(0, '127.0.0.1', () => done(listening));
  });
  t.app.attach(server);
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await t?.app.live.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  await t?.close();
});

const CHANGES = `subscription Changes { notificationsChanged { unreadCount added { id kind customerId subjectId customerName actorName } } }`;
const REQUEST = `mutation Request($input: RequestTransferInput!) { requestTransfer(input: $input) { id } }`;

interface Message {
  type: string;
  id?: string;
  payload?: any;
}

/** A graphql-transport-ws client small enough to see every message and the close code. */
class Socket {
  private readonly messages: Message[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly ws: WebSocket;

  constructor() {
    this.ws = new WebSocket(url, 'graphql-transport-ws');
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    this.ws.on('error', () => undefined);
  }

  static async connect(authorization?: string): Promise<Socket> {
    const socket = new Socket();
    await new Promise<void>((resolve, reject) => {
      socket.ws.once('open', () => resolve());
      socket.ws.once('error', reject);
    });
    socket.send({ type: 'connection_init', payload: authorization ? { authorization } : {} });
    return socket;
  }

  static async as(who: Principal): Promise<Socket> {
    const socket = await Socket.connect(`Bearer ${t.tokenFor(who)}`);
    await socket.take((message) => message.type === 'connection_ack');
    return socket;
  }

  send(message: Message): void {
    this.ws.send(JSON.stringify(message));
  }

  subscribe(id: string, query = CHANGES): void {
    this.send({ id, type: 'subscribe', payload: { query } });
  }

  /** The next message that matches, waiting up to `ms`; null when none came. */
  async take(match: (message: Message) => boolean, ms = 5000): Promise<Message | null> {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = this.messages.findIndex(match);
      if (index >= 0) return this.messages.splice(index, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next event of subscription `id`. */
  next(id: string, ms?: number): Promise<Message | null> {
    return this.take((message) => message.id === id && message.type !== 'complete', ms);
  }

  close(): void {
    this.ws.close(1000);
  }
}

async function newCustomer(owner: Principal): Promise<{ id: string; legalName: string }> {
  const em = t.orm.em.fork();
  const legalName = `Live Test ${randomUUID().slice(0, 8)} Co.`;
  const customer = em.create(Customer, {
    legalName,
    normalizedName: normalizeName(legalName),
    territory: t.baseline.regions.hangzhou.id,
    owner: t.baseline.users[owner].id,
  });
  await em.flush();
  return { id: customer.id, legalName };
}

/** A line for `who` written straight into the table, committed or rolled back. */
async function writeLine(who: Principal, commit: boolean): Promise<string> {
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string }>(
      `insert into notification (user_id, kind, params) values ($1, 'SLA_OVERDUE', '{"customerName": "Direct Co."}') returning id`,
      [t.baseline.users[who].id],
    );
    await client.query(commit ? 'commit' : 'rollback');
    return rows[0]!.id;
  } finally {
    await client.end();
  }
}

async function setUser(who: Principal, sql: string): Promise<void> {
  await t.orm.em.fork().getConnection().execute(`update app_user set ${sql} where id = ?`, [t.baseline.users[who].id]);
}

describe('live notifications', () => {
  it('tells a subscriber of their own new line when a transfer is requested, and no one else', async () => {
    const owner = await Socket.as('repHangzhou');
    const other = await Socket.as('repGuangzhou');
    owner.subscribe('a');
    other.subscribe('b');
    const first = await owner.next('a');
    expect(first?.type).toBe('next');
    expect(first?.payload.data.notificationsChanged.added).toEqual([]);
    const before = first!.payload.data.notificationsChanged.unreadCount as number;
    expect((await other.next('b'))?.type).toBe('next');

    const account = await newCustomer('repHangzhou');
    const requested = await t.gqlAs('repNingbo', REQUEST, {
      input: { customerId: account.id, reason: 'Their buyer moved to Ningbo', toTerritoryId: t.baseline.regions.ningbo.id },
    });
    expect(requested.errors).toBeUndefined();

    const event = await owner.next('a');
    const change = event?.payload.data.notificationsChanged;
    expect(change.unreadCount).toBe(before + 1);
    expect(change.added).toEqual([
      expect.objectContaining({
        kind: 'TRANSFER_REQUESTED_FROM_YOU',
        customerId: account.id,
        subjectId: requested.data!.requestTransfer.id,
        customerName: account.legalName,
        actorName: 'Ning Ningbo',
      }),
    ]);
    // The other subscriber's inbox did not change: it hears nothing.
    expect(await other.next('b', 700)).toBeNull();
    owner.close();
    other.close();
  });

  it('sends nothing for a rolled-back line, then the committed one alone', async () => {
    const socket = await Socket.as('repHangzhou2');
    socket.subscribe('a');
    const first = await socket.next('a');
    const before = first!.payload.data.notificationsChanged.unreadCount as number;
    await writeLine('repHangzhou2', false);
    expect(await socket.next('a', 700)).toBeNull();
    const id = await writeLine('repHangzhou2', true);
    const event = await socket.next('a');
    expect(event?.payload.data.notificationsChanged).toEqual({
      unreadCount: before + 1,
      added: [expect.objectContaining({ id, kind: 'SLA_OVERDUE', customerName: 'Direct Co.' })],
    });
    socket.close();
  });

  it('refuses an anonymous socket, a bad token and an API key', async () => {
    const anonymous = await Socket.connect();
    await expect(anonymous.closed).resolves.toEqual({ code: 4401, reason: 'Unauthorized' });
    const forged = await Socket.connect('Bearer not-a-token');
    await expect(forged.closed).resolves.toMatchObject({ code: 4401 });
    const key = await createApiKey(t.databaseUrl, {
      scopes: ['customers:read'],
      territories: [t.baseline.regions.hangzhou.id],
      createdBy: t.baseline.users.admin.id,
    });
    const integrator = await Socket.connect(`Bearer ${key.token}`);
    await expect(integrator.closed).resolves.toEqual({ code: 4403, reason: 'Forbidden' });
  });

  it('serves subscriptions only, within the HTTP limits and the caps per connection and per user', async () => {
    const socket = await Socket.as('managerSouth');
    socket.send({ id: 'q', type: 'subscribe', payload: { query: '{ unreadNotificationCount }' } });
    const query = await socket.next('q');
    expect(query?.type).toBe('error');
    expect(query?.payload[0].extensions.code).toBe('BAD_REQUEST');

    const deep = `subscription { notificationsChanged { ${'__typename '.repeat(5)} } }`;
    socket.send({ id: 'r', type: 'subscribe', payload: { query: deep } });
    expect((await socket.next('r'))?.payload[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');

    socket.subscribe('s1');
    socket.subscribe('s2');
    expect((await socket.next('s1'))?.type).toBe('next');
    expect((await socket.next('s2'))?.type).toBe('next');
    socket.subscribe('s3');
    const third = await socket.next('s3');
    expect(third?.type).toBe('error');
    expect(third?.payload[0].extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    expect(JSON.stringify(third)).not.toMatch(/at .*\.ts|stack/);

    const more = [await Socket.as('managerSouth'), await Socket.as('managerSouth')];
    const fourth = await Socket.connect(`Bearer ${t.tokenFor('managerSouth')}`);
    await expect(fourth.closed).resolves.toMatchObject({ code: 4429 });
    for (const open of [socket, ...more]) open.close();
  });

  it('closes the socket of a user who signs out everywhere, and of one who is deactivated', async () => {
    const revoked = await Socket.as('managerEast');
    revoked.subscribe('a');
    await revoked.next('a');
    await setUser('managerEast', 'session_version = session_version + 1');
    await expect(revoked.closed).resolves.toEqual({ code: 4401, reason: 'Unauthorized' });

    const deactivated = await Socket.as('repNingbo');
    deactivated.subscribe('a');
    await deactivated.next('a');
    await setUser('repNingbo', 'active = false');
    try {
      await expect(deactivated.closed).resolves.toEqual({ code: 4401, reason: 'Unauthorized' });
    } finally {
      await setUser('repNingbo', 'active = true');
    }
  });

  it('closes every socket with 1001 when the app shuts down', async () => {
    const socket = await Socket.as('admin');
    await t.app.live.close();
    await expect(socket.closed).resolves.toMatchObject({ code: 1001 });
    await expect.poll(() => t.app.live.size).toBe(0);
  });
});

describe('live rate limits', () => {
  it('bounds upgrades per client address (a forged X-Forwarded-For changes nothing) and subscribes per user', async () => {
    const limited = await createTestApp({ LIVE_CONNECTS_PER_MINUTE: '3', LIVE_SUBSCRIBES_PER_MINUTE: '2' });
    const listening = await new Promise<Server>((done) => {
      const started = limited.app.express.listen(0, '127.0.0.1', () => done(started));
    });
    limited.app.attach(listening);
    const target = `ws://127.0.0.1:${(listening.address() as AddressInfo).port}/graphql`;
    /** Opens a socket; resolves with it once open, or with the HTTP status that refused the upgrade. */
    const open = (forwardedFor?: string) =>
      new Promise<WebSocket | number>((resolve) => {
        const ws = new WebSocket(target, 'graphql-transport-ws', forwardedFor ? { headers: { 'x-forwarded-for': forwardedFor } } : {});
        ws.once('open', () => resolve(ws));
        ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        ws.on('error', () => undefined);
      });
    try {
      const sockets = [await open(), await open(), await open()];
      expect(sockets.every((socket) => typeof socket !== 'number')).toBe(true);
      expect(await open()).toBe(429);
      expect(await open('203.0.113.7')).toBe(429);

      const socket = sockets[0] as WebSocket;
      const messages: Message[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${limited.tokenFor('repHangzhou')}` } }));
      await expect.poll(() => messages.some((message) => message.type === 'connection_ack')).toBe(true);
      for (const id of ['a', 'b', 'c']) socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: CHANGES } }));
      await expect.poll(() => ['a', 'b', 'c'].every((id) => messages.some((message) => message.id === id)), { timeout: 15_000 }).toBe(true);
      expect(messages.find((message) => message.id === 'a')?.type).toBe('next');
      expect(messages.find((message) => message.id === 'b')?.type).toBe('next');
      const third = messages.find((message) => message.id === 'c')!;
      expect(third.type).toBe('error');
      expect(third.payload[0].extensions.code).toBe('RATE_LIMITED');
      for (const open of sockets) if (typeof open !== 'number') open.close();
    } finally {
      await limited.app.live.close();
      await new Promise<void>((done) => listening.close(() => done()));
      await limited.close();
    }
  });
});
