import { ApiKeyKind, Role, Scope, type Viewer } from '../../common/access/index.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { MergeChildKind } from './merge.types.js';

/** Where an account is and who owns it. */
export interface Placement {
  owner: string;
  territory: string;
}

/**
 * Who may merge these accounts (and see them as duplicate candidates): admins any; managers
 * accounts in their regions; a rep accounts they own in territories they work in; an integrator
 * key holding customers:merge, customers:write and customers:read (a dry run shows every profile
 * value), accounts in its territories. Every record —
 * the survivor and each merged one — must pass; the rule is the same for an undo.
 */
export function mayMerge(viewer: Viewer, account: Placement): boolean {
  switch (viewer.role) {
    case Role.ADMIN:
      return true;
    case Role.MANAGER:
      return viewer.managedTerritories.includes(account.territory);
    case Role.REP:
      return account.owner === viewer.id && viewer.memberTerritories.includes(account.territory);
    case ApiKeyKind.INTEGRATOR:
      return (
        viewer.scopes.includes(Scope.CUSTOMERS_MERGE) &&
        viewer.scopes.includes(Scope.CUSTOMERS_WRITE) &&
        viewer.scopes.includes(Scope.CUSTOMERS_READ) &&
        viewer.keyTerritories.includes(account.territory)
      );
    case ApiKeyKind.BI:
      return false;
  }
}

/** The read scope each kind of moved child needs (users hold every scope): a key learns no count or id of what it may not read. */
const MOVE_SCOPES: Record<MergeChildKind, Scope> = {
  [MergeChildKind.CONTACT]: Scope.CONTACTS_READ,
  [MergeChildKind.INTERACTION]: Scope.INTERACTIONS_READ,
  [MergeChildKind.ORDER]: Scope.ORDERS_READ,
  [MergeChildKind.PAYMENT]: Scope.ORDERS_READ,
  [MergeChildKind.LIFECYCLE_TRANSITION]: Scope.CUSTOMERS_READ,
  [MergeChildKind.LIFECYCLE_ALERT]: Scope.CUSTOMERS_READ,
  [MergeChildKind.EVALUATION]: Scope.EVALUATIONS_READ,
};

export function mayReadMoves(viewer: Viewer, kind: MergeChildKind): boolean {
  return viewer.kind === 'USER' || viewer.scopes.includes(MOVE_SCOPES[kind]);
}

/** Whether the viewer reads profile values (a merge's fields). */
export function mayReadProfile(viewer: Viewer): boolean {
  return viewer.kind === 'USER' || viewer.scopes.includes(Scope.CUSTOMERS_READ);
}

/** Whether contact phones and e-mail domains may weigh in the viewer's duplicate candidates. */
export function mayMatchContacts(viewer: Viewer): boolean {
  return viewer.kind === 'USER' || (viewer.scopes.includes(Scope.CONTACTS_READ) && viewer.scopes.includes(Scope.PII_READ));
}

/** The same rule as SQL over alias `c` of customer, with its parameters: the candidates' scope. */
export function mergeableSql(viewer: Viewer, alias: string): { sql: string; params: unknown[] } {
  switch (viewer.role) {
    case Role.ADMIN:
      return { sql: 'true', params: [] };
    case Role.MANAGER:
      return { sql: `${alias}.territory_id = any(?::uuid[])`, params: [pgArray(viewer.managedTerritories)] };
    case Role.REP:
      return {
        sql: `(${alias}.owner_id = ? and ${alias}.territory_id = any(?::uuid[]))`,
        params: [viewer.id, pgArray(viewer.memberTerritories)],
      };
    case ApiKeyKind.INTEGRATOR:
    case ApiKeyKind.BI:
      return mayMerge(viewer, { owner: '', territory: viewer.keyTerritories[0] ?? '' })
        ? { sql: `${alias}.territory_id = any(?::uuid[])`, params: [pgArray(viewer.keyTerritories)] }
        : { sql: 'false', params: [] };
  }
}
