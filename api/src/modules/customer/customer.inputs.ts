import { ArrayMaxSize, IsDate, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { PageArgs, SortDirection } from '../../common/graphql/connection.js';
import {
  Channel,
  CreditStanding,
  IndustryStanding,
  LifecycleStage,
  OwnershipType,
  RelationshipLevel,
  SizeBand,
} from './customer.entity.js';

@InputType({ description: 'Postal address; every part optional.' })
export class AddressInput {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(300) line?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) city?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) province?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20) postalCode?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) country?: string | null;
}

/** A legal name is one line of printable text: no control characters (NUL, tabs, line breaks). */
const PRINTABLE = /^[^\p{Cc}]*$/u;
const PRINTABLE_NAME = { message: 'legalName may not contain control characters' };

/** Fields a customer's profile shares between create and update; never emitted on its own. */
@InputType()
class CustomerProfileInput {
  @Field(() => String, {
    nullable: true,
    description: 'Registration / tax id; stored upper case without spaces or separators (`9133-0100 ab12` becomes `91330100AB12`).',
  })
  @IsOptional()
  @MaxLength(60)
  registrationId?: string | null;

  @Field(() => String, { nullable: true, description: 'The id in another system; unique among live accounts (CONFLICT when taken).' })
  @IsOptional()
  @MaxLength(100)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'externalId may not contain control characters' })
  externalId?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) industry?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) products?: string | null;
  @Field(() => IndustryStanding, { nullable: true }) @IsOptional() industryStanding?: IndustryStanding | null;
  @Field(() => SizeBand, { nullable: true }) @IsOptional() sizeBand?: SizeBand | null;
  @Field(() => OwnershipType, { nullable: true }) @IsOptional() ownershipType?: OwnershipType | null;
  @Field(() => CreditStanding, { nullable: true }) @IsOptional() creditStanding?: CreditStanding;

  @Field(() => AddressInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  address?: AddressInput | null;

  @Field(() => String, { nullable: true, description: 'Website or domain; stored as the bare domain.' })
  @IsOptional()
  @MaxLength(253)
  websiteDomain?: string | null;

  @Field(() => RelationshipLevel, { nullable: true }) @IsOptional() relationshipLevel?: RelationshipLevel;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(30)
  @Length(1, 50, { each: true, message: 'each tag must be 1–50 characters' })
  tags?: string[];

  @Field(() => Channel, { nullable: true }) @IsOptional() sourceChannel?: Channel | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(10000) notes?: string | null;
}

@InputType()
export class CreateCustomerInput extends CustomerProfileInput {
  @Field(() => String)
  @Length(1, 300, { message: 'legalName must be 1–300 characters' })
  @Matches(PRINTABLE, PRINTABLE_NAME)
  legalName!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'A territory (the lowest level of the region tree). Omitted: the first matching assignment rule places the account.',
  })
  @IsOptional()
  @IsString()
  territoryId?: string;

  @Field(() => ID, { nullable: true, description: "Defaults to the placing rule's owner, else the signed-in user." })
  @IsOptional()
  @IsString()
  ownerId?: string;

  @Field(() => LifecycleStage, { nullable: true })
  @IsOptional()
  lifecycleStage?: LifecycleStage;
}

@InputType({ description: 'Profile changes. Owner and territory change through a transfer, not here.' })
export class UpdateCustomerInput extends CustomerProfileInput {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 300, { message: 'legalName must be 1–300 characters' })
  @Matches(PRINTABLE, PRINTABLE_NAME)
  legalName?: string;
}

@InputType()
export class CustomerFilter {
  @Field(() => ID, { nullable: true, description: 'In this region or anywhere below it.' })
  @IsOptional()
  regionId?: string;

  @Field(() => ID, { nullable: true }) @IsOptional() territoryId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() ownerId?: string;

  @Field(() => [LifecycleStage], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  stages?: LifecycleStage[];

  @Field(() => String, { nullable: true, description: 'The industry, whatever its case (see `customerIndustries`).' })
  @IsOptional()
  @MaxLength(100)
  industry?: string;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50) tag?: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'Grades in the latest published evaluation cycle, whatever their case (see `customerGrades`). Needs evaluations:read for API keys; not a directory field.',
  })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 100, { each: true })
  grades?: string[];

  @Field(() => String, { nullable: true, description: "Matches the legal name, registration id, or a contact's name, email or mobile." })
  @IsOptional()
  @MaxLength(200)
  search?: string;

  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() createdAfter?: Date;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() createdBefore?: Date;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() updatedAfter?: Date;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() updatedBefore?: Date;

  @Field(() => Boolean, { nullable: true, description: 'Include archived customers (default: no).' })
  @IsOptional()
  includeArchived?: boolean;
}

export enum CustomerScope {
  /** Accounts the viewer may open (own, territory, managed regions, key territories). */
  ACCESSIBLE = 'ACCESSIBLE',
  /** Every account the viewer may know of: the ones they may open in full, the rest as directory cards. */
  DIRECTORY = 'DIRECTORY',
}
registerEnumType(CustomerScope, { name: 'CustomerScope' });

export enum CustomerSortField {
  LEGAL_NAME = 'LEGAL_NAME',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  TERRITORY = 'TERRITORY',
  OWNER = 'OWNER',
  STAGE = 'STAGE',
  GRADE = 'GRADE',
  LAST_INTERACTION = 'LAST_INTERACTION',
  LAST_ORDER = 'LAST_ORDER',
}
registerEnumType(CustomerSortField, {
  name: 'CustomerSortField',
  description: 'Ties are broken by id, so every order is total and cursors are stable.',
  valuesConfig: {
    TERRITORY: { description: "The territory's name." },
    OWNER: { description: "The owner's name." },
    STAGE: { description: 'Lifecycle stage in funnel order: POTENTIAL, INTENTION, FIRST_PURCHASE, REPEAT, DORMANT, LOST.' },
    GRADE: {
      description:
        'Grade in the latest published evaluation cycle, best first (the order of its grade list), ungraded after the worst. Needs evaluations:read for API keys.',
    },
    LAST_INTERACTION: {
      description:
        'When the latest interaction happened, oldest first; accounts with none come before all. Needs interactions:read for API keys.',
    },
    LAST_ORDER: {
      description: 'When the latest order was placed, oldest first; accounts with none come before all. Needs orders:read for API keys.',
    },
  },
});

@InputType()
export class CustomerOrder {
  @Field(() => CustomerSortField)
  field!: CustomerSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction: SortDirection = SortDirection.ASC;
}

@ArgsType()
export class CustomersArgs extends PageArgs {
  @Field(() => CustomerScope, {
    defaultValue: CustomerScope.ACCESSIBLE,
    description: 'DIRECTORY filters and sorts only on directory fields (legal name, territory, region, owner).',
  })
  scope: CustomerScope = CustomerScope.ACCESSIBLE;

  @Field(() => CustomerFilter, { nullable: true })
  @ValidateNested()
  filter?: CustomerFilter;

  @Field(() => CustomerOrder, { nullable: true })
  @ValidateNested()
  orderBy?: CustomerOrder;
}
