// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerRow, fakeApi, ids, renderConsole, signInAs } from './harness';

const customer360 = {
  ...customerRow(1, { lifecycleStage: 'REPEAT' }),
  registrationId: '91330100MA27XYZ123',
  industryStanding: 'LEADER',
  products: 'CNC machines',
  sizeBand: 'MEDIUM',
  ownershipType: 'PRIVATE',
  creditStanding: 'GOOD',
  relationshipLevel: 'PROACTIVE',
  sourceChannel: 'FIELD',
  tags: ['key'],
  websiteDomain: 'example.com',
  notes: 'Prefers morning visits',
  archivedAt: null,
  address: { line: '1 West Lake Rd', city: 'Hangzhou', province: 'Zhejiang', postalCode: '310000', country: 'CN' },
  contacts: [
    {
      id: 'k1',
      name: 'Li Lei',
      title: 'Purchasing manager',
      decisionRole: 'DECISION_MAKER',
      email: 'li@example.com',
      mobile: '13800000001',
      phone: null,
      preferredChannel: 'PHONE',
      preferredFrequency: 'MONTHLY',
      consent: true,
      imHandles: [{ network: 'wechat', handle: 'lilei' }],
    },
  ],
  interactions: {
    totalCount: 1,
    edges: [
      {
        node: {
          id: 'i1',
          kind: 'VISIT',
          channel: 'FIELD',
          occurredAt: '2025-03-01T02:00:00.000Z',
          summary: 'Demonstrated the new spindle',
          outcome: 'Asked for a quote',
          nextStep: 'Send quote',
          followUpOn: '2025-03-08',
          author: { id: 'u', name: 'Hu Hangzhou' },
          contact: { id: 'k1', name: 'Li Lei' },
        },
      },
    ],
  },
  orders: {
    totalCount: 1,
    edges: [
      {
        node: {
          id: 'o1',
          number: 'SO-2025-0001',
          status: 'CONFIRMED',
          orderedAt: '2025-03-02T00:00:00.000Z',
          currency: 'CNY',
          subtotal: '2000.00',
          discountTotal: '100.00',
          total: '1900.00',
          amountPaid: '1000.00',
          balance: '900.00',
          lines: [
            {
              id: 'l1',
              position: 1,
              product: 'Spindle',
              quantity: '2.000',
              unitPrice: '1000.00',
              discountPercent: '5.00',
              amount: '1900.00',
            },
          ],
          payments: [{ id: 'p1', amount: '1000.00', dueDate: '2025-04-01', paidAt: '2025-03-20T00:00:00.000Z' }],
        },
      },
    ],
  },
  ownershipHistory: [
    {
      id: 'h1',
      validFrom: '2024-01-01T00:00:00.000Z',
      validTo: '2025-06-01T00:00:00.000Z',
      reason: null,
      owner: { id: 'u0', name: 'Ning Ningbo' },
      territory: { id: 'nb', name: 'Ningbo', nameZh: '宁波' },
      changedBy: null,
    },
    {
      id: 'h2',
      validFrom: '2025-06-01T00:00:00.000Z',
      validTo: null,
      reason: 'Moved to the Hangzhou team',
      owner: { id: 'u', name: 'Hu Hangzhou' },
      territory: { id: ids.hangzhou, name: 'Hangzhou', nameZh: '杭州' },
      changedBy: { id: 'a', name: 'Ada Admin' },
    },
  ],
  lifecycleHistory: [
    {
      id: 't1',
      at: '2025-03-02T00:00:00.000Z',
      fromStage: 'POTENTIAL',
      toStage: 'FIRST_PURCHASE',
      trigger: 'ORDER',
      reason: null,
      actor: null,
      approver: null,
    },
    {
      id: 't2',
      at: '2025-05-02T00:00:00.000Z',
      fromStage: 'FIRST_PURCHASE',
      toStage: 'REPEAT',
      trigger: 'MANUAL',
      reason: 'Second contract signed',
      actor: { id: 'u', name: 'Hu Hangzhou' },
      approver: null,
    },
  ],
  evaluations: [
    {
      id: 'e1',
      grade: 'VIP',
      score: 87.5,
      purchaseCount: 3,
      purchaseAmount: '5000.00',
      amountPaid: '5000.00',
      onTimeShare: 1,
      averageDaysLate: 0,
      contribution: 0.12,
      cycle: { id: 'c1', name: 'FY2024', periodStart: '2024-01-01', periodEnd: '2024-12-31', status: 'PUBLISHED' },
    },
  ],
};

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('customer-360', () => {
  it('shows profile, contacts, timeline, orders with lines and payments, and evaluations from one request', async () => {
    signInAs('ADMIN');
    const api = fakeApi({ AdminCustomer360: () => ({ customer: customer360 }) });
    renderConsole(`/customers/${ids.customer(1)}/show`, api);
    expect(await screen.findByTestId('customer-name')).toHaveTextContent('Customer 01 Ltd');
    expect(screen.getByText('CNC machines')).toBeInTheDocument();
    expect(screen.getByText('Leader')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('tab', { name: /Contacts/ }));
    expect(await screen.findByText('Li Lei')).toBeInTheDocument();
    expect(screen.getByText('wechat: lilei')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('tab', { name: /Timeline/ }));
    expect(await screen.findByText('Demonstrated the new spindle')).toBeInTheDocument();
    expect(screen.getByText(/Asked for a quote/)).toBeInTheDocument();

    fireEvent.click(screen.getByRole('tab', { name: /Orders/ }));
    expect(await screen.findByText('SO-2025-0001')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Expand' }));
    expect(await screen.findByText('Spindle')).toBeInTheDocument();
    // Amounts are the server's, formatted for display only.
    expect(screen.getAllByText('CN¥1,900.00').length).toBeGreaterThan(0);

    fireEvent.click(screen.getByRole('tab', { name: /Evaluations/ }));
    expect(await screen.findByText('FY2024')).toBeInTheDocument();
    expect(screen.getByText('VIP')).toBeInTheDocument();

    expect(api.operations()).toEqual(['AdminCustomer360']);
    expect(screen.getByRole('link', { name: 'Edit' })).toBeInTheDocument();
  });

  it('shows the ownership and lifecycle history, and the audit trail in a request of its own', async () => {
    signInAs('MANAGER');
    const api = fakeApi({
      AdminCustomer360: () => ({ customer: customer360 }),
      AdminAuditEvents: (variables) => ({
        auditEvents: {
          totalCount: 1,
          edges: [
            {
              cursor: 'a1',
              node: {
                id: 'ev1',
                at: '2025-06-01T00:00:00.000Z',
                action: 'CUSTOMER_TRANSFERRED',
                actorId: 'a',
                actorKind: 'USER',
                actorName: 'Ada Admin',
                entityType: 'Customer',
                entityId: variables.filter.entityId,
                reason: 'Moved to the Hangzhou team',
                before: { ownerId: 'u0' },
                after: { ownerId: 'u' },
                regionPaths: ['EAST/ZJ/NB', 'EAST/ZJ/HZ'],
              },
            },
          ],
          pageInfo: { hasNextPage: false, endCursor: 'a1' },
        },
      }),
    });
    renderConsole(`/customers/${ids.customer(1)}/show`, api);
    await screen.findByTestId('customer-name');
    fireEvent.click(screen.getByRole('tab', { name: /Ownership/ }));
    const ownership = await screen.findByRole('table', { name: 'Ownership' });
    // Newest first: the current period on top.
    const rows = within(ownership).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Hu Hangzhou');
    expect(rows[1]).toHaveTextContent('Current');
    expect(rows[1]).toHaveTextContent('Moved to the Hangzhou team');
    expect(rows[2]).toHaveTextContent('Ning Ningbo');
    expect(rows[2]).toHaveTextContent('System');

    fireEvent.click(screen.getByRole('tab', { name: /Lifecycle/ }));
    const lifecycle = await screen.findByRole('table', { name: 'Lifecycle' });
    expect(within(lifecycle).getByText('Second contract signed')).toBeInTheDocument();
    expect(within(lifecycle).getByText('By hand')).toBeInTheDocument();
    expect(within(lifecycle).getByText('Order')).toBeInTheDocument();
    expect(api.operations()).toEqual(['AdminCustomer360']);

    fireEvent.click(screen.getByRole('tab', { name: /Audit/ }));
    const audit = await screen.findByRole('table', { name: 'Audit' });
    expect(within(audit).getByText('Customer transferred')).toBeInTheDocument();
    expect(within(audit).getByText('u0 → u')).toBeInTheDocument();
    expect(api.calls.find((call) => call.operationName === 'AdminAuditEvents')!.variables.filter).toEqual({ entityId: ids.customer(1) });
  });

  it('explains to an admin who may see what of the account, and why', async () => {
    signInAs('ADMIN');
    const api = fakeApi({
      AdminCustomer360: () => ({ customer: customer360 }),
      AdminExplainAccess: (variables) => ({
        explainAccess: {
          subjectId: variables.userId ?? 'me',
          level: 'EDIT',
          rule: 'ADMIN',
          reason: 'Admins reach every account',
          groups: [
            {
              group: 'DIRECTORY',
              allowed: true,
              level: 'EDIT',
              rule: 'ADMIN',
              reason: 'Admins reach every account',
              fields: ['id', 'legalName'],
            },
            { group: 'CONTACTS', allowed: true, level: 'EDIT', rule: 'ADMIN', reason: 'Admins reach every account', fields: ['contacts'] },
          ],
        },
      }),
    });
    renderConsole(`/customers/${ids.customer(1)}/show`, api);
    await screen.findByTestId('customer-name');
    fireEvent.click(await screen.findByRole('tab', { name: /Access/ }));
    expect(await screen.findByTestId('access-summary')).toHaveTextContent('May edit · Admin — Admins reach every account');
    const table = screen.getByRole('table', { name: 'Access' });
    expect(within(table).getByText('Directory card')).toBeInTheDocument();
    expect(within(table).getByText('id, legalName')).toBeInTheDocument();
    expect(api.calls.find((call) => call.operationName === 'AdminExplainAccess')!.variables).toEqual({
      customerId: ids.customer(1),
      userId: null,
    });
  });

  it("marks a colleague's account the viewer may read but not change as read-only, on every tab", async () => {
    signInAs('REP');
    const colleagues = { ...customer360, access: 'READ', owner: { id: 'u2', name: 'Han Hangzhou' } };
    const api = fakeApi({ AdminCustomer360: () => ({ customer: colleagues }) });
    renderConsole(`/customers/${ids.customer(1)}/show`, api);
    const banner = await screen.findByTestId('read-only-banner');
    expect(banner).toHaveTextContent('Read only');
    expect(banner).toHaveTextContent('This account belongs to Han Hangzhou. You can read it but not change it');
    fireEvent.click(screen.getByRole('tab', { name: /Contacts/ }));
    expect(await screen.findByText('Li Lei')).toBeInTheDocument();
    expect(screen.getByTestId('read-only-banner')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();
  });

  it('shows no read-only banner where the viewer may edit', async () => {
    signInAs('ADMIN');
    const api = fakeApi({ AdminCustomer360: () => ({ customer: customer360 }) });
    renderConsole(`/customers/${ids.customer(1)}/show`, api);
    await screen.findByTestId('customer-name');
    expect(screen.queryByTestId('read-only-banner')).not.toBeInTheDocument();
  });

  it('shows only the directory card of an account the viewer may not read', async () => {
    signInAs('REP');
    const card = {
      ...customerRow(2),
      access: 'DIRECTORY',
      owner: { id: 'u2', name: 'Han Hangzhou' },
      version: null,
      industry: null,
      lifecycleStage: null,
      createdAt: null,
      updatedAt: null,
      contacts: null,
      interactions: null,
      orders: null,
      evaluations: null,
    };
    const api = fakeApi({
      AdminCustomer360: () => ({
        data: { customer: card },
        errors: [{ message: 'Not allowed', path: ['customer', 'contacts'], extensions: { code: 'FORBIDDEN' } }],
      }),
    });
    renderConsole(`/customers/${ids.customer(2)}/show`, api);
    expect(await screen.findByText('Directory card')).toBeInTheDocument();
    expect(screen.getByText(/belongs to Han Hangzhou/)).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: /Contacts/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: /Ownership/ })).not.toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Request transfer' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();
  });
});
