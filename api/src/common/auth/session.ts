import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { reachOf, type Reach, type TerritoryAccess, Role, type Viewer } from '../access/index.js';
import { pgArray } from '../orm/pg-array.js';
import { inSubtree } from '../orm/subtree.js';
import { verifyToken } from './token.js';

const { escapeLiteral } = pg;

/** API keys look like `acc_<prefix>_<secret>`; everything else is a user token. */
export const API_KEY_PATTERN = /^acc_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Every region node at or below the regions of a membership table, as text ids. */
const SUBTREE = (table: string, owner: string) => `coalesce((select array_agg(distinct d.id::text) from ${table} m
  join region a on a.id = m.region_id join region d on ${inSubtree('d.path', 'a.path')}
  where m.${owner} = u.id), '{}')`;

interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  memberTerritories: string[];
  managedTerritories: string[];
}
interface KeyRow {
  id: string;
  name: string;
  kind: Viewer['role'];
  scopes: string[];
  secretHash: string;
  expired: boolean;
  revoked: boolean;
  stale: boolean;
  territories: string[];
}

async function userViewer(em: EntityManager, token: string, secret: string): Promise<Viewer | null> {
  const claims = verifyToken(token, secret);
  if (!claims) return null;
  const [row] = await em.execute<UserRow[]>(
    `select u.id, u.name, u.email, u.role,
       coalesce((select array_agg(t.region_id::text) from user_territory t where t.user_id = u.id), '{}') as "memberTerritories",
       ${SUBTREE('user_managed_region', 'user_id')} as "managedTerritories"
     from app_user u where u.id = ? and u.active and u.session_version = ?`,
    [claims.sub, claims.sv],
  );
  if (!row) return null;
  return {
    kind: 'USER',
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    memberTerritories: row.memberTerritories,
    managedTerritories: row.role === Role.MANAGER ? row.managedTerritories : [],
    keyTerritories: [],
    scopes: [],
  };
}

