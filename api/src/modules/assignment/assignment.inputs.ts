import { ArrayMaxSize, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Channel, SizeBand } from '../customer/customer.entity.js';

export const MAX_RULES = 200;
const MAX_VALUES = 100;

/** Conditions shared by create and update; on update an omitted list is left as it is. */
@InputType()
class AssignmentConditionsInput {
  @Field(() => [String], { nullable: true, description: "Provinces of the account's address, any case; empty: any." })
  @IsOptional()
  @ArrayMaxSize(MAX_VALUES)
  @Length(1, 100, { each: true, message: 'each province must be 1–100 characters' })
  provinces?: string[];

  @Field(() => [String], { nullable: true, description: "Cities of the account's address, any case; empty: any." })
  @IsOptional()
  @ArrayMaxSize(MAX_VALUES)
  @Length(1, 100, { each: true, message: 'each city must be 1–100 characters' })
  cities?: string[];

  @Field(() => [String], { nullable: true, description: 'Industries, any case; empty: any.' })
  @IsOptional()
  @ArrayMaxSize(MAX_VALUES)
  @Length(1, 100, { each: true, message: 'each industry must be 1–100 characters' })
  industries?: string[];

  @Field(() => [SizeBand], { nullable: true, description: 'Empty: any.' })
  @IsOptional()
  @ArrayMaxSize(MAX_VALUES)
  sizeBands?: SizeBand[];

  @Field(() => [Channel], { nullable: true, description: 'Empty: any.' })
  @IsOptional()
  @ArrayMaxSize(MAX_VALUES)
  sourceChannels?: Channel[];
}

@InputType({ description: 'A new rule, appended after the existing ones; move it with moveAssignmentRule.' })
export class CreateAssignmentRuleInput extends AssignmentConditionsInput {
  @Field(() => String)
  @Length(1, 200, { message: 'name must be 1–200 characters' })
  name!: string;

  @Field(() => ID, { description: 'Where matching accounts go: a territory (managers: within their regions).' })
  @IsString()
  territoryId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Who owns them: an active rep of the territory or a manager of its region. Omitted: the creator’s default.',
  })
  @IsOptional()
  @IsString()
  ownerId?: string | null;
}

@InputType({ description: 'Changes to a rule; omitted fields stay. Pass the version read last.' })
export class UpdateAssignmentRuleInput extends AssignmentConditionsInput {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200, { message: 'name must be 1–200 characters' })
  name?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  territoryId?: string;

  @Field(() => ID, { nullable: true, description: 'null clears the owner.' })
  @IsOptional()
  @IsString()
  ownerId?: string | null;
}

@InputType({ description: 'Puts a rule at a rank (1: first), shifting the rules between.' })
export class MoveAssignmentRuleInput {
  @Field(() => ID)
  @IsString()
  id!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => Int, { description: 'The new rank, from 1; beyond the last: last.' })
  @Min(1, { message: 'rank must be at least 1' })
  rank!: number;
}

@InputType({ description: 'Applies the realignment that realignmentPreview showed.' })
export class ApplyRealignmentInput {
  @Field(() => Int, { description: 'The preview’s ruleSetVersion: CONFLICT if the rules changed since.' })
  ruleSetVersion!: number;

  @Field(() => String, { description: 'The preview’s digest: CONFLICT if the accounts to move changed since.' })
  @Length(1, 100)
  digest!: string;

  @Field(() => String, { description: '5–2000 characters, recorded with every move.' })
  @Length(5, 2000, { message: 'reason must be 5–2000 characters' })
  reason!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The job’s id, chosen by the client (a UUID) to follow its progress with realignment(id) while it runs.',
  })
  @IsOptional()
  @IsUUID()
  jobId?: string;
}
