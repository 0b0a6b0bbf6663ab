import type { TranslationMessages } from 'react-admin';
import type { AppMessages } from './en';
import { raChineseMessages } from './raChinese';
import { customersZh } from '../customers/messages.zh';
import { contactsZh } from '../contacts/messages.zh';
import { interactionsZh } from '../interactions/messages.zh';
import { ordersZh } from '../orders/messages.zh';
import { transfersZh } from '../transfers/messages.zh';
import { stageChangesZh } from '../stageChanges/messages.zh';
import { apiKeysZh } from '../apiKeys/messages.zh';
import { webhooksZh } from '../webhooks/messages.zh';
import { auditZh } from '../audit/messages.zh';
import { evaluationsZh } from '../evaluations/messages.zh';
import { regionsZh } from '../regions/messages.zh';
import { usersZh } from '../users/messages.zh';
import { assignmentZh } from '../assignment/messages.zh';
import { importsZh } from '../imports/messages.zh';
import { mergesZh } from '../merges/messages.zh';
import { dashboardZh } from '../dashboard/messages.zh';
import { notificationsZh } from '../notifications/messages.zh';
import { serverErrorsZh } from './serverErrors.zh';
import { signInZh } from '../signIn/messages.zh';

export const zhAppMessages: AppMessages = {
  app: {
    title: signInZh.title,
    tagline: signInZh.tagline,
    locale: { en: 'English', zh: '简体中文' },
    empty: '—',
    state: {
      loading: '加载中…',
      error: '无法加载这些数据。',
      retry: '重试',
      empty: '这里还没有内容。',
    },
    conflict: {
      message: '您编辑期间，其他人修改了这条记录（当前版本 %{version}）。重新加载即可看到他们的修改；您未保存的修改将被丢弃。',
      reload: '重新加载',
    },
    serverErrors: serverErrorsZh,
    menu: {
      dashboard: '仪表盘',
    },
  },
  enums: {
    LifecycleStage: {
      POTENTIAL: '潜在',
      INTENTION: '意向',
      FIRST_PURCHASE: '初次购买',
      REPEAT: '历史客户',
      DORMANT: '休眠',
      LOST: '流失',
    },
    Channel: {
      FIELD: '上门拜访',
      PHONE: '电话',
      WEB: '网站',
      CALL_CENTRE: '呼叫中心',
      EMAIL: '邮件',
      EVENT: '活动',
      REFERRAL: '转介绍',
      OTHER: '其他',
    },
    InteractionKind: {
      VISIT: '拜访',
      CALL: '电话',
      MEETING: '会议',
      DEMO: '演示',
      EMAIL: '邮件',
      INSTALLATION: '安装',
      REPAIR: '报修',
      SERVICE_REQUEST: '服务请求',
      COMPLAINT: '投诉',
      SUGGESTION: '建议',
    },
    OrderStatus: {
      QUOTE: '报价',
      CONFIRMED: '已确认',
      SHIPPED: '已发货',
      DELIVERED: '已签收',
      CANCELLED: '已取消',
    },
    Role: { ADMIN: '管理员', MANAGER: '区域经理', REP: '业务员' },
    RegionKind: { REGION: '大区', PROVINCE: '省份', TERRITORY: '城市' },
    CreditStanding: { EXCELLENT: '优秀', GOOD: '良好', FAIR: '一般', POOR: '较差', UNKNOWN: '未知' },
    IndustryStanding: { LEADER: '领导者', CHALLENGER: '挑战者', FOLLOWER: '跟随者', NICHE: '补缺者' },
    SizeBand: { MICRO: '微型', SMALL: '小型', MEDIUM: '中型', LARGE: '大型', ENTERPRISE: '特大型' },
    OwnershipType: { STATE_OWNED: '国有', PRIVATE: '民营', FOREIGN: '外资', OTHER: '其他' },
    RelationshipLevel: { BASIC: '基本型', REACTIVE: '被动型', ACCOUNTABLE: '负责型', PROACTIVE: '能动型', PARTNERSHIP: '伙伴型' },
    DecisionRole: { DECISION_MAKER: '决策者', BUYER: '采购', INFLUENCER: '影响者', GATEKEEPER: '把关者', USER: '使用者', OTHER: '其他' },
    ContactFrequency: { WEEKLY: '每周', BIWEEKLY: '每两周', MONTHLY: '每月', QUARTERLY: '每季度', YEARLY: '每年', ON_DEMAND: '按需' },
    CycleStatus: { DRAFT: '草稿', COMPUTED: '已计算', PUBLISHED: '已发布' },
    TransferStatus: { PENDING: '待审批', APPROVED: '已批准', REJECTED: '已驳回', CANCELLED: '已撤回' },
    ApiKeyKind: { INTEGRATOR: '集成方', BI: 'BI 工具' },
    Scope: {
      CUSTOMERS_READ: '客户：读取',
      CUSTOMERS_WRITE: '客户：写入',
      CONTACTS_READ: '联系人：读取',
      CONTACTS_WRITE: '联系人：写入',
      PII_READ: '个人信息：读取',
      INTERACTIONS_READ: '跟进记录：读取',
      INTERACTIONS_WRITE: '跟进记录：写入',
      ORDERS_READ: '订单：读取',
      ORDERS_WRITE: '订单：写入',
      EVALUATIONS_READ: '评价：读取',
      WEBHOOKS_MANAGE: 'Webhook：管理',
    },
    AuditEntityType: {
      Customer: '客户',
      TransferRequest: '转移申请',
      ApiKey: 'API 密钥',
      Webhook: 'Webhook 订阅',
      Realignment: '区域调整',
    },
    ActorKind: { USER: '用户', API_KEY: 'API 密钥', ANONYMOUS: '系统' },
    EvaluationRunStatus: { RUNNING: '计算中', DONE: '已完成', FAILED: '失败' },
    EvaluationRunPhase: { METRICS: '正在统计客户指标', SCORING: '正在评分定级', FINISHED: '已完成' },
    Quadrant: { I: 'I · 忠诚且盈利', II: 'II · 盈利但短期', III: 'III · 忠诚但低利', IV: 'IV · 两者皆非' },
    ValueTier: { MVC: '最有价值客户（MVC）', MGC: '最具增长潜力客户（MGC）', BELOW_ZERO: '负值客户' },
    GradeMovement: { UP: '上升', DOWN: '下降', SAME: '不变', NEW: '新增' },
    LifecycleTrigger: { ORDER: '订单', INACTIVITY: '长期无活动', MANUAL: '手动' },
    StageChangeStatus: { PENDING: '待审批', APPROVED: '已批准', REJECTED: '已驳回' },
    AccessLevel: { EDIT: '可编辑', READ: '可查看', DIRECTORY: '仅名录卡片', NONE: '无权访问' },
    AccessRule: {
      ADMIN: '管理员',
      OWNER: '负责人',
      REGION_MANAGER: '大区经理',
      TERRITORY_MEMBER: '本区域业务员',
      DIRECTORY_ONLY: '仅名录',
      API_KEY_TERRITORY: 'API 密钥的区域',
      INACTIVE_USER: '已停用用户',
    },
    CustomerFieldGroup: {
      DIRECTORY: '名录卡片',
      PROFILE: '基本资料',
      CONTACTS: '联系人',
      INTERACTIONS: '跟进记录',
      ORDERS: '订单',
      EVALUATIONS: '评价',
      OWNERSHIP: '归属历史',
    },
  },
  resources: {
    ...customersZh,
    ...contactsZh,
    ...interactionsZh,
    ...ordersZh,
    ...transfersZh,
    ...stageChangesZh,
    ...apiKeysZh,
    ...webhooksZh,
    ...auditZh,
    ...evaluationsZh,
    ...regionsZh,
    ...usersZh,
    ...assignmentZh,
    ...importsZh,
    ...mergesZh,
  },
  dashboard: dashboardZh,
  ...notificationsZh,
};

export const zhMessages: TranslationMessages = { ...raChineseMessages, ...zhAppMessages };
