import type { AuditMessages } from './messages.en';

/** Chinese messages of the audit screens; loaded with the Chinese catalogue only. */
export const auditZh: AuditMessages = {
  auditEvents: {
    name: '审计日志 |||| 审计日志',
    fields: {
      at: '时间',
      action: '操作',
      actor: '操作人',
      actorId: '操作人',
      actorName: '操作人',
      entityType: '对象',
      entityId: '对象 ID',
      reason: '原因',
      from: '起始',
      to: '截止',
      regionPaths: '区域',
      changes: '变更内容',
    },
    actions: {
      TRANSFER_REQUESTED: '申请转移',
      TRANSFER_APPROVED: '批准转移',
      TRANSFER_REJECTED: '驳回转移',
      TRANSFER_CANCELLED: '撤回转移申请',
      CUSTOMER_TRANSFERRED: '客户已转移',
      CUSTOMER_REASSIGNED: '客户已重新分配',
      CUSTOMERS_BULK_REASSIGNED: '批量重新分配',
      REALIGNMENT_APPLIED: '区域调整',
      API_KEY_CREATED: '创建 API 密钥',
      API_KEY_REVOKED: '吊销 API 密钥',
      WEBHOOK_CREATED: '创建 Webhook',
      WEBHOOK_UPDATED: '修改 Webhook',
      WEBHOOK_DELETED: '删除 Webhook',
      WEBHOOK_SECRET_ROTATED: '轮换 Webhook 密钥',
      MUTATION_DENIED: '修改被拒绝',
    },
    empty: '没有符合筛选条件的事件。',
  },
};
