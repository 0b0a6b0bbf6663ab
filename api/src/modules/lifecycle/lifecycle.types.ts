import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../../common/graphql/connection.js';
import type { Row } from '../../common/orm/loaders.js';
import { Customer, LifecycleStage } from '../customer/customer.entity.js';
import { LifecycleAlert, LifecycleChangeRequest, LifecycleTransition } from './lifecycle.entity.js';

@ObjectType({ simpleResolvers: true, description: 'The result of a manual stage change: applied at once, or waiting for approval.' })
export class StageChangeResult {
  @Field(() => Boolean, { description: 'True when the stage changed now; false when a request awaits a manager.' })
  applied!: boolean;

  @Field(() => LifecycleTransition, { nullable: true })
  transition!: LifecycleTransition | null;

  @Field(() => LifecycleChangeRequest, { nullable: true })
  request!: LifecycleChangeRequest | null;
}

@ObjectType({ simpleResolvers: true, description: 'What a lifecycle check did.' })
export class LifecycleCheckResult {
  @Field(() => Int, { description: 'Customers moved to DORMANT.' })
  dormant!: number;

  @Field(() => Int, { description: 'SLA alerts raised.' })
  alertsRaised!: number;
}

@ObjectType({ simpleResolvers: true })
export class LifecycleSettings {
  @Field(() => Int, { description: 'Days without an order or an interaction after which a customer becomes DORMANT.' })
  dormantAfterDays!: number;
}

@ObjectType({ simpleResolvers: true, description: 'A customer past the dwell-time SLA of its stage.' })
export class OverdueCustomer {
  @Field(() => Customer)
  customer!: Row;

  @Field(() => LifecycleStage)
  stage!: LifecycleStage;

  @Field(() => Date)
  enteredAt!: Date;

  @Field(() => Date)
  dueAt!: Date;

  @Field(() => Float, { description: 'Days past the SLA.' })
  daysOverdue!: number;
}

@ObjectType({ simpleResolvers: true, description: 'One stage of the funnel.' })
export class FunnelStage {
  @Field(() => LifecycleStage)
  stage!: LifecycleStage;

  @Field(() => Int, { description: 'Customers in the stage now.' })
  count!: number;

  @Field(() => Int, { description: 'Customers that have ever been in the stage (now or per their transitions).' })
  entered!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'POTENTIAL, INTENTION and FIRST_PURCHASE: share of the customers that entered the stage and went on to a later stage of the chain POTENTIAL → INTENTION → FIRST_PURCHASE → REPEAT.',
  })
  conversionToNext!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median days spent in the stage, over completed stays (from transitions).' })
  medianDwellDays!: number | null;
}

@ObjectType({ simpleResolvers: true, description: "Customers per lifecycle stage, conversion and dwell time, within the viewer's scope." })
export class LifecycleFunnel {
  @Field(() => Int)
  total!: number;

  @Field(() => [FunnelStage])
  stages!: FunnelStage[];
}

@ObjectType({ simpleResolvers: true, description: 'Customers in one stage now.' })
export class StageCount {
  @Field(() => LifecycleStage)
  stage!: LifecycleStage;

  @Field(() => Int)
  count!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Customers per stage now in one group of a lifecycle breakdown: a province or an owner.',
})
export class LifecycleBreakdownGroup {
  @Field(() => ID, { description: 'The province (or the node an account sits on above provinces), or the owner.' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Name in Simplified Chinese (provinces).' })
  nameZh!: string | null;

  @Field(() => Int)
  total!: number;

  @Field(() => [StageCount], { description: 'Every stage, in lifecycle order, zeros included.' })
  stages!: StageCount[];
}

export const OverdueCustomerConnection = connectionType(OverdueCustomer, 'OverdueCustomer');
export const LifecycleAlertConnection = connectionType(LifecycleAlert, 'LifecycleAlert');
export const LifecycleChangeRequestConnection = connectionType(LifecycleChangeRequest, 'LifecycleChangeRequest');
