import Webhook from '@mui/icons-material/Webhook';
import { lazy } from 'react';

export { webhookDeliveryResource, webhookResource } from './webhookResource';

export const webhookViews = {
  list: lazy(() => import('./WebhookList')),
  create: lazy(() => import('./WebhookCreate')),
  show: lazy(() => import('./WebhookShow')),
  icon: Webhook,
  recordRepresentation: 'url',
};
