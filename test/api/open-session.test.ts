import 'reflect-metadata';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';

// app_open_session (Migration20261204010000) on the real cluster, called as the API calls it: as
// the connecting role, first in the request's transaction. Expected values come from the access
// rules (docs/architecture.md), not from the code that computes them.

let t: TestApp;
let client: pg.Client;

beforeAll(async () => {
  t = await createTestApp();
  client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await t?.close();
});

interface Opened {
  kind: string | null;
  id: string | null;
  role: string | null;
  all: boolean;
  ownerId: string | null;
  read: string[];
  write: string[];
  memberReach: string[];
  directory: boolean;
}

/** The settings row-level security reads, and the role, as the transaction has them after the call. */
const SETTINGS = `select current_user as "user", current_setting('app.viewer_id') as viewer, current_setting('app.api_key_id') as key,
  current_setting('app.all') as "all", current_setting('app.owner_id') as owner, current_setting('app.read_territories') as read,
  current_setting('app.write_territories') as write, current_setting('app.member_territories') as member,
  current_setting('app.directory') as directory, current_setting('statement_timeout') as statement,
  current_setting('lock_timeout') as lock, current_setting('idle_in_transaction_session_timeout') as idle`;

type Bearer = { user: string; version: number } | { prefix: string; secret: string } | null;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Opens a transaction with the function and returns its row and the settings it left; rolls back. */
async function open(bearer: Bearer, territoryAccess = 'READ') {
  const args =
    bearer === null
      ? [null, null, null, null]
      : 'user' in bearer
        ? [null, null, bearer.user, bearer.version]
        : [bearer.prefix, sha256(bearer.secret), null, null];
  await client.query('begin');
  try {
    const { rows } = await client.query<Opened>('select * from app_open_session($1, $2, $3, $4, $5, 1500, 700, 9000)', [
      ...args,
      territoryAccess,
    ]);
    const { rows: settings } = await client.query(SETTINGS);
    return { row: rows[0]!, settings: settings[0]! };
  } finally {
    await client.query('rollback');
  }
}

const NOBODY = { kind: null, id: null, all: false, ownerId: null, read: [], write: [], memberReach: [], directory: false };

async function newKey(options: { expiresAt?: string; revoked?: boolean; territory?: string } = {}) {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const id = randomUUID();
  await client.query(
    `insert into api_key (id, name, prefix, secret_hash, kind, scopes, created_by_id, expires_at, revoked_at)
     values ($1, 'test', $2, $3, 'INTEGRATOR', '{customers:read,customers:write}', $4, $5, case when $6 then now() end)`,
    [id, prefix, sha256(secret), t.baseline.users.admin.id, options.expiresAt ?? null, options.revoked ?? false],
  );
  await client.query('insert into api_key_territory (api_key_id, region_id) values ($1, $2)', [
    id,
    options.territory ?? t.baseline.regions.zhejiang.id,
  ]);
  return { id, prefix, secret };
}

