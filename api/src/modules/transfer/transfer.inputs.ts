import { ArrayMaxSize, IsBoolean, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../common/graphql/connection.js';
import { TransferStatus } from './transfer.entity.js';

export const MAX_REASSIGN = 10_000;

@InputType({ description: 'Ask for an account: for yourself, or (managers and admins) on behalf of someone else.' })
export class RequestTransferInput {
  @Field(() => ID)
  @IsString()
  customerId!: string;

  @Field(() => ID, { nullable: true, description: 'The new owner; defaults to the requester. Reps may only ask for themselves.' })
  @IsOptional()
  @IsString()
  toOwnerId?: string;

  @Field(() => ID, {
    nullable: true,
    description:
      "The new territory. When omitted the account stays in its territory if the new owner works there (a rep of it, a manager of a region above it), else goes to the new owner's only territory; required when they have several.",
  })
  @IsOptional()
  @IsString()
  toTerritoryId?: string;

  @Field(() => String, { description: '5–2000 characters: why the account should move.' })
  @Length(5, 2000, { message: 'reason must be 5–2000 characters' })
  reason!: string;
}

@InputType()
export class TransferRequestFilter {
  @Field(() => TransferStatus, { nullable: true }) @IsOptional() status?: TransferStatus;
  @Field(() => ID, { nullable: true }) @IsOptional() customerId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only requests the viewer filed.' })
  @IsOptional()
  @IsBoolean()
  mine?: boolean;
}

@ArgsType()
export class TransferRequestsArgs extends PageArgs {
  @Field(() => TransferRequestFilter, { nullable: true })
  @ValidateNested()
  filter?: TransferRequestFilter;
}

@InputType({ description: 'Move many accounts at once: the accounts named, those of one owner, or the named ones of that owner.' })
export class ReassignCustomersInput {
  @Field(() => [ID], { nullable: true, description: `At most ${MAX_REASSIGN}.` })
  @IsOptional()
  @ArrayMaxSize(MAX_REASSIGN, { message: `customerIds may name at most ${MAX_REASSIGN} accounts` })
  @IsString({ each: true })
  customerIds?: string[];

  @Field(() => ID, { nullable: true, description: "Every account of this owner (or, with customerIds, only those of this owner's)." })
  @IsOptional()
  @IsString()
  fromOwnerId?: string;

  @Field(() => ID)
  @IsString()
  toOwnerId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The new territory; when omitted each account keeps its own, and the new owner must fit each.',
  })
  @IsOptional()
  @IsString()
  toTerritoryId?: string;

  @Field(() => String)
  @Length(5, 2000, { message: 'reason must be 5–2000 characters' })
  reason!: string;
}
