import { IsBoolean, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { PageArgs, SortDirection } from '../../common/graphql/connection.js';
import { RegionKind } from './region.entity.js';

@InputType()
export class CreateRegionInput {
  @Field(() => String, { description: 'Stable code: letters, digits, "_" and "-"; unique.' })
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1–32 letters, digits, "_" or "-"' })
  code!: string;

  @Field(() => String)
  @Length(1, 200)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  nameZh?: string | null;

  @Field(() => RegionKind)
  kind!: RegionKind;

  @Field(() => ID, { nullable: true, description: 'Required below the top level.' })
  @IsOptional()
  @IsString()
  parentId?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  keyCity?: boolean;
}

@InputType()
export class UpdateRegionInput {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  nameZh?: string | null;

  @Field(() => ID, { nullable: true, description: 'Move the node (and everything below it) under another parent.' })
  @IsOptional()
  @IsString()
  parentId?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  keyCity?: boolean;
}

@InputType()
export class RegionFilter {
  @Field(() => ID, { nullable: true, description: 'Direct children of this node.' })
  @IsOptional()
  parentId?: string;

  @Field(() => ID, { nullable: true, description: 'This node and everything below it.' })
  @IsOptional()
  withinId?: string;

  @Field(() => RegionKind, { nullable: true })
  @IsOptional()
  kind?: RegionKind;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  keyCity?: boolean;

  @Field(() => String, { nullable: true, description: 'Matches code, name or Chinese name.' })
  @IsOptional()
  @MaxLength(200)
  search?: string;
}

export enum RegionSortField {
  CODE = 'CODE',
  NAME = 'NAME',
  PATH = 'PATH',
}
registerEnumType(RegionSortField, { name: 'RegionSortField' });

@InputType()
export class RegionOrder {
  @Field(() => RegionSortField)
  field!: RegionSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction: SortDirection = SortDirection.ASC;
}

@ArgsType()
export class RegionsArgs extends PageArgs {
  @Field(() => RegionFilter, { nullable: true })
  @ValidateNested()
  filter?: RegionFilter;

  @Field(() => RegionOrder, { nullable: true })
  @ValidateNested()
  orderBy?: RegionOrder;
}
