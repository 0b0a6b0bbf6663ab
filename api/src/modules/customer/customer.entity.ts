import { BeforeCreate, BeforeUpdate, Check, Entity, Enum, Index, ManyToOne, Property, type Ref, type Opt } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { normalizeName, registrationKey } from './customer.normalize.js';

export enum SizeBand {
  MICRO = 'MICRO',
  SMALL = 'SMALL',
  MEDIUM = 'MEDIUM',
  LARGE = 'LARGE',
  ENTERPRISE = 'ENTERPRISE',
}
export enum OwnershipType {
  STATE_OWNED = 'STATE_OWNED',
  PRIVATE = 'PRIVATE',
  FOREIGN = 'FOREIGN',
  OTHER = 'OTHER',
}
export enum CreditStanding {
  EXCELLENT = 'EXCELLENT',
  GOOD = 'GOOD',
  FAIR = 'FAIR',
  POOR = 'POOR',
  UNKNOWN = 'UNKNOWN',
}
export enum IndustryStanding {
  LEADER = 'LEADER',
  CHALLENGER = 'CHALLENGER',
  FOLLOWER = 'FOLLOWER',
  NICHE = 'NICHE',
}
export enum LifecycleStage {
  POTENTIAL = 'POTENTIAL',
  INTENTION = 'INTENTION',
  FIRST_PURCHASE = 'FIRST_PURCHASE',
  REPEAT = 'REPEAT',
  DORMANT = 'DORMANT',
  LOST = 'LOST',
}
export enum RelationshipLevel {
  BASIC = 'BASIC',
  REACTIVE = 'REACTIVE',
  ACCOUNTABLE = 'ACCOUNTABLE',
  PROACTIVE = 'PROACTIVE',
  PARTNERSHIP = 'PARTNERSHIP',
}
export enum Channel {
  FIELD = 'FIELD',
  PHONE = 'PHONE',
  WEB = 'WEB',
  CALL_CENTRE = 'CALL_CENTRE',
  EMAIL = 'EMAIL',
  REFERRAL = 'REFERRAL',
  EVENT = 'EVENT',
  OTHER = 'OTHER',
}

registerEnumType(SizeBand, { name: 'SizeBand' });
registerEnumType(OwnershipType, { name: 'OwnershipType' });
registerEnumType(CreditStanding, { name: 'CreditStanding', description: 'Credit standing (资信).' });
registerEnumType(IndustryStanding, { name: 'IndustryStanding' });
registerEnumType(LifecycleStage, { name: 'LifecycleStage', description: 'Customer lifecycle (客户生命周期).' });
registerEnumType(RelationshipLevel, { name: 'RelationshipLevel', description: "Kotler's relationship levels." });
registerEnumType(Channel, { name: 'Channel', description: 'Where a customer or an interaction came through.' });

@ObjectType({
  simpleResolvers: true,
  description:
    'An account. Every customer has a territory and an owner. Fields other than the directory card (id, legalName, territory, region, owner, access) are null, with a FORBIDDEN error for their path, where the viewer may not read them.',
})
@Entity({ tableName: 'customer' })
@Index({ properties: ['legalName', 'id'] })
@Index({ properties: ['createdAt', 'id'] })
@Index({ properties: ['updatedAt', 'id'] })
@Index({ properties: ['lifecycleStage', 'id'] })
// The list's sorts on activity: the same expressions as customer.service.ts SORT (never is -infinity).
@Index({
  name: 'customer_last_interaction_sort_idx',
  expression: `create index "customer_last_interaction_sort_idx" on "customer" (coalesce("last_interaction_at", '-infinity'::timestamptz), "id")`,
})
@Index({
  name: 'customer_last_order_sort_idx',
  expression: `create index "customer_last_order_sort_idx" on "customer" (coalesce("last_order_at", '-infinity'::timestamptz), "id")`,
})
// One live account per external id (archived ones let go of it, as of their identity keys).
@Index({
  name: 'customer_external_id_live_unique',
  expression: `create unique index "customer_external_id_live_unique" on "customer" ("external_id") where "archived_at" is null and "external_id" is not null`,
})
// Duplicate candidates: trigram neighbours of the normalised name (migration Migration20261203130000, docs/merge.md).
@Index({
  name: 'customer_name_trgm_idx',
  expression: `create index "customer_name_trgm_idx" on "customer" using gin (app_trgm_text("normalized_name") gin_trgm_ops)`,
})
// Archived twins of live accounts among the duplicate candidates (Migration20261203170000, docs/merge.md).
@Index({
  name: 'customer_archived_registration_key_idx',
  expression: `create index "customer_archived_registration_key_idx" on "customer" ("registration_key") where "archived_at" is not null and "merged_into_id" is null`,
})
@Index({
  name: 'customer_archived_normalized_name_idx',
  expression: `create index "customer_archived_normalized_name_idx" on "customer" ("normalized_name") where "archived_at" is not null and "merged_into_id" is null`,
})
// Nearest trigram neighbours, walked in distance order (Migration20261203180000).
@Index({
  name: 'customer_name_trgm_gist_idx',
  expression: `create index "customer_name_trgm_gist_idx" on "customer" using gist (app_trgm_text("normalized_name") gist_trgm_ops (siglen = 256))`,
})
// A merged record is archived: its identity keys are free for the survivor to take.
@Check({ name: 'customer_merged_is_archived', expression: 'merged_into_id is null or archived_at is not null' })
// The industry filter matches whatever the case.
@Index({ name: 'customer_industry_lower_idx', expression: `create index "customer_industry_lower_idx" on "customer" (lower("industry"))` })
export class Customer extends BaseEntity {
  @Field(() => String)
  @Property({ type: 'text' })
  legalName!: string;

