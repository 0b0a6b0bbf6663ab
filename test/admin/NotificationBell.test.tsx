// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminNotificationFragment, NotificationKind } from '../../schema/generated/graphql';
import { VIEWERS, connection, fakeApi, fakeLiveInbox, ids, renderConsole, signInAs } from './harness';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function line(n: number, kind: NotificationKind, overrides: Partial<AdminNotificationFragment> = {}): AdminNotificationFragment {
  return {
    id: `00000000-0000-4000-8000-0000000002${String(n).padStart(2, '0')}`,
    kind,
    createdAt: minutesAgo(n * 5),
    readAt: null,
    customerId: ids.customer(n),
    subjectId: null,
    customerName: `Hangzhou Trading ${n} Co.`,
    actorName: 'Ning Ningbo',
    status: null,
    territoryName: 'Hangzhou',
    fromTerritoryName: null,
    toTerritoryName: null,
    toOwnerName: null,
    stage: null,
    fromStage: null,
    toStage: null,
    grade: null,
    previousGrade: null,
    cycleName: null,
    dueAt: null,
    ...overrides,
  };
}

const lines = [
  line(1, 'TRANSFER_REQUESTED_FROM_YOU'),
  line(2, 'STAGE_CHANGE_DECIDED', { status: 'APPROVED', fromStage: 'POTENTIAL', toStage: 'INTENTION', actorName: 'Eve East' }),
  line(3, 'ACCOUNT_ASSIGNED', { readAt: minutesAgo(1) }),
];

const transfers = { AdminTransferRequests: () => ({ transferRequests: connection([], 0) }) };

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('notification bell', () => {
  it('shows the live unread count without a request of its own, lists the lines, and marks all read', async () => {
    signInAs('REP');
    const live = fakeLiveInbox();
    const marked: unknown[] = [];
    const api = fakeApi({
      ...transfers,
      AdminNotifications: () => ({ notifications: connection(lines, lines.length), unreadNotificationCount: 2 }),
      AdminMarkNotificationsRead: (variables) => {
        marked.push(variables.input);
        return { markNotificationsRead: 2 };
      },
    });
    renderConsole('/transfers', api, live.inbox);
    const bell = await screen.findByTestId('notification-bell');
    await waitFor(() => expect(live.listening()).toBe(1));
    act(() => live.push({ unreadCount: 2, added: [] }));
    await waitFor(() => expect(within(bell).getByText('2')).toBeInTheDocument());
    expect(bell).toHaveAccessibleName('Notifications (2 unread)');
    expect(api.operations()).not.toContain('AdminUnreadNotificationCount');
    expect(api.operations()).not.toContain('AdminNotifications');

    fireEvent.click(bell);
    const list = await screen.findByTestId('notification-list');
    await within(list).findByText('Ning Ningbo asked for your account Hangzhou Trading 1 Co..');
    expect(
      within(list).getByText('Moving Hangzhou Trading 2 Co. from Potential to Intention was approved by Eve East.'),
    ).toBeInTheDocument();
    expect(within(list).getByText('Hangzhou Trading 3 Co. is now your account (Ning Ningbo).')).toBeInTheDocument();
    expect(within(list).getByText('5 minutes ago')).toBeInTheDocument();
    expect(list.querySelectorAll('[data-unread="true"]')).toHaveLength(2);

    // A line arriving while the list is open goes on top, and the count follows the socket.
    act(() => live.push({ unreadCount: 3, added: [line(4, 'SLA_OVERDUE', { createdAt: new Date().toISOString(), stage: 'POTENTIAL' })] }));
    await within(list).findByText('Hangzhou Trading 4 Co. has stayed at Potential longer than its SLA.');
    await waitFor(() => expect(within(bell).getByText('3')).toBeInTheDocument());

    fireEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    await waitFor(() => expect(marked).toEqual([{ all: true }]));
    await waitFor(() => expect(list.querySelectorAll('[data-unread="true"]')).toHaveLength(0));
    // Nothing unread: the badge hides and the button's name no longer counts.
    expect(bell).toHaveAccessibleName('Notifications');
    expect(bell.querySelector('.MuiBadge-invisible')).not.toBeNull();
  });

  it('reads the count over HTTP once when the socket is down, and marks a line read when it is opened', async () => {
    signInAs('REP');
    const live = fakeLiveInbox();
    const marked: unknown[] = [];
    const api = fakeApi({
      ...transfers,
      AdminUnreadNotificationCount: () => ({ unreadNotificationCount: 2 }),
      AdminNotifications: () => ({ notifications: connection(lines, lines.length), unreadNotificationCount: 2 }),
      AdminMarkNotificationsRead: (variables) => {
        marked.push(variables.input);
        return { markNotificationsRead: 1 };
      },
      AdminCustomer: () => ({ customer: null }),
    });
    renderConsole('/transfers', api, live.inbox);
    const bell = await screen.findByTestId('notification-bell');
    await waitFor(() => expect(live.listening()).toBe(1));
    act(() => live.drop());
    act(() => live.drop());
    await waitFor(() => expect(within(bell).getByText('2')).toBeInTheDocument());
    expect(api.operations().filter((name) => name === 'AdminUnreadNotificationCount')).toHaveLength(1);

    fireEvent.click(bell);
    const list = await screen.findByTestId('notification-list');
    expect(await screen.findByText('Live updates are off; the list refreshes when you open it.')).toBeInTheDocument();
    fireEvent.click(await within(list).findByText('Ning Ningbo asked for your account Hangzhou Trading 1 Co..'));
    await waitFor(() => expect(marked).toEqual([{ ids: [lines[0]!.id] }]));
    await waitFor(() => expect(window.location.hash).toBe(`#/customers/${ids.customer(1)}/show`));
    await waitFor(() => expect(within(bell).getByText('1')).toBeInTheDocument());
  });

  it('words each line in Chinese', async () => {
    signInAs('MANAGER');
    localStorage.setItem('RaStore.locale', JSON.stringify('zh'));
    const live = fakeLiveInbox();
    const api = fakeApi({
      ...transfers,
      AdminNotifications: () => ({
        notifications: connection(
          [
            line(1, 'TRANSFER_AWAITING_DECISION', { fromTerritoryName: '广州', toTerritoryName: '杭州', actorName: VIEWERS.REP.name }),
            line(2, 'TRANSFER_DECIDED', { status: 'REJECTED', actorName: 'Eve East' }),
          ],
          2,
        ),
        unreadNotificationCount: 2,
      }),
    });
    renderConsole('/transfers', api, live.inbox);
    const bell = await screen.findByTestId('notification-bell');
    act(() => live.push({ unreadCount: 2, added: [] }));
    fireEvent.click(bell);
    const list = await screen.findByTestId('notification-list');
    await within(list).findByText('Hu Hangzhou 申请将 Hangzhou Trading 1 Co. 从 广州 转到 杭州，待您审批。');
    expect(within(list).getByText('Hangzhou Trading 2 Co. 的转移申请已被 Eve East 驳回。')).toBeInTheDocument();
    expect(within(list).getByText('5分钟前')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '全部标为已读' })).toBeInTheDocument();
  });
});
