/** English messages of the interaction screens; messages.zh.ts mirrors every key (typed by InteractionMessages). */
export const interactionsEn = {
  interactions: {
    name: 'Interaction |||| Interactions',
    notifications: {
      created: 'Visit logged',
      updated: 'Interaction saved',
      deleted: 'Interaction deleted',
    },
    fields: {
      kind: 'Kind',
      channel: 'Channel',
      occurredAt: 'When',
      summary: 'Summary',
      outcome: 'Outcome',
      nextStep: 'Next step',
      followUpOn: 'Follow up on',
      customer: 'Customer',
      customerId: 'Customer',
      contact: 'Contact',
      contactId: 'Contact',
      author: 'Logged by',
      authorId: 'Logged by',
      kinds: 'Kinds',
      channels: 'Channels',
      occurredAfter: 'From',
      occurredBefore: 'Until',
      followUpDueBy: 'Follow-ups due by',
    },
    page: {
      create: 'Log a visit',
    },
    more: 'More details',
  },
};

export type InteractionMessages = typeof interactionsEn;
