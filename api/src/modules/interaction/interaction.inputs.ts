import { ArrayMaxSize, IsDate, IsISO8601, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { PageArgs, SortDirection } from '../../common/graphql/connection.js';
import { Channel } from '../customer/customer.entity.js';
import { InteractionKind } from './interaction.entity.js';

/** A calendar date as `YYYY-MM-DD`; `IsISO8601` with `strict` rejects days that do not exist. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Fields an interaction shares between log and update — decorated, so subclasses inherit its fields; unused, so not emitted. */
@InputType()
class InteractionDetailsInput {
  @Field(() => ID, { nullable: true, description: 'A contact of the same customer.' })
  @IsOptional()
  @IsString()
  contactId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000, { message: 'outcome must be at most 5000 characters' })
  outcome?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000, { message: 'nextStep must be at most 2000 characters' })
  nextStep?: string | null;

  @Field(() => String, { nullable: true, description: 'Follow-up date, YYYY-MM-DD.' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'followUpOn must be a date written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'followUpOn must be a date written YYYY-MM-DD' })
  followUpOn?: string | null;
}

@InputType({ description: "The author is the signed-in user; for an API key, the account's owner (see Interaction.author)." })
export class LogInteractionInput extends InteractionDetailsInput {
  @Field(() => ID)
  @IsString()
  customerId!: string;

  @Field(() => InteractionKind)
  kind!: InteractionKind;

  @Field(() => Channel)
  channel!: Channel;

  @Field(() => Date, { nullable: true, description: 'Defaults to now; at most one day in the future.' })
  @IsOptional()
  @IsDate()
  occurredAt?: Date;

  @Field(() => String)
  @Length(1, 5000, { message: 'summary must be 1–5000 characters' })
  summary!: string;
}

@InputType()
export class UpdateInteractionInput extends InteractionDetailsInput {
  @Field(() => Int)
  version!: number;

  @Field(() => InteractionKind, { nullable: true }) @IsOptional() kind?: InteractionKind;
  @Field(() => Channel, { nullable: true }) @IsOptional() channel?: Channel;

  @Field(() => Date, { nullable: true, description: 'At most one day in the future.' })
  @IsOptional()
  @IsDate()
  occurredAt?: Date;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000, { message: 'summary must be 1–5000 characters' })
  summary?: string;
}

@InputType()
export class InteractionFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() customerId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() authorId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() contactId?: string;

  @Field(() => [InteractionKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  kinds?: InteractionKind[];

  @Field(() => [Channel], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  channels?: Channel[];

  @Field(() => Date, { nullable: true, description: 'Occurred at or after this instant.' })
  @IsOptional()
  @IsDate()
  occurredAfter?: Date;

  @Field(() => Date, { nullable: true, description: 'Occurred before this instant.' })
  @IsOptional()
  @IsDate()
  occurredBefore?: Date;

  @Field(() => String, { nullable: true, description: 'Follow-ups due on or before this date (YYYY-MM-DD).' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'followUpDueBy must be a date written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'followUpDueBy must be a date written YYYY-MM-DD' })
  followUpDueBy?: string;
}

export enum InteractionSortField {
  OCCURRED_AT = 'OCCURRED_AT',
  CREATED_AT = 'CREATED_AT',
}
registerEnumType(InteractionSortField, { name: 'InteractionSortField' });

@InputType()
export class InteractionOrder {
  @Field(() => InteractionSortField)
  field!: InteractionSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  direction: SortDirection = SortDirection.DESC;
}

@ArgsType()
export class InteractionsArgs extends PageArgs {
  @Field(() => InteractionFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: InteractionFilter;

  @Field(() => InteractionOrder, { nullable: true, description: 'Default: newest first by occurredAt.' })
  @IsOptional()
  @ValidateNested()
  orderBy?: InteractionOrder;
}

@ArgsType()
export class FollowUpsArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Follow-ups due before this date (YYYY-MM-DD), overdue ones included. Default: 15 days from today, so the next 14 days.',
  })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'dueBefore must be a date written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dueBefore must be a date written YYYY-MM-DD' })
  dueBefore?: string;
}