  /** Lower-cased, punctuation- and legal-suffix-free name: the key for duplicate detection. */
  @Property({ type: 'text' })
  @Index()
  normalizedName!: string;

  @Field(() => String, { nullable: true, description: 'Registration / tax id (统一社会信用代码), upper case without separators.' })
  @Property({ type: 'text', nullable: true })
  @Index()
  registrationId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The id of this account in another system (an ERP, a spreadsheet), unique among live accounts; imports match on it.',
  })
  @Property({ type: 'text', nullable: true })
  externalId?: string | null;

  /** The import that created this account (null: created otherwise); a revert of that import may remove it. */
  @Property({ type: 'uuid', nullable: true, index: true })
  importId?: string | null;

  /** The registration id's look-alike skeleton: its identity key (customer.normalize.ts `registrationKey`). */
  @Property({ type: 'text', nullable: true })
  registrationKey?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  @Index()
  industry?: string | null;

  @Field(() => String, { nullable: true, description: 'Products and services the customer buys or makes.' })
  @Property({ type: 'text', nullable: true })
  products?: string | null;

  @Field(() => IndustryStanding, { nullable: true })
  @Enum({ items: () => IndustryStanding, nativeEnumName: 'industry_standing', nullable: true })
  industryStanding?: IndustryStanding | null;

  @Field(() => SizeBand, { nullable: true })
  @Enum({ items: () => SizeBand, nativeEnumName: 'size_band', nullable: true })
  sizeBand?: SizeBand | null;

  @Field(() => OwnershipType, { nullable: true })
  @Enum({ items: () => OwnershipType, nativeEnumName: 'ownership_type', nullable: true })
  ownershipType?: OwnershipType | null;

  @Field(() => CreditStanding, { nullable: true })
  @Enum({ items: () => CreditStanding, nativeEnumName: 'credit_standing', default: CreditStanding.UNKNOWN })
  creditStanding: Opt<CreditStanding> = CreditStanding.UNKNOWN;

  @Property({ type: 'text', nullable: true })
  addressLine?: string | null;

  @Property({ type: 'text', nullable: true })
  city?: string | null;

  @Property({ type: 'text', nullable: true })
  province?: string | null;

  @Property({ type: 'text', nullable: true })
  postalCode?: string | null;

  @Property({ type: 'text', nullable: true })
  country?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  @Index()
  websiteDomain?: string | null;

  @ManyToOne(() => Region, { ref: true, index: true, deleteRule: 'restrict' })
  territory!: Ref<Region>;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  owner!: Ref<User>;

  @Field(() => LifecycleStage, { nullable: true })
  @Enum({ items: () => LifecycleStage, nativeEnumName: 'lifecycle_stage', default: LifecycleStage.POTENTIAL })
  @Index()
  lifecycleStage: Opt<LifecycleStage> = LifecycleStage.POTENTIAL;

  @Field(() => RelationshipLevel, { nullable: true })
  @Enum({ items: () => RelationshipLevel, nativeEnumName: 'relationship_level', default: RelationshipLevel.BASIC })
  relationshipLevel: Opt<RelationshipLevel> = RelationshipLevel.BASIC;

  @Field(() => [String], { nullable: true })
  @Property({ type: 'text[]', default: '{}' })
  tags: Opt<string[]> = [];

  @Field(() => Channel, { nullable: true })
  @Enum({ items: () => Channel, nativeEnumName: 'channel', nullable: true })
  sourceChannel?: Channel | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Field(() => Date, { nullable: true, description: 'Archived customers are hidden from lists unless asked for.' })
  @Property({ type: 'timestamptz', nullable: true })
  archivedAt?: Date | null;

  /**
   * When the account's latest interaction happened (null: none yet), and its latest order
   * (confirmed, shipped or delivered; quotes and cancelled orders are not orders placed). Kept by
   * the triggers of migration Migration20261202132823 in the statement that writes the
   * interaction or order, never by the application: every writer (requests, seeds, raw SQL)
   * keeps them right, and the list sorts on them without aggregating per request.
   */
  @Field(() => Date, { nullable: true, description: 'When the latest interaction happened; null when there is none yet.' })
  @Property({ type: 'timestamptz', nullable: true })
  lastInteractionAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the latest order (confirmed, shipped or delivered) was placed; null when there is none yet.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lastOrderAt?: Date | null;

  /** The survivor this record was merged into (it is archived then); cleared when the merge is undone. */
  @ManyToOne(() => Customer, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  mergedInto?: Ref<Customer> | null;

  /** The identity keys follow the name and registration id on every write through the ORM (raw SQL writers set them themselves). */
  @BeforeCreate()
  @BeforeUpdate()
  protected deriveIdentityKeys(): void {
    this.normalizedName = normalizeName(this.legalName);
    this.registrationKey = this.registrationId ? registrationKey(this.registrationId) : null;
  }
}
