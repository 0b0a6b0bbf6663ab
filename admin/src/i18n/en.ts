import englishMessages from 'ra-language-english';
import type { TranslationMessages } from 'react-admin';
import { customersEn } from '../customers/messages.en';
import { contactsEn } from '../contacts/messages.en';
import { interactionsEn } from '../interactions/messages.en';
import { ordersEn } from '../orders/messages.en';
import { transfersEn } from '../transfers/messages.en';
import { stageChangesEn } from '../stageChanges/messages.en';
import { apiKeysEn } from '../apiKeys/messages.en';
import { webhooksEn } from '../webhooks/messages.en';
import { auditEn } from '../audit/messages.en';
import { evaluationsEn } from '../evaluations/messages.en';
import { regionsEn } from '../regions/messages.en';
import { usersEn } from '../users/messages.en';
import { assignmentEn } from '../assignment/messages.en';
import { importsEn } from '../imports/messages.en';
import { mergesEn } from '../merges/messages.en';
import { dashboardEn } from '../dashboard/messages.en';
import { notificationsEn } from '../notifications/messages.en';
import { serverErrorsEn } from './serverErrors.en';
import { signInEn } from '../signIn/messages.en';

/** The console's own messages; zh.ts mirrors every key (a test compares them). */
export const enAppMessages = {
  app: {
    title: signInEn.title,
    tagline: signInEn.tagline,
    locale: { en: 'English', zh: '简体中文' },
    empty: '—',
    state: {
      loading: 'Loading…',
      error: 'Could not load this data.',
      retry: 'Retry',
      empty: 'Nothing here yet.',
    },
    conflict: {
      message:
        'Someone else changed this record while you were editing it (now version %{version}). Reload to see their changes; your unsaved edits will be discarded.',
      reload: 'Reload',
    },
    serverErrors: serverErrorsEn,
    menu: {
      dashboard: 'Dashboard',
    },
  },
  enums: {
    LifecycleStage: {
      POTENTIAL: 'Potential',
      INTENTION: 'Intention',
      FIRST_PURCHASE: 'First purchase',
      REPEAT: 'Repeat',
      DORMANT: 'Dormant',
      LOST: 'Lost',
    },
    Channel: {
      FIELD: 'Field visit',
      PHONE: 'Phone',
      WEB: 'Web',
      CALL_CENTRE: 'Call centre',
      EMAIL: 'Email',
      EVENT: 'Event',
      REFERRAL: 'Referral',
      OTHER: 'Other',
    },
    InteractionKind: {
      VISIT: 'Visit',
      CALL: 'Call',
      MEETING: 'Meeting',
      DEMO: 'Demo',
      EMAIL: 'Email',
      INSTALLATION: 'Installation',
      REPAIR: 'Repair',
      SERVICE_REQUEST: 'Service request',
      COMPLAINT: 'Complaint',
      SUGGESTION: 'Suggestion',
    },
    OrderStatus: {
      QUOTE: 'Quote',
      CONFIRMED: 'Confirmed',
      SHIPPED: 'Shipped',
      DELIVERED: 'Delivered',
      CANCELLED: 'Cancelled',
    },
    Role: { ADMIN: 'Admin', MANAGER: 'Region manager', REP: 'Sales rep' },
    RegionKind: { REGION: 'Region', PROVINCE: 'Province', TERRITORY: 'Territory' },
    CreditStanding: { EXCELLENT: 'Excellent', GOOD: 'Good', FAIR: 'Fair', POOR: 'Poor', UNKNOWN: 'Unknown' },
    IndustryStanding: { LEADER: 'Leader', CHALLENGER: 'Challenger', FOLLOWER: 'Follower', NICHE: 'Niche' },
    SizeBand: { MICRO: 'Micro', SMALL: 'Small', MEDIUM: 'Medium', LARGE: 'Large', ENTERPRISE: 'Enterprise' },
    OwnershipType: { STATE_OWNED: 'State-owned', PRIVATE: 'Private', FOREIGN: 'Foreign', OTHER: 'Other' },
    RelationshipLevel: {
      BASIC: 'Basic',
      REACTIVE: 'Reactive',
      ACCOUNTABLE: 'Accountable',
      PROACTIVE: 'Proactive',
      PARTNERSHIP: 'Partnership',
    },
    DecisionRole: {
      DECISION_MAKER: 'Decision maker',
      BUYER: 'Buyer',
      INFLUENCER: 'Influencer',
      GATEKEEPER: 'Gatekeeper',
      USER: 'User',
      OTHER: 'Other',
    },
    ContactFrequency: {
      WEEKLY: 'Weekly',
      BIWEEKLY: 'Every two weeks',
      MONTHLY: 'Monthly',
      QUARTERLY: 'Quarterly',
      YEARLY: 'Yearly',
      ON_DEMAND: 'On demand',
    },
    CycleStatus: { DRAFT: 'Draft', COMPUTED: 'Computed', PUBLISHED: 'Published' },
    TransferStatus: { PENDING: 'Pending', APPROVED: 'Approved', REJECTED: 'Rejected', CANCELLED: 'Cancelled' },
    ApiKeyKind: { INTEGRATOR: 'Integrator', BI: 'BI tool' },
    Scope: {
      CUSTOMERS_READ: 'Customers: read',
      CUSTOMERS_WRITE: 'Customers: write',
      CONTACTS_READ: 'Contacts: read',
      CONTACTS_WRITE: 'Contacts: write',
      PII_READ: 'Personal data: read',
      INTERACTIONS_READ: 'Interactions: read',
      INTERACTIONS_WRITE: 'Interactions: write',
      ORDERS_READ: 'Orders: read',
      ORDERS_WRITE: 'Orders: write',
      EVALUATIONS_READ: 'Evaluations: read',
      WEBHOOKS_MANAGE: 'Webhooks: manage',
    },
    AuditEntityType: {
      Customer: 'Customer',
      TransferRequest: 'Transfer request',
      ApiKey: 'API key',
      Webhook: 'Webhook',
      Realignment: 'Realignment',
    },
    ActorKind: { USER: 'User', API_KEY: 'API key', ANONYMOUS: 'System' },
    EvaluationRunStatus: { RUNNING: 'Running', DONE: 'Done', FAILED: 'Failed' },
    EvaluationRunPhase: { METRICS: 'Measuring customers', SCORING: 'Scoring and grading', FINISHED: 'Finished' },
    Quadrant: { I: 'I · loyal and profitable', II: 'II · profitable, short-lived', III: 'III · loyal, low profit', IV: 'IV · neither' },
    ValueTier: { MVC: 'Most valuable (MVC)', MGC: 'Most growable (MGC)', BELOW_ZERO: 'Below zero' },
    GradeMovement: { UP: 'Up', DOWN: 'Down', SAME: 'Unchanged', NEW: 'New' },
    LifecycleTrigger: { ORDER: 'Order', INACTIVITY: 'Inactivity', MANUAL: 'By hand' },
    StageChangeStatus: { PENDING: 'Pending', APPROVED: 'Approved', REJECTED: 'Rejected' },
    AccessLevel: { EDIT: 'May edit', READ: 'May read', DIRECTORY: 'Directory card only', NONE: 'No access' },
    AccessRule: {
      ADMIN: 'Admin',
      OWNER: 'Owner',
      REGION_MANAGER: 'Manager of the region',
      TERRITORY_MEMBER: 'Rep of the territory',
      DIRECTORY_ONLY: 'Directory only',
      API_KEY_TERRITORY: "API key's territories",
      INACTIVE_USER: 'Deactivated user',
    },
    CustomerFieldGroup: {
      DIRECTORY: 'Directory card',
      PROFILE: 'Profile',
      CONTACTS: 'Contacts',
      INTERACTIONS: 'Interactions',
      ORDERS: 'Orders',
      EVALUATIONS: 'Evaluations',
      OWNERSHIP: 'Ownership history',
    },
  },
  resources: {
    ...customersEn,
    ...contactsEn,
    ...interactionsEn,
    ...ordersEn,
    ...transfersEn,
    ...stageChangesEn,
    ...apiKeysEn,
    ...webhooksEn,
    ...auditEn,
    ...evaluationsEn,
    ...regionsEn,
    ...usersEn,
    ...assignmentEn,
    ...importsEn,
    ...mergesEn,
  },
  dashboard: dashboardEn,
  ...notificationsEn,
};

export type AppMessages = typeof enAppMessages;

export const enMessages: TranslationMessages = {
  ...englishMessages,
  ra: {
    ...englishMessages.ra,
    auth: { ...englishMessages.ra.auth, username: 'Email' },
  },
  ...enAppMessages,
};
