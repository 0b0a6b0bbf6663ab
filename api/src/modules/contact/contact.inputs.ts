import { ArrayMaxSize, IsBoolean, IsEmail, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { PageArgs, SortDirection } from '../../common/graphql/connection.js';
import { Channel } from '../customer/customer.entity.js';
import { ContactFrequency, DecisionRole } from './contact.entity.js';

/** Digits, spaces, "+", "-" and parentheses, with at least one digit. */
const PHONE = /^(?=.*\d)[0-9 +()-]{5,30}$/;

@InputType({ description: 'A handle on one IM network.' })
export class ImHandleInput {
  @Field(() => String, { description: 'Network, e.g. wechat, qq, whatsapp, telegram, line, dingtalk; stored lower-case.' })
  @Matches(/^[A-Za-z][A-Za-z0-9_-]{1,31}$/, { message: 'network must be 2–32 letters, digits, "_" or "-", starting with a letter' })
  network!: string;

  @Field(() => String)
  @Length(1, 100, { message: 'handle must be 1–100 characters' })
  handle!: string;
}

/** Fields a contact shares between create and update — decorated, so subclasses inherit its fields; unused, so not emitted. */
@InputType()
class ContactProfileInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200, { message: 'title must be at most 200 characters' })
  title?: string | null;

  @Field(() => DecisionRole, { nullable: true }) @IsOptional() decisionRole?: DecisionRole | null;

  @Field(() => String, { nullable: true, description: 'Direct line.' })
  @IsOptional()
  @Matches(PHONE, { message: 'phone must be 5–30 digits, spaces, "+", "-" or parentheses' })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE, { message: 'mobile must be 5–30 digits, spaces, "+", "-" or parentheses' })
  mobile?: string | null;

  @Field(() => String, { nullable: true, description: 'Stored lower-cased.' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email?: string | null;

  @Field(() => [ImHandleInput], { nullable: true, description: 'Replaces all handles; one per network.' })
  @IsOptional()
  @ArrayMaxSize(20, { message: 'imHandles can hold at most 20 handles' })
  @ValidateNested()
  imHandles?: ImHandleInput[] | null;

  @Field(() => Channel, { nullable: true }) @IsOptional() preferredChannel?: Channel | null;
  @Field(() => ContactFrequency, { nullable: true }) @IsOptional() preferredFrequency?: ContactFrequency | null;

  @Field(() => Boolean, { nullable: true, description: 'The contact agreed to be contacted for marketing.' })
  @IsOptional()
  @IsBoolean()
  consent?: boolean;
}

@InputType()
export class CreateContactInput extends ContactProfileInput {
  @Field(() => ID, { description: 'An existing customer that is not archived.' })
  @IsString()
  customerId!: string;

  @Field(() => String)
  @Length(1, 200, { message: 'name must be 1–200 characters' })
  name!: string;
}

@InputType()
export class UpdateContactInput extends ContactProfileInput {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200, { message: 'name must be 1–200 characters' })
  name?: string;
}

@InputType()
export class ContactFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() customerId?: string;

  @Field(() => String, { nullable: true, description: 'Matches name, email, mobile or direct line.' })
  @IsOptional()
  @MaxLength(200)
  search?: string;

  @Field(() => Boolean, { nullable: true }) @IsOptional() consent?: boolean;
  @Field(() => DecisionRole, { nullable: true }) @IsOptional() decisionRole?: DecisionRole;
}

export enum ContactSortField {
  NAME = 'NAME',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(ContactSortField, { name: 'ContactSortField' });

@InputType()
export class ContactOrder {
  @Field(() => ContactSortField)
  field!: ContactSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction: SortDirection = SortDirection.ASC;
}

@ArgsType()
export class ContactsArgs extends PageArgs {
  @Field(() => ContactFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ContactFilter;

  @Field(() => ContactOrder, { nullable: true, description: 'Default: name, A–Z.' })
  @IsOptional()
  @ValidateNested()
  orderBy?: ContactOrder;
}
