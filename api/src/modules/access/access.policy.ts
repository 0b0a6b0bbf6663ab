import type { Viewer } from '../../common/auth/viewer.js';
import { ApiKeyKind, Scope } from '../api-key/api-key.entity.js';
import { registerEnumType } from 'type-graphql';
import { Role } from '../user/user.entity.js';

/**
 * How much of an account a viewer may see and do. The one place the territory-ownership rules
 * live; row-level security in PostgreSQL (migration Migration20261123120427) enforces the same
 * rules again, from the settings `sessionSettings` produces.
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

/** What reps may do with accounts of their territories that they do not own (Salesforce-style). */
export enum TerritoryAccess {
  NONE = 'NONE',
  READ = 'READ',
  EDIT = 'EDIT',
}

export interface Ownership {
  owner: string;
  territory: string;
}

const WRITE_SCOPES = [Scope.CUSTOMERS_WRITE, Scope.CONTACTS_WRITE, Scope.INTERACTIONS_WRITE, Scope.ORDERS_WRITE];

export function isApiKey(viewer: Viewer): boolean {
  return viewer.kind === 'API_KEY';
}

export function hasScope(viewer: Viewer, scope: Scope): boolean {
  return viewer.kind === 'USER' || viewer.scopes.includes(scope);
}

export function customerAccess(viewer: Viewer, account: Ownership, territoryAccess: TerritoryAccess): AccessLevel {
  switch (viewer.role) {
    case Role.ADMIN:
      return AccessLevel.EDIT;
    case Role.MANAGER:
      return viewer.managedTerritories.includes(account.territory) ? AccessLevel.EDIT : AccessLevel.DIRECTORY;
    case Role.REP:
      if (account.owner === viewer.id) return AccessLevel.EDIT;
      if (viewer.memberTerritories.includes(account.territory)) {
        if (territoryAccess === TerritoryAccess.EDIT) return AccessLevel.EDIT;
        if (territoryAccess === TerritoryAccess.READ) return AccessLevel.READ;
      }
      return AccessLevel.DIRECTORY;
    case ApiKeyKind.INTEGRATOR:
    case ApiKeyKind.BI:
      if (!viewer.keyTerritories.includes(account.territory)) return AccessLevel.NONE;
      return viewer.role === ApiKeyKind.INTEGRATOR && viewer.scopes.some((scope) => WRITE_SCOPES.includes(scope)) ? AccessLevel.EDIT : AccessLevel.READ;
  }
}

export function canRead(level: AccessLevel): boolean {
  return level === AccessLevel.EDIT || level === AccessLevel.READ;
}

/** The viewer's reach as sets of territories, for SQL scoping and row-level security. */
export interface Reach {
  all: boolean;
  ownerId: string | null;
  read: string[];
  write: string[];
  member: string[];
  directory: boolean;
}

export function reachOf(viewer: Viewer | null, territoryAccess: TerritoryAccess): Reach {
  const none: Reach = { all: false, ownerId: null, read: [], write: [], member: [], directory: false };
  if (!viewer) return none;
  switch (viewer.role) {
    case Role.ADMIN:
      return { ...none, all: true, directory: true };
    case Role.MANAGER:
      return { ...none, ownerId: viewer.id, read: viewer.managedTerritories, write: viewer.managedTerritories, directory: true };
    case Role.REP:
      return {
        ...none,
        ownerId: viewer.id,
        read: territoryAccess === TerritoryAccess.NONE ? [] : viewer.memberTerritories,
        write: territoryAccess === TerritoryAccess.EDIT ? viewer.memberTerritories : [],
        member: viewer.memberTerritories,
        directory: true,
      };
    case ApiKeyKind.INTEGRATOR:
    case ApiKeyKind.BI:
      return { ...none, read: viewer.keyTerritories, write: customerAccessWrites(viewer) ? viewer.keyTerritories : [] };
  }
}

function customerAccessWrites(viewer: Viewer): boolean {
  return viewer.role === ApiKeyKind.INTEGRATOR && viewer.scopes.some((scope) => WRITE_SCOPES.includes(scope));
}
