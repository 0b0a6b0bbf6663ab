import Webhook from '@mui/icons-material/Webhook';
import { lazy } from 'react';

export { webhookResource } from './webhookResource';

export const webhookViews = {
  list: lazy(() => import('./WebhookList')),
  create: lazy(() => import('./WebhookCreate')),
  icon: Webhook,
  recordRepresentation: 'url',
};
