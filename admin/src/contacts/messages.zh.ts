import type { ContactMessages } from './messages.en';

/** Chinese messages of the contact screens; loaded with the Chinese catalogue only. */
export const contactsZh: ContactMessages = {
  contacts: {
    name: '联系人 |||| 联系人',
    notifications: {
      created: '联系人已添加',
      updated: '联系人已保存',
      deleted: '联系人已删除',
    },
    fields: {
      q: '搜索',
      name: '姓名',
      title: '职务',
      decisionRole: '决策角色',
      email: '邮箱',
      mobile: '手机',
      phone: '直线电话',
      preferredChannel: '首选联系方式',
      preferredFrequency: '联系频率',
      consent: '同意营销联系',
      imHandles: '即时通讯账号',
      network: '平台',
      handle: '账号',
      customer: '客户',
      customerId: '客户',
      createdAt: '创建时间',
      updatedAt: '最后更新',
    },
  },
};
