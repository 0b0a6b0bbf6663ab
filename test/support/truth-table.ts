/**
 * The access rules as a truth table: an oracle that is not the code under test.
 *
 * Written from the access rules docs/permissions.md states, sentence by sentence, over plain facts: who the principal is (role,
 * memberships and managed regions by path, or a key's regions and scopes) and where an account
 * is (its territory's path) and who owns it. It imports nothing from api/src — not even enums —
 * so a wrong rule in production cannot leak into the expectation. Keep it small enough to check
 * by reading.
 */

export type Level = 'EDIT' | 'READ' | 'DIRECTORY' | 'NONE';

export type TerritoryAccess = 'NONE' | 'READ' | 'EDIT';

export type Scope =
  | 'customers:read'
  | 'customers:write'
  | 'contacts:read'
  | 'contacts:write'
  | 'interactions:read'
  | 'interactions:write'
  | 'orders:read'
  | 'orders:write'
  | 'evaluations:read'
  | 'pii:read';

/** Region and territory references are paths (`EAST/ZJ/HZ`): unique, and what subtrees are made of. */
export type TruthPrincipal =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      id: string;
      role: 'ADMIN' | 'MANAGER' | 'REP';
      active: boolean;
      managedRegions: readonly string[];
      territories: readonly string[];
    }
  | { kind: 'key'; keyKind: 'INTEGRATOR' | 'BI'; regions: readonly string[]; scopes: readonly Scope[] };

export interface TruthAccount {
  /** Path of the account's territory. */
  territory: string;
  /** Id of the owning user. */
  owner: string;
}

export interface TruthState {
  principal: TruthPrincipal;
  account: TruthAccount;
  territoryAccess: TerritoryAccess;
}

/**
 * "A region R's subtree is R itself and every region whose path starts with R.path || '/'
 * (exact prefix; `_` and `%` in codes/paths are ordinary characters)."
 */
export function inSubtree(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** "customers:write, contacts:write, interactions:write, orders:write" — the write scopes. */
const WRITE_SCOPES: readonly Scope[] = ['customers:write', 'contacts:write', 'interactions:write', 'orders:write'];

/**
 * "A deactivated user cannot sign in at all (UNAUTHENTICATED)." "Anonymous: … every operation
 * except login is UNAUTHENTICATED." A key that authenticates is signed in.
 */
export function signedIn(principal: TruthPrincipal): boolean {
  if (principal.kind === 'anonymous') return false;
  if (principal.kind === 'user') return principal.active;
  return true;
}

/** "Per viewer and account, the access level is one of EDIT > READ > DIRECTORY > NONE." */
export function expectedLevel({ principal, account, territoryAccess }: TruthState): Level {
  // "Anonymous: NONE"; a deactivated user is nobody.
  if (principal.kind === 'anonymous' || !signedIn(principal)) return 'NONE';

  if (principal.kind === 'key') {
    // "account's territory inside the key's subtrees: EDIT for an INTEGRATOR key holding any
    // write scope …, else READ; otherwise NONE (… keys get no directory cards)."
    if (!principal.regions.some((region) => inSubtree(account.territory, region))) return 'NONE';
    const writes = principal.scopes.some((scope) => WRITE_SCOPES.includes(scope));
    return principal.keyKind === 'INTEGRATOR' && writes ? 'EDIT' : 'READ';
  }

  switch (principal.role) {
    // "ADMIN: EDIT on every account."
    case 'ADMIN':
      return 'EDIT';
    // "MANAGER: EDIT on accounts whose territory is in the subtree of a region they manage. Every
    // other account: DIRECTORY — including accounts the manager owns outside those regions."
    // "A user who was a rep and is now a MANAGER follows the MANAGER rule only (memberships of a
    // manager give nothing)": neither `owner` nor `territories` is read here.
    case 'MANAGER':
      return principal.managedRegions.some((region) => inSubtree(account.territory, region)) ? 'EDIT' : 'DIRECTORY';
    case 'REP': {
      const owner = account.owner === principal.id;
      const member = principal.territories.includes(account.territory);
      // "owner of the account AND member of the account's territory: EDIT"
      if (owner && member) return 'EDIT';
      // "owner but NOT a member of the account's territory (moved away, or the account was
      // moved): DIRECTORY"
      if (owner) return 'DIRECTORY';
      // "not the owner, member of the account's territory: depends on TERRITORY_ACCESS:
      // NONE → DIRECTORY; READ → READ; EDIT → EDIT"
      if (member) return territoryAccess === 'NONE' ? 'DIRECTORY' : territoryAccess;
      // "otherwise DIRECTORY."
      return 'DIRECTORY';
    }
  }
}

/** "READ: read everything …"; "EDIT: read everything … and change it." */
export function mayOpen(level: Level): boolean {
  return level === 'EDIT' || level === 'READ';
}

/**
 * May the principal call an operation that needs `scope` of a key? "every operation except login
 * is UNAUTHENTICATED" for nobody; docs/permissions.md, Errors: "an API key without the scope:
 * FORBIDDEN". Users are not scoped ("Users are governed by their level alone").
 */
export function operationGate(principal: TruthPrincipal, scope: Scope): 'ALLOWED' | 'UNAUTHENTICATED' | 'FORBIDDEN' {
  if (!signedIn(principal)) return 'UNAUTHENTICATED';
  if (principal.kind === 'key' && !principal.scopes.includes(scope)) return 'FORBIDDEN';
  return 'ALLOWED';
}

/** "contacts need contacts:read (email, phone, mobile, IM handles also need pii:read)". */
export function mayReadPii(principal: TruthPrincipal): boolean {
  return principal.kind !== 'key' || principal.scopes.includes('pii:read');
}

/** What `customer(id)` returns: the account in full, its directory card, or nothing. */
export function expectedGet(state: TruthState): 'UNAUTHENTICATED' | 'FULL' | 'CARD' | 'NULL' {
  if (!signedIn(state.principal)) return 'UNAUTHENTICATED';
  const level = expectedLevel(state);
  if (mayOpen(level)) return 'FULL';
  // "DIRECTORY: only the directory card"; "NONE: the account does not exist (null on queries …)".
  return level === 'DIRECTORY' ? 'CARD' : 'NULL';
}

/**
 * A profile change (`updateCustomer`): "an account the viewer may not open is NOT_FOUND on
 * mutations; one they may read but not change is FORBIDDEN"; EDIT may "change it".
 */
export function expectedUpdate(state: TruthState): 'ALLOWED' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' {
  const gate = operationGate(state.principal, 'customers:write');
  if (gate !== 'ALLOWED') return gate;
  const level = expectedLevel(state);
  if (level === 'EDIT') return 'ALLOWED';
  return level === 'READ' ? 'FORBIDDEN' : 'NOT_FOUND';
}

/**
 * "Lists (`customers` default scope ACCESSIBLE) contain exactly the accounts at READ or EDIT";
 * "`customers(scope: DIRECTORY)` contains every account a user may know of (keys: only their own
 * territories)" — every account not at NONE.
 */
export function expectedListed(state: TruthState, scope: 'ACCESSIBLE' | 'DIRECTORY'): boolean {
  const level = expectedLevel(state);
  return scope === 'ACCESSIBLE' ? mayOpen(level) : level !== 'NONE';
}
