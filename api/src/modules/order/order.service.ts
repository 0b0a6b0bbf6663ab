import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
// The package's ESM entry has only a default export while its types describe the CommonJS
// module; importing the CommonJS entry keeps the types and the runtime in agreement.
import decimal from 'decimal.js/decimal.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../common/errors/errors.js';
import { SortDirection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { selectList } from '../../common/orm/columns.js';
import { Conditions, keysetPage, likePattern, type SortKey } from '../../common/orm/keyset.js';
import type { Row } from '../../common/orm/loaders.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import { accountForWrite, scopeToReadableAccounts, writableCustomer, type ChildOf } from '../contact/index.js';
import { becameConfirmed, onOrdersConfirmed } from '../lifecycle/index.js';
import type { RequestScope } from '../../context.js';
import { GENERATED_NUMBER, Order, OrderLine, OrderStatus, Payment } from './order.entity.js';
import {
  OrderSortField,
  type CreateOrderInput,
  type CreatePaymentInput,
  type OrderLineInput,
  type OrdersArgs,
  type UpdateOrderInput,
  type UpdatePaymentInput,
} from './order.inputs.js';

/** Enough precision that products of the widest columns are exact; rounding is half-up. */
const Money = decimal.Decimal.clone({ precision: 64, rounding: decimal.Decimal.ROUND_HALF_UP });
type Money = decimal.Decimal;

const ZERO = new Money(0);
const HUNDRED = new Money(100);
/** Bounds of the columns: numeric(14,3) for quantities, numeric(18,2) for money. */
const QUANTITY_LIMIT = new Money('1e11');
const MONEY_LIMIT = new Money('1e16');

const SORT: Record<OrderSortField, SortKey> = {
  [OrderSortField.ORDERED_AT]: { property: 'orderedAt', cast: 'timestamptz' },
  [OrderSortField.NUMBER]: { property: 'number', cast: 'text' },
  [OrderSortField.TOTAL]: { property: 'total', cast: 'numeric' },
  [OrderSortField.CREATED_AT]: { property: 'createdAt', cast: 'timestamptz' },
};

/** Numbers typed by hand are unique within their account: the clash is always with an order the writer may read. */
const CONSTRAINTS = {
  sales_order_number_customer_unique: new ConflictError('Another order of this customer already has this number', { field: 'number' }),
};

/** The database's own check (trigger payment_within_order_total), behind the locked checks below. */
const PAYMENT_CONSTRAINTS = {
  payment_within_order_total: new BadUserInputError('amount', 'Payments would exceed the order total'),
};
const ORDER_CONSTRAINTS = {
  ...CONSTRAINTS,
  payment_within_order_total: new BadUserInputError('lines', 'The order total would be less than the payments recorded on it'),
};

/** Orders, and the payments on them, follow the account of the order. */
const ORDER: ChildOf = { type: 'Order', sql: 'select customer_id as "customerId" from sales_order where id = ?' };
const PAYMENT: ChildOf = {
  type: 'Payment',
  sql: 'select o.customer_id as "customerId" from payment p join sales_order o on o.id = p.order_id where p.id = ?',
};

/** Where an order may go next. DELIVERED and CANCELLED are final. */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  [OrderStatus.QUOTE]: [OrderStatus.CONFIRMED, OrderStatus.CANCELLED],
  [OrderStatus.CONFIRMED]: [OrderStatus.SHIPPED, OrderStatus.CANCELLED],
  [OrderStatus.SHIPPED]: [OrderStatus.DELIVERED, OrderStatus.CANCELLED],
  [OrderStatus.DELIVERED]: [],
  [OrderStatus.CANCELLED]: [],
};

/** Lines and currency change only before the goods leave. */
const EDITABLE = new Set([OrderStatus.QUOTE, OrderStatus.CONFIRMED]);
const DELETABLE = new Set([OrderStatus.QUOTE, OrderStatus.CANCELLED]);

/** Paid-at times may run a little ahead for clock skew, not more. */
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** Payments of an order, as the `payments` field lists them; `amountPaid` reuses the same batch. */
export const PAYMENTS_ORDER_BY = 't.due_date, t.id';
export const LINES_ORDER_BY = 't.position, t.id';

