import SwapHoriz from '@mui/icons-material/SwapHoriz';
import { lazy } from 'react';

export { transferResource } from './transferResource';

export const transferViews = {
  list: lazy(() => import('./TransferList')),
  icon: SwapHoriz,
};
