import AltRoute from '@mui/icons-material/AltRoute';
import { lazy } from 'react';

export { assignmentRuleResource } from './assignmentRuleResource';

/** Admins and managers: the ordered assignment rules, and the realignment they imply (a page, not a list). */
export const assignmentRuleViews = {
  list: lazy(() => import('./AssignmentRules')),
  icon: AltRoute,
};
