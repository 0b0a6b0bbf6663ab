import History from '@mui/icons-material/History';
import { lazy } from 'react';

export { auditResource } from './auditResource';

export const auditViews = {
  list: lazy(() => import('./AuditList')),
  icon: History,
};
