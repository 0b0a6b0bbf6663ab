import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { reachOf, type Reach, type TerritoryAccess } from '../../modules/access/access.policy.js';
import { Role } from '../../modules/user/user.entity.js';
import { pgArray } from '../orm/pg-array.js';
import { inSubtree } from '../orm/subtree.js';
import { verifyToken } from './token.js';
import type { Viewer } from './viewer.js';

/** API keys look like `acc_<prefix>_<secret>`; everything else is a user token. */
export const API_KEY_PATTERN = /^acc_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Every region node at or below the regions of a membership table, as text ids. */
const SUBTREE = (table: string, owner: string) => `coalesce((select array_agg(distinct d.id::text) from ${table} m
  join region a on a.id = m.region_id join region d on ${inSubtree('d.path', 'a.path')}
  where m.${owner} = u.id), '{}')`;

interface UserRow { id: string; name: string; email: string; role: Role; memberTerritories: string[]; managedTerritories: string[] }
interface KeyRow { id: string; name: string; kind: Viewer['role']; scopes: string[]; secretHash: string; expired: boolean; revoked: boolean; stale: boolean; territories: string[] }

async function userViewer(em: EntityManager, token: string, secret: string): Promise<Viewer | null> {
  const claims = verifyToken(token, secret);
  if (!claims) return null;
  const [row] = await em.execute<UserRow[]>(
    `select u.id, u.name, u.email, u.role,
       coalesce((select array_agg(t.region_id::text) from user_territory t where t.user_id = u.id), '{}') as "memberTerritories",
       ${SUBTREE('user_managed_region', 'user_id')} as "managedTerritories"
     from app_user u where u.id = ? and u.active`,
    [claims.sub],
  );
  if (!row) return null;
  return { kind: 'USER', id: row.id, name: row.name, email: row.email, role: row.role, memberTerritories: row.memberTerritories, managedTerritories: row.role === Role.MANAGER ? row.managedTerritories : [], keyTerritories: [], scopes: [] };
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
  return { kind: 'API_KEY', id: row.id, name: row.name, email: null, role: row.kind, memberTerritories: [], managedTerritories: [], keyTerritories: row.territories, scopes: row.scopes as Viewer['scopes'] };
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
export async function enterSession(em: EntityManager, viewer: Viewer | null, territoryAccess: TerritoryAccess, timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS): Promise<Reach> {
  const reach = reachOf(viewer, territoryAccess);
  await em.execute(
    `select set_config('role', 'accountable_app', true), set_config('app.viewer_id', ?, true), set_config('app.all', ?, true),
       set_config('app.owner_id', ?, true), set_config('app.read_territories', ?, true), set_config('app.write_territories', ?, true),
       set_config('app.member_territories', ?, true), set_config('app.directory', ?, true),
       set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true), set_config('idle_in_transaction_session_timeout', ?, true)`,
    [viewer?.kind === 'USER' ? viewer.id : '', reach.all ? 'on' : '', reach.ownerId ?? '', pgArray(reach.read), pgArray(reach.write), pgArray(reach.member), reach.directory ? 'on' : '',
      `${timeouts.statementMs}ms`, `${timeouts.lockMs}ms`, `${timeouts.idleInTransactionMs}ms`],
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
