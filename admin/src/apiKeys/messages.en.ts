/** English messages of the API-key screens; messages.zh.ts mirrors every key (typed by ApiKeyMessages). */
export const apiKeysEn = {
  apiKeys: {
    name: 'API key |||| API keys',
    fields: {
      name: 'Name',
      kind: 'Kind',
      prefix: 'Key',
      scopes: 'Scopes',
      territories: 'Territories',
      territoryIds: 'Territories',
      expiresAt: 'Expires',
      lastUsedAt: 'Last used',
      createdAt: 'Created',
      createdBy: 'Created by',
      active: 'Active',
      status: 'Status',
      actions: 'Actions',
    },
    status: { active: 'Active', revoked: 'Revoked', expired: 'Expired' },
    help: {
      kind: 'Integrators read and write per their scopes; BI tools only read.',
      scopes: 'What the key may do.',
      biScopes: 'BI keys are read-only.',
      territories: 'Regions at any level; the key reaches every territory at or below them.',
      expiresAt: 'Optional: after this moment the key stops working.',
    },
    secret: {
      title: 'API key "%{name}" created',
      once: 'You will not see this key again',
      warning: 'Copy it now and store it somewhere safe. Only its hash is kept: if it is lost, revoke it and create a new one.',
      label: 'Key',
      copy: 'Copy',
      copied: 'Copied',
      usage: 'Send it as the header Authorization: Bearer <key>.',
      done: 'I have stored it',
    },
    actions: { revoke: 'Revoke' },
    revoke: {
      title: 'Revoke %{name}?',
      message: 'The key stops working at once. This cannot be undone.',
    },
    notifications: {
      revoked: 'API key revoked',
      created: 'API key created',
    },
    empty: 'No API keys yet.',
  },
};

export type ApiKeyMessages = typeof apiKeysEn;
