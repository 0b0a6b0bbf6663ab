import { ArrayMaxSize, IsBoolean, IsEmail, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { PageArgs, SortDirection } from '../../common/graphql/connection.js';
import { Role } from '../../common/access/index.js';

@InputType()
export class CreateUserInput {
  @Field(() => String)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @Field(() => String)
  @Length(1, 200)
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { description: 'At least 8 characters.' })
  @Length(8, 200, { message: 'password must be 8 to 200 characters' })
  password!: string;

  @Field(() => [ID], { nullable: true, description: 'Managers: regions they oversee.' })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  managedRegionIds?: string[];

  @Field(() => [ID], { nullable: true, description: 'Reps: territories they work in.' })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  territoryIds?: string[];
}

@InputType()
export class UpdateUserInput {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field(() => Role, { nullable: true })
  @IsOptional()
  role?: Role;

  @Field(() => Boolean, { nullable: true, description: 'Deactivated users cannot sign in; their tokens stop working.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(8, 200, { message: 'password must be 8 to 200 characters' })
  password?: string;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  managedRegionIds?: string[];

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  territoryIds?: string[];
}

@InputType()
export class UserFilter {
  @Field(() => Role, { nullable: true })
  @IsOptional()
  role?: Role;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  active?: boolean;

  @Field(() => ID, { nullable: true, description: 'Reps working in this territory.' })
  @IsOptional()
  territoryId?: string;

  @Field(() => String, { nullable: true, description: 'Matches name or email.' })
  @IsOptional()
  @MaxLength(200)
  search?: string;
}

export enum UserSortField {
  NAME = 'NAME',
  EMAIL = 'EMAIL',
  CREATED_AT = 'CREATED_AT',
}
registerEnumType(UserSortField, { name: 'UserSortField' });

@InputType()
export class UserOrder {
  @Field(() => UserSortField)
  field!: UserSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction: SortDirection = SortDirection.ASC;
}

@ArgsType()
export class UsersArgs extends PageArgs {
  @Field(() => UserFilter, { nullable: true })
  @ValidateNested()
  filter?: UserFilter;

  @Field(() => UserOrder, { nullable: true })
  @ValidateNested()
  orderBy?: UserOrder;
}
