import {
  AdminCreateOrderDocument,
  AdminCreatePaymentDocument,
  AdminDeleteOrderDocument,
  AdminDeletePaymentDocument,
  AdminOrderByIdDocument,
  AdminOrdersDocument,
  AdminUpdateOrderDocument,
  AdminUpdatePaymentDocument,
  type AdminOrderRowFragment,
  type AdminPaymentFragment,
  type CreateOrderInput,
  type OrderLineInput,
  type UpdateOrderInput,
} from '../../../schema/generated/graphql';
import {
  compact,
  deleteOperation,
  listOperation,
  pick,
  readOperation,
  sortBy,
  versionOf,
  writeOperation,
  type ResourceAdapter,
} from '../providers/resource';

const FIELDS = ['number', 'status', 'currency', 'contractRef', 'winProbability'] as const;

/** Decimals travel as strings; the server computes every amount and total from them. */
function decimal(value: unknown): string {
  return typeof value === 'number' ? String(value) : String(value ?? '').trim();
}

export function linesOf(data: Record<string, any>): OrderLineInput[] | undefined {
  if (!Array.isArray(data.lines)) return undefined;
  return data.lines
    .filter((line: Record<string, unknown> | null) => line && String(line.product ?? '').trim())
    .map((line: Record<string, unknown>) => ({
      product: String(line.product).trim(),
      quantity: decimal(line.quantity),
      unitPrice: decimal(line.unitPrice),
      discountPercent:
        line.discountPercent === undefined || line.discountPercent === null || line.discountPercent === ''
          ? undefined
          : decimal(line.discountPercent),
    }));
}

function toIso(value: unknown): string | undefined {
  if (!value) return undefined;
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export const orderResource: ResourceAdapter<AdminOrderRowFragment> = {
  list: listOperation(AdminOrdersDocument, (data) => data.orders, {
    filter: (filter) =>
      compact({
        search: filter.q?.trim(),
        customerId: filter.customerId,
        statuses: filter.status ? (Array.isArray(filter.status) ? filter.status : [filter.status]) : undefined,
        orderedAfter: toIso(filter.orderedAfter),
        orderedBefore: toIso(filter.orderedBefore),
      }),
    orderBy: sortBy({ orderedAt: 'ORDERED_AT', number: 'NUMBER', total: 'TOTAL', createdAt: 'CREATED_AT' }),
  }),
  one: readOperation(AdminOrderByIdDocument, (data) => data.order),
  create: writeOperation(
    AdminCreateOrderDocument,
    ({ data }) => ({
      input: {
        ...pick(data, FIELDS),
        customerId: data.customerId,
        orderedAt: toIso(data.orderedAt),
        lines: linesOf(data) ?? [],
      } as CreateOrderInput,
    }),
    (data) => data.createOrder,
  ),
  update: writeOperation(
    AdminUpdateOrderDocument,
    ({ id, data, previousData }) => ({
      id: id!,
      input: {
        ...pick(data, FIELDS),
        orderedAt: toIso(data.orderedAt),
        lines: linesOf(data),
        version: versionOf({ data, previousData }),
      } as UpdateOrderInput,
    }),
    (data) => data.updateOrder,
  ),
  delete: deleteOperation(AdminDeleteOrderDocument, ({ id, previousData }) => ({ id, version: versionOf({ data: {}, previousData }) })),
  toRecord: (node) => ({ ...node, customerId: node.customer.id }),
  affects: ['customers'],
};

/** Payments are written from the order page; a payment changes its order's paid amount and balance. */
export const paymentResource: ResourceAdapter<AdminPaymentFragment> = {
  create: writeOperation(
    AdminCreatePaymentDocument,
    ({ data }) => ({
      input: { orderId: data.orderId, amount: decimal(data.amount), dueDate: data.dueDate, paidAt: toIso(data.paidAt) ?? null },
    }),
    (data) => data.createPayment,
  ),
  update: writeOperation(
    AdminUpdatePaymentDocument,
    ({ id, data, previousData }) => ({
      id: id!,
      input: {
        amount: data.amount === undefined ? undefined : decimal(data.amount),
        dueDate: data.dueDate,
        paidAt: data.paidAt === undefined ? undefined : (toIso(data.paidAt) ?? null),
        version: versionOf({ data, previousData }),
      },
    }),
    (data) => data.updatePayment,
  ),
  delete: deleteOperation(AdminDeletePaymentDocument, ({ id, previousData }) => ({ id, version: versionOf({ data: {}, previousData }) })),
  affects: ['orders'],
};
