import ShoppingCart from '@mui/icons-material/ShoppingCart';
import { lazy } from 'react';

export { orderResource, paymentResource } from './orderResource';

export const orderViews = {
  list: lazy(() => import('./OrderList')),
  show: lazy(() => import('./OrderShow')),
  edit: lazy(() => import('./OrderEdit')),
  create: lazy(() => import('./OrderCreate')),
  icon: ShoppingCart,
  recordRepresentation: 'number',
};