async function keyViewer(em: EntityManager, prefix: string, secret: string): Promise<Viewer | null> {
  const [row] = await em.execute<KeyRow[]>(
    `select u.id, u.name, u.kind, u.scopes, u.secret_hash as "secretHash", (u.expires_at is not null and u.expires_at <= now()) as expired, u.revoked_at is not null as revoked,
       (u.last_used_at is null or u.last_used_at < now() - interval '1 minute') as stale,
       ${SUBTREE('api_key_territory', 'api_key_id')} as territories
     from api_key u where u.prefix = ?`,
    [prefix],
  );
  if (!row) return null;
  const expected = Buffer.from(row.secretHash, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  if (row.revoked || row.expired) return null;
  // Last use is kept to the minute: one write a minute per key, not one per request.
  if (row.stale) await em.execute('update api_key set last_used_at = now() where id = ?', [row.id]);
  return keyViewerOf(row);
}

/** A key's row as the viewer it acts as: its own territories and scopes, no memberships. */
function keyViewerOf(row: Pick<KeyRow, 'id' | 'name' | 'kind' | 'scopes' | 'territories'>): Viewer {
  return {
    kind: 'API_KEY',
    id: row.id,
    name: row.name,
    email: null,
    role: row.kind,
    memberTerritories: [],
    managedTerritories: [],
    keyTerritories: row.territories,
    scopes: row.scopes as Viewer['scopes'],
  };
}

/**
 * An API key as a viewer, by id, for work done on its behalf without its secret (webhook delivery
 * reads the change feed as the key). Null when the key is revoked or expired: nothing is done for it.
 */
export async function apiKeyViewerById(em: EntityManager, id: string): Promise<Viewer | null> {
  const [row] = await em.execute<Omit<KeyRow, 'secretHash' | 'stale' | 'expired' | 'revoked'>[]>(
    `select u.id, u.name, u.kind, u.scopes, ${SUBTREE('api_key_territory', 'api_key_id')} as territories
     from api_key u where u.id = ? and u.revoked_at is null and (u.expires_at is null or u.expires_at > now())`,
    [id],
  );
  return row ? keyViewerOf(row) : null;
}

/** The viewer named by an `Authorization: Bearer …` header, or null. */
export async function resolveViewer(em: EntityManager, authorization: string | undefined, authSecret: string): Promise<Viewer | null> {
  if (!authorization?.startsWith('Bearer ')) return null;
  const token = authorization.slice(7).trim();
  const key = API_KEY_PATTERN.exec(token);
  return key ? keyViewer(em, key[1]!, key[2]!) : userViewer(em, token, authSecret);
}

/**
 * Switches the request's transaction to the unprivileged role and records the viewer's reach
 * in transaction-local settings, which the row-level security policies read.
 */
export async function enterSession(
  em: EntityManager,
  viewer: Viewer | null,
  territoryAccess: TerritoryAccess,
  timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS,
): Promise<Reach> {
  const reach = reachOf(viewer, territoryAccess);
  await em.execute(
    `select set_config('role', 'accountable_app', true), set_config('app.viewer_id', ?, true), set_config('app.api_key_id', ?, true), set_config('app.all', ?, true),
       set_config('app.owner_id', ?, true), set_config('app.read_territories', ?, true), set_config('app.write_territories', ?, true),
       set_config('app.member_territories', ?, true), set_config('app.directory', ?, true),
       set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true), set_config('idle_in_transaction_session_timeout', ?, true)`,
    [
      viewer?.kind === 'USER' ? viewer.id : '',
      viewer?.kind === 'API_KEY' ? viewer.id : '',
      reach.all ? 'on' : '',
      reach.ownerId ?? '',
      pgArray(reach.read),
      pgArray(reach.write),
      pgArray(reach.member),
      reach.directory ? 'on' : '',
      `${timeouts.statementMs}ms`,
      `${timeouts.lockMs}ms`,
      `${timeouts.idleInTransactionMs}ms`,
    ],
  );
  return reach;
}

/** Transaction-local limits on the request's statements, lock waits and idle time (milliseconds). */
export interface SessionTimeouts {
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
}

const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = { statementMs: 15_000, lockMs: 5_000, idleInTransactionMs: 60_000 };

/** What the opening statement returns: the viewer's row (kind null when there is none) and the reach it set. */
export interface OpenedRow {
  kind: Viewer['kind'] | null;
  id: string | null;
  name: string | null;
  email: string | null;
  role: Viewer['role'] | null;
  scopes: string[] | null;
  member: string[] | null;
  managed: string[] | null;
  keyed: string[] | null;
  all: boolean;
  ownerId: string | null;
  read: string[];
  write: string[];
  memberReach: string[];
  directory: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The bearer's parts `app_open_session` takes: an API key's prefix and secret hash, or a user token's claims. */
function bearerArguments(authorization: string | undefined, authSecret: string): string {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
  const key = API_KEY_PATTERN.exec(token);
  // The secret's hash is compared in SQL: a mismatch tells a caller nothing about the secret (a preimage).
  if (key) return `${escapeLiteral(key[1]!)}, ${escapeLiteral(hashSecret(key[2]!))}, null, null`;
  const claims = token ? verifyToken(token, authSecret) : null;
  if (!claims || !UUID.test(claims.sub) || !Number.isSafeInteger(claims.sv)) return 'null, null, null, null';
  return `null, null, ${escapeLiteral(claims.sub)}, ${Number(claims.sv)}`;
}

/**
 * The statement that opens a request: `app_open_session` (Migration20261204010000) resolves the
 * viewer and sets the transaction-local session (role, reach, timeouts) from that row, so BEGIN
 * and it travel as one simple query. Values are inlined as escaped literals because a simple
 * query carries no parameters; the function's own statements keep their plans per connection, so
 * only this one-line call is parsed and planned per request. The reach rules in the function
 * mirror `reachOf`, which stays their source: `openSession` checks each result against it.
 */
export function openingStatement(
  authorization: string | undefined,
  authSecret: string,
  territoryAccess: TerritoryAccess,
  timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS,
): string {
  const ms = (value: number) => String(Math.trunc(value));
  return `select * from app_open_session(${bearerArguments(authorization, authSecret)}, ${escapeLiteral(territoryAccess)}, ${ms(timeouts.statementMs)}, ${ms(
    timeouts.lockMs,
  )}, ${ms(timeouts.idleInTransactionMs)})`;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && new Set([...a, ...b]).size === new Set(a).size;

/**
 * The viewer and reach from the opening statement's row. Throws when the reach SQL set differs
 * from `reachOf`'s: a request must never run on settings the policy would not have given.
 */
export function openSession(row: OpenedRow | undefined, territoryAccess: TerritoryAccess): { viewer: Viewer | null; reach: Reach } {
  if (!row) throw new Error('The opening statement returned no row');
  const viewer: Viewer | null =
    row.kind === null
      ? null
      : {
          kind: row.kind,
          id: row.id!,
          name: row.name!,
          email: row.email,
          role: row.role!,
          memberTerritories: row.kind === 'USER' ? (row.member ?? []) : [],
          managedTerritories: row.role === Role.MANAGER ? (row.managed ?? []) : [],
          keyTerritories: row.kind === 'API_KEY' ? (row.keyed ?? []) : [],
          scopes: (row.kind === 'API_KEY' ? (row.scopes ?? []) : []) as Viewer['scopes'],
        };
  const reach = reachOf(viewer, territoryAccess);
  const agrees =
    reach.all === row.all &&
    reach.ownerId === row.ownerId &&
    reach.directory === row.directory &&
    sameSet(reach.read, row.read) &&
    sameSet(reach.write, row.write) &&
    sameSet(reach.member, row.memberReach);
  if (!agrees) throw new Error('The session the opening statement set differs from the reach policy');
  return { viewer, reach };
}
