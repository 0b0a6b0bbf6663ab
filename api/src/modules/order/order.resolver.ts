import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Decimal } from '../../common/graphql/decimal.scalar.js';
import { isUuid } from '../../common/graphql/ids.js';
import type { Row } from '../../common/orm/loaders.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import type { Context } from '../../context.js';
import { Customer } from '../customer/customer.entity.js';
import { OrderConnection } from '../customer/customer.resolver.js';
import { Order, OrderLine, Payment } from './order.entity.js';
import { CreateOrderInput, CreatePaymentInput, OrdersArgs, UpdateOrderInput, UpdatePaymentInput } from './order.inputs.js';
import { LINES_ORDER_BY, OrderService, PAYMENTS_ORDER_BY, amountPaid, balanceOf } from './order.service.js';

type PaymentRow = Row & { amount: string; paidAt: string | null };

/** One batch per request serves `payments`, `amountPaid` and `balance`. */
function paymentsOf(order: Order, { loaders }: Context) {
  return loaders.childrenOf<PaymentRow>(Payment, 'order', PAYMENTS_ORDER_BY).load(order.id);
}

@Authorized()
@Resolver(() => Order)
export class OrderResolver {
  private readonly service = new OrderService();

  @Query(() => Order, { nullable: true })
  order(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return isUuid(id) ? loaders.byId(Order).load(id) : null;
  }

  @Query(() => OrderConnection, { description: 'Newest first unless ordered otherwise.' })
  orders(@Args(() => OrdersArgs) args: OrdersArgs, @Ctx() { em }: Context) {
    return this.service.list(em, args);
  }

  @FieldResolver(() => Customer)
  customer(@Root() order: Order, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(idOf(order.customer as RelationValue)!);
  }

  @FieldResolver(() => [OrderLine], { description: 'In position order.' })
  lines(@Root() order: Order, @Ctx() { loaders }: Context) {
    return loaders.childrenOf(OrderLine, 'order', LINES_ORDER_BY).load(order.id);
  }

  @FieldResolver(() => [Payment], { description: 'By due date.' })
  payments(@Root() order: Order, @Ctx() context: Context) {
    return paymentsOf(order, context);
  }

  @FieldResolver(() => Decimal, { description: 'Sum of the payments received (with a paid-at time).' })
  async amountPaid(@Root() order: Order, @Ctx() context: Context): Promise<string> {
    return amountPaid(await paymentsOf(order, context));
  }

  @FieldResolver(() => Decimal, { description: 'Total minus the amount paid.' })
  async balance(@Root() order: Order, @Ctx() context: Context): Promise<string> {
    return balanceOf(order.total, amountPaid(await paymentsOf(order, context)));
  }

  @Mutation(() => Order, { description: 'Totals are computed from the lines; the number is generated when not given.' })
  createOrder(@Arg('input', () => CreateOrderInput) input: CreateOrderInput, @Ctx() { em }: Context) {
    return this.service.create(em, input);
  }

  @Mutation(() => Order, { description: 'Lines, when given, replace all lines and the totals are recomputed.' })
  updateOrder(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateOrderInput) input: UpdateOrderInput, @Ctx() { em }: Context) {
    return this.service.update(em, id, input);
  }

  @Mutation(() => Boolean, { description: 'Only quotes and cancelled orders can be deleted.' })
  deleteOrder(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() { em }: Context) {
    return this.service.remove(em, id, version);
  }
}

@Authorized()
@Resolver(() => Payment)
export class PaymentResolver {
  private readonly service = new OrderService();

  @FieldResolver(() => Order)
  order(@Root() payment: Payment, @Ctx() { loaders }: Context) {
    return loaders.byId(Order).load(idOf(payment.order as RelationValue)!);
  }

  @Mutation(() => Payment, { description: 'Payments on an order may not add up to more than its total.' })
  createPayment(@Arg('input', () => CreatePaymentInput) input: CreatePaymentInput, @Ctx() { em }: Context) {
    return this.service.createPayment(em, input);
  }

  @Mutation(() => Payment)
  updatePayment(@Arg('id', () => ID) id: string, @Arg('input', () => UpdatePaymentInput) input: UpdatePaymentInput, @Ctx() { em }: Context) {
    return this.service.updatePayment(em, id, input);
  }

  @Mutation(() => Boolean)
  deletePayment(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() { em }: Context) {
    return this.service.removePayment(em, id, version);
  }
}
