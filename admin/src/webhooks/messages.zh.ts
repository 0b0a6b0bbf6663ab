import type { WebhookMessages } from './messages.en';

/** Chinese messages of the webhook screens; loaded with the Chinese catalogue only. */
export const webhooksZh: WebhookMessages = {
  webhooks: {
    name: 'Webhook 推送 |||| Webhook 推送',
    fields: {
      apiKeyId: 'API 密钥',
      apiKeyName: 'API 密钥',
      url: '地址',
      eventTypes: '事件类型',
      fieldFilter: '仅当这些字段变化时',
      description: '说明',
      status: '状态',
      lastSuccessAt: '最近送达',
      createdAt: '创建时间',
      actions: '操作',
    },
    status: {
      enabled: '已启用',
      failing: '自 %{since} 起失败',
      disabled: '已停用',
      FAILING: '已停用：持续失败',
      CURSOR_EXPIRED: '已停用：落后于变更流',
      MANUAL: '已停用',
    },
    help: {
      apiKeyId: 'Webhook 只收到该密钥可读取的内容。',
      url: '公网 http(s) 地址；回环和内网地址会被拒绝。',
      eventTypes: '例如 customer.updated、customer.owner_changed、order.created。',
      fieldFilter: '可选，仅用于 *.updated 事件：字段名如 owner、lifecycleStage。',
    },
    secret: {
      title: '%{url} 的签名密钥',
      once: '此密钥只显示这一次',
      warning: '请立即交给接收方：它用该密钥校验 Webhook-Signature 头。如遗失，请轮换。',
      label: '密钥',
      copy: '复制',
      copied: '已复制',
      done: '我已保存',
    },
    actions: { enable: '启用', disable: '停用', rotate: '轮换密钥', delete: '删除' },
    delete: { title: '删除发往 %{url} 的 Webhook？', message: '立即停止推送；其队列和推送记录一并删除。' },
    rotate: { title: '轮换 %{url} 的密钥？', message: '新密钥只显示一次；当前密钥在 24 小时内仍同时签名。' },
    notifications: { updated: 'Webhook 已更新', deleted: 'Webhook 已删除' },
    empty: '还没有 Webhook。',
  },
};
