// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../schema/generated/graphql';
import { localDay } from '../../admin/src/dashboard/FollowUpList';
import { VIEWERS, connection, fakeApi, ids, renderConsole, signInAs } from './harness';

const STAGES = ['POTENTIAL', 'INTENTION', 'FIRST_PURCHASE', 'REPEAT', 'DORMANT', 'LOST'];

const funnel = (total: number) => ({
  lifecycleFunnel: {
    total,
    stages: STAGES.map((stage, i) => ({
      stage,
      count: i === 0 ? total : 0,
      entered: i === 0 ? total : 0,
      conversionToNext: null,
      medianDwellDays: null,
    })),
  },
});

const followUp = (n: number, followUpOn: string) => ({
  id: `00000000-0000-4000-8000-0000000003${String(n).padStart(2, '0')}`,
  kind: 'CALL',
  summary: `Call ${n}`,
  nextStep: `Send the quote ${n}`,
  followUpOn,
  customer: { id: ids.customer(n), legalName: `Follow-up Customer ${n} Ltd` },
});

const group = (id: string, name: string, counts: number[]) => ({
  id,
  name,
  nameZh: null,
  total: counts.reduce((a, b) => a + b, 0),
  stages: STAGES.map((stage, i) => ({ stage, count: counts[i] ?? 0 })),
});

function api(role: Role) {
  return fakeApi({
    AdminMe: () => ({ me: VIEWERS[role] }),
    AdminUnreadNotificationCount: () => ({ unreadNotificationCount: 0 }),
    AdminNotifications: () => ({ notifications: connection([], 0), unreadNotificationCount: 0 }),
    AdminTransferRequests: () => ({ transferRequests: connection([], 0) }),
    AdminLifecycleFunnel: (variables) => funnel(variables.ownerId ? 3 : 12),
    AdminOverdueCustomers: () => ({ overdueCustomers: connection([], 0) }),
    AdminTargetsReport: () => ({ targetsReport: { periodStart: '2026-01-01', periodEnd: '2026-12-31', nodes: [], users: [] } }),
    AdminFollowUps: () => ({ followUps: connection([followUp(1, localDay(-2)), followUp(2, localDay(3))], 2) }),
    AdminLifecycleBreakdown: (variables) => ({
      lifecycleBreakdown:
        variables.by === 'PROVINCE'
          ? [group('p1', 'Zhejiang', [6, 0, 0, 3])]
          : [group('u1', 'Hu Hangzhou', [2, 0, 0, 1]), group('u2', 'Ning Ningbo', [2, 0, 0, 1])],
    }),
    AdminDashboardCycles: () => ({ evaluationCycles: connection([], 0) }),
    AdminRegions: () => ({ regions: connection([], 0) }),
  });
}

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('role-aware dashboard', () => {
  it('shows a rep their follow-ups, each opening its account, and their own funnel and overdue accounts', async () => {
    signInAs('REP');
    const fake = api('REP');
    renderConsole('/', fake);
    const card = await screen.findByTestId('card-follow-ups');
    const first = await within(card).findByRole('link', { name: /Follow-up Customer 1 Ltd/ });
    expect(first).toHaveAttribute('href', `#/customers/${ids.customer(1)}/show`);
    expect(within(card).getByText('Send the quote 1')).toBeInTheDocument();
    expect(within(first).getByText(/Overdue/)).toBeInTheDocument();
    expect(within(card).getByRole('link', { name: /Follow-up Customer 2 Ltd/ })).toBeInTheDocument();
    expect(await screen.findByText('My lifecycle funnel')).toBeInTheDocument();
    expect(await screen.findByText('My overdue accounts')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('chart-funnel')).toHaveTextContent('3 customers'));

    const call = (name: string) => fake.calls.find((c) => c.operationName === name)!;
    expect(call('AdminLifecycleFunnel').variables.ownerId).toBe(VIEWERS.REP.id);
    expect(call('AdminOverdueCustomers').variables.ownerId).toBe(VIEWERS.REP.id);
    expect(call('AdminFollowUps').variables.dueBefore).toBe(localDay(15));
    expect(fake.operations()).not.toContain('AdminLifecycleBreakdown');
    expect(screen.queryByTestId('chart-regions')).toBeNull();
  });

  it('shows a manager their regions by province and by rep', async () => {
    signInAs('MANAGER');
    const fake = api('MANAGER');
    renderConsole('/', fake);
    expect(await screen.findByTestId('chart-by-province')).toHaveTextContent('Customers per stage by province');
    expect(await screen.findByTestId('chart-by-rep')).toHaveTextContent('Customers per stage by rep');
    expect(await screen.findByText('Revenue: targets against actuals per rep')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        fake.calls
          .filter((c) => c.operationName === 'AdminLifecycleBreakdown')
          .map((c) => c.variables.by)
          .sort(),
      ).toEqual(['OWNER', 'PROVINCE']),
    );
    await waitFor(() => expect(screen.getByTestId('chart-funnel')).toHaveTextContent('12 customers'));
    expect(fake.calls.find((c) => c.operationName === 'AdminLifecycleFunnel')!.variables.ownerId).toBeUndefined();
    expect(fake.operations()).not.toContain('AdminFollowUps');
    expect(screen.queryByTestId('chart-regions')).toBeNull();
  });

  it('shows admins the company charts', async () => {
    signInAs('ADMIN');
    const fake = api('ADMIN');
    renderConsole('/', fake);
    expect(await screen.findByTestId('chart-regions')).toBeInTheDocument();
    expect(await screen.findByTestId('chart-quadrants')).toBeInTheDocument();
    expect(await screen.findByTestId('chart-grades')).toBeInTheDocument();
    expect(await screen.findByText('Revenue: targets against actuals per region')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('chart-funnel')).toHaveTextContent('12 customers'));
    expect(screen.queryByTestId('card-follow-ups')).toBeNull();
    expect(screen.queryByTestId('chart-by-province')).toBeNull();
    expect(fake.operations()).not.toContain('AdminFollowUps');
    expect(fake.operations()).not.toContain('AdminLifecycleBreakdown');
  });
});