interface DecimalRule {
  scale: number;
  min: Money;
  minExclusive?: boolean;
  max: Money;
  maxInclusive?: boolean;
  range: string;
}

const QUANTITY: DecimalRule = {
  scale: 3,
  min: ZERO,
  minExclusive: true,
  max: QUANTITY_LIMIT,
  range: 'more than 0 and less than 100000000000',
};
const PRICE: DecimalRule = { scale: 2, min: ZERO, max: MONEY_LIMIT, range: 'at least 0 and less than 10000000000000000' };
const AMOUNT: DecimalRule = {
  scale: 2,
  min: ZERO,
  minExclusive: true,
  max: MONEY_LIMIT,
  range: 'more than 0 and less than 10000000000000000',
};
const PERCENT: DecimalRule = { scale: 2, min: ZERO, max: HUNDRED, maxInclusive: true, range: 'between 0 and 100' };

/** A decimal input checked against its column: scale and range, with the field path in the error. */
function decimalInput(value: string, field: string, rule: DecimalRule): Money {
  const name = field.split('.').at(-1)!;
  const parsed = new Money(value);
  const number = parsed.isZero() ? ZERO : parsed;
  if (number.decimalPlaces() > rule.scale) throw new BadUserInputError(field, `${name} has at most ${rule.scale} decimal places`);
  const aboveMin = rule.minExclusive ? number.gt(rule.min) : number.gte(rule.min);
  const belowMax = rule.maxInclusive ? number.lte(rule.max) : number.lt(rule.max);
  if (!aboveMin || !belowMax) throw new BadUserInputError(field, `${name} must be ${rule.range}`);
  return number;
}

function cents(value: Money): Money {
  return value.toDecimalPlaces(2, Money.ROUND_HALF_UP);
}

export interface PricedLine {
  product: string;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  amount: string;
}

export interface PricedOrder {
  lines: PricedLine[];
  subtotal: string;
  discountTotal: string;
  total: string;
}

/**
 * Prices lines: amount = round_half_up(quantity × unitPrice × (1 − discount/100), 2);
 * subtotal = Σ round(quantity × unitPrice, 2); total = Σ amounts; discountTotal = subtotal − total.
 */
export function priceLines(lines: OrderLineInput[]): PricedOrder {
  let subtotal = ZERO;
  let total = ZERO;
  const priced = lines.map((line, index) => {
    const path = `lines.${index}`;
    const product = line.product.trim();
    if (!product) throw new BadUserInputError(`${path}.product`, 'product must not be blank');
    const quantity = decimalInput(line.quantity, `${path}.quantity`, QUANTITY);
    const unitPrice = decimalInput(line.unitPrice, `${path}.unitPrice`, PRICE);
    const discountPercent = decimalInput(line.discountPercent ?? '0', `${path}.discountPercent`, PERCENT);
    const gross = quantity.times(unitPrice);
    const amount = cents(gross.times(HUNDRED.minus(discountPercent)).dividedBy(HUNDRED));
    subtotal = subtotal.plus(cents(gross));
    total = total.plus(amount);
    return {
      product,
      quantity: quantity.toFixed(3),
      unitPrice: unitPrice.toFixed(2),
      discountPercent: discountPercent.toFixed(2),
      amount: amount.toFixed(2),
    };
  });
  if (subtotal.gte(MONEY_LIMIT)) throw new BadUserInputError('lines', 'The order total is too large');
  return { lines: priced, subtotal: subtotal.toFixed(2), discountTotal: subtotal.minus(total).toFixed(2), total: total.toFixed(2) };
}

/** What has been received: the sum of payments with a paid-at time. */
export function amountPaid(payments: readonly { amount: string; paidAt?: unknown }[]): string {
  return payments.reduce((sum, payment) => (payment.paidAt ? sum.plus(payment.amount) : sum), ZERO).toFixed(2);
}

export function balanceOf(total: string, paid: string): string {
  return new Money(total).minus(paid).toFixed(2);
}

