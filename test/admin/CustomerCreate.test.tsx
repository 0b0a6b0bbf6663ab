// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connection, fakeApi, renderConsole, signInAs } from './harness';

// The create form offers only the territories the API would accept (docs/permissions.md: a rep
// places accounts in their own territories, a manager within their regions, an admin anywhere).
const id = (n: string) => `00000000-0000-4000-8000-0000000000${n}`;
function region(n: string, code: string, name: string, kind: string, parent: string | null, path: string) {
  return { id: id(n), version: 1, code, name, nameZh: null, kind, keyCity: false, path, parent: parent ? { id: id(parent) } : null };
}
const tree = [
  region('01', 'EAST', 'East', 'REGION', null, 'EAST'),
  region('02', 'ZJ', 'Zhejiang', 'PROVINCE', '01', 'EAST/ZJ'),
  region('03', 'HZ', 'Hangzhou', 'TERRITORY', '02', 'EAST/ZJ/HZ'),
  region('04', 'NB', 'Ningbo', 'TERRITORY', '02', 'EAST/ZJ/NB'),
  region('05', 'SOUTH', 'South', 'REGION', null, 'SOUTH'),
  region('06', 'GD', 'Guangdong', 'PROVINCE', '05', 'SOUTH/GD'),
  region('07', 'GZ', 'Guangzhou', 'TERRITORY', '06', 'SOUTH/GD/GZ'),
];

function api(me: { role: string; territories: string[]; managedRegions: string[] }) {
  return fakeApi({
    AdminRegions: () => ({ regions: connection(tree, tree.length) }),
    AdminMyPlaces: () => ({
      me: {
        id: id('aa'),
        role: me.role,
        territories: me.territories.map((territory) => ({ id: id(territory) })),
        managedRegions: me.managedRegions.map((n) => ({ id: id(n), path: tree.find((node) => node.id === id(n))!.path })),
      },
    }),
    AdminUsers: () => ({ users: connection([], 0) }),
  });
}

async function territoryOptions(): Promise<string[]> {
  const input = await screen.findByLabelText(/Territory/);
  fireEvent.mouseDown(input);
  fireEvent.change(input, { target: { value: '' } });
  await waitFor(() => expect(screen.queryAllByRole('option').length).toBeGreaterThan(0));
  return screen.getAllByRole('option').map((option) => option.textContent ?? '');
}

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('customer create form', () => {
  it('offers a rep their own territories only, and presets the only one', { timeout: 90_000 }, async () => {
    signInAs('REP');
    renderConsole('/customers/create', api({ role: 'REP', territories: ['04'], managedRegions: [] }));
    // The first render of a file compiles the console: allow for a loaded machine.
    await waitFor(() => expect(screen.getByLabelText(/Territory/)).toHaveValue('East › Zhejiang › Ningbo'), { timeout: 60_000 });
    expect(await territoryOptions()).toEqual(['East › Zhejiang › Ningbo']);
    expect(screen.queryByRole('combobox', { name: /^Owner( \*)?$/ })).toBeNull();
  });

  it('offers a rep with several territories each of them, and presets none', async () => {
    signInAs('REP');
    renderConsole('/customers/create', api({ role: 'REP', territories: ['03', '07'], managedRegions: [] }));
    expect(await territoryOptions()).toEqual(['East › Zhejiang › Hangzhou', 'South › Guangdong › Guangzhou']);
  });

  it('offers a manager the territories of their regions, an admin all of them', async () => {
    signInAs('MANAGER');
    const view = renderConsole('/customers/create', api({ role: 'MANAGER', territories: [], managedRegions: ['01'] }));
    expect(await territoryOptions()).toEqual(['East › Zhejiang › Hangzhou', 'East › Zhejiang › Ningbo']);
    expect(screen.getByRole('combobox', { name: /^Owner( \*)?$/ })).toBeInTheDocument();
    view.unmount();
    signInAs('ADMIN');
    renderConsole('/customers/create', api({ role: 'ADMIN', territories: [], managedRegions: [] }));
    expect(await territoryOptions()).toHaveLength(3);
  });

  it('lets a manager leave territory and owner to the assignment rules', async () => {
    signInAs('MANAGER');
    const created = { id: id('c1'), version: 1, legalName: 'Rules Placed Trading Co., Ltd.', access: 'FULL' };
    const calls: Record<string, unknown>[] = [];
    const placed = fakeApi({
      AdminRegions: () => ({ regions: connection(tree, tree.length) }),
      AdminMyPlaces: () => ({ me: { id: id('aa'), role: 'MANAGER', territories: [], managedRegions: [{ id: id('01'), path: 'EAST' }] } }),
      AdminUsers: () => ({ users: connection([], 0) }),
      AdminCreateCustomer: (variables) => {
        calls.push(variables.input as Record<string, unknown>);
        return { createCustomer: created };
      },
      AdminCustomer: () => ({ customer: created }),
    });
    renderConsole('/customers/create', placed);
    expect(
      await screen.findByText('Leave empty to let the assignment rules place the account (and choose its owner when the rule names one).'),
    ).toBeInTheDocument();
    fireEvent.change(await screen.findByRole('textbox', { name: /Legal name/ }), { target: { value: 'Rules Placed Trading Co., Ltd.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ legalName: 'Rules Placed Trading Co., Ltd.' });
    expect(calls[0]).not.toHaveProperty('territoryId');
    expect(calls[0]).not.toHaveProperty('ownerId');
  });
});