describe('app_open_session', () => {
  it("sets a rep's reach, the timeouts and the role, transaction-locally", async () => {
    const rep = t.baseline.users.repHangzhou;
    const hangzhou = t.baseline.regions.hangzhou.id;
    const { row, settings } = await open({ user: rep.id, version: 1 }, 'READ');
    expect(row).toMatchObject({
      kind: 'USER',
      id: rep.id,
      role: 'REP',
      all: false,
      ownerId: rep.id,
      read: [hangzhou],
      write: [],
      memberReach: [hangzhou],
      directory: true,
    });
    expect(settings).toEqual({
      user: 'accountable_app',
      viewer: rep.id,
      key: '',
      all: '',
      owner: rep.id,
      read: `{${hangzhou}}`,
      write: '{}',
      member: `{${hangzhou}}`,
      directory: 'on',
      statement: '1500ms',
      lock: '700ms',
      idle: '9s',
    });
    const { rows } = await client.query(
      `select current_user as "user", current_setting('app.owner_id', true) as owner, current_setting('lock_timeout') as lock`,
    );
    expect(rows[0]!.user).not.toBe('accountable_app');
    expect(rows[0]!.owner ?? '').toBe('');
    expect(rows[0]!.lock).not.toBe('700ms');
  });

  it('gives a manager the subtree of the managed region, and a key the subtree of its territory with write scopes', async () => {
    const { east, zhejiang, hangzhou, ningbo } = t.baseline.regions;
    const manager = t.baseline.users.managerEast;
    const subtree = [east.id, zhejiang.id, hangzhou.id, ningbo.id].sort();
    const managed = await open({ user: manager.id, version: 1 });
    expect({ ...managed.row, read: [...managed.row.read].sort(), write: [...managed.row.write].sort() }).toMatchObject({
      kind: 'USER',
      role: 'MANAGER',
      ownerId: manager.id,
      read: subtree,
      write: subtree,
      memberReach: [],
      directory: true,
    });
    const key = await newKey();
    const keyed = await open({ prefix: key.prefix, secret: key.secret });
    const zj = [zhejiang.id, hangzhou.id, ningbo.id].sort();
    expect({ ...keyed.row, read: [...keyed.row.read].sort(), write: [...keyed.row.write].sort() }).toMatchObject({
      kind: 'API_KEY',
      id: key.id,
      role: 'INTEGRATOR',
      ownerId: null,
      read: zj,
      write: zj,
      directory: false,
    });
    expect(keyed.settings).toMatchObject({ user: 'accountable_app', viewer: '', key: key.id });
  });

  it('refuses a stale session: a deactivated user, a bumped session version, a revoked, an expired or a wrong key', async () => {
    const rep = t.baseline.users.repNingbo;
    expect((await open({ user: rep.id, version: 1 })).row.kind).toBe('USER');
    expect((await open({ user: rep.id, version: 2 })).row).toMatchObject(NOBODY);
    expect((await open({ user: randomUUID(), version: 1 })).row).toMatchObject(NOBODY);
    // A session version beyond int4 is no session, not an error.
    expect((await open({ user: rep.id, version: 2 ** 40 })).row).toMatchObject(NOBODY);

    await client.query('update app_user set session_version = session_version + 1 where id = $1', [rep.id]);
    expect((await open({ user: rep.id, version: 1 })).row).toMatchObject(NOBODY);
    expect((await open({ user: rep.id, version: 2 })).row.kind).toBe('USER');
    await client.query('update app_user set active = false where id = $1', [rep.id]);
    const inactive = await open({ user: rep.id, version: 2 });
    expect(inactive.row).toMatchObject(NOBODY);
    // No viewer still drops to the unprivileged role, with nothing in reach.
    expect(inactive.settings).toMatchObject({
      user: 'accountable_app',
      viewer: '',
      key: '',
      all: '',
      owner: '',
      read: '{}',
      write: '{}',
      directory: '',
    });

    const revoked = await newKey({ revoked: true });
    expect((await open({ prefix: revoked.prefix, secret: revoked.secret })).row).toMatchObject(NOBODY);
    const expired = await newKey({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await open({ prefix: expired.prefix, secret: expired.secret })).row).toMatchObject(NOBODY);
    const live = await newKey({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await open({ prefix: live.prefix, secret: live.secret })).row.kind).toBe('API_KEY');
    expect((await open({ prefix: live.prefix, secret: `${live.secret.slice(0, -1)}x` })).row).toMatchObject(NOBODY);
    expect((await open(null)).row).toMatchObject(NOBODY);
  });

  it("notes a key's last use at most once a minute", async () => {
    const key = await newKey();
    const lastUse = async () =>
      (await client.query<{ at: Date | null }>('select last_used_at as at from api_key where id = $1', [key.id])).rows[0]!.at;
    const call = async () => {
      await client.query('begin');
      await client.query('select * from app_open_session($1, $2, null, null, $3, 1000, 1000, 1000)', [
        key.prefix,
        sha256(key.secret),
        'READ',
      ]);
      await client.query('commit');
    };
    expect(await lastUse()).toBeNull();
    await call();
    const first = await lastUse();
    expect(first).not.toBeNull();
    await call();
    expect(await lastUse()).toEqual(first);
    await client.query(`update api_key set last_used_at = now() - interval '61 seconds' where id = $1`, [key.id]);
    const old = await lastUse();
    await call();
    expect((await lastUse())!.getTime()).toBeGreaterThan(old!.getTime());
  });

  it('cannot be called by the unprivileged role, nor with an unknown territory access', async () => {
    const rep = t.baseline.users.repHangzhou;
    await client.query('begin');
    try {
      await client.query('set local role accountable_app');
      await expect(
        client.query('select * from app_open_session(null, null, $1, 1, $2, 1000, 1000, 1000)', [rep.id, 'EDIT']),
      ).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await client.query('rollback');
    }
    await client.query('begin');
    try {
      await expect(
        client.query('select * from app_open_session(null, null, $1, 1, $2, 1000, 1000, 1000)', [rep.id, 'ALL']),
      ).rejects.toMatchObject({
        code: '22023',
      });
    } finally {
      await client.query('rollback');
    }
  });
});
