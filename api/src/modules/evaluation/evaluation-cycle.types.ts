import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Decimal } from '../../common/graphql/decimal.scalar.js';
import { GradeMovement, Quadrant, ValueTier } from './evaluation-cycle.enums.js';

/** A cycle's definition as stored in `evaluation_cycle.settings`. */
export interface CycleSettings {
  weights: EvaluationWeights;
  grades: GradeThreshold[];
  valueModel: ValueModel;
}

@ObjectType({ simpleResolvers: true })
export class EvaluationWeights {
  @Field(() => Float) purchaseCount!: number;
  @Field(() => Float) purchaseAmount!: number;
  @Field(() => Float) amountPaid!: number;
  @Field(() => Float) paymentTimeliness!: number;
  @Field(() => Float) contribution!: number;
}

@ObjectType({ simpleResolvers: true })
export class GradeThreshold {
  @Field(() => String) name!: string;
  @Field(() => Float) minScore!: number;
}

@ObjectType({ simpleResolvers: true })
export class ValueModel {
  @Field(() => Float) marginRate!: number;
  @Field(() => Decimal) costPerInteraction!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Share of customers in a quadrant against the healthy range.' })
export class QuadrantShare {
  @Field(() => Quadrant) quadrant!: Quadrant;
  @Field(() => Int) count!: number;
  @Field(() => Float) share!: number;
  @Field(() => Float, { description: 'Healthy share, lower bound.' }) targetMin!: number;
  @Field(() => Float, { description: 'Healthy share, upper bound (IV: below it).' }) targetMax!: number;
  @Field(() => Boolean) withinTarget!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class GradeShare {
  @Field(() => String, { nullable: true, description: 'Null: below every threshold.' }) grade!: string | null;
  @Field(() => Int) count!: number;
  @Field(() => Float) share!: number;
}

@ObjectType({ simpleResolvers: true })
export class ValueTierShare {
  @Field(() => ValueTier, { nullable: true, description: 'Null: none of the tiers.' }) tier!: ValueTier | null;
  @Field(() => Int) count!: number;
  @Field(() => Float) share!: number;
}

@ObjectType({ simpleResolvers: true })
export class MovementShare {
  @Field(() => GradeMovement) movement!: GradeMovement;
  @Field(() => Int) count!: number;
  @Field(() => Float) share!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Customers that went from one grade in the previous published cycle to one in this cycle.',
})
export class GradeTransition {
  @Field(() => String, { nullable: true }) from!: string | null;
  @Field(() => String, { nullable: true }) to!: string | null;
  @Field(() => Int) count!: number;
}

@ObjectType({ simpleResolvers: true, description: 'The 80/20 view: how much of the revenue the top 20% of customers bring.' })
export class ParetoShare {
  @Field(() => Int, { description: 'Customers in the top 20% by purchase amount (rounded up).' }) topCustomers!: number;
  @Field(() => Decimal) topRevenue!: string;
  @Field(() => Decimal) totalRevenue!: string;
  @Field(() => Float, { nullable: true, description: 'topRevenue / totalRevenue; null without revenue.' }) revenueShare!: number | null;
}

@ObjectType({ simpleResolvers: true, description: "A cycle's results in aggregate, over the accounts the viewer may open." })
export class EvaluationDistribution {
  @Field(() => Int) total!: number;
  @Field(() => [QuadrantShare]) quadrants!: QuadrantShare[];
  @Field(() => [GradeShare], { description: "In the cycle's grade order, then ungraded." }) grades!: GradeShare[];
  @Field(() => [ValueTierShare]) valueTiers!: ValueTierShare[];
  @Field(() => [MovementShare]) movements!: MovementShare[];
  @Field(() => [GradeTransition]) gradeTransitions!: GradeTransition[];
  @Field(() => ParetoShare) pareto!: ParetoShare;
}
