/** English messages of the webhook screens; messages.zh.ts mirrors every key (typed by WebhookMessages). */
export const webhooksEn = {
  webhooks: {
    name: 'Webhook |||| Webhooks',
    fields: {
      apiKeyId: 'API key',
      apiKeyName: 'API key',
      url: 'URL',
      eventTypes: 'Event types',
      fieldFilter: 'Only when these fields change',
      description: 'Description',
      status: 'Status',
      lastSuccessAt: 'Last delivered',
      createdAt: 'Created',
      actions: 'Actions',
    },
    status: {
      enabled: 'Enabled',
      failing: 'Failing since %{since}',
      disabled: 'Disabled',
      FAILING: 'Disabled: kept failing',
      CURSOR_EXPIRED: 'Disabled: fell behind the feed',
      MANUAL: 'Disabled',
    },
    help: {
      apiKeyId: 'The webhook receives what this key may read, nothing more.',
      url: 'A public http(s) address; loopback and private addresses are refused.',
      eventTypes: 'e.g. customer.updated, customer.owner_changed, order.created.',
      fieldFilter: 'Optional, for *.updated events: field names such as owner, lifecycleStage.',
    },
    secret: {
      title: 'Signing secret of %{url}',
      once: 'You will not see this secret again',
      warning: 'Give it to the receiver now: it verifies the Webhook-Signature header with it. If it is lost, rotate it.',
      label: 'Secret',
      copy: 'Copy',
      copied: 'Copied',
      done: 'I have stored it',
    },
    actions: { enable: 'Enable', disable: 'Disable', rotate: 'Rotate secret', delete: 'Delete' },
    delete: { title: 'Delete the webhook to %{url}?', message: 'Delivery stops at once; its queue and delivery log are deleted.' },
    rotate: {
      title: 'Rotate the secret of %{url}?',
      message: 'A new secret is shown once; the current one keeps signing beside it for 24 hours.',
    },
    notifications: { updated: 'Webhook updated', deleted: 'Webhook deleted' },
    empty: 'No webhooks yet.',
  },
};

export type WebhookMessages = typeof webhooksEn;
