import ContactPhone from '@mui/icons-material/ContactPhone';
import { lazy } from 'react';

export { contactResource } from './contactResource';

export const contactViews = {
  list: lazy(() => import('./ContactList')),
  edit: lazy(() => import('./ContactEdit')),
  create: lazy(() => import('./ContactCreate')),
  icon: ContactPhone,
  recordRepresentation: 'name',
};
