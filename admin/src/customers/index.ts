import People from '@mui/icons-material/People';
import { lazy } from 'react';
import { customerListPage } from './listPage';

export { customerResource } from './customerResource';

export const customerViews = {
  list: lazy(customerListPage.load),
  show: lazy(() => import('./CustomerShow')),
  edit: lazy(() => import('./CustomerEdit')),
  create: lazy(() => import('./CustomerCreate')),
  icon: People,
  recordRepresentation: 'legalName',
};
