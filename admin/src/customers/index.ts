import People from '@mui/icons-material/People';
import { lazy } from 'react';

export { customerResource } from './customerResource';

export const customerViews = {
  list: lazy(() => import('./CustomerList')),
  show: lazy(() => import('./CustomerShow')),
  edit: lazy(() => import('./CustomerEdit')),
  create: lazy(() => import('./CustomerCreate')),
  icon: People,
  recordRepresentation: 'legalName',
};
