import { ApiKeyKind, Role } from './role.js';
import { WRITE_SCOPES } from './scope.js';
import type { Viewer } from './viewer.js';

/** What reps may do with accounts of their territories that they do not own (Salesforce-style). */
export enum TerritoryAccess {
  NONE = 'NONE',
  READ = 'READ',
  EDIT = 'EDIT',
}

/**
 * The viewer's reach as sets of territories, for SQL scoping and row-level security. `write` is
 * always within `read`; `member` counts only together with ownership (`ownerId`).
 */
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
      // A manager's memberships (kept from when they were a rep) give nothing: no `member`, so owning gives nothing either.
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
