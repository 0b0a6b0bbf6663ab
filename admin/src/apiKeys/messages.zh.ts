import type { ApiKeyMessages } from './messages.en';

/** Chinese messages of the API-key screens; loaded with the Chinese catalogue only. */
export const apiKeysZh: ApiKeyMessages = {
  apiKeys: {
    name: 'API 密钥 |||| API 密钥',
    fields: {
      name: '名称',
      kind: '类型',
      prefix: '密钥',
      scopes: '权限范围',
      territories: '区域',
      territoryIds: '区域',
      expiresAt: '过期时间',
      lastUsedAt: '最近使用',
      createdAt: '创建时间',
      createdBy: '创建人',
      active: '有效',
      status: '状态',
      actions: '操作',
    },
    status: { active: '有效', revoked: '已吊销', expired: '已过期' },
    help: {
      kind: '集成方按权限范围读写；BI 工具只读。',
      scopes: '该密钥可以执行的操作。',
      biScopes: 'BI 密钥只能读取。',
      territories: '任意级别的区域；密钥可访问其下的所有城市。',
      expiresAt: '选填：过了这个时间密钥即失效。',
    },
    secret: {
      title: '已创建 API 密钥“%{name}”',
      once: '此密钥只显示这一次',
      warning: '请立即复制并妥善保存。系统只保存其哈希值：若丢失，请吊销后重新创建。',
      label: '密钥',
      copy: '复制',
      copied: '已复制',
      usage: '请求时以请求头 Authorization: Bearer <密钥> 发送。',
      done: '我已保存',
    },
    actions: { revoke: '吊销' },
    revoke: {
      title: '吊销 %{name}？',
      message: '密钥将立即失效，且无法撤销。',
    },
    notifications: {
      revoked: 'API 密钥已吊销',
      created: 'API 密钥已创建',
    },
    empty: '还没有 API 密钥。',
  },
};
