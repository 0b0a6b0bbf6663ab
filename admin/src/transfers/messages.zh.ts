import type { TransferMessages } from './messages.en';

/** Chinese messages of the transfer screens; loaded with the Chinese catalogue only. */
export const transfersZh: TransferMessages = {
  transfers: {
    name: '客户转移 |||| 客户转移',
    fields: {
      status: '状态',
      mine: '仅我的申请',
      customer: '客户',
      from: '转出',
      to: '转入',
      requestedBy: '申请人',
      reason: '原因',
      createdAt: '申请时间',
      decision: '审批',
      decisionComment: '审批意见',
      actions: '操作',
    },
    allStatuses: '全部',
    actions: {
      approve: '批准',
      reject: '驳回',
      cancel: '撤回申请',
    },
    dialog: {
      approveTitle: '批准转移 %{name}？',
      rejectTitle: '驳回转移 %{name}？',
      cancelTitle: '撤回您对 %{name} 的申请？',
      move: '从 %{from} 转至 %{to}',
      commentRequired: '必填：告诉申请人原因。',
      commentOptional: '选填；随审批结果保存。',
    },
    notifications: {
      approve: '已批准转移：客户已转移',
      reject: '已驳回转移',
      cancel: '申请已撤回',
    },
    empty: '这里没有转移申请。',
    emptyStatus: '没有%{status}的转移申请。',
  },
};
