import AccountTree from '@mui/icons-material/AccountTree';
import { lazy } from 'react';

export { regionResource } from './regionResource';

export const regionViews = {
  list: lazy(() => import('./RegionTree')),
  icon: AccountTree,
  recordRepresentation: 'name',
};
