// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connection, customerRow, fakeApi, renderConsole, signInAs, VIEWERS } from './harness';

const id = (n: string) => `00000000-0000-4000-8000-0000000000${n}`;
function region(n: string, code: string, name: string, nameZh: string, kind: string, parent: string | null, path: string) {
  return { id: id(n), version: 1, code, name, nameZh, kind, keyCity: false, path, parent: parent ? { id: id(parent) } : null };
}
const tree = [
  region('01', 'EAST', 'East', '华东', 'REGION', null, 'EAST'),
  region('02', 'ZJ', 'Zhejiang', '浙江', 'PROVINCE', '01', 'EAST/ZJ'),
  region('03', 'HZ', 'Hangzhou', '杭州', 'TERRITORY', '02', 'EAST/ZJ/HZ'),
  region('04', 'NB', 'Ningbo', '宁波', 'TERRITORY', '02', 'EAST/ZJ/NB'),
  region('05', 'SOUTH', 'South', '华南', 'REGION', null, 'SOUTH'),
  region('06', 'GD', 'Guangdong', '广东', 'PROVINCE', '05', 'SOUTH/GD'),
  region('07', 'GZ', 'Guangzhou', '广州', 'TERRITORY', '06', 'SOUTH/GD/GZ'),
];
const [hangzhou, ningbo, guangzhou] = [tree[2]!, tree[3]!, tree[6]!];
const south = { id: guangzhou.id, name: 'Guangzhou', nameZh: '广州' };
const rows = [
  customerRow(1),
  customerRow(2, { legalName: 'Guangzhou Pearl River Trading Co., Ltd.', territory: south }),
  customerRow(3, { legalName: 'Foshan Ceramics Ltd.', territory: south }),
  customerRow(4),
];
const han = {
  id: id('b2'),
  version: 1,
  email: 'rep.hz2@test.local',
  name: 'Han Hangzhou',
  role: 'REP',
  active: true,
  createdAt: null,
  updatedAt: null,
  territories: [{ id: hangzhou.id, name: 'Hangzhou', nameZh: '杭州' }],
  managedRegions: [],
};

/** The customer list against an API that refuses the reassignment with `error`. */
function refusingApi(error: { message: string; extensions: Record<string, unknown> }) {
  return fakeApi({
    AdminCustomers: () => ({ customers: connection(rows, rows.length) }),
    AdminUsers: () => ({ users: connection([han], 1) }),
    AdminRegions: () => ({ regions: connection(tree, tree.length) }),
    AdminMyPlaces: () => ({
      me: { id: VIEWERS.MANAGER.id, role: 'MANAGER', territories: [], managedRegions: [{ id: tree[0]!.id, path: 'EAST' }] },
    }),
    AdminReassignCustomers: () => ({ data: null, errors: [{ ...error, path: ['reassignCustomers'] }] }),
  });
}

/** Selects rows 1 to 3, asks to move them to Han, and returns the dialog once it shows the refusal. */
async function reassign(api: ReturnType<typeof fakeApi>, labels = { button: 'Reassign', owner: /New owner/, reason: /Reason/ }) {
  renderConsole('/customers', api);
  const table = await screen.findByTestId('customer-table');
  await within(table).findByText('Customer 01 Ltd');
  const select = within(table).getAllByRole('checkbox');
  for (const box of select.slice(1, 4)) fireEvent.click(box);
  fireEvent.click(await screen.findByRole('button', { name: labels.button }));
  const dialog = await screen.findByRole('dialog');
  const owner = within(dialog).getByRole('combobox', { name: labels.owner });
  fireEvent.mouseDown(owner);
  fireEvent.click((await screen.findAllByRole('option'))[0]!);
  fireEvent.change(within(dialog).getByRole('textbox', { name: labels.reason }), { target: { value: 'Rebalancing Zhejiang' } });
  fireEvent.click(within(dialog).getAllByRole('button', { name: labels.button }).at(-1)!);
  await within(dialog).findByTestId('reassign-refused');
  return dialog;
}

