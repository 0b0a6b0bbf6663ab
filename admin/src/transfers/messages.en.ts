/** English messages of the transfer screens; messages.zh.ts mirrors every key (typed by TransferMessages). */
export const transfersEn = {
  transfers: {
    name: 'Transfer |||| Transfers',
    fields: {
      status: 'Status',
      mine: 'Only my requests',
      customer: 'Customer',
      from: 'From',
      to: 'To',
      requestedBy: 'Requested by',
      reason: 'Reason',
      createdAt: 'Requested',
      decision: 'Decision',
      decisionComment: 'Comment',
      actions: 'Actions',
    },
    allStatuses: 'All',
    actions: {
      approve: 'Approve',
      reject: 'Reject',
      cancel: 'Cancel request',
    },
    dialog: {
      approveTitle: 'Approve the transfer of %{name}?',
      rejectTitle: 'Reject the transfer of %{name}?',
      cancelTitle: 'Cancel your request for %{name}?',
      move: 'From %{from} to %{to}',
      commentRequired: 'Required: tell the requester why.',
      commentOptional: 'Optional; kept with the decision.',
    },
    notifications: {
      approve: 'Transfer approved: the account has moved',
      reject: 'Transfer rejected',
      cancel: 'Request cancelled',
    },
    empty: 'No transfer requests here.',
    emptyStatus: 'No %{status} transfer requests.',
  },
};

export type TransferMessages = typeof transfersEn;
