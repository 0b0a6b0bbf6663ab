/** English messages of the stage-change and lifecycle-settings screens; messages.zh.ts mirrors every key (typed by StageChangeMessages). */
export const stageChangesEn = {
  stageChanges: {
    name: 'Stage change |||| Stage changes',
    fields: {
      status: 'Status',
      customer: 'Customer',
      change: 'Change',
      toStage: 'New stage',
      requestedBy: 'Requested by',
      reason: 'Reason',
      createdAt: 'Requested',
      decision: 'Decision',
      decisionComment: 'Comment',
      actions: 'Actions',
    },
    allStatuses: 'All',
    actions: {
      change: 'Change stage',
      submit: 'Change',
      approve: 'Approve',
      reject: 'Reject',
    },
    dialog: {
      title: 'Change the stage of %{name}',
      help: "The owner may move an account one stage forward at once; going back or skipping a stage needs a manager's approval. The reason stays with the change.",
      approveTitle: 'Approve the stage change of %{name}?',
      rejectTitle: 'Reject the stage change of %{name}?',
    },
    notifications: {
      applied: 'Stage changed',
      requested: 'Sent to a manager for approval',
      approve: 'Stage change approved',
      reject: 'Stage change rejected',
    },
    empty: 'No stage changes here.',
    emptyStatus: 'No %{status} stage changes.',
  },
  lifecycleSettings: {
    name: 'Lifecycle settings |||| Lifecycle settings',
    title: 'Lifecycle settings',
    slas: 'Expected dwell time per stage',
    slasHelp: 'A customer past it raises an alert to its owner and their manager, and shows among the overdue customers. Empty: no limit.',
    stage: 'Stage',
    maxDays: 'Maximum days',
    maxDaysFor: 'Maximum days in %{stage}',
    noSla: 'No limit',
    updatedAt: 'Last changed',
    dormancy: 'Dormancy',
    dormancyHelp: 'Customers without an order or an interaction for this long become dormant.',
    dormantAfterDays: 'Dormant after (days)',
    checkHelp: 'The check runs on a schedule; run it now to apply new settings at once.',
    runCheck: 'Run the check now',
    checkResult: '%{dormant} customers moved to dormant, %{alerts} alerts raised.',
    saved: 'Saved',
  },
};

export type StageChangeMessages = typeof stageChangesEn;
