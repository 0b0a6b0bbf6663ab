import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Customer, LifecycleStage } from '../customer/customer.entity.js';
import { User } from '../user/user.entity.js';

/** What caused a stage change. */
export enum LifecycleTrigger {
  /** An order was confirmed: the first moves a customer to FIRST_PURCHASE, the second to REPEAT. */
  ORDER = 'ORDER',
  /** No order or interaction for the dormancy period. */
  INACTIVITY = 'INACTIVITY',
  /** Changed by hand, with a reason; backwards or skipping moves are approved by a manager. */
  MANUAL = 'MANUAL',
}
registerEnumType(LifecycleTrigger, { name: 'LifecycleTrigger' });

export enum StageChangeStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(StageChangeStatus, { name: 'StageChangeStatus' });

/** The stages a customer normally moves through, in order; DORMANT and LOST follow them. */
export const STAGE_ORDER: readonly LifecycleStage[] = [
  LifecycleStage.POTENTIAL,
  LifecycleStage.INTENTION,
  LifecycleStage.FIRST_PURCHASE,
  LifecycleStage.REPEAT,
  LifecycleStage.DORMANT,
  LifecycleStage.LOST,
];

/**
 * One stage change of a customer. Append-only: reps are assessed on these, so nothing edits or
 * deletes them; the change and its record are written in one statement.
 */
@ObjectType({ simpleResolvers: true, description: 'One change of lifecycle stage: trigger, who made it, who approved it and why.' })
@Entity({ tableName: 'lifecycle_transition' })
@Index({ properties: ['customer', 'at'] })
export class LifecycleTransition {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Customer, { ref: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @Field(() => LifecycleStage, { nullable: true })
  @Enum({ items: () => LifecycleStage, nativeEnumName: 'lifecycle_stage', nullable: true })
  fromStage?: LifecycleStage | null;

  @Field(() => LifecycleStage)
  @Enum({ items: () => LifecycleStage, nativeEnumName: 'lifecycle_stage' })
  toStage!: LifecycleStage;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Opt<Date> = new Date();

  @Field(() => LifecycleTrigger)
  @Enum({ items: () => LifecycleTrigger, nativeEnumName: 'lifecycle_trigger' })
  trigger!: LifecycleTrigger;

  /** Who made the change: the user behind a manual change or the confirming request; null for the inactivity job. */
  @ManyToOne(() => User, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  actor?: Ref<User> | null;

  @ManyToOne(() => User, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  approver?: Ref<User> | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;
}

/** A manual move backwards or over a stage, waiting for a manager of the region or an admin. */
@ObjectType({ simpleResolvers: true, description: 'A manual stage change that needs approval: backwards, or skipping a stage.' })
@Entity({ tableName: 'lifecycle_change_request' })
@Index({ properties: ['status', 'createdAt'] })
// At most one open request per customer.
@Index({
  name: 'lifecycle_change_request_one_pending',
  expression: `create unique index "lifecycle_change_request_one_pending" on "lifecycle_change_request" ("customer_id") where "status" = 'PENDING'`,
})
export class LifecycleChangeRequest extends BaseEntity {
  @ManyToOne(() => Customer, { ref: true, index: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @Field(() => LifecycleStage)
  @Enum({ items: () => LifecycleStage, nativeEnumName: 'lifecycle_stage' })
  fromStage!: LifecycleStage;

  @Field(() => LifecycleStage)
  @Enum({ items: () => LifecycleStage, nativeEnumName: 'lifecycle_stage' })
  toStage!: LifecycleStage;

  @Field(() => String)
  @Property({ type: 'text' })
  reason!: string;

  @Field(() => StageChangeStatus)
  @Enum({ items: () => StageChangeStatus, nativeEnumName: 'stage_change_status' })
  status!: StageChangeStatus;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  requestedBy!: Ref<User>;

  @ManyToOne(() => User, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  decidedBy?: Ref<User> | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  decisionComment?: string | null;
}

/** Raised once per customer and stage entry when the customer stays longer than the stage's SLA. */
@ObjectType({
  simpleResolvers: true,
  description: 'A customer stayed in a stage longer than its dwell-time SLA. Raised once per stage entry.',
})
@Entity({ tableName: 'lifecycle_alert' })
@Unique({ name: 'lifecycle_alert_entry_unique', properties: ['customer', 'stage', 'enteredAt'] })
@Index({ properties: ['raisedAt', 'id'] })
export class LifecycleAlert {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Customer, { ref: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @Field(() => LifecycleStage)
  @Enum({ items: () => LifecycleStage, nativeEnumName: 'lifecycle_stage' })
  stage!: LifecycleStage;

  @Field(() => Date, { description: 'When the customer entered the stage.' })
  @Property({ type: 'timestamptz' })
  enteredAt!: Date;

  @Field(() => Date, { description: 'When the SLA ran out.' })
  @Property({ type: 'timestamptz' })
  dueAt!: Date;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  raisedAt: Opt<Date> = new Date();

  /** The owner when the alert was raised. */
  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  owner!: Ref<User>;
}

/** Expected dwell time per stage (e.g. POTENTIAL → INTENTION within 15 days), set by admins. */
@ObjectType({ simpleResolvers: true, description: 'Expected maximum dwell time in a lifecycle stage.' })
@Entity({ tableName: 'lifecycle_stage_sla' })
@Check({ name: 'lifecycle_stage_sla_max_days', expression: 'max_days > 0' })
export class StageSla {
  @Field(() => LifecycleStage)
  @Enum({ items: () => LifecycleStage, nativeEnumName: 'lifecycle_stage', primary: true })
  stage!: LifecycleStage;

  @Field(() => Int)
  @Property({ type: 'integer' })
  maxDays!: number;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Opt<Date> = new Date();

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  updatedBy?: Ref<User> | null;
}

/** Lifecycle settings: one row. */
@Entity({ tableName: 'lifecycle_setting' })
@Check({ name: 'lifecycle_setting_single_row', expression: 'id = 1' })
@Check({ name: 'lifecycle_setting_dormant_days', expression: 'dormant_after_days > 0' })
export class LifecycleSetting {
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id: number = 1;

  /** Days without an order or an interaction after which a customer becomes DORMANT. */
  @Property({ type: 'integer', default: 180 })
  dormantAfterDays: Opt<number> = 180;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Opt<Date> = new Date();

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  updatedBy?: Ref<User> | null;
}
