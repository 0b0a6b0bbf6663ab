import { registerEnumType } from 'type-graphql';
import { ApiKeyKind, reachOf, Role, type Reach, type Scope, type TerritoryAccess, type Viewer } from '../../common/access/index.js';

/**
 * How much of an account a viewer may see and do. The one place the territory-ownership rules
 * live: `reachOf` (common/access/reach.ts) turns a viewer into a reach, `accessOf` decides on the reach alone, and
 * row-level security in PostgreSQL applies the same formula to the same reach (settings written
 * by `enterSession`), so the application and the database cannot disagree.
 */
export enum AccessLevel {
  /** Read everything and edit the profile and children. */
  EDIT = 'EDIT',
  /** Read everything. */
  READ = 'READ',
  /** Only that the account exists: id, name, territory, region, owner. */
  DIRECTORY = 'DIRECTORY',
  /** Not even that. */
  NONE = 'NONE',
}

registerEnumType(AccessLevel, { name: 'AccessLevel', description: 'What the viewer may do with an account.' });

export interface Ownership {
  owner: string;
  territory: string;
}

export function isApiKey(viewer: Viewer): boolean {
  return viewer.kind === 'API_KEY';
}

export function hasScope(viewer: Viewer, scope: Scope): boolean {
  return viewer.kind === 'USER' || viewer.scopes.includes(scope);
}

/**
 * Evaluation cycles: users open every cycle; API keys published ones only (snapshots that
 * never change) — to a key, other cycles and their results do not exist.
 */
export function mayOpenCycle(viewer: Viewer, published: boolean): boolean {
  return published || !isApiKey(viewer);
}

/**
 * What a viewer may do with an account: the level their reach (the same `Reach` that
 * `enterSession` writes into the row-level security settings) gives on it. Ownership counts only
 * where the owner works (`member`): a rep who moved away, or a manager who owns accounts
 * outside their regions, keeps the directory card of those accounts, nothing more.
 */
export function customerAccess(viewer: Viewer, account: Ownership, territoryAccess: TerritoryAccess): AccessLevel {
  return accessOf(reachOf(viewer, territoryAccess), account);
}

/**
 * The one access rule, over a reach and an account. Row-level security implements exactly this
 * formula over the same settings (policies of migration Migration20261202000100, `app_access`):
 *   read  = all || territory ∈ read  || (owner = ownerId && territory ∈ member)
 *   write = all || territory ∈ write || (owner = ownerId && territory ∈ member)
 * and the level is EDIT where it may write, READ where it may read, else DIRECTORY or NONE.
 * test/api/rls.test.ts runs both over generated states and compares them.
 */
export function accessOf(reach: Reach, account: Ownership): AccessLevel {
  const ownsWhereTheyWork = reach.ownerId !== null && account.owner === reach.ownerId && reach.member.includes(account.territory);
  if (reach.all || reach.write.includes(account.territory) || ownsWhereTheyWork) return AccessLevel.EDIT;
  if (reach.read.includes(account.territory)) return AccessLevel.READ;
  return reach.directory ? AccessLevel.DIRECTORY : AccessLevel.NONE;
}

export function canRead(level: AccessLevel): boolean {
  return level === AccessLevel.EDIT || level === AccessLevel.READ;
}

/**
 * What a change to an account (or to a record of it) meets at this access level. An account
 * the viewer may not open does not exist for them (NOT_FOUND, like a nonexistent one); one they
 * may read but not change is FORBIDDEN.
 */
export function writeOutcome(level: AccessLevel): 'ALLOWED' | 'FORBIDDEN' | 'NOT_FOUND' {
  if (level === AccessLevel.EDIT) return 'ALLOWED';
  return canRead(level) ? 'FORBIDDEN' : 'NOT_FOUND';
}

/** Why a viewer may not open a new account with this owner and territory (null: they may), naming the refused input. */
export interface PlacementRefusal {
  field: 'territoryId' | 'ownerId';
  message: string;
}

/**
 * Where a viewer may open accounts: admins anywhere; managers in their regions; reps for
 * themselves in their territories; API keys in the key's territories. Whether the owner fits
 * the territory is checked separately (it is a fact about the owner, not about the viewer).
 */
export function placementRefusal(viewer: Viewer, account: Ownership): PlacementRefusal | null {
  switch (viewer.role) {
    case Role.ADMIN:
      return null;
    case Role.MANAGER:
      return viewer.managedTerritories.includes(account.territory)
        ? null
        : { field: 'territoryId', message: 'The territory is outside your regions' };
    case Role.REP:
      if (account.owner !== viewer.id)
        return { field: 'ownerId', message: 'Reps open accounts for themselves; ask your manager to assign one' };
      return viewer.memberTerritories.includes(account.territory)
        ? null
        : { field: 'territoryId', message: 'You are not a member of this territory' };
    case ApiKeyKind.INTEGRATOR:
    case ApiKeyKind.BI:
      return viewer.keyTerritories.includes(account.territory)
        ? null
        : { field: 'territoryId', message: "The territory is outside this key's territories" };
  }
}
