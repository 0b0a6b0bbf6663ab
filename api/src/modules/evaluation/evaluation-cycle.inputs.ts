import { ArrayMaxSize, ArrayMinSize, IsDate, IsISO8601, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { PageArgs } from '../../common/graphql/connection.js';
import { Decimal } from '../../common/graphql/decimal.scalar.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = (field: string) => ({ message: `${field} must be a date written YYYY-MM-DD` });
const WEIGHT = (field: string) => ({ message: `weights.${field} must be between 0 and 1` });

@InputType({ description: 'Weight of each normalised metric in the score, each 0–1, together 1 (within 0.0001).' })
export class EvaluationWeightsInput {
  @Field(() => Float) @Min(0, WEIGHT('purchaseCount')) @Max(1, WEIGHT('purchaseCount')) purchaseCount!: number;
  @Field(() => Float) @Min(0, WEIGHT('purchaseAmount')) @Max(1, WEIGHT('purchaseAmount')) purchaseAmount!: number;
  @Field(() => Float) @Min(0, WEIGHT('amountPaid')) @Max(1, WEIGHT('amountPaid')) amountPaid!: number;
  @Field(() => Float) @Min(0, WEIGHT('paymentTimeliness')) @Max(1, WEIGHT('paymentTimeliness')) paymentTimeliness!: number;
  @Field(() => Float) @Min(0, WEIGHT('contribution')) @Max(1, WEIGHT('contribution')) contribution!: number;
}

@InputType({ description: 'A grade and the lowest score (0–100) that earns it.' })
export class GradeThresholdInput {
  @Field(() => String)
  @Length(1, 40, { message: 'name must be 1–40 characters' })
  name!: string;

  @Field(() => Float)
  @Min(0, { message: 'minScore must be between 0 and 100' })
  @Max(100, { message: 'minScore must be between 0 and 100' })
  minScore!: number;
}

@InputType({
  description:
    'How value tiers are told apart: margin = amount paid × marginRate − interactions × costPerInteraction; below zero is BELOW_ZERO.',
})
export class ValueModelInput {
  @Field(() => Float, { description: 'Share of the amount paid that is margin, 0–1 (default 0.2).' })
  @Min(0, { message: 'valueModel.marginRate must be between 0 and 1' })
  @Max(1, { message: 'valueModel.marginRate must be between 0 and 1' })
  marginRate!: number;

  @Field(() => Decimal, { description: 'Cost of serving one interaction (default 50.00).' })
  costPerInteraction!: string;
}

@InputType()
class CycleDefinitionInput {
  @Field(() => ValueModelInput, { nullable: true, description: 'Default: marginRate 0.2, costPerInteraction 50.00.' })
  @IsOptional()
  @ValidateNested()
  valueModel?: ValueModelInput | null;
}

@InputType({ description: 'A new evaluation cycle (DRAFT). Periods of cycles never overlap.' })
export class CreateEvaluationCycleInput extends CycleDefinitionInput {
  @Field(() => String)
  @Length(1, 100, { message: 'name must be 1–100 characters' })
  name!: string;

  @Field(() => String, { description: 'First day, YYYY-MM-DD.' })
  @Matches(DATE_ONLY, DATE_MESSAGE('periodStart'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('periodStart'))
  periodStart!: string;

  @Field(() => String, { description: 'Last day, YYYY-MM-DD, inclusive.' })
  @Matches(DATE_ONLY, DATE_MESSAGE('periodEnd'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('periodEnd'))
  periodEnd!: string;

  @Field(() => EvaluationWeightsInput)
  @ValidateNested()
  weights!: EvaluationWeightsInput;

  @Field(() => [GradeThresholdInput], { description: 'Best grade first: strictly descending minScore, unique names, the last at least 0.' })
  @ArrayMinSize(1, { message: 'grades needs at least one grade' })
  @ArrayMaxSize(20, { message: 'grades has at most 20 grades' })
  @ValidateNested()
  grades!: GradeThresholdInput[];
}

@InputType({ description: 'Changes to a DRAFT or COMPUTED cycle; a COMPUTED cycle whose definition changes goes back to DRAFT.' })
export class UpdateEvaluationCycleInput extends CycleDefinitionInput {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100, { message: 'name must be 1–100 characters' })
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(DATE_ONLY, DATE_MESSAGE('periodStart'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('periodStart'))
  periodStart?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(DATE_ONLY, DATE_MESSAGE('periodEnd'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('periodEnd'))
  periodEnd?: string;

  @Field(() => EvaluationWeightsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  weights?: EvaluationWeightsInput;

  @Field(() => [GradeThresholdInput], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1, { message: 'grades needs at least one grade' })
  @ArrayMaxSize(20, { message: 'grades has at most 20 grades' })
  @ValidateNested()
  grades?: GradeThresholdInput[];
}

@ArgsType()
export class EvaluationFeedArgs extends PageArgs {
  @Field(() => ID)
  cycleId!: string;

  @Field(() => Date, { nullable: true, description: 'Only results changed at or after this instant: for incremental pulls.' })
  @IsOptional()
  @IsDate()
  updatedSince?: Date;
}

@ArgsType()
export class DistributionArgs {
  @Field(() => ID)
  cycleId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'A region node: customers whose territory at the end of the period is in it or below it.',
  })
  @IsOptional()
  regionId?: string;
}
