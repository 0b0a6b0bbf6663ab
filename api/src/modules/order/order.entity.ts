import { BigIntType, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Ref, type Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Decimal } from '../../common/graphql/decimal.scalar.js';
import { Customer } from '../customer/customer.entity.js';

export enum OrderStatus {
  QUOTE = 'QUOTE',
  CONFIRMED = 'CONFIRMED',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(OrderStatus, { name: 'OrderStatus' });

/** Money is `numeric(18,2)` and travels as a decimal string; never a float. */
const money = { type: 'decimal', precision: 18, scale: 2 } as const;

/**
 * The shape of generated numbers, `SO-<year>-<sequence>`, reserved for the generator (numbers
 * typed by hand may not take it, whatever the case), so the two can never clash.
 */
export const GENERATED_NUMBER = /^SO-\d+-\d+$/i;

@ObjectType({ simpleResolvers: true, description: 'A quote or an order. Totals are computed by the server from the lines.' })
@Entity({ tableName: 'sales_order' })
@Index({ name: 'sales_order_customer_timeline_idx', properties: ['customer', 'orderedAt', 'id'] })
@Index({ properties: ['orderedAt', 'id'] })
// A number typed by hand is unique within its account, never beyond: a clash is then always with
// an order the writer may read, so a refusal reveals nothing about accounts they cannot open.
@Unique({ name: 'sales_order_number_customer_unique', properties: ['number', 'customer'] })
// Generated numbers come from order_number_counter and are unique everywhere.
@Index({
  name: 'sales_order_generated_number_unique',
  expression: `create unique index "sales_order_generated_number_unique" on "sales_order" ("number") where "number" ~ '^SO-[0-9]+-[0-9]+$'`,
})
export class Order extends BaseEntity {
  @ManyToOne(() => Customer, { ref: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @Field(() => String)
  @Property({ type: 'text' })
  number!: string;

  @Field(() => OrderStatus)
  @Enum({ items: () => OrderStatus, nativeEnumName: 'order_status' })
  @Index()
  status!: OrderStatus;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  orderedAt!: Date;

  @Field(() => Int, { nullable: true, description: 'Quotes: chance of winning, 0–100.' })
  @Property({ type: 'smallint', nullable: true })
  winProbability?: number | null;

  @Field(() => String, { description: 'ISO 4217 code.' })
  @Property({ type: 'character', length: 3 })
  currency!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  contractRef?: string | null;

  @Field(() => Decimal, { description: 'Sum of quantity × unit price.' })
  @Property({ ...money, default: 0 })
  subtotal: Opt<string> = '0.00';

  @Field(() => Decimal, { description: 'Sum of line discounts.' })
  @Property({ ...money, default: 0 })
  discountTotal: Opt<string> = '0.00';

  @Field(() => Decimal)
  @Property({ ...money, default: 0 })
  total: Opt<string> = '0.00';
}

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'order_line' })
export class OrderLine extends BaseEntity {
  @ManyToOne(() => Order, { ref: true, index: true, deleteRule: 'cascade' })
  order!: Ref<Order>;

  @Field(() => Int, { description: 'Position of the line in the order, from 1.' })
  @Property({ type: 'smallint' })
  position!: number;

  @Field(() => String)
  @Property({ type: 'text' })
  product!: string;

  @Field(() => Decimal)
  @Property({ type: 'decimal', precision: 14, scale: 3 })
  quantity!: string;

  @Field(() => Decimal)
  @Property({ ...money })
  unitPrice!: string;

  @Field(() => Decimal, { description: 'Discount on the line as a percentage, 0–100.' })
  @Property({ type: 'decimal', precision: 5, scale: 2, default: 0 })
  discountPercent: Opt<string> = '0';

  @Field(() => Decimal, { description: 'quantity × unit price − discount, rounded half-up to cents.' })
  @Property({ ...money })
  amount!: string;
}

@ObjectType({ simpleResolvers: true, description: 'A payment due or received on an order.' })
@Entity({ tableName: 'payment' })
@Index({ properties: ['dueDate'] })
export class Payment extends BaseEntity {
  @ManyToOne(() => Order, { ref: true, index: true, deleteRule: 'cascade' })
  order!: Ref<Order>;

  @Field(() => Decimal)
  @Property({ ...money })
  amount!: string;

  @Field(() => String, { description: 'YYYY-MM-DD.' })
  @Property({ type: 'date' })
  dueDate!: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  paidAt?: Date | null;
}

/**
 * The last generated sequence per prefix (`SO-<year>-`). Advanced only by the function
 * `app_next_order_number` (security definer; the request role has no rights on the table), in one
 * statement that holds the row until the order commits: numbers are unique and gapless, whatever
 * orders the caller may see.
 */
@Entity({ tableName: 'order_number_counter' })
@Check({ name: 'order_number_counter_prefix', expression: `prefix ~ '^SO-[0-9]+-$'` })
@Check({ name: 'order_number_counter_positive', expression: 'last_value > 0' })
export class OrderNumberCounter {
  @PrimaryKey({ type: 'text' })
  prefix!: string;

  @Property({ type: new BigIntType('string') })
  lastValue!: string;
}
