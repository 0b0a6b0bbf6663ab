// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeApi, ids, renderConsole, signInAs } from './harness';

const order = {
  id: '00000000-0000-4000-8000-0000000000a1',
  version: 2,
  number: 'SO-2025-0007',
  status: 'QUOTE',
  orderedAt: '2025-03-01T00:00:00.000Z',
  currency: 'CNY',
  total: '200.00',
  amountPaid: '0.00',
  balance: '200.00',
  winProbability: 50,
  customer: { id: ids.customer(1), legalName: 'Customer 01 Ltd' },
  contractRef: null,
  subtotal: '200.00',
  discountTotal: '0.00',
  createdAt: '2025-03-01T00:00:00.000Z',
  updatedAt: '2025-03-01T00:00:00.000Z',
  lines: [{ id: 'l1', position: 1, product: 'Widget', quantity: '2.000', unitPrice: '100.00', discountPercent: '0.00', amount: '200.00' }],
  payments: [],
};

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('order line editor', () => {
  it('sends the lines as decimals and shows the totals the server computed', async () => {
    signInAs('REP');
    const saved = {
      ...order,
      version: 3,
      subtotal: '500.00',
      discountTotal: '15.00',
      total: '485.00',
      balance: '485.00',
      lines: [
        order.lines[0]!,
        { id: 'l2', position: 2, product: 'Gear', quantity: '3.000', unitPrice: '100.00', discountPercent: '5.00', amount: '285.00' },
      ],
    };
    let current = order;
    const api = fakeApi({
      AdminOrderById: () => ({ order: current }),
      AdminCustomerBatch: () => ({ b0: { id: ids.customer(1), legalName: 'Customer 01 Ltd' } }),
      AdminCustomers: () => ({ customers: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } } }),
      AdminUpdateOrder: () => {
        current = saved;
        return { updateOrder: saved };
      },
    });
    renderConsole(`/orders/${order.id}`, api);
    expect(await screen.findByText(/Totals are computed by the server/)).toBeInTheDocument();
    expect(screen.getByText(/Total: CN¥200.00/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const products = await screen.findAllByLabelText(/Product/);
    expect(products).toHaveLength(2);
    const lines = screen.getByTestId('order-lines');
    fireEvent.change(products[1]!, { target: { value: 'Gear' } });
    fireEvent.change(within(lines).getAllByLabelText(/Quantity/)[1]!, { target: { value: '3' } });
    fireEvent.change(within(lines).getAllByLabelText(/Unit price/)[1]!, { target: { value: '100' } });
    // The total follows the lines as they are typed: 200 + 3 × 100 less 5 %.
    expect(screen.getByTestId('order-live-total')).toHaveTextContent('Total as entered: CN¥500.00');
    fireEvent.change(within(lines).getAllByLabelText(/Discount %/)[1]!, { target: { value: '5' } });
    await waitFor(() => expect(screen.getByTestId('order-live-total')).toHaveTextContent('Total as entered: CN¥485.00'));
    expect(screen.getByTestId('order-live-total')).toHaveTextContent('Discounts: CN¥15.00');
    fireEvent.change(within(lines).getAllByLabelText(/Unit price/)[1]!, { target: { value: '' } });
    await waitFor(() => expect(screen.getByTestId('order-live-total')).toHaveTextContent('Total as entered: CN¥200.00'));
    expect(screen.getByTestId('order-live-total')).toHaveTextContent('1 line is not complete and is left out');
    fireEvent.change(within(lines).getAllByLabelText(/Unit price/)[1]!, { target: { value: '100' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.operations()).toContain('AdminUpdateOrder'));
    const input = api.calls.find((call) => call.operationName === 'AdminUpdateOrder')!.variables.input;
    expect(input.version).toBe(2);
    expect(input.lines).toEqual([
      { product: 'Widget', quantity: '2.000', unitPrice: '100.00', discountPercent: '0.00' },
      { product: 'Gear', quantity: '3', unitPrice: '100', discountPercent: '5' },
    ]);
    expect(input).not.toHaveProperty('total');
    // The show page displays the server's totals.
    expect(await screen.findByTestId('order-totals')).toHaveTextContent('CN¥485.00');
  });

  it('shows no balance due on a cancelled order', async () => {
    signInAs('REP');
    const cancelled = { ...order, status: 'CANCELLED', amountPaid: '50.00', balance: '150.00' };
    const api = fakeApi({ AdminOrderById: () => ({ order: cancelled }) });
    renderConsole(`/orders/${order.id}/show`, api);
    const totals = await screen.findByTestId('order-totals');
    expect(totals).toHaveTextContent('PaidCN¥50.00');
    expect(totals).not.toHaveTextContent('CN¥150.00');
    expect(within(totals).getByText('Balance').nextSibling).toHaveTextContent('—');
  });
});
