// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connection, fakeApi, ids, renderConsole, signInAs, VIEWERS } from './harness';

// Dates are written for UTC; the console shows them in the viewer's zone.
process.env.TZ = 'UTC';

const id = (n: string) => `00000000-0000-4000-8000-0000000000${n}`;
function region(n: string, code: string, name: string, nameZh: string, kind: string, parent: string | null, path: string) {
  return { id: id(n), version: 1, code, name, nameZh, kind, keyCity: false, path, parent: parent ? { id: id(parent) } : null };
}
const tree = [
  region('01', 'EAST', 'East', '华东', 'REGION', null, 'EAST'),
  region('02', 'ZJ', 'Zhejiang', '浙江', 'PROVINCE', '01', 'EAST/ZJ'),
  region('03', 'HZ', 'Hangzhou', '杭州', 'TERRITORY', '02', 'EAST/ZJ/HZ'),
  region('04', 'NB', 'Ningbo', '宁波', 'TERRITORY', '02', 'EAST/ZJ/NB'),
];
const hangzhou = id('03');
const ningbo = id('04');
const guo = { id: id('b7'), name: 'Guo Guangzhou' };
const keyId = id('c1');
const transferId = id('d1');

const events = [
  {
    id: '5',
    at: '2025-06-01T09:30:00.000Z',
    action: 'CUSTOMER_REASSIGNED',
    actorId: VIEWERS.ADMIN.id,
    actorKind: 'USER',
    actorName: 'Ada Admin',
    entityType: 'Customer',
    entityId: ids.customer(1),
    reason: 'Rebalancing Zhejiang',
    before: { ownerId: guo.id, territoryId: hangzhou },
    after: { ownerId: VIEWERS.REP.id, territoryId: ningbo, version: 3 },
    regionPaths: ['EAST/ZJ/HZ', 'EAST/ZJ/NB'],
  },
  {
    id: '4',
    at: '2025-05-31T23:05:00.000Z',
    action: 'TRANSFER_REQUESTED',
    actorId: VIEWERS.REP.id,
    actorKind: 'USER',
    actorName: 'Hu Hangzhou',
    entityType: 'TransferRequest',
    entityId: transferId,
    reason: 'Met them at the fair',
    before: null,
    after: { customerId: ids.customer(2), fromOwnerId: guo.id, toOwnerId: VIEWERS.REP.id, status: 'PENDING' },
    regionPaths: ['EAST/ZJ/HZ'],
  },
  {
    id: '3',
    at: '2025-05-30T08:00:00.000Z',
    action: 'API_KEY_CREATED',
    actorId: VIEWERS.ADMIN.id,
    actorKind: 'USER',
    actorName: 'Ada Admin',
    entityType: 'ApiKey',
    entityId: keyId,
    reason: null,
    before: null,
    after: { name: 'Nightly BI export', prefix: 'k3y', kind: 'BI', scopes: ['CUSTOMERS_READ'], expiresAt: '2025-12-31T16:00:00.000Z' },
    regionPaths: [],
  },
  {
    id: '2',
    at: '2025-05-29T08:00:00.000Z',
    action: 'WEBHOOK_SECRET_ROTATED',
    actorId: VIEWERS.ADMIN.id,
    actorKind: 'USER',
    actorName: 'Ada Admin',
    entityType: 'Webhook',
    entityId: id('e1'),
    reason: null,
    before: null,
    after: { previousSecretExpiresAt: '2025-05-30T08:00:00.000Z', apiKeyId: keyId },
    regionPaths: [],
  },
  {
    id: '1',
    at: '2025-05-28T08:00:00.000Z',
    action: 'MUTATION_DENIED',
    actorId: VIEWERS.REP.id,
    actorKind: 'USER',
    actorName: 'Hu Hangzhou',
    entityType: null,
    entityId: null,
    reason: null,
    before: null,
    after: { operation: 'AdminReassignCustomers', code: 'FORBIDDEN' },
    regionPaths: ['EAST/ZJ/HZ'],
  },
];

