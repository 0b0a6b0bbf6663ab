/** English messages of the notification bell; messages.zh.ts mirrors every key (typed by NotificationMessages). */
export const notificationsEn = {
  notifications: {
    bell: 'Notifications',
    unread: '%{smart_count} unread |||| %{smart_count} unread',
    title: 'Notifications',
    markAllRead: 'Mark all read',
    empty: 'No notifications yet.',
    error: 'Could not load your notifications.',
    offline: 'Live updates are off; the list refreshes when you open it.',
    someone: 'Someone',
    status: { APPROVED: 'approved', REJECTED: 'rejected', CANCELLED: 'cancelled' },
    kind: {
      ACCOUNT_ASSIGNED: '%{customerName} is now your account (%{actorName}).',
      ACCOUNT_REMOVED: '%{customerName} is no longer your account (%{actorName}).',
      TRANSFER_AWAITING_DECISION:
        '%{actorName} asks to move %{customerName} from %{fromTerritoryName} to %{toTerritoryName}: your decision.',
      TRANSFER_REQUESTED_FROM_YOU: '%{actorName} asked for your account %{customerName}.',
      TRANSFER_DECIDED: 'The transfer of %{customerName} was %{status} by %{actorName}.',
      STAGE_CHANGE_AWAITING_DECISION: '%{actorName} asks to move %{customerName} from %{fromStage} to %{toStage}: your decision.',
      STAGE_CHANGE_DECIDED: 'Moving %{customerName} from %{fromStage} to %{toStage} was %{status} by %{actorName}.',
      SLA_OVERDUE: '%{customerName} has stayed at %{stage} longer than its SLA.',
      GRADE_CHANGED: '%{customerName} is graded %{grade} in %{cycleName} (was %{previousGrade}).',
    },
  },
};

export type NotificationMessages = typeof notificationsEn;
