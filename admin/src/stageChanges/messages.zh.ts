import type { StageChangeMessages } from './messages.en';

/** Chinese messages of the stage-change and lifecycle-settings screens; loaded with the Chinese catalogue only. */
export const stageChangesZh: StageChangeMessages = {
  stageChanges: {
    name: '阶段变更 |||| 阶段变更',
    fields: {
      status: '状态',
      customer: '客户',
      change: '变更',
      toStage: '新阶段',
      requestedBy: '申请人',
      reason: '原因',
      createdAt: '申请时间',
      decision: '审批',
      decisionComment: '审批意见',
      actions: '操作',
    },
    allStatuses: '全部',
    actions: {
      change: '变更阶段',
      submit: '变更',
      approve: '批准',
      reject: '驳回',
    },
    dialog: {
      title: '变更 %{name} 的阶段',
      help: '负责人可以直接将客户推进一个阶段；回退或跳过阶段需经区域经理批准。原因会随变更一起保存。',
      approveTitle: '批准 %{name} 的阶段变更？',
      rejectTitle: '驳回 %{name} 的阶段变更？',
    },
    notifications: {
      applied: '阶段已变更',
      requested: '已提交区域经理审批',
      approve: '已批准阶段变更',
      reject: '已驳回阶段变更',
    },
    empty: '这里没有阶段变更。',
    emptyStatus: '没有%{status}的阶段变更。',
  },
  lifecycleSettings: {
    name: '生命周期设置 |||| 生命周期设置',
    title: '生命周期设置',
    slas: '各阶段的预期停留时间',
    slasHelp: '超过时限的客户会向其负责人及区域经理发出提醒，并出现在超期客户中。留空表示不限。',
    stage: '阶段',
    maxDays: '最长天数',
    maxDaysFor: '%{stage}阶段的最长天数',
    noSla: '不限',
    updatedAt: '最近修改',
    dormancy: '休眠',
    dormancyHelp: '在这段时间内没有订单也没有跟进的客户会转为休眠。',
    dormantAfterDays: '休眠前的天数',
    checkHelp: '检查会按计划自动运行；立即运行可使新设置马上生效。',
    runCheck: '立即运行检查',
    checkResult: '%{dormant} 个客户转为休眠，发出 %{alerts} 条提醒。',
    saved: '已保存',
  },
};
