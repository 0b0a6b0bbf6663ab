import { type Viewer, Role } from '../../common/access/index.js';
import { ForbiddenError } from '../../common/errors/errors.js';
import { Conditions } from '../../common/orm/keyset.js';
import { pgArray } from '../../common/orm/pg-array.js';

/** Who a transfer request concerns, as ids. */
export interface TransferParties {
  requestedBy: string;
  fromOwner: string;
  fromTerritory: string;
  toTerritory: string;
}

/**
 * Who may see a request: admins all; managers those touching their regions (source or target)
 * and their own; reps those they filed and those for accounts they own. Row-level security
 * (policy transfer_read) admits the same rows or more, never fewer.
 */
export function canSeeTransfer(viewer: Viewer, transfer: TransferParties): boolean {
  if (viewer.kind !== 'USER') return false;
  if (viewer.role === Role.ADMIN) return true;
  if (transfer.requestedBy === viewer.id || transfer.fromOwner === viewer.id) return true;
  return (
    viewer.role === Role.MANAGER &&
    (viewer.managedTerritories.includes(transfer.fromTerritory) || viewer.managedTerritories.includes(transfer.toTerritory))
  );
}

/** `canSeeTransfer` as SQL over alias `t` of transfer_request. */
export function visibleTransfers(viewer: Viewer, alias = 't'): Conditions {
  const where = new Conditions();
  if (viewer.role === Role.ADMIN) return where;
  if (viewer.role === Role.MANAGER) {
    const managed = pgArray(viewer.managedTerritories);
    return where.add(
      `(${alias}.requested_by_id = ? or ${alias}.from_owner_id = ? or ${alias}.from_territory_id = any(?::uuid[]) or ${alias}.to_territory_id = any(?::uuid[]))`,
      viewer.id,
      viewer.id,
      managed,
      managed,
    );
  }
  return where.add(`(${alias}.requested_by_id = ? or ${alias}.from_owner_id = ?)`, viewer.id, viewer.id);
}

/** A request is decided by an admin, or by a manager whose regions hold both the source and the target territory. */
export function assertMayDecide(viewer: Viewer, transfer: TransferParties): void {
  if (viewer.role === Role.ADMIN) return;
  if (
    viewer.role === Role.MANAGER &&
    viewer.managedTerritories.includes(transfer.fromTerritory) &&
    viewer.managedTerritories.includes(transfer.toTerritory)
  )
    return;
  throw new ForbiddenError('Only an admin, or a manager of both the source and the target territory, may decide this request');
}

/** Reps ask for accounts for themselves; managers and admins may file on behalf of someone else. */
export function assertMayFileFor(viewer: Viewer, toOwnerId: string): void {
  if (viewer.role === Role.REP && toOwnerId !== viewer.id) {
    throw new ForbiddenError('Reps ask for accounts for themselves; a manager may file on behalf of someone else', { field: 'toOwnerId' });
  }
}
