import type { RecordColumns, Timestamp } from '../../common/orm/loaders.js';
import type { OrderStatus } from './order.entity.js';

/** An order as the loaders read it: every column, its account as an id, amounts as decimal text. */
export type OrderRow = RecordColumns & {
  customer: string;
  number: string;
  status: OrderStatus;
  orderedAt: Timestamp;
  winProbability: number | null;
  currency: string;
  contractRef: string | null;
  subtotal: string;
  discountTotal: string;
  total: string;
};

/** A payment as the loaders read it: its order as an id. */
export type PaymentRow = RecordColumns & {
  order: string;
  amount: string;
  dueDate: string;
  paidAt: Timestamp | null;
};
