// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connection, customerRow, fakeApi, renderConsole, signInAs } from './harness';

const rows = Array.from({ length: 25 }, (_, i) => customerRow(i + 1, { lifecycleStage: i % 2 ? 'REPEAT' : 'POTENTIAL' }));

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('customer list', () => {
  it('shows a page of 25 customers with territory, region and owner names from one request', async () => {
    signInAs('ADMIN');
    const api = fakeApi({ AdminCustomers: () => ({ customers: connection(rows, 40, true) }) });
    renderConsole('/customers', api);
    await screen.findByText('Customer 01 Ltd');
    const table = screen.getByTestId('customer-table');
    expect(within(table).getAllByRole('row')).toHaveLength(26);
    expect(within(table).getAllByText('Hangzhou')).toHaveLength(25);
    expect(within(table).getAllByText('Hu Hangzhou')).toHaveLength(25);
    expect(within(table).getAllByText('Repeat').length).toBeGreaterThan(0);
    expect(screen.getByText('1-25 of 40')).toBeInTheDocument();
    expect(api.operations()).toEqual(['AdminCustomers']);
    expect(api.calls[0]!.variables).toMatchObject({ first: 25, after: null, orderBy: { field: 'LEGAL_NAME', direction: 'ASC' } });
  });

  it('replaces the rows drawn before React once its own are in, and keeps them until then', async () => {
    signInAs('ADMIN');
    const prePainted = document.createElement('div');
    prePainted.id = 'customer-list-prepaint';
    document.body.append(prePainted);
    let answer: (value: unknown) => void = () => undefined;
    const api = fakeApi({ AdminCustomers: () => new Promise((done) => (answer = done)) });
    renderConsole('/customers', api);
    await waitFor(() => expect(api.operations()).toEqual(['AdminCustomers']));
    expect(document.getElementById('customer-list-prepaint')).not.toBeNull();
    answer({ customers: connection(rows, 40, true) });
    await screen.findByText('Customer 01 Ltd');
    expect(document.getElementById('customer-list-prepaint')).toBeNull();
    expect(document.documentElement).toHaveAttribute('data-customer-list-committed');
    expect(screen.getAllByTestId('customer-table')).toHaveLength(1);
    document.documentElement.removeAttribute('data-customer-list-committed');
  });

  it('shows an empty state with a create button when there are no customers', async () => {
    signInAs('REP');
    const api = fakeApi({ AdminCustomers: () => ({ customers: connection([], 0) }) });
    renderConsole('/customers', api);
    expect(await screen.findByText('No Customers yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Create' })).toBeInTheDocument();
  });

  it('shows an error state when the API fails', async () => {
    signInAs('ADMIN');
    const api = fakeApi({
      AdminCustomers: () => ({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
    });
    renderConsole('/customers', api);
    // In the console's words, not the API's.
    await waitFor(() => expect(screen.getAllByText(/Something went wrong on the server/).length).toBeGreaterThan(0));
    expect(screen.queryByText(/Internal server error/)).toBeNull();
  });

  it('returns to the login page when the API answers UNAUTHENTICATED', async () => {
    signInAs('ADMIN');
    const api = fakeApi({ AdminCustomers: () => ({ errors: [{ message: 'Sign in first', extensions: { code: 'UNAUTHENTICATED' } }] }) });
    renderConsole('/customers', api);
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/login/));
    expect(api.operations()).toEqual(['AdminCustomers']);
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(localStorage.getItem('accountable.token')).toBeNull();
  });

  it('hides the regions and users menus from reps', async () => {
    signInAs('REP');
    const api = fakeApi({ AdminCustomers: () => ({ customers: connection(rows.slice(0, 3), 3) }) });
    renderConsole('/customers', api);
    await screen.findByText('Customer 01 Ltd');
    expect(screen.getByRole('menuitem', { name: /Customers/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /Regions/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /Users/ })).not.toBeInTheDocument();
  });

  it('reassigns the selected rows in bulk and shows the result', async () => {
    signInAs('ADMIN');
    const api = fakeApi({
      AdminCustomers: () => ({ customers: connection(rows.slice(0, 5), 5) }),
      AdminUsers: () => ({
        // Two people of the same name, told apart by e-mail and territory.
        users: connection(
          [
            {
              id: 'u-hz2',
              version: 1,
              email: 'rep.hz2@test.local',
              name: 'Han Hangzhou',
              role: 'REP',
              active: true,
              createdAt: null,
              updatedAt: null,
              territories: [{ id: 't-hz', name: 'Hangzhou', nameZh: '杭州' }],
              managedRegions: [],
            },
            {
              id: 'u-nb9',
              version: 1,
              email: 'han.nb@test.local',
              name: 'Han Hangzhou',
              role: 'REP',
              active: true,
              createdAt: null,
              updatedAt: null,
              territories: [{ id: 't-nb', name: 'Ningbo', nameZh: '宁波' }],
              managedRegions: [],
            },
          ],
          2,
        ),
      }),
      AdminRegions: () => ({ regions: connection([], 0) }),
      AdminReassignCustomers: (variables) => ({
        reassignCustomers: { count: variables.input.customerIds.length - 1, skipped: 1, elapsedMs: 42 },
      }),
    });
    renderConsole('/customers', api);
    const table = await screen.findByTestId('customer-table');
    await within(table).findByText('Customer 01 Ltd');
    // The header's "select all" first, then one per row.
    const select = await within(table).findAllByRole('checkbox');
    expect(select).toHaveLength(6);
    fireEvent.click(select[1]!);
    fireEvent.click(select[3]!);
    fireEvent.click(await screen.findByRole('button', { name: 'Reassign' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reassign 2 accounts' });
    const owner = within(dialog).getByRole('combobox', { name: /New owner/ });
    fireEvent.mouseDown(owner);
    const options = await screen.findAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual([
      'Han Hangzhourep.hz2@test.local · Hangzhou',
      'Han Hangzhouhan.nb@test.local · Ningbo',
    ]);
    fireEvent.click(options[0]!);
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Reason/ }), { target: { value: 'Hu is on leave' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reassign' }));
    expect(await within(dialog).findByTestId('reassign-result')).toHaveTextContent(
      '1 moved, 1 skipped (already there), in 42 ms on the server.',
    );
    expect(api.calls.find((call) => call.operationName === 'AdminReassignCustomers')!.variables).toEqual({
      input: { customerIds: [rows[0]!.id, rows[2]!.id], toOwnerId: 'u-hz2', reason: 'Hu is on leave' },
    });
    const before = api.operations().filter((name) => name === 'AdminCustomers').length;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    // The list reloads with the new owners; the selection is cleared.
    await waitFor(() => expect(api.operations().filter((name) => name === 'AdminCustomers').length).toBeGreaterThan(before));
    await waitFor(() =>
      expect(
        within(screen.getByTestId('customer-table'))
          .getAllByRole('checkbox')
          .filter((box) => (box as HTMLInputElement).checked),
      ).toHaveLength(0),
    );
  });

  it('offers no bulk reassignment to reps', async () => {
    signInAs('REP');
    const api = fakeApi({ AdminCustomers: () => ({ customers: connection(rows.slice(0, 3), 3) }) });
    renderConsole('/customers', api);
    await screen.findByText('Customer 01 Ltd');
    expect(within(screen.getByTestId('customer-table')).queryAllByRole('checkbox')).toHaveLength(0);
  });

  it('sorts on the server by the territory, owner, stage, grade and activity columns, in both directions', async () => {
    signInAs('MANAGER');
    const graded = rows.map((row, i) => ({
      ...row,
      grade: i % 3 ? 'Quality' : 'Key account',
      lastInteractionAt: '2026-03-01T10:00:00.123Z',
    }));
    const api = fakeApi({ AdminCustomers: () => ({ customers: connection(graded, 25) }) });
    renderConsole('/customers', api);
    const table = await screen.findByTestId('customer-table');
    await within(table).findByText('Customer 01 Ltd');
    expect(within(table).getAllByText('Key account').length).toBeGreaterThan(0);
    const columns: [string, string][] = [
      ['Territory', 'TERRITORY'],
      ['Owner', 'OWNER'],
      ['Lifecycle stage', 'STAGE'],
      ['Grade', 'GRADE'],
      ['Last interaction', 'LAST_INTERACTION'],
      ['Last order', 'LAST_ORDER'],
    ];
    for (const [header, field] of columns) {
      for (const direction of ['ASC', 'DESC']) {
        const before = api.calls.length;
        fireEvent.click(within(table).getByRole('button', { name: new RegExp(`^Sort by ${header.toLowerCase()} `) }));
        await waitFor(() => expect(api.calls.length).toBeGreaterThan(before));
        // One request per page: the new order is asked for once, with nothing else.
        expect(api.calls.slice(before).map((call) => call.operationName)).toEqual(['AdminCustomers']);
        expect(api.calls.at(-1)!.variables.orderBy).toEqual({ field, direction });
        await within(table).findByText('Customer 01 Ltd');
      }
    }
  });

  it('filters by industry and grade with choices from the API, loaded only once the filters are shown', async () => {
    signInAs('REP');
    const api = fakeApi({
      AdminCustomers: () => ({ customers: connection(rows.slice(0, 3), 3) }),
      AdminCustomerIndustries: () => ({ customerIndustries: ['Electronics', 'Machinery'] }),
      AdminCustomerGrades: () => ({ customerGrades: ['Key account', 'Quality', 'Normal'] }),
    });
    const filter = encodeURIComponent(JSON.stringify({ industry: 'Machinery', grade: 'Key account' }));
    renderConsole(`/customers?filter=${filter}`, api);
    await screen.findByText('Customer 01 Ltd');
    await waitFor(() => expect(api.operations()).toEqual(expect.arrayContaining(['AdminCustomerIndustries', 'AdminCustomerGrades'])));
    expect(api.calls.find((call) => call.operationName === 'AdminCustomers')!.variables.filter).toEqual({
      industry: 'Machinery',
      grades: ['Key account'],
    });
    // The grade select offers the cycle's grades, best first.
    fireEvent.mouseDown(await screen.findByRole('combobox', { name: 'Grade' }));
    const options = await screen.findAllByRole('option');
    expect(options.map((option) => option.textContent?.trim()).filter(Boolean)).toEqual(['Key account', 'Quality', 'Normal']);
  });

  it('sorts a directory listing by legal name only, which is all the API allows there', async () => {
    signInAs('REP');
    const api = fakeApi({ AdminCustomers: () => ({ customers: connection(rows.slice(0, 3), 3) }) });
    const filter = encodeURIComponent(JSON.stringify({ directory: true }));
    renderConsole(`/customers?filter=${filter}&sort=grade&order=DESC`, api);
    await screen.findByText('Customer 01 Ltd');
    expect(api.calls.at(-1)!.variables.scope).toBe('DIRECTORY');
    expect(api.calls.at(-1)!.variables.orderBy).toBeUndefined();
  });
});
