import { AdminApiKeyByIdDocument, AdminApiKeysDocument, type AdminApiKeyFragment } from '../../../schema/generated/graphql';
import { compact, listOperation, readOperation, type ResourceAdapter } from '../providers/resource';

/**
 * API keys, newest first. Creating one is not a react-admin `create`: the secret it returns must
 * stay out of every cache, so ApiKeyCreate sends its own document and shows the secret once.
 */
export const apiKeyResource: ResourceAdapter<AdminApiKeyFragment> = {
  list: listOperation(AdminApiKeysDocument, (data) => data.apiKeys, {
    filter: (filter) => compact({ active: typeof filter.active === 'boolean' ? filter.active : undefined }),
    orderBy: () => undefined,
  }),
  one: readOperation(AdminApiKeyByIdDocument, (data) => data.apiKey),
  affects: ['auditEvents'],
};
