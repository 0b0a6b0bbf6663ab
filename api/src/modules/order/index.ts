export { LINES_ORDER_BY, PAYMENTS_ORDER_BY } from './order.service.js';
export type { OrdersArgs } from './order.inputs.js';
export type { OrderRow, PaymentRow } from './order.rows.js';
