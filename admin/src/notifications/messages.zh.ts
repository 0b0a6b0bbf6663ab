import type { NotificationMessages } from './messages.en';

/** Chinese messages of the notification bell; loaded with the Chinese catalogue only. */
export const notificationsZh: NotificationMessages = {
  notifications: {
    bell: '通知',
    unread: '%{smart_count} 条未读 |||| %{smart_count} 条未读',
    title: '通知',
    markAllRead: '全部标为已读',
    empty: '暂无通知。',
    error: '无法加载通知。',
    offline: '实时更新已中断；打开列表时会刷新。',
    someone: '有人',
    status: { APPROVED: '批准', REJECTED: '驳回', CANCELLED: '取消' },
    kind: {
      ACCOUNT_ASSIGNED: '%{customerName} 已归您负责（%{actorName}）。',
      ACCOUNT_REMOVED: '%{customerName} 已不再由您负责（%{actorName}）。',
      TRANSFER_AWAITING_DECISION: '%{actorName} 申请将 %{customerName} 从 %{fromTerritoryName} 转到 %{toTerritoryName}，待您审批。',
      TRANSFER_REQUESTED_FROM_YOU: '%{actorName} 申请转走您的客户 %{customerName}。',
      TRANSFER_DECIDED: '%{customerName} 的转移申请已被 %{actorName} %{status}。',
      STAGE_CHANGE_AWAITING_DECISION: '%{actorName} 申请将 %{customerName} 从「%{fromStage}」调整为「%{toStage}」，待您审批。',
      STAGE_CHANGE_DECIDED: '%{customerName} 从「%{fromStage}」调整为「%{toStage}」的申请已被 %{actorName} %{status}。',
      SLA_OVERDUE: '%{customerName} 停留在「%{stage}」阶段已超过时限。',
      GRADE_CHANGED: '%{customerName} 在 %{cycleName} 中评为 %{grade}（此前为 %{previousGrade}）。',
    },
  },
};
