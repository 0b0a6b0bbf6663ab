import { Entity, Enum, Index, ManyToOne, OneToOne, Property, type Ref, Unique, type Opt } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Decimal } from '../../common/graphql/decimal.scalar.js';
import { GraphQLJSONObject } from '../../common/graphql/json.scalar.js';
import { Customer } from '../customer/customer.entity.js';
import { GradeMovement, Quadrant, ValueTier } from './evaluation-cycle.enums.js';

export enum CycleStatus {
  DRAFT = 'DRAFT',
  COMPUTED = 'COMPUTED',
  PUBLISHED = 'PUBLISHED',
}
registerEnumType(CycleStatus, { name: 'CycleStatus' });

@ObjectType({ simpleResolvers: true, description: 'An evaluation period (评价周期): at its close every customer is scored and graded.' })
@Entity({ tableName: 'evaluation_cycle' })
// Periods never overlap: a customer is scored once for any day.
@Index({
  name: 'evaluation_cycle_period_overlap',
  expression: `alter table "evaluation_cycle" add constraint "evaluation_cycle_period_overlap" exclude using gist (daterange("period_start", "period_end", '[]') with &&)`,
})
export class EvaluationCycle extends BaseEntity {
  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { description: 'First day of the period (YYYY-MM-DD).' })
  @Property({ type: 'date' })
  periodStart!: string;

  @Field(() => String, { description: 'Last day of the period (YYYY-MM-DD), inclusive.' })
  @Property({ type: 'date' })
  periodEnd!: string;

  @Field(() => CycleStatus)
  @Enum({ items: () => CycleStatus, nativeEnumName: 'cycle_status', default: CycleStatus.DRAFT })
  status: Opt<CycleStatus> = CycleStatus.DRAFT;

  /** Metric weights and grade thresholds; validated by the evaluation service. */
  @Property({ type: 'jsonb', default: '{}' })
  settings: Opt<Record<string, unknown>> = {};

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  publishedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the results were last computed.' })
  @Property({ type: 'timestamptz', nullable: true })
  computedAt?: Date | null;
}

@ObjectType({ simpleResolvers: true, description: "One customer's result in one evaluation cycle." })
@Entity({ tableName: 'evaluation' })
@Unique({ properties: ['cycle', 'customer'] })
@Index({ properties: ['customer'] })
@Index({ properties: ['cycle', 'updatedAt', 'id'] })
export class Evaluation extends BaseEntity {
  @ManyToOne(() => EvaluationCycle, { ref: true, deleteRule: 'cascade' })
  cycle!: Ref<EvaluationCycle>;

  @ManyToOne(() => Customer, { ref: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  purchaseCount: Opt<number> = 0;

  @Field(() => Decimal)
  @Property({ type: 'decimal', precision: 18, scale: 2, default: 0 })
  purchaseAmount: Opt<string> = '0.00';

  @Field(() => Decimal)
  @Property({ type: 'decimal', precision: 18, scale: 2, default: 0 })
  amountPaid: Opt<string> = '0.00';

  @Field(() => Float, { nullable: true, description: 'Share of payments made on time, 0–1.' })
  @Property({ type: 'double', nullable: true })
  onTimeShare?: number | null;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  averageDaysLate?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Share of the cycle's revenue, 0–1. Admins only (with the amount it would reveal the company's revenue); FORBIDDEN for everyone else.",
  })
  @Property({ type: 'double', nullable: true })
  contribution?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Weighted score, 0–100, over metrics normalised against the whole cycle. Admins only (with the weights it would give back the normalised metrics, and so other accounts' figures); FORBIDDEN for everyone else.",
  })
  @Property({ type: 'double', nullable: true })
  score?: number | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  grade?: string | null;

  /**
   * Territory, its top-level region and owner at the end of the period (from ownership history):
   * snapshot values, kept as plain ids without foreign keys (a check per row would cost a run
   * dearly, and regions and users are never deleted).
   */
  @Property({ type: 'uuid', nullable: true })
  territoryId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  regionId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  ownerId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Rank by score within the region (1 = best; ties share a rank).' })
  @Property({ type: 'integer', nullable: true })
  rankInRegion?: number | null;

  @Field(() => Int, { nullable: true, description: 'Rank by score across all customers (1 = best; ties share a rank).' })
  @Property({ type: 'integer', nullable: true })
  rankOverall?: number | null;

  @Field(() => String, { nullable: true, description: 'Grade in the previous published cycle.' })
  @Property({ type: 'text', nullable: true })
  previousGrade?: string | null;

  @Field(() => GradeMovement, { nullable: true })
  @Enum({ items: () => GradeMovement, nativeEnumName: 'grade_movement', nullable: true })
  movement?: GradeMovement | null;

  @Field(() => Quadrant, { nullable: true })
  @Enum({ items: () => Quadrant, nativeEnumName: 'evaluation_quadrant', nullable: true })
  quadrant?: Quadrant | null;

  @Field(() => ValueTier, { nullable: true })
  @Enum({ items: () => ValueTier, nativeEnumName: 'value_tier', nullable: true })
  valueTier?: ValueTier | null;

  @Field(() => Decimal, { nullable: true, description: 'Cumulative purchases + open quotes × win probability + forecast from the trend.' })
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  customerValue?: string | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      'Inputs and normalised metrics behind the score, as computed (see docs/evaluation.md); `normalized` (ranks and ratios over the whole cycle) for admins only, null for everyone else.',
  })
  @Property({ type: 'jsonb', nullable: true })
  metrics?: Record<string, unknown> | null;

  /**
   * The customer's legal name and registration id and the codes of territory and region, as they
   * were when the result was computed: a cycle is a snapshot, and its export repeats byte for byte.
   */
  @Property({ type: 'text', nullable: true, lazy: true })
  customerName?: string | null;

  @Property({ type: 'text', nullable: true, lazy: true })
  registrationId?: string | null;

  @Property({ type: 'text', nullable: true, lazy: true })
  regionCode?: string | null;

  @Property({ type: 'text', nullable: true, lazy: true })
  territoryCode?: string | null;
}

/**
 * A result's line in the CSV export, in three parts (the registration id goes in the middle, only
 * for callers with customers:read and pii:read). Written by the statement triggers
 * `evaluation_export_lines` whenever results are inserted or updated, so it cannot drift; a narrow
 * table of its own, so a bulk export reads ~300 bytes per result rather than the whole result.
 */
@Entity({ tableName: 'evaluation_export' })
export class EvaluationExportLine {
  @OneToOne(() => Evaluation, { ref: true, primary: true, deleteRule: 'cascade', fieldName: 'evaluation_id', owner: true })
  evaluation!: Ref<Evaluation>;

  @Property({ type: 'uuid', index: true })
  cycleId!: string;

  @Property({ type: 'uuid', index: true })
  customerId!: string;

  /**
   * The customer's current owner and territory (not the period's): row-level security checks
   * these directly, as it checks the customer, so an export needs no customer lookup per row.
   * Kept by the trigger `customer_export_reach` when a customer changes hands.
   */
  @Property({ type: 'uuid' })
  ownerId!: string;

  @Property({ type: 'uuid' })
  territoryId!: string;

  @Property({ type: 'text' })
  csvHead!: string;

  @Property({ type: 'text' })
  csvPii!: string;

  @Property({ type: 'text' })
  csvTail!: string;
}