/** One `?` per value: the driver expands an array bound to a single `?` into a list, never an SQL array. */
function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (from !== to && !TRANSITIONS[from].includes(to)) {
    const why = TRANSITIONS[from].length ? `it can go to ${TRANSITIONS[from].join(' or ')}` : `${from} is final`;
    throw new ConflictError(`An order cannot go from ${from} to ${to}; ${why}`, { field: 'status', from, to });
  }
}

function paidAt(value: Date | null | undefined): Date | null {
  if (!value) return null;
  if (value.getTime() > Date.now() + MAX_FUTURE_MS) throw new BadUserInputError('paidAt', 'paidAt cannot be in the future');
  return value;
}

interface NewOrder {
  id: string;
  customerId: string;
  /** A number typed by hand; null takes the next generated one. */
  typed: string | null;
  status: OrderStatus;
  orderedAt: Date;
  winProbability: number | null;
  currency: string;
  contractRef: string | null;
  priced: PricedOrder;
}

/**
 * Inserts an order and returns it as a reader's row. A generated number is the next
 * `SO-<year>-<sequence>` from the year's counter (order_number_counter), taken in the same
 * statement: the counter sees every number whatever the caller may read, and is held until the
 * order commits, so concurrent creates get distinct numbers and a rolled-back one gives its number back.
 */
async function insertOrder(em: EntityManager, order: NewOrder): Promise<Row> {
  const now = new Date();
  const number = order.typed
    ? { sql: '?::text', params: [order.typed] }
    : {
        sql: `(select ?::text || lpad(n.v::text, greatest(6, length(n.v::text)), '0') from app_next_order_number(?) as n(v))`,
        params: [`SO-${order.orderedAt.getUTCFullYear()}-`, `SO-${order.orderedAt.getUTCFullYear()}-`],
      };
  const [row] = await em.execute<Row[]>(
    `insert into sales_order as o (id, created_at, updated_at, version, customer_id, number, status, ordered_at, win_probability,
       currency, contract_ref, subtotal, discount_total, total)
     values (?, ?, ?, 1, ?, ${number.sql}, ?, ?, ?, ?, ?, ?, ?, ?)
     returning ${selectList(em.getMetadata(), Order, 'o')}`,
    [
      order.id,
      now,
      now,
      order.customerId,
      ...number.params,
      order.status,
      order.orderedAt,
      order.winProbability,
      order.currency,
      order.contractRef,
      order.priced.subtotal,
      order.priced.discountTotal,
      order.priced.total,
    ],
  );
  return row!;
}

/** A number typed by hand: any but the generator's shape, which it alone hands out. */
function typedNumber(value: string): string {
  if (GENERATED_NUMBER.test(value)) {
    throw new BadUserInputError(
      'number',
      'Numbers of the form SO-<year>-<sequence> are generated; leave number empty to get the next one, or use another form',
    );
  }
  return value;
}

function addLines(em: EntityManager, order: Order, priced: PricedOrder): void {
  priced.lines.forEach((line, index) => em.create(OrderLine, { order, position: index + 1, ...line }));
  order.subtotal = priced.subtotal;
  order.discountTotal = priced.discountTotal;
  order.total = priced.total;
}

/** The order, locked so payments against it are checked one at a time. */
async function lockedOrder(em: EntityManager, id: string): Promise<Order> {
  const order = await em.findOne(Order, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!order) throw new NotFoundError('Order', id);
  return order;
}

/** The sum of the payments recorded on an order (due or received), but one. Callers hold the order's lock. */
async function scheduledOn(em: EntityManager, orderId: string, excludePaymentId?: string): Promise<Money> {
  const [row] = await em.execute<{ scheduled: string }[]>(
    `select coalesce(sum(amount), 0)::text as scheduled from payment where order_id = ? and id <> ?::uuid`,
    [orderId, excludePaymentId ?? '00000000-0000-0000-0000-000000000000'],
  );
  return new Money(row?.scheduled ?? '0');
}

/** Payments scheduled on an order may not add up to more than its total. */
async function assertWithinTotal(em: EntityManager, order: Order, amount: Money, excludePaymentId?: string): Promise<void> {
  const remaining = new Money(order.total).minus(await scheduledOn(em, order.id, excludePaymentId));
  if (amount.gt(remaining)) {
    throw new BadUserInputError(
      'amount',
      `Payments would exceed the order total; at most ${Money.max(remaining, ZERO).toFixed(2)} ${order.currency} remains`,
    );
  }
}

