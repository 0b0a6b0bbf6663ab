import type { SignInMessages } from './messages.en';

export const signInZh: SignInMessages = {
  title: 'Accountable 客户管理',
  tagline: '每个客户都有负责人',
  email: '邮箱',
  password: '密码',
  submit: '登录',
  submitting: '正在登录…',
  required: '请输入邮箱和密码。',
  language: '语言',
};
