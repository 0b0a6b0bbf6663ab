import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsDate, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../common/graphql/connection.js';
import { ApiKeyKind, Scope } from '../../common/access/index.js';

@InputType()
export class CreateApiKeyInput {
  @Field(() => String)
  @Length(1, 100, { message: 'name must be 1–100 characters' })
  name!: string;

  @Field(() => ApiKeyKind, { description: 'BI keys may hold read scopes only.' })
  kind!: ApiKeyKind;

  @Field(() => [Scope])
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(20)
  scopes!: Scope[];

  @Field(() => [ID], { description: 'Regions at any level; the key reaches every territory at or below them. At least one.' })
  @ArrayMinSize(1, { message: 'territoryIds must name at least one region' })
  @ArrayMaxSize(100)
  @IsString({ each: true })
  territoryIds!: string[];

  @Field(() => Date, { nullable: true, description: 'After this instant the key no longer authenticates.' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date;
}

@InputType()
export class ApiKeyFilter {
  @Field(() => Boolean, { nullable: true, description: 'true: neither revoked nor expired; false: revoked or expired.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

@ArgsType()
export class ApiKeysArgs extends PageArgs {
  @Field(() => ApiKeyFilter, { nullable: true })
  @ValidateNested()
  filter?: ApiKeyFilter;
}
