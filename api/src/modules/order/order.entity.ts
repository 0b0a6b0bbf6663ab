import { Entity, Enum, Index, ManyToOne, Property, type Ref, type Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Decimal } from '../../common/graphql/decimal.scalar.js';
import { Customer } from '../customer/customer.entity.js';

export enum OrderStatus { QUOTE = 'QUOTE', CONFIRMED = 'CONFIRMED', SHIPPED = 'SHIPPED', DELIVERED = 'DELIVERED', CANCELLED = 'CANCELLED' }
registerEnumType(OrderStatus, { name: 'OrderStatus' });

/** Money is `numeric(18,2)` and travels as a decimal string; never a float. */
const money = { type: 'decimal', precision: 18, scale: 2 } as const;

@ObjectType({ simpleResolvers: true, description: 'A quote or an order. Totals are computed by the server from the lines.' })
@Entity({ tableName: 'sales_order' })
@Index({ name: 'sales_order_customer_timeline_idx', properties: ['customer', 'orderedAt', 'id'] })
@Index({ properties: ['orderedAt', 'id'] })
export class Order extends BaseEntity {
  @ManyToOne(() => Customer, { ref: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @Field(() => String)
  @Property({ type: 'text', unique: 'sales_order_number_unique' })
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
