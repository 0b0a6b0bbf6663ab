import { IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { PageArgs } from '../../common/graphql/connection.js';
import { LifecycleStage } from '../customer/customer.entity.js';
import { StageChangeStatus } from './lifecycle.entity.js';

@InputType({ description: 'Move a customer to another lifecycle stage by hand.' })
export class ChangeLifecycleStageInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => LifecycleStage)
  toStage!: LifecycleStage;

  @Field(() => String, { description: 'Why: kept with the transition, 1–500 characters.' })
  @Length(1, 500, { message: 'reason must be 1–500 characters' })
  reason!: string;
}

@ArgsType()
export class StageChangeRequestsArgs extends PageArgs {
  @Field(() => StageChangeStatus, { nullable: true, defaultValue: StageChangeStatus.PENDING })
  @IsOptional()
  status?: StageChangeStatus;
}

@ArgsType()
export class FunnelArgs {
  @Field(() => ID, { nullable: true, description: 'A region node: it and everything below it.' })
  @IsOptional()
  regionId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  territoryId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  ownerId?: string;
}

@ArgsType()
export class OverdueCustomersArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Only this owner's accounts." })
  @IsOptional()
  ownerId?: string;
}

export enum BreakdownBy {
  PROVINCE = 'PROVINCE',
  OWNER = 'OWNER',
}
registerEnumType(BreakdownBy, {
  name: 'BreakdownBy',
  description: 'How a lifecycle breakdown groups accounts: by the province they lie in, or by their owner.',
});

@ArgsType()
export class LifecycleBreakdownArgs {
  @Field(() => BreakdownBy)
  by!: BreakdownBy;

  @Field(() => ID, { nullable: true, description: 'A region node: it and everything below it.' })
  @IsOptional()
  regionId?: string;
}

@ArgsType()
export class DecideStageChangeArgs {
  @Field(() => ID)
  requestId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500, { message: 'comment must be at most 500 characters' })
  comment?: string | null;
}

@ArgsType()
export class SetStageSlaArgs {
  @Field(() => LifecycleStage)
  stage!: LifecycleStage;

  @Field(() => Int, { nullable: true, description: 'Expected maximum days in the stage, 1–3650; null removes the SLA.' })
  @IsOptional()
  @Min(1, { message: 'maxDays must be 1–3650' })
  @Max(3650, { message: 'maxDays must be 1–3650' })
  maxDays?: number | null;
}
