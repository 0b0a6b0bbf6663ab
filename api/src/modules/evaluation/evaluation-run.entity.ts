import { Entity, Enum, OneToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { EvaluationCycle } from './evaluation.entity.js';
import { RunPhase, RunStatus } from './evaluation-cycle.enums.js';

/**
 * The latest computation of a cycle, written by the background run as it goes, so progress can
 * be read from any server. A RUNNING row whose heartbeat stopped belongs to a run that died.
 */
@ObjectType({ simpleResolvers: true, description: 'Progress of the latest computation of an evaluation cycle.' })
@Entity({ tableName: 'evaluation_run' })
export class EvaluationRun {
  @OneToOne(() => EvaluationCycle, { ref: true, primary: true, deleteRule: 'cascade', owner: true })
  cycle!: Ref<EvaluationCycle>;

  /** Identifies one run: a run stops when the row no longer carries its token. */
  @Property({ type: 'uuid' })
  token!: string;

  @Field(() => RunStatus)
  @Enum({ items: () => RunStatus, nativeEnumName: 'evaluation_run_status' })
  status!: RunStatus;

  @Field(() => RunPhase)
  @Enum({ items: () => RunPhase, nativeEnumName: 'evaluation_run_phase' })
  phase!: RunPhase;

  @Field(() => Int, { description: 'Work units done: one per customer measured, plus the scoring step.' })
  @Property({ type: 'integer', default: 0 })
  done: Opt<number> = 0;

  @Field(() => Int, { description: 'Work units in all.' })
  @Property({ type: 'integer', default: 0 })
  total: Opt<number> = 0;

  @Field(() => Int, { description: 'Customers evaluated.' })
  @Property({ type: 'integer', default: 0 })
  customers: Opt<number> = 0;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  startedAt!: Date;

  @Property({ type: 'timestamptz' })
  heartbeatAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the run failed.' })
  @Property({ type: 'text', nullable: true })
  error?: string | null;
}
