import type { UserMessages } from './messages.en';

/** Chinese messages of the user screens; loaded with the Chinese catalogue only. */
export const usersZh: UserMessages = {
  users: {
    name: '用户 |||| 用户',
    fields: {
      q: '搜索',
      name: '姓名',
      email: '邮箱',
      role: '角色',
      active: '启用',
      password: '密码',
      newPassword: '新密码',
      territories: '负责区域',
      territoryIds: '负责区域',
      managedRegions: '管理大区',
      managedRegionIds: '管理大区',
      territoryId: '区域',
      createdAt: '创建时间',
      updatedAt: '最后更新',
    },
    actions: {
      deactivate: '停用',
      activate: '重新启用',
    },
    help: {
      password: '至少 8 个字符。留空则保持不变。',
      territories: '业务员：其工作的城市。',
      managedRegions: '区域经理：其管理的大区（含下级）。',
      deactivate: '停用的用户无法登录，其会话立即失效。',
    },
    notifications: {
      created: '用户已创建',
      updated: '用户已保存',
      deactivated: '用户已停用',
      activated: '用户已重新启用',
    },
  },
};
