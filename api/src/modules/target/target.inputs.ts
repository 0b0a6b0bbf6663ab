import { IsISO8601, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { Decimal } from '../../common/graphql/decimal.scalar.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = (field: string) => ({ message: `${field} must be a date written YYYY-MM-DD` });

@InputType({ description: 'A plan for exactly one of: a region or province (regionId), a territory (territoryId) or a user (userId).' })
export class SetTargetInput {
  @Field(() => ID, { nullable: true, description: 'A region or province of the tree.' })
  @IsOptional()
  regionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A territory (the lowest level of the tree).' })
  @IsOptional()
  territoryId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A rep.' })
  @IsOptional()
  userId?: string | null;

  @Field(() => String, { description: 'YYYY-MM-DD.' })
  @Matches(DATE_ONLY, DATE_MESSAGE('periodStart'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('periodStart'))
  periodStart!: string;

  @Field(() => String, { description: 'YYYY-MM-DD, inclusive.' })
  @Matches(DATE_ONLY, DATE_MESSAGE('periodEnd'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('periodEnd'))
  periodEnd!: string;

  @Field(() => Int, { description: 'New customers planned, 0–1000000.' })
  @IsInt()
  @Min(0, { message: 'newCustomers must be 0–1000000' })
  @Max(1_000_000, { message: 'newCustomers must be 0–1000000' })
  newCustomers!: number;

  @Field(() => Decimal, { description: 'Revenue planned: at least 0, at most 2 decimal places.' })
  revenue!: string;
}

@ArgsType()
export class TargetsReportArgs {
  @Field(() => String, { description: 'YYYY-MM-DD.' })
  @Matches(DATE_ONLY, DATE_MESSAGE('periodStart'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('periodStart'))
  periodStart!: string;

  @Field(() => String, { description: 'YYYY-MM-DD, inclusive.' })
  @Matches(DATE_ONLY, DATE_MESSAGE('periodEnd'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('periodEnd'))
  periodEnd!: string;

  @Field(() => ID, { nullable: true, description: 'Report this node and everything below it only.' })
  @IsOptional()
  regionId?: string | null;
}
