import type { InteractionMessages } from './messages.en';

/** Chinese messages of the interaction screens; loaded with the Chinese catalogue only. */
export const interactionsZh: InteractionMessages = {
  interactions: {
    name: '跟进记录 |||| 跟进记录',
    notifications: {
      created: '拜访已记录',
      updated: '互动已保存',
      deleted: '互动已删除',
    },
    fields: {
      kind: '类型',
      channel: '渠道',
      occurredAt: '时间',
      summary: '摘要',
      outcome: '结果',
      nextStep: '下一步',
      followUpOn: '跟进日期',
      customer: '客户',
      customerId: '客户',
      contact: '联系人',
      contactId: '联系人',
      author: '记录人',
      authorId: '记录人',
      kinds: '类型',
      channels: '渠道',
      occurredAfter: '起始时间',
      occurredBefore: '截止时间',
      followUpDueBy: '跟进截止',
    },
    page: {
      create: '记录拜访',
    },
    more: '更多信息',
  },
};
