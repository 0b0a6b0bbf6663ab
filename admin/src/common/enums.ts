import type {
  ApiKeyKind,
  Channel,
  ContactFrequency,
  CreditStanding,
  DecisionRole,
  IndustryStanding,
  InteractionKind,
  LifecycleStage,
  OrderStatus,
  OwnershipType,
  RegionKind,
  Quadrant,
  RelationshipLevel,
  Role,
  Scope,
  SizeBand,
  TransferStatus,
} from '../../../schema/generated/graphql';

export const LIFECYCLE_STAGES: readonly LifecycleStage[] = ['POTENTIAL', 'INTENTION', 'FIRST_PURCHASE', 'REPEAT', 'DORMANT', 'LOST'];
export const CHANNELS: readonly Channel[] = ['FIELD', 'PHONE', 'WEB', 'CALL_CENTRE', 'EMAIL', 'EVENT', 'REFERRAL', 'OTHER'];
export const INTERACTION_KINDS: readonly InteractionKind[] = [
  'VISIT',
  'CALL',
  'MEETING',
  'DEMO',
  'EMAIL',
  'INSTALLATION',
  'REPAIR',
  'SERVICE_REQUEST',
  'COMPLAINT',
  'SUGGESTION',
];
export const ORDER_STATUSES: readonly OrderStatus[] = ['QUOTE', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'];
export const ROLES: readonly Role[] = ['ADMIN', 'MANAGER', 'REP'];
export const REGION_KINDS: readonly RegionKind[] = ['REGION', 'PROVINCE', 'TERRITORY'];
export const CREDIT_STANDINGS: readonly CreditStanding[] = ['EXCELLENT', 'GOOD', 'FAIR', 'POOR', 'UNKNOWN'];
export const INDUSTRY_STANDINGS: readonly IndustryStanding[] = ['LEADER', 'CHALLENGER', 'FOLLOWER', 'NICHE'];
export const SIZE_BANDS: readonly SizeBand[] = ['MICRO', 'SMALL', 'MEDIUM', 'LARGE', 'ENTERPRISE'];
export const OWNERSHIP_TYPES: readonly OwnershipType[] = ['STATE_OWNED', 'PRIVATE', 'FOREIGN', 'OTHER'];
export const RELATIONSHIP_LEVELS: readonly RelationshipLevel[] = ['BASIC', 'REACTIVE', 'ACCOUNTABLE', 'PROACTIVE', 'PARTNERSHIP'];
export const DECISION_ROLES: readonly DecisionRole[] = ['DECISION_MAKER', 'BUYER', 'INFLUENCER', 'GATEKEEPER', 'USER', 'OTHER'];
export const CONTACT_FREQUENCIES: readonly ContactFrequency[] = ['WEEKLY', 'BIWEEKLY', 'MONTHLY', 'QUARTERLY', 'YEARLY', 'ON_DEMAND'];

export const TRANSFER_STATUSES: readonly TransferStatus[] = ['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED'];
export const API_KEY_KINDS: readonly ApiKeyKind[] = ['INTEGRATOR', 'BI'];
export const SCOPES: readonly Scope[] = [
  'CUSTOMERS_READ',
  'CUSTOMERS_WRITE',
  'CONTACTS_READ',
  'CONTACTS_WRITE',
  'PII_READ',
  'INTERACTIONS_READ',
  'INTERACTIONS_WRITE',
  'ORDERS_READ',
  'ORDERS_WRITE',
  'EVALUATIONS_READ',
  'WEBHOOKS_MANAGE',
];
/** BI keys may hold read scopes only. */
export const READ_SCOPES: readonly Scope[] = SCOPES.filter((scope) => scope.endsWith('_READ'));
export const AUDIT_ENTITY_TYPES = ['Customer', 'TransferRequest', 'ApiKey', 'Webhook', 'Realignment'] as const;
export const QUADRANTS: readonly Quadrant[] = ['I', 'II', 'III', 'IV'];

export type EnumName =
  | 'LifecycleStage'
  | 'Channel'
  | 'InteractionKind'
  | 'OrderStatus'
  | 'Role'
  | 'RegionKind'
  | 'CreditStanding'
  | 'IndustryStanding'
  | 'SizeBand'
  | 'OwnershipType'
  | 'RelationshipLevel'
  | 'DecisionRole'
  | 'ContactFrequency'
  | 'CycleStatus'
  | 'TransferStatus'
  | 'ApiKeyKind'
  | 'Scope'
  | 'AuditEntityType'
  | 'ActorKind'
  | 'EvaluationRunStatus'
  | 'EvaluationRunPhase'
  | 'Quadrant'
  | 'ValueTier'
  | 'GradeMovement'
  | 'LifecycleTrigger'
  | 'StageChangeStatus'
  | 'AccessLevel'
  | 'AccessRule'
  | 'CustomerFieldGroup';

/** Choices for SelectInput & co.; react-admin translates the names. */
export function enumChoices(name: EnumName, values: readonly string[]) {
  return values.map((value) => ({ id: value, name: `enums.${name}.${value}` }));
}

export { STAGE_COLORS } from './stageColors';

export const TRANSFER_STATUS_COLORS: Record<TransferStatus, 'default' | 'warning' | 'success' | 'error'> = {
  PENDING: 'warning',
  APPROVED: 'success',
  REJECTED: 'error',
  CANCELLED: 'default',
};

export const QUADRANT_COLORS: Record<Quadrant, string> = {
  I: '#2e7d32',
  II: '#1f4e79',
  III: '#f9a825',
  IV: '#c62828',
};
