import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDate,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { PageArgs, SortDirection } from '../../common/graphql/connection.js';
import { Decimal } from '../../common/graphql/decimal.scalar.js';
import { OrderStatus } from './order.entity.js';

export const MAX_LINES = 200;

/** A calendar date as `YYYY-MM-DD`; `IsISO8601` with `strict` rejects days that do not exist. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

@InputType({ description: 'One line of an order. Its amount is computed by the server.' })
export class OrderLineInput {
  @Field(() => String)
  @Length(1, 500, { message: 'product must be 1–500 characters' })
  product!: string;

  @Field(() => Decimal, { description: 'More than 0, at most 3 decimal places.' })
  quantity!: string;

  @Field(() => Decimal, { description: 'At least 0, at most 2 decimal places.' })
  unitPrice!: string;

  @Field(() => Decimal, { nullable: true, description: '0–100 (default 0), at most 2 decimal places.' })
  @IsOptional()
  discountPercent?: string | null;
}

/** Fields an order shares between create and update — decorated, so subclasses inherit its fields; unused, so not emitted. */
@InputType()
class OrderDetailsInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Unique among the orders of its customer. Generated (SO-<year>-<sequence>, a form only generated numbers take) when absent on create.',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$/, { message: 'number must be 1–40 letters, digits, "_", ".", "/" or "-"' })
  number?: string;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  orderedAt?: Date;

  @Field(() => Int, { nullable: true, description: 'Quotes only: chance of winning, 0–100.' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'winProbability must be 0–100' })
  @Max(100, { message: 'winProbability must be 0–100' })
  winProbability?: number | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code, e.g. CNY (the default), USD.' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code: three upper-case letters' })
  currency?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100, { message: 'contractRef must be at most 100 characters' })
  contractRef?: string | null;
}

@InputType({ description: 'Totals are computed from the lines; they are never accepted from input.' })
export class CreateOrderInput extends OrderDetailsInput {
  @Field(() => ID)
  @IsString()
  customerId!: string;

  @Field(() => OrderStatus, { nullable: true, description: 'Default QUOTE.' })
  @IsOptional()
  status?: OrderStatus;

  @Field(() => [OrderLineInput])
  @ArrayMinSize(1, { message: 'an order needs at least one line' })
  @ArrayMaxSize(MAX_LINES, { message: `an order has at most ${MAX_LINES} lines` })
  @ValidateNested()
  lines!: OrderLineInput[];
}

@InputType()
export class UpdateOrderInput extends OrderDetailsInput {
  @Field(() => Int)
  version!: number;

  @Field(() => OrderStatus, { nullable: true, description: 'QUOTE → CONFIRMED → SHIPPED → DELIVERED; any open order → CANCELLED.' })
  @IsOptional()
  status?: OrderStatus;

  @Field(() => [OrderLineInput], {
    nullable: true,
    description:
      'Replaces every line; allowed on quotes and confirmed orders. The new total may not be less than the payments recorded on the order (due or received).',
  })
  @IsOptional()
  @ArrayMinSize(1, { message: 'an order needs at least one line' })
  @ArrayMaxSize(MAX_LINES, { message: `an order has at most ${MAX_LINES} lines` })
  @ValidateNested()
  lines?: OrderLineInput[];
}

@InputType()
export class OrderFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() customerId?: string;

  @Field(() => [OrderStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  statuses?: OrderStatus[];

  @Field(() => Date, { nullable: true, description: 'Ordered at or after this instant.' })
  @IsOptional()
  @IsDate()
  orderedAfter?: Date;

  @Field(() => Date, { nullable: true, description: 'Ordered before this instant.' })
  @IsOptional()
  @IsDate()
  orderedBefore?: Date;

  @Field(() => String, { nullable: true, description: 'Matches the order number.' })
  @IsOptional()
  @MaxLength(100)
  search?: string;
}

export enum OrderSortField {
  ORDERED_AT = 'ORDERED_AT',
  NUMBER = 'NUMBER',
  TOTAL = 'TOTAL',
  CREATED_AT = 'CREATED_AT',
}
registerEnumType(OrderSortField, { name: 'OrderSortField' });

@InputType({ description: 'Sort order for orders.' })
export class OrderSort {
  @Field(() => OrderSortField)
  field!: OrderSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  direction: SortDirection = SortDirection.DESC;
}

@ArgsType()
export class OrdersArgs extends PageArgs {
  @Field(() => OrderFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: OrderFilter;

  @Field(() => OrderSort, { nullable: true, description: 'Default: newest first by orderedAt.' })
  @IsOptional()
  @ValidateNested()
  orderBy?: OrderSort;
}

@InputType()
export class CreatePaymentInput {
  @Field(() => ID)
  @IsString()
  orderId!: string;

  @Field(() => Decimal, { description: 'More than 0, at most 2 decimal places.' })
  amount!: string;

  @Field(() => String, { description: 'YYYY-MM-DD.' })
  @Matches(DATE_ONLY, { message: 'dueDate must be a date written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dueDate must be a date written YYYY-MM-DD' })
  dueDate!: string;

  @Field(() => Date, { nullable: true, description: 'When it was received; absent while it is still due.' })
  @IsOptional()
  @IsDate()
  paidAt?: Date | null;
}

@InputType()
export class UpdatePaymentInput {
  @Field(() => Int)
  version!: number;

  @Field(() => Decimal, { nullable: true })
  @IsOptional()
  amount?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'dueDate must be a date written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dueDate must be a date written YYYY-MM-DD' })
  dueDate?: string;

  @Field(() => Date, { nullable: true, description: 'null marks it unpaid again.' })
  @IsOptional()
  @IsDate()
  paidAt?: Date | null;
}
