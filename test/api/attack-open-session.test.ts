import 'reflect-metadata';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../api/src/common/auth/token.js';
import { createTestApp, type TestApp } from '../setup/app.js';

// Attacks on app_open_session's last-use write: concurrent requests with one key must neither
// queue behind the request that noted the use (its row lock lives as long as its transaction) nor
// write again once it commits. Expected behaviour from the documented rule: at most one write a
// minute per key, and opening a request never waits on another request.

let t: TestApp;
const clients: pg.Client[] = [];

beforeAll(async () => {
  t = await createTestApp({}, { captureLogs: true, poolMax: 40 });
  for (let i = 0; i < 30; i += 1) {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    clients.push(client);
  }
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.end()));
  await t?.close();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('app_open_session under concurrent use of one key', () => {
  it('opens 29 requests while the first holds its transaction, and notes the use once', async () => {
    const [first, ...others] = clients as [pg.Client, ...pg.Client[]];
    const prefix = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const id = randomUUID();
    await first.query(
      `insert into api_key (id, name, prefix, secret_hash, kind, scopes, created_by_id)
       values ($1, 'attack', $2, $3, 'INTEGRATOR', '{customers:read}', $4)`,
      [id, prefix, sha256(secret), t.baseline.users.admin.id],
    );
    const openSql = `select kind from app_open_session($1, $2, null, null, 'READ', 5000, 5000, 5000)`;
    const args = [prefix, sha256(secret)];

    await first.query('begin');
    expect((await first.query(openSql, args)).rows[0].kind).toBe('API_KEY');
    const firstXid = (await first.query<{ xid: string }>('select pg_current_xact_id()::text as xid')).rows[0]!.xid;
    // The first request is still running (its transaction open): the others must not wait for it.
    await Promise.all(others.map((client) => client.query('begin')));
    const opened = Promise.all(others.map(async (client) => (await client.query(openSql, args)).rows[0].kind as string));
    const outcome = await Promise.race([opened, new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 2000))]);
    await first.query('commit');
    const kinds = await opened;
    await Promise.all(others.map((client) => client.query('commit')));

    expect(outcome).not.toBe('blocked');
    expect(kinds).toEqual(others.map(() => 'API_KEY'));
    // One write: the row version is the first request's, so no other request wrote it again.
    const { rows } = await first.query<{ xmin: string; at: Date | null }>(
      'select xmin::text, last_used_at as at from api_key where id = $1',
      [id],
    );
    expect(rows[0]!.at).not.toBeNull();
    expect(rows[0]!.xmin).toBe(firstXid);
  });
});

describe('bearers that name nobody', () => {
  const PROBE = 'query Probe { customers(first: 1) { totalCount } }';
  const probe = async (authorization?: string) => {
    const request = t.http().post('/graphql');
    if (authorization !== undefined) request.set('authorization', authorization);
    const response = await request.send({ query: PROBE });
    return { status: response.status, body: response.text };
  };

  it('answer exactly as no bearer: crafted claims, wrong secrets, unknown prefixes, revoked keys', async () => {
    const anonymous = await probe();
    expect(JSON.parse(anonymous.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const rep = t.baseline.users.repHangzhou;
    const signed = (id: string, sessionVersion: number) =>
      `Bearer ${issueToken({ id, sessionVersion }, t.app.config.authSecret, 600).token}`;
    const prefix = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const client = clients[0]!;
    await client.query(
      `insert into api_key (id, name, prefix, secret_hash, kind, scopes, created_by_id, revoked_at)
       values ($1, 'revoked', $2, $3, 'INTEGRATOR', '{customers:read}', $4, now())`,
      [randomUUID(), prefix, sha256(secret), t.baseline.users.admin.id],
    );
    const bearers = [
      signed(rep.id, -1),
      signed(rep.id, 0),
      signed(rep.id, Number.MAX_SAFE_INTEGER),
      signed(rep.id, 2 ** 53),
      signed(rep.id, 1.5),
      signed(`${rep.id}' or true --`, 1),
      signed("00000000-0000-0000-0000-000000000000'", 1),
      signed('\\x00', 1),
      signed(rep.id.toUpperCase().replace(/-/g, ''), 1),
      `Bearer acc_${prefix}_${secret}`,
      `Bearer acc_${prefix}_${secret.slice(0, -1)}A`,
      `Bearer acc_${randomBytes(6).toString('hex')}_${secret}`,
      `Bearer acc_${prefix.slice(0, -1)}'_${secret}`,
      `Bearer acc_${prefix}_${secret.slice(0, -1)}\\`,
      'Bearer ',
      'Bearer x.y.z',
      'Basic abc',
    ];
    // (A NUL or a non-Latin-1 character cannot travel in an HTTP header at all.)
    for (const authorization of bearers) expect(await probe(authorization), authorization).toEqual(anonymous);
    // A user whose token is right still gets in (the probe is not merely refusing everyone).
    expect(JSON.parse((await probe(`Bearer ${t.tokenFor('repHangzhou')}`)).body).errors).toBeUndefined();
    expect(t.logs.join('\n')).not.toMatch(/app_open_session|select \*|syntax error/i);
  });
});

describe('30 concurrent requests with one key, through the API', () => {
  it('all answer, and the key’s last use is written once', async () => {
    const client = clients[0]!;
    // Counts every write of last_used_at (security definer: the writer is the unprivileged role).
    await client.query(`create table attack_touch (api_key_id uuid not null, at timestamptz not null)`);
    await client.query(`create function attack_touch_note() returns trigger language plpgsql security definer as $$
      begin insert into attack_touch values (new.id, new.last_used_at); return new; end $$`);
    await client.query(
      `create trigger attack_touch after update of last_used_at on api_key for each row execute function attack_touch_note()`,
    );
    const prefix = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const id = randomUUID();
    await client.query(
      `insert into api_key (id, name, prefix, secret_hash, kind, scopes, created_by_id)
       values ($1, 'busy', $2, $3, 'INTEGRATOR', '{customers:read}', $4)`,
      [id, prefix, sha256(secret), t.baseline.users.admin.id],
    );
    await client.query('insert into api_key_territory (api_key_id, region_id) values ($1, $2)', [id, t.baseline.regions.zhejiang.id]);
    try {
      const responses = await Promise.all(
        Array.from({ length: 30 }, () =>
          t
            .http()
            .post('/graphql')
            .set('authorization', `Bearer acc_${prefix}_${secret}`)
            .send({ query: 'query Probe { customers(first: 1) { totalCount } }' }),
        ),
      );
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(response.body.errors).toBeUndefined();
      }
      const { rows } = await client.query('select count(*)::int as writes from attack_touch where api_key_id = $1', [id]);
      expect(rows[0].writes).toBe(1);
    } finally {
      await client.query('drop trigger attack_touch on api_key');
      await client.query('drop function attack_touch_note()');
      await client.query('drop table attack_touch');
    }
  });
});
