import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { usersAndScope } from '../access/index.js';
import { Decimal } from '../../common/graphql/decimal.scalar.js';
import { isUuid } from '../../common/graphql/ids.js';
import { readBack } from '../../common/orm/loaders.js';
import { type Context } from '../../context.js';
import { Scope } from '../../common/access/index.js';
import { readableById } from '../contact/index.js';
import { Customer } from '../customer/customer.entity.js';
import { OrderConnection, compiledOrder, compiledOrders } from '../customer/index.js';
import { Order, OrderLine, Payment } from './order.entity.js';
import type { OrderRow, PaymentRow } from './order.rows.js';
import { CreateOrderInput, CreatePaymentInput, OrdersArgs, UpdateOrderInput, UpdatePaymentInput } from './order.inputs.js';
import { LINES_ORDER_BY, PAYMENTS_ORDER_BY, amountPaid, balanceOf } from './order.service.js';

/** One batch per request serves `payments`, `amountPaid` and `balance`. */
function paymentsOf(order: OrderRow, { loaders }: Context) {
  return loaders.childrenOf<PaymentRow>(Payment, 'order', PAYMENTS_ORDER_BY).load(order.id);
}

@Resolver(() => Order)
export class OrderResolver {
  @Authorized(usersAndScope(Scope.ORDERS_READ))
  @Query(() => Order, { nullable: true, description: 'Null unless the viewer may open the account.' })
  async order(@Arg('id', () => ID) id: string, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    const compiled = context.config.compiledReads ? await compiledOrder(context, info, id) : null;
    if (compiled) return compiled;
    return isUuid(id) ? readableById(context.loaders, context.reach, Order).load(id) : null;
  }

  @Authorized(usersAndScope(Scope.ORDERS_READ))
  @Query(() => OrderConnection, { description: 'Orders of the accounts the viewer may open; newest first unless ordered otherwise.' })
  async orders(@Args(() => OrdersArgs) args: OrdersArgs, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    // One statement where the page needs no masking; the resolvers below answer the rest.
    const compiled = context.config.compiledReads ? await compiledOrders(context, info, args) : null;
    if (compiled) return compiled;
    return context.services.orders.list(args);
  }

  @FieldResolver(() => Customer)
  customer(@Root() order: OrderRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(order.customer);
  }

  @FieldResolver(() => [OrderLine], { description: 'In position order.' })
  lines(@Root() order: OrderRow, @Ctx() { loaders }: Context) {
    return loaders.childrenOf(OrderLine, 'order', LINES_ORDER_BY).load(order.id);
  }

  @FieldResolver(() => [Payment], { description: 'By due date.' })
  payments(@Root() order: OrderRow, @Ctx() context: Context) {
    return paymentsOf(order, context);
  }

  @FieldResolver(() => Decimal, { description: 'Sum of the payments received (with a paid-at time).' })
  async amountPaid(@Root() order: OrderRow, @Ctx() context: Context): Promise<string> {
    return amountPaid(await paymentsOf(order, context));
  }

  @FieldResolver(() => Decimal, { description: 'Total minus the amount paid.' })
  async balance(@Root() order: OrderRow, @Ctx() context: Context): Promise<string> {
    return balanceOf(order.total, amountPaid(await paymentsOf(order, context)));
  }

  @Authorized(usersAndScope(Scope.ORDERS_WRITE))
  @Mutation(() => Order, { description: 'Totals are computed from the lines; the number is generated when not given.' })
  async createOrder(@Arg('input', () => CreateOrderInput) input: CreateOrderInput, @Ctx() context: Context) {
    return context.services.orders.create(input);
  }

  @Authorized(usersAndScope(Scope.ORDERS_WRITE))
  @Mutation(() => Order, { description: 'Lines, when given, replace all lines and the totals are recomputed.' })
  async updateOrder(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateOrderInput) input: UpdateOrderInput,
    @Ctx() context: Context,
  ) {
    await context.services.orders.update(id, input);
    return readBack(context.loaders, Order, id, (fresh) => readableById(fresh, context.reach, Order));
  }

  @Authorized(usersAndScope(Scope.ORDERS_WRITE))
  @Mutation(() => Boolean, { description: 'Only quotes and cancelled orders can be deleted.' })
  deleteOrder(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() context: Context) {
    return context.services.orders.remove(id, version);
  }
}

@Resolver(() => Payment)
export class PaymentResolver {
  @FieldResolver(() => Order)
  order(@Root() payment: PaymentRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Order).load(payment.order);
  }

  @Authorized(usersAndScope(Scope.ORDERS_WRITE))
  @Mutation(() => Payment, { description: 'Payments on an order may not add up to more than its total.' })
  async createPayment(@Arg('input', () => CreatePaymentInput) input: CreatePaymentInput, @Ctx() context: Context) {
    const payment = await context.services.orders.createPayment(input);
    // Payments have no account of their own: the write was checked against their order's.
    return readBack(context.loaders, Payment, payment.id);
  }

  @Authorized(usersAndScope(Scope.ORDERS_WRITE))
  @Mutation(() => Payment)
  async updatePayment(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdatePaymentInput) input: UpdatePaymentInput,
    @Ctx() context: Context,
  ) {
    await context.services.orders.updatePayment(id, input);
    return readBack(context.loaders, Payment, id);
  }

  @Authorized(usersAndScope(Scope.ORDERS_WRITE))
  @Mutation(() => Boolean)
  deletePayment(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() context: Context) {
    return context.services.orders.removePayment(id, version);
  }
}
