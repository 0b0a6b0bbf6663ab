import Forum from '@mui/icons-material/Forum';
import { lazy } from 'react';

export { interactionResource } from './interactionResource';

export const interactionViews = {
  list: lazy(() => import('./InteractionList')),
  edit: lazy(() => import('./InteractionEdit')),
  create: lazy(() => import('./InteractionCreate')),
  icon: Forum,
  recordRepresentation: 'summary',
};
