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
    empty: '没有符合筛选条件的事件。',
  },
};
