import { Role, type Viewer } from '../../common/access/index.js';
import { ForbiddenError } from '../../common/errors/errors.js';

/**
 * Who may write a rule that sends accounts to a territory: admins any; managers a territory of
 * their regions. Row-level security on assignment_rule says the same (migration
 * Migration20261202184721). Users of other roles and API keys never reach here (the operation
 * policy admits admins and managers only).
 */
export function mayTarget(viewer: Viewer, territoryId: string): boolean {
  if (viewer.role === Role.ADMIN) return true;
  return viewer.role === Role.MANAGER && viewer.managedTerritories.includes(territoryId);
}

/** FORBIDDEN naming `field` when the viewer may not write a rule targeting the territory. */
export function assertMayTarget(viewer: Viewer, territoryId: string, field: string, message: string): void {
  if (!mayTarget(viewer, territoryId)) throw new ForbiddenError(message, { field });
}
