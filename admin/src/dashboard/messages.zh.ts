import type { DashboardMessages } from './messages.en';

/** Chinese messages of the dashboard; loaded with the Chinese catalogue only. */
export const dashboardZh: DashboardMessages = {
  title: '仪表盘',
  welcome: '欢迎，%{name}',
  totalCustomers: '客户',
  byRegion: '各大区的客户数',
  customers: '客户数',
  openList: '打开列表',
  total: '%{count} 个客户',
  funnel: '生命周期漏斗',
  entered: '曾进入',
  conversion: '转化到下一阶段',
  overdue: '超期客户',
  overdueCount: '%{count} 个客户超出所在阶段的停留时限',
  noOverdue: '没有客户超出所在阶段的停留时限。',
  daysOverdue: '超期天数',
  quadrants: '象限与健康目标对比',
  grades: '等级分布',
  cycle: '周期 %{name}',
  noCycle: '还没有已计算的评价周期。',
  targets: '收入：各大区目标与实际对比',
  plan: '目标',
  actual: '实际',
  newCustomers: '新客户',
  year: '年份',
};
