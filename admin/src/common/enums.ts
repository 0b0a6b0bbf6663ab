import type {
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
  RelationshipLevel,
  Role,
  SizeBand,
} from '../../../schema/generated/graphql';

export const LIFECYCLE_STAGES: readonly LifecycleStage[] = ['POTENTIAL', 'INTENTION', 'FIRST_PURCHASE', 'REPEAT', 'DORMANT', 'LOST'];
export const CHANNELS: readonly Channel[] = ['FIELD', 'PHONE', 'WEB', 'CALL_CENTRE', 'EMAIL', 'EVENT', 'REFERRAL', 'OTHER'];
export const INTERACTION_KINDS: readonly InteractionKind[] = ['VISIT', 'CALL', 'MEETING', 'DEMO', 'EMAIL', 'INSTALLATION', 'REPAIR', 'SERVICE_REQUEST', 'COMPLAINT', 'SUGGESTION'];
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
  | 'CycleStatus';

/** Choices for SelectInput & co.; react-admin translates the names. */
export function enumChoices(name: EnumName, values: readonly string[]) {
  return values.map((value) => ({ id: value, name: `enums.${name}.${value}` }));
}

export const STAGE_COLORS: Record<LifecycleStage, string> = {
  POTENTIAL: '#90a4ae',
  INTENTION: '#42a5f5',
  FIRST_PURCHASE: '#66bb6a',
  REPEAT: '#2e7d32',
  DORMANT: '#ffa726',
  LOST: '#e53935',
};
