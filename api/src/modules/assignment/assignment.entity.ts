import { Check, DeferMode, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';

/**
 * One territory assignment rule: where a new account without a territory goes (docs/assignment.md).
 * Each condition is a list of accepted values (empty: any); text values are stored trimmed and
 * lower-cased, and matched the same way (assignment.placement.ts). The rules are tried in
 * `position` order and the first match wins; a rule without conditions matches every account and
 * so serves as the default when it comes last. Positions are unique in PostgreSQL (checked at the
 * end of each statement, so a reorder can rotate them in one UPDATE); every write of a rule first
 * locks the rule set's row (`AssignmentRuleSet`), so concurrent writers queue instead of racing.
 */
@ObjectType({ simpleResolvers: true, description: 'A territory assignment rule: the first rule that matches a new account places it.' })
@Entity({ tableName: 'assignment_rule' })
@Unique({ name: 'assignment_rule_position_unique', properties: ['position'], deferMode: DeferMode.INITIALLY_IMMEDIATE })
@Check({ name: 'assignment_rule_position_positive', expression: 'position > 0' })
export class AssignmentRule extends BaseEntity {
  @Field(() => Int, { description: 'Rules are tried in ascending position; positions are unique but may have gaps.' })
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => [String], { description: "Provinces of the account's address (any case); empty: any." })
  @Property({ type: 'text[]', default: '{}' })
  provinces: Opt<string[]> = [];

  @Field(() => [String], { description: "Cities of the account's address (any case); empty: any." })
  @Property({ type: 'text[]', default: '{}' })
  cities: Opt<string[]> = [];

  @Field(() => [String], { description: 'Industries (any case); empty: any.' })
  @Property({ type: 'text[]', default: '{}' })
  industries: Opt<string[]> = [];

  /** SizeBand values; the GraphQL field resolver types them. */
  @Property({ type: 'text[]', default: '{}' })
  sizeBands: Opt<string[]> = [];

  /** Channel values; the GraphQL field resolver types them. */
  @Property({ type: 'text[]', default: '{}' })
  sourceChannels: Opt<string[]> = [];

  @ManyToOne(() => Region, { ref: true, index: true, deleteRule: 'restrict' })
  territory!: Ref<Region>;

  @ManyToOne(() => User, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  owner?: Ref<User> | null;
}

/**
 * The rule set as a whole: one row whose version every rule write bumps first, in its own
 * statement. That row lock serialises rule writers (so appending at the end and reordering
 * never race), and the version names the rules a realignment preview was computed under.
 */
@Entity({ tableName: 'assignment_rule_set' })
@Check({ name: 'assignment_rule_set_single', expression: 'id = 1' })
export class AssignmentRuleSet {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: 'integer', default: 0 })
  version: Opt<number> = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Opt<Date> = new Date();
}

export enum RealignmentStatus {
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  FAILED = 'FAILED',
}
registerEnumType(RealignmentStatus, { name: 'RealignmentStatus' });

/**
 * One applied realignment, as a job row: its progress is written on a connection of its own as
 * the batches go (so `realignment(id)` shows it from any request while it runs), DONE in the
 * transaction that moves the accounts, whose id it records (`applyXid`). An error in the apply
 * marks it FAILED with `error`, in a transaction of its own; a transaction that ends without
 * committing otherwise (a failed commit, a lost connection, a crashed server) leaves it RUNNING,
 * and a read then reports FAILED, since PostgreSQL says that transaction is no longer in progress.
 */
@ObjectType({ simpleResolvers: true, description: 'A realignment applied (or being applied): progress and outcome.' })
@Entity({ tableName: 'realignment' })
export class Realignment {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  startedBy!: Ref<User>;

  @Field(() => RealignmentStatus)
  @Enum({ items: () => RealignmentStatus, nativeEnumName: 'realignment_status' })
  status!: RealignmentStatus;

  @Field(() => Int, { description: 'The rule-set version the realignment applied.' })
  @Property({ type: 'integer' })
  ruleSetVersion!: number;

  @Field(() => Int, { description: 'Accounts to move.' })
  @Property({ type: 'integer' })
  total!: number;

  @Field(() => Int, { description: 'Accounts handled so far.' })
  @Property({ type: 'integer', default: 0 })
  done: Opt<number> = 0;

  @Field(() => Int, { description: 'Accounts that changed owner or territory (committed only when status is DONE).' })
  @Property({ type: 'integer', default: 0 })
  moved: Opt<number> = 0;

  @Property({ type: 'text' })
  reason!: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  startedAt: Opt<Date> = new Date();

  @Field(() => Date, {
    nullable: true,
    description: 'When it ended; null while it runs, and for a FAILED one whose commit failed (that is known only afterwards).',
  })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the realignment failed (FAILED only): nothing it did was kept.' })
  @Property({ type: 'text', nullable: true })
  error?: string | null;

  /** The apply's transaction: while the row says RUNNING, PostgreSQL tells whether it still is. */
  @Property({ type: 'string', columnType: 'xid8', nullable: true })
  applyXid?: string | null;
}
