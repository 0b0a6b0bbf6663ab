import { inSubtree } from '../../common/orm/subtree.js';

/**
 * SQL: user `owner` may own accounts of territory `territory` (both SQL expressions) — an active
 * rep of it, or an active manager of a region above it. Each expression appears once, owner
 * first, so `?` parameters bind in that order. The one definition, for account creates,
 * transfers and reassignments, and the assignment rules and realignment.
 */
export function ownerFitsSql(owner: string, territory: string): string {
  return `exists (select 1 from (select ${owner} as owner, ${territory} as territory) fit join app_user u on u.id = fit.owner where u.active and (
    (u.role = 'REP' and exists (select 1 from user_territory ut where ut.user_id = u.id and ut.region_id = fit.territory))
    or (u.role = 'MANAGER' and exists (select 1 from user_managed_region m join region a on a.id = m.region_id
          join region d on ${inSubtree('d.path', 'a.path')} where m.user_id = u.id and d.id = fit.territory))))`;
}
