// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connection, customerRow, fakeApi, ids, renderConsole, signInAs } from './harness';

const guangzhou = {
  id: '00000000-0000-4000-8000-0000000000f3',
  version: 1,
  code: 'GZ',
  name: 'Guangzhou',
  nameZh: '广州',
  kind: 'TERRITORY',
  keyCity: true,
  path: 'SOUTH/GD/GZ',
  parent: null,
};
const hangzhou = {
  id: ids.hangzhou,
  version: 1,
  code: 'HZ',
  name: 'Hangzhou',
  nameZh: '杭州',
  kind: 'TERRITORY',
  keyCity: true,
  path: 'EAST/ZJ/HZ',
  parent: null,
};
const ningbo = {
  id: '00000000-0000-4000-8000-0000000000f2',
  version: 1,
  code: 'NB',
  name: 'Ningbo',
  nameZh: '宁波',
  kind: 'TERRITORY',
  keyCity: false,
  path: 'EAST/ZJ/NB',
  parent: null,
};
const owner = { id: '00000000-0000-4000-8000-0000000000b7', name: 'Guo Guangzhou' };

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('creating a customer someone else owns', () => {
  it('offers a transfer request instead of a second record (DUPLICATE_OWNED)', async () => {
    signInAs('REP');
    const card = customerRow(7, {
      access: 'DIRECTORY',
      legalName: 'Guangzhou Guo Trading 1 Co., Ltd.',
      owner,
      territory: { id: guangzhou.id, name: 'Guangzhou', nameZh: '广州' },
      version: null,
      industry: null,
      lifecycleStage: null,
    });
    const api = fakeApi({
      AdminRegions: () => ({ regions: connection([hangzhou, ningbo, guangzhou], 3) }),
      // The rep works in two territories, neither of them the account's.
      AdminTransferOwner: (variables) => ({
        user: {
          id: variables.id,
          name: 'Hu Hangzhou',
          role: 'REP',
          territories: [{ id: hangzhou.id }, { id: ningbo.id }],
          managedRegions: [],
        },
      }),
      AdminCreateCustomer: () => ({
        data: null,
        errors: [
          {
            message: 'This customer already exists in Guangzhou, owned by Guo Guangzhou; request a transfer instead',
            path: ['createCustomer'],
            extensions: { code: 'DUPLICATE_OWNED', territory: { id: guangzhou.id, name: 'Guangzhou' }, owner },
          },
        ],
      }),
      AdminCustomers: () => ({ customers: connection([card], 1) }),
      AdminRequestTransfer: (variables) => ({
        requestTransfer: { id: 'r1', version: 1, status: 'PENDING', reason: variables.input.reason },
      }),
      AdminTransferRequests: () => ({ transferRequests: connection([], 0) }),
    });
    renderConsole('/customers/create', api);
    const territory = await screen.findByRole('combobox', { name: /Territory/ });
    fireEvent.mouseDown(territory);
    fireEvent.change(territory, { target: { value: 'Hangzhou' } });
    fireEvent.click(await screen.findByRole('option', { name: /Hangzhou/ }));
    fireEvent.change(screen.getByRole('textbox', { name: /Legal name/ }), { target: { value: 'Guangzhou Guo Trading 1 Co Ltd' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    const dialog = await screen.findByRole('dialog', { name: 'This customer already exists' });
    expect(within(dialog).getByText(/It is in Guangzhou, owned by Guo Guangzhou/)).toBeInTheDocument();
    // The matching directory card, looked up by name among that owner's cards in that territory.
    await within(dialog).findByText('Guangzhou Guo Trading 1 Co., Ltd.');
    const lookup = api.calls.find((call) => call.operationName === 'AdminCustomers')!;
    expect(lookup.variables).toMatchObject({
      scope: 'DIRECTORY',
      filter: { search: 'Guangzhou Guo Trading 1 Co Ltd', territoryId: guangzhou.id, ownerId: owner.id },
    });

    fireEvent.click(await within(dialog).findByRole('button', { name: 'Request transfer' }));
    const request = await screen.findByRole('dialog', { name: 'Request the transfer of Guangzhou Guo Trading 1 Co., Ltd.' });
    fireEvent.change(within(request).getByRole('textbox', { name: 'Reason' }), {
      target: { value: 'We met them first at the Hangzhou fair' },
    });
    // It cannot stay in Guangzhou with this rep: they choose one of their own territories.
    const send = within(request).getByRole('button', { name: 'Send request' });
    const destination = await within(request).findByRole('combobox', { name: /New territory/ });
    expect(within(request).getByText('The new owner does not work in Guangzhou: choose where the account moves.')).toBeInTheDocument();
    expect(send).toBeDisabled();
    fireEvent.mouseDown(destination);
    const options = await screen.findAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual(['Hangzhou', 'Ningbo']);
    fireEvent.click(screen.getByRole('option', { name: 'Ningbo' }));
    expect(send).toBeEnabled();
    fireEvent.click(send);
    await screen.findByText('Transfer requested');
    expect(api.calls.find((call) => call.operationName === 'AdminRequestTransfer')!.variables).toEqual({
      input: { customerId: ids.customer(7), reason: 'We met them first at the Hangzhou fair', toTerritoryId: ningbo.id },
    });
  });
});
