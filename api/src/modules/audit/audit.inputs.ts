import { IsDate, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../common/graphql/connection.js';

@InputType()
export class AuditEventFilter {
  @Field(() => String, { nullable: true, description: 'e.g. CUSTOMER_TRANSFERRED, API_KEY_CREATED, MUTATION_DENIED.' })
  @IsOptional()
  @MaxLength(100)
  action?: string;

  @Field(() => String, { nullable: true, description: 'e.g. Customer, TransferRequest, ApiKey.' })
  @IsOptional()
  @MaxLength(100)
  entityType?: string;

  @Field(() => ID, { nullable: true }) @IsOptional() entityId?: string;
  @Field(() => ID, { nullable: true, description: 'A user or API key id.' }) @IsOptional() actorId?: string;

  @Field(() => Date, { nullable: true, description: 'At or after this instant.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Before this instant.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@ArgsType()
export class AuditEventsArgs extends PageArgs {
  @Field(() => AuditEventFilter, { nullable: true })
  @ValidateNested()
  filter?: AuditEventFilter;
}
