// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connection, customerRow, fakeApi, ids, renderConsole, signInAs } from './harness';

const guangzhou = { id: '00000000-0000-4000-8000-0000000000f3', version: 1, code: 'GZ', name: 'Guangzhou', nameZh: '广州', kind: 'TERRITORY', keyCity: true, path: 'SOUTH/GD/GZ', parent: null };
const hangzhou = { id: ids.hangzhou, version: 1, code: 'HZ', name: 'Hangzhou', nameZh: '杭州', kind: 'TERRITORY', keyCity: true, path: 'EAST/ZJ/HZ', parent: null };
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
    const card = customerRow(7, { access: 'DIRECTORY', legalName: 'Guangzhou Guo Trading 1 Co., Ltd.', owner, territory: { id: guangzhou.id, name: 'Guangzhou', nameZh: '广州' }, version: null, industry: null, lifecycleStage: null });
    const api = fakeApi({
      AdminRegions: () => ({ regions: connection([hangzhou, guangzhou], 2) }),
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
      AdminRequestTransfer: (variables) => ({ requestTransfer: { id: 'r1', version: 1, status: 'PENDING', reason: variables.input.reason } }),
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
    expect(lookup.variables).toMatchObject({ scope: 'DIRECTORY', filter: { search: 'Guangzhou Guo Trading 1 Co Ltd', territoryId: guangzhou.id, ownerId: owner.id } });

    fireEvent.click(await within(dialog).findByRole('button', { name: 'Request transfer' }));
    const request = await screen.findByRole('dialog', { name: 'Request the transfer of Guangzhou Guo Trading 1 Co., Ltd.' });
    fireEvent.change(within(request).getByRole('textbox', { name: 'Reason' }), { target: { value: 'We met them first at the Hangzhou fair' } });
    fireEvent.click(within(request).getByRole('button', { name: 'Send request' }));
    await screen.findByText('Transfer requested');
    expect(api.calls.find((call) => call.operationName === 'AdminRequestTransfer')!.variables).toEqual({ input: { customerId: ids.customer(7), reason: 'We met them first at the Hangzhou fair' } });
  });
});
