import Timer from '@mui/icons-material/Timer';
import TrendingUp from '@mui/icons-material/TrendingUp';
import { lazy } from 'react';

export { stageChangeResource } from './stageChangeResource';

export const stageChangeViews = {
  list: lazy(() => import('./StageChangeList')),
  icon: TrendingUp,
};

/** Admins: dwell-time SLAs, the dormancy period and the inactivity check (a page, not a list). */
export const lifecycleSettingsViews = {
  list: lazy(() => import('./LifecycleSettings')),
  icon: Timer,
};
