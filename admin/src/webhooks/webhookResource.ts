import { AdminWebhooksDocument, type AdminWebhookFragment } from '../../../schema/generated/graphql';
import { compact, listOperation, type ResourceAdapter } from '../providers/resource';

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
  affects: ['auditEvents'],
};