function auditApi() {
  const names: Record<string, string> = {
    [ids.customer(1)]: 'Hangzhou West Lake Tea Co., Ltd.',
    [ids.customer(2)]: 'Ningbo Harbour Logistics Ltd.',
  };
  const people: Record<string, string> = { [guo.id]: guo.name, [VIEWERS.REP.id]: VIEWERS.REP.name, [VIEWERS.ADMIN.id]: VIEWERS.ADMIN.name };
  // Batched runs: variables id_0, id_1, …; each answers under alias b<i>.
  const each = (variables: Record<string, any>, answer: (value: string) => unknown) =>
    Object.fromEntries(Object.entries(variables).map(([name, value]) => [`b${name.slice('id_'.length)}`, answer(value)]));
  return fakeApi({
    AdminRegions: () => ({ regions: connection(tree, tree.length) }),
    AdminAuditEvents: () => ({ auditEvents: connection(events, events.length) }),
    AdminAuditCustomerNameBatch: (variables) => each(variables, (value) => ({ id: value, legalName: names[value] })),
    AdminAuditUserNameBatch: (variables) => each(variables, (value) => ({ id: value, name: people[value] })),
    AdminAuditApiKeyNameBatch: (variables) => each(variables, (value) => ({ id: value, name: 'Nightly BI export' })),
  });
}

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('the audit log', () => {
  it('names what each event concerns, labels actions and keys, and dates events in English', async () => {
    signInAs('ADMIN');
    const api = auditApi();
    renderConsole('/auditEvents', api);
    const table = await screen.findByTestId('audit-table');
    // Data rows only: each has an expand button (the rows after them hold the expanded panels).
    const rows = () =>
      within(table)
        .getAllByRole('row')
        .filter((row) => row.closest('tbody') && row.querySelector('[aria-label="Expand"], [aria-label="展开"]'));
    await within(table).findByText('Hangzhou West Lake Tea Co., Ltd.');

    expect(rows()[0]).toHaveTextContent('1 Jun 2025, 09:30');
    expect(rows()[0]).toHaveTextContent('Customer reassigned');
    expect(within(rows()[0]!).getByRole('link', { name: 'Hangzhou West Lake Tea Co., Ltd.' })).toHaveAttribute(
      'href',
      `#/customers/${ids.customer(1)}/show`,
    );
    await waitFor(() => expect(rows()[1]).toHaveTextContent('Transfer of Ningbo Harbour Logistics Ltd.'));
    expect(rows()[1]).toHaveTextContent('31 May 2025, 23:05');
    expect(rows()[1]).toHaveTextContent('Transfer requested');
    expect(rows()[2]).toHaveTextContent('Nightly BI export');
    expect(rows()[2]).toHaveTextContent('API key created');
    await waitFor(() => expect(rows()[3]).toHaveTextContent('Webhook of Nightly BI export'));
    expect(rows()[4]).toHaveTextContent('Change denied');
    expect(rows()[4]).toHaveTextContent('Not allowed');
    // No truncated ids: every subject has a name.
    expect(table.textContent).not.toMatch(/[0-9a-f]{8}…/);

    // One request per kind of name for the whole page, never one per row.
    expect(api.operations().filter((name) => name.startsWith('AdminAudit') && name !== 'AdminAuditEvents')).toEqual(
      expect.arrayContaining(['AdminAuditCustomerNameBatch', 'AdminAuditUserNameBatch', 'AdminAuditApiKeyNameBatch']),
    );
    expect(api.operations().filter((name) => name === 'AdminAuditCustomerNameBatch')).toHaveLength(1);
    expect(api.operations().filter((name) => name === 'AdminAuditUserNameBatch')).toHaveLength(1);

    fireEvent.click(within(rows()[0]!).getByText('Customer reassigned'));
    const owner = await screen.findByText('Owner');
    const changes = owner.closest('dl')! as HTMLElement;
    expect(within(changes).getByText('Guo Guangzhou → Hu Hangzhou')).toBeInTheDocument();
    expect(within(changes).getByText('Territory')).toBeInTheDocument();
    expect(within(changes).getByText('East › Zhejiang › Hangzhou → East › Zhejiang › Ningbo')).toBeInTheDocument();
    expect(within(changes).getByText('Version')).toBeInTheDocument();
    expect(changes.textContent).not.toMatch(/ownerId|territoryId/);

    fireEvent.click(within(rows().find((row) => row.textContent?.includes('API key created'))!).getByText('API key created'));
    const expires = await screen.findByText('Expires');
    const keyChanges = expires.closest('dl')! as HTMLElement;
    expect(within(keyChanges).getByText('31 Dec 2025, 16:00')).toBeInTheDocument();
    expect(within(keyChanges).getByText('BI tool')).toBeInTheDocument();
    expect(within(keyChanges).getByText('Customers: read')).toBeInTheDocument();
  });

  it('speaks Chinese: action labels, names of territories and dates in zh-CN', async () => {
    localStorage.setItem('RaStore.locale', JSON.stringify('zh'));
    signInAs('ADMIN');
    renderConsole('/auditEvents', auditApi());
    const table = await screen.findByTestId('audit-table', {}, { timeout: 20_000 });
    // Data rows only: each has an expand button (the rows after them hold the expanded panels).
    const rows = () =>
      within(table)
        .getAllByRole('row')
        .filter((row) => row.closest('tbody') && row.querySelector('[aria-label="Expand"], [aria-label="展开"]'));
    await within(table).findByText('Hangzhou West Lake Tea Co., Ltd.');
    expect(rows()[0]).toHaveTextContent('2025年6月1日 09:30');
    expect(rows()[0]).toHaveTextContent('客户已重新分配');
    expect(rows()[1]).toHaveTextContent('申请转移');
    expect(rows()[4]).toHaveTextContent('修改被拒绝');
    expect(rows()[4]).toHaveTextContent('无权操作');

    fireEvent.click(within(rows()[0]!).getByText('客户已重新分配'));
    const owner = await screen.findByText('负责人');
    const changes = owner.closest('dl')! as HTMLElement;
    expect(within(changes).getByText('华东 › 浙江 › 杭州 → 华东 › 浙江 › 宁波')).toBeInTheDocument();
    expect(within(changes).getByText('版本')).toBeInTheDocument();
  });
});
