// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerRow, fakeApi, ids, renderConsole, signInAs } from './harness';

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('log a visit', () => {
  it('needs only a summary: kind VISIT, channel FIELD and now are the defaults', async () => {
    signInAs('REP');
    const customer = customerRow(1);
    const api = fakeApi({
      AdminCustomerBatch: () => ({ b0: { ...customer, registrationId: null } }),
      AdminCustomers: () => ({
        customers: { totalCount: 1, edges: [{ cursor: 'c1', node: customer }], pageInfo: { hasNextPage: false, endCursor: 'c1' } },
      }),
      AdminLogInteraction: (variables) => ({
        logInteraction: {
          id: 'i1',
          version: 1,
          ...variables.input,
          outcome: null,
          nextStep: null,
          followUpOn: null,
          createdAt: variables.input.occurredAt,
          updatedAt: variables.input.occurredAt,
          customer: { id: customer.id, legalName: customer.legalName },
          contact: null,
          author: { id: 'u', name: 'Hu Hangzhou' },
        },
      }),
      AdminCustomer360: () => ({
        customer: {
          ...customer,
          contacts: [],
          interactions: { totalCount: 0, edges: [] },
          orders: { totalCount: 0, edges: [] },
          evaluations: [],
        },
      }),
    });
    const before = Date.now();
    // Opened from a customer-360: the customer is filled in.
    renderConsole(`/interactions/create?source=${encodeURIComponent(JSON.stringify({ customerId: ids.customer(1) }))}`, api);
    const summary = await screen.findByLabelText(/Summary/);
    expect(screen.getByText('Visit')).toBeInTheDocument();
    expect(screen.getByText('Field visit')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('combobox', { name: /Customer/ })).toHaveValue('Customer 01 Ltd'));
    fireEvent.change(summary, { target: { value: 'Walked the plant with the buyer' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.operations()).toContain('AdminLogInteraction'));
    const input = api.calls.find((call) => call.operationName === 'AdminLogInteraction')!.variables.input;
    expect(input).toMatchObject({
      customerId: ids.customer(1),
      kind: 'VISIT',
      channel: 'FIELD',
      summary: 'Walked the plant with the buyer',
    });
    // The time input keeps minutes: "now" is within the minute the form opened.
    expect(Date.parse(input.occurredAt)).toBeGreaterThanOrEqual(Math.floor(before / 60_000) * 60_000);
    expect(Date.parse(input.occurredAt)).toBeLessThanOrEqual(Date.now());
    await waitFor(() => expect(window.location.hash).toBe(`#/customers/${ids.customer(1)}/show/timeline`));
  });
});
