import {
  AdminWebhookByIdDocument,
  AdminWebhookDeliveriesDocument,
  AdminWebhooksDocument,
  type AdminWebhookAttemptFragment,
  type AdminWebhookFragment,
} from '../../../schema/generated/graphql';
import { compact, listOperation, readOperation, type RaFilter, type ResourceAdapter } from '../providers/resource';

/**
 * Webhooks of every API key (admins), newest first. Creating one and rotating its secret are not
 * react-admin writes: the secret they return must stay out of every cache, so the screens send
 * their own documents and show it once.
 */
export const webhookResource: ResourceAdapter<AdminWebhookFragment> = {
  list: listOperation(AdminWebhooksDocument, (data) => data.webhooks, {
    filter: () => undefined,
    orderBy: () => undefined,
    arguments: (filter) => compact({ apiKeyId: typeof filter.apiKeyId === 'string' ? filter.apiKeyId : undefined }) ?? {},
  }),
  one: readOperation(AdminWebhookByIdDocument, (data) => data.webhook),
  affects: ['auditEvents'],
};

/** The delivery log's filter: the webhook (the reference's target), and optionally an outcome or one event. */
function deliveryArguments(filter: RaFilter): { webhookId: string; succeeded?: boolean; eventId?: string } {
  return {
    webhookId: String(filter.webhookId ?? ''),
    ...(typeof filter.succeeded === 'boolean' ? { succeeded: filter.succeeded } : {}),
    ...(typeof filter.eventId === 'string' && filter.eventId ? { eventId: filter.eventId } : {}),
  };
}

/**
 * A webhook's delivery log (`webhookDeliveries`), newest attempt first, one record per attempt;
 * read through a reference on the webhook's page (target `webhookId`). Pages follow the
 * connection's cursors like every list. Read-only: redelivery is a mutation of its own.
 */
export const webhookDeliveryResource: ResourceAdapter<AdminWebhookAttemptFragment> = {
  list: listOperation(AdminWebhookDeliveriesDocument, (data) => data.webhookDeliveries, {
    filter: () => undefined,
    orderBy: () => undefined,
    arguments: deliveryArguments,
  }),
};
