import { type Viewer, Role } from '../../common/access/index.js';
import { ForbiddenError } from '../../common/errors/errors.js';
import type { LifecycleStage } from '../customer/customer.entity.js';
import { STAGE_ORDER } from './lifecycle.entity.js';

/** The next stage along POTENTIAL → INTENTION → FIRST_PURCHASE → REPEAT → DORMANT → LOST. */
export function isOneStepForward(from: LifecycleStage, to: LifecycleStage): boolean {
  return STAGE_ORDER.indexOf(to) === STAGE_ORDER.indexOf(from) + 1;
}

/** Managers of the account's region and admins approve stage changes. */
export function mayApproveStageChanges(viewer: Viewer, territoryId: string): boolean {
  if (viewer.kind !== 'USER') return false;
  return viewer.role === Role.ADMIN || (viewer.role === Role.MANAGER && viewer.managedTerritories.includes(territoryId));
}

/**
 * How a manual change by a viewer who may edit the account goes through: the owner moves it one
 * stage forward at once; an approver's own change is approved by them; everything else (backwards,
 * skipping, or a colleague's change) waits for an approver.
 */
export function manualChangeMode(
  viewer: Viewer,
  account: { ownerId: string; territoryId: string },
  from: LifecycleStage,
  to: LifecycleStage,
): 'APPLY' | 'APPLY_AS_APPROVER' | 'REQUEST' {
  if (mayApproveStageChanges(viewer, account.territoryId)) return 'APPLY_AS_APPROVER';
  if (account.ownerId === viewer.id && isOneStepForward(from, to)) return 'APPLY';
  return 'REQUEST';
}

export function assertMayApprove(viewer: Viewer, territoryId: string): void {
  if (!mayApproveStageChanges(viewer, territoryId))
    throw new ForbiddenError('Only a manager of the region or an admin decides stage changes');
}