/** Nothing meant for developers reaches the user: no codes, input names or ids. */
function expectNoInternals(dialog: HTMLElement) {
  expect(dialog.textContent).not.toMatch(/FORBIDDEN|BAD_USER_INPUT|NOT_FOUND|customerIds|toOwnerId|toTerritoryId|fromOwnerId/);
  expect(dialog.textContent).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
}

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('a refused bulk reassignment', () => {
  it('lists the accounts outside the manager’s regions, and their territories, by name', async () => {
    signInAs('MANAGER');
    const api = refusingApi({
      message: '2 of the selected accounts lie outside your regions',
      extensions: {
        code: 'FORBIDDEN',
        field: 'customerIds',
        count: 2,
        customers: [
          { id: rows[2]!.id, legalName: 'Foshan Ceramics Ltd.' },
          { id: rows[1]!.id, legalName: 'Guangzhou Pearl River Trading Co., Ltd.' },
        ],
        territories: [{ id: guangzhou.id, name: 'Guangzhou' }],
      },
    });
    const dialog = await reassign(api);
    const refused = within(dialog).getByTestId('reassign-refused');
    expect(refused).toHaveTextContent('Nothing was reassigned');
    expect(refused).toHaveTextContent('2 of the selected accounts lie outside your regions.');
    const accounts = within(refused).getByRole('list', { name: 'Accounts' });
    expect(
      within(accounts)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Foshan Ceramics Ltd.', 'Guangzhou Pearl River Trading Co., Ltd.']);
    expect(refused).toHaveTextContent('TerritoriesGuangzhou');
    expectNoInternals(dialog);
  });

  it('names the territories where the new owner does not work, and the accounts that would stay there', async () => {
    signInAs('ADMIN');
    const api = refusingApi({
      message: 'The new owner must be an active rep or manager of every target territory',
      extensions: {
        code: 'BAD_USER_INPUT',
        field: 'toOwnerId',
        count: 3,
        customers: [
          { id: rows[0]!.id, legalName: 'Customer 01 Ltd' },
          { id: rows[2]!.id, legalName: 'Foshan Ceramics Ltd.' },
        ],
        territories: [
          { id: ningbo.id, name: 'Ningbo' },
          { id: guangzhou.id, name: 'Guangzhou' },
        ],
      },
    });
    const dialog = await reassign(api);
    const refused = within(dialog).getByTestId('reassign-refused');
    expect(refused).toHaveTextContent(
      'Han Hangzhou does not work in Ningbo and Guangzhou, where these accounts would stay: choose another owner, or a new territory.',
    );
    const accounts = within(refused).getByRole('list', { name: 'Accounts' });
    expect(
      within(accounts)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Customer 01 Ltd', 'Foshan Ceramics Ltd.']);
    // Three at fault, two named.
    expect(refused).toHaveTextContent('… and 1 more');
    expectNoInternals(dialog);
  });

  it('names a selected account that no longer exists from the selected rows', async () => {
    signInAs('ADMIN');
    const api = refusingApi({ message: 'Customer not found', extensions: { code: 'NOT_FOUND', type: 'Customer', id: rows[1]!.id } });
    const dialog = await reassign(api);
    expect(within(dialog).getByTestId('reassign-refused')).toHaveTextContent(
      'Guangzhou Pearl River Trading Co., Ltd. no longer exists, or you may no longer see it: unselect it and try again.',
    );
    expectNoInternals(dialog);
  });

  it('says it in Chinese, with the territories’ Chinese names', async () => {
    localStorage.setItem('RaStore.locale', JSON.stringify('zh'));
    signInAs('MANAGER');
    const api = refusingApi({
      message: '1 of the selected accounts lie outside your regions',
      extensions: {
        code: 'FORBIDDEN',
        field: 'customerIds',
        count: 1,
        customers: [{ id: rows[1]!.id, legalName: 'Guangzhou Pearl River Trading Co., Ltd.' }],
        territories: [{ id: guangzhou.id, name: 'Guangzhou' }],
      },
    });
    const dialog = await reassign(api, { button: '重新分配', owner: /新负责人/, reason: /原因/ });
    const refused = within(dialog).getByTestId('reassign-refused');
    expect(refused).toHaveTextContent('未重新分配任何客户');
    expect(refused).toHaveTextContent('选中的客户中有 1 个不在您负责的区域内。');
    expect(within(refused).getByRole('list', { name: '客户' })).toHaveTextContent('Guangzhou Pearl River Trading Co., Ltd.');
    expect(refused).toHaveTextContent('区域广州');
    expectNoInternals(dialog);
  });
});