export class OrderService {
  constructor(private readonly scope: RequestScope) {}

  /** The conditions, sort and direction of an orders page, over alias `o` (the compiled read uses them too). */
  listQuery(args: OrdersArgs): { where: Conditions; sort: SortKey; direction: SortDirection } {
    const { reach } = this.scope;
    const where = scopeToReadableAccounts(new Conditions(), reach, 'o.customer_id');
    const filter = args.filter;
    if (filter?.customerId) where.add('o.customer_id = ?', requireId(filter.customerId, 'filter.customerId'));
    if (filter?.statuses?.length) where.add(`o.status in (${placeholders(filter.statuses)})`, ...filter.statuses);
    if (filter?.orderedAfter) where.add('o.ordered_at >= ?', filter.orderedAfter);
    if (filter?.orderedBefore) where.add('o.ordered_at < ?', filter.orderedBefore);
    if (filter?.search?.trim()) where.add('o.number ilike ?', likePattern(filter.search.trim()));
    return {
      where,
      sort: SORT[args.orderBy?.field ?? OrderSortField.ORDERED_AT],
      direction: args.orderBy?.direction ?? SortDirection.DESC,
    };
  }

  /** Orders of the accounts the viewer may open. */
  list(args: OrdersArgs) {
    const { where, sort, direction } = this.listQuery(args);
    return keysetPage<Order>(this.scope.em, Order, 'o', where, { first: args.first, after: args.after, sort, direction });
  }

  /**
   * The new order as the row a reader gets (read back by the insert itself: whoever may write an
   * account may read it, and row-level security checks the returned row like any read). One
   * statement takes the next number and inserts the order; the lines follow in one more.
   */
  create(input: CreateOrderInput): Promise<Row> {
    const { em } = this.scope;
    return transactional(
      em,
      async (tx) => {
        const customer = await writableCustomer(tx, this.scope, input.customerId);
        const status = input.status ?? OrderStatus.QUOTE;
        if (input.winProbability != null && status !== OrderStatus.QUOTE)
          throw new BadUserInputError('winProbability', 'Only quotes have a win probability');
        const priced = priceLines(input.lines);
        const orderedAt = input.orderedAt ?? new Date();
        const typed = input.number?.trim() ? typedNumber(input.number.trim()) : null;
        const row = await insertOrder(tx, {
          id: randomUUID(),
          customerId: customer.id,
          typed,
          status,
          orderedAt,
          winProbability: input.winProbability ?? null,
          currency: input.currency ?? 'CNY',
          contractRef: input.contractRef?.trim() || null,
          priced,
        });
        const order = tx.getReference(Order, row.id);
        priced.lines.forEach((line, index) => tx.create(OrderLine, { order, position: index + 1, ...line }));
        await tx.flush();
        if (becameConfirmed(null, status)) await onOrdersConfirmed(tx, [customer.id]); // lifecycle: first/second purchase (issue 4)
        return row;
      },
      CONSTRAINTS,
    );
  }

