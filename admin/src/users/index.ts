import ManageAccounts from '@mui/icons-material/ManageAccounts';
import { lazy } from 'react';

export { userResource } from './userResource';

export const userViews = {
  list: lazy(() => import('./UserList')),
  edit: lazy(() => import('./UserEdit')),
  create: lazy(() => import('./UserCreate')),
  icon: ManageAccounts,
  recordRepresentation: 'name',
};