  update(id: string, input: UpdateOrderInput): Promise<Order> {
    const { em } = this.scope;
    return transactional(
      em,
      async (tx) => {
        await accountForWrite(tx, this.scope, ORDER, id);
        const priced = input.lines ? priceLines(input.lines) : null;
        // Locked as payments lock it, so a total and the payments against it are checked one at a time.
        const order = await loadForUpdate(tx, Order, requireId(id, 'id'), input.version, { lock: true });
        const from = order.status;
        if (input.status != null) {
          assertTransition(from, input.status);
          order.status = input.status;
          if (order.status !== OrderStatus.QUOTE) order.winProbability = null;
        }
        if (input.winProbability !== undefined) {
          if (input.winProbability !== null && order.status !== OrderStatus.QUOTE)
            throw new BadUserInputError('winProbability', 'Only quotes have a win probability');
          order.winProbability = input.winProbability;
        }
        // The console sends the number back unchanged with every edit, generated ones too.
        if (input.number?.trim() && input.number.trim() !== order.number) order.number = typedNumber(input.number.trim());
        if (input.orderedAt != null) order.orderedAt = input.orderedAt;
        if (input.contractRef !== undefined) order.contractRef = input.contractRef?.trim() || null;
        const frozen = !EDITABLE.has(from) || !EDITABLE.has(order.status);
        if (input.currency != null && input.currency !== order.currency) {
          if (frozen)
            throw new ConflictError(`The currency of a ${!EDITABLE.has(from) ? from : order.status} order cannot change`, {
              field: 'currency',
            });
          order.currency = input.currency;
        }
        if (priced) {
          if (frozen)
            throw new ConflictError(`The lines of a ${!EDITABLE.has(from) ? from : order.status} order cannot change`, { field: 'lines' });
          const scheduled = await scheduledOn(tx, order.id);
          if (new Money(priced.total).lt(scheduled)) {
            throw new BadUserInputError(
              'lines',
              `The new total ${priced.total} ${order.currency} is less than the ${scheduled.toFixed(2)} ${order.currency} of payments recorded on the order; reduce or remove payments first`,
            );
          }
          await tx.nativeDelete(OrderLine, { order: order.id });
          addLines(tx, order, priced);
          // Replacing lines with equal totals changes no order column; bump the version anyway.
          order.updatedAt = new Date();
        }
        await tx.flush();
        if (becameConfirmed(from, order.status)) await onOrdersConfirmed(tx, [order.customer.id]); // lifecycle: first/second purchase (issue 4)
        return order;
      },
      ORDER_CONSTRAINTS,
    );
  }

  remove(id: string, version: number): Promise<boolean> {
    const { em } = this.scope;
    return transactional(em, async (tx) => {
      await accountForWrite(tx, this.scope, ORDER, id);
      const order = await loadForUpdate(tx, Order, requireId(id, 'id'), version, { lock: true });
      if (!DELETABLE.has(order.status)) {
        throw new ConflictError(`Only quotes and cancelled orders can be deleted; this order is ${order.status}, cancel it first`, {
          status: order.status,
        });
      }
      tx.remove(order);
      await tx.flush();
      return true;
    });
  }

  createPayment(input: CreatePaymentInput): Promise<Payment> {
    const { em } = this.scope;
    return transactional(
      em,
      async (tx) => {
        await accountForWrite(tx, this.scope, ORDER, input.orderId, 'orderId');
        const amount = decimalInput(input.amount, 'amount', AMOUNT);
        const order = await lockedOrder(tx, requireId(input.orderId, 'orderId'));
        if (order.status === OrderStatus.CANCELLED)
          throw new ConflictError('The order is cancelled; it takes no payments', { status: order.status });
        await assertWithinTotal(tx, order, amount);
        const payment = tx.create(Payment, { order, amount: amount.toFixed(2), dueDate: input.dueDate, paidAt: paidAt(input.paidAt) });
        await tx.flush();
        return payment;
      },
      PAYMENT_CONSTRAINTS,
    );
  }

  updatePayment(id: string, input: UpdatePaymentInput): Promise<Payment> {
    const { em } = this.scope;
    return transactional(
      em,
      async (tx) => {
        await accountForWrite(tx, this.scope, PAYMENT, id);
        const amount = input.amount != null ? decimalInput(input.amount, 'amount', AMOUNT) : null;
        const payment = await loadForUpdate(tx, Payment, requireId(id, 'id'), input.version);
        if (amount) {
          const order = await lockedOrder(tx, idOf(payment.order as RelationValue)!);
          await assertWithinTotal(tx, order, amount, payment.id);
          payment.amount = amount.toFixed(2);
        }
        if (input.dueDate != null) payment.dueDate = input.dueDate;
        if (input.paidAt !== undefined) payment.paidAt = paidAt(input.paidAt);
        await tx.flush();
        return payment;
      },
      PAYMENT_CONSTRAINTS,
    );
  }

  removePayment(id: string, version: number): Promise<boolean> {
    const { em } = this.scope;
    return transactional(em, async (tx) => {
      await accountForWrite(tx, this.scope, PAYMENT, id);
      const payment = await loadForUpdate(tx, Payment, requireId(id, 'id'), version, { lock: true });
      tx.remove(payment);
      await tx.flush();
      return true;
    });
  }
}
