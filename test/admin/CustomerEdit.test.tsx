// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerRow, fakeApi, ids, renderConsole, signInAs } from './harness';

const profile = {
  ...customerRow(1),
  registrationId: null,
  industryStanding: null,
  products: null,
  sizeBand: null,
  ownershipType: null,
  creditStanding: 'UNKNOWN',
  relationshipLevel: 'BASIC',
  sourceChannel: null,
  tags: [],
  websiteDomain: null,
  notes: null,
  archivedAt: null,
  address: { line: null, city: null, province: null, postalCode: null, country: null },
};

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('customer edit', () => {
  it('saves pessimistically with the loaded version', async () => {
    signInAs('ADMIN');
    const api = fakeApi({
      AdminCustomer: () => ({ customer: { ...profile, version: 3 } }),
      AdminUpdateCustomer: (variables) => ({ updateCustomer: { ...profile, ...variables.input, address: profile.address, version: 4 } }),
      AdminCustomer360: () => ({
        customer: {
          ...profile,
          industry: 'Wholesale',
          version: 4,
          contacts: [],
          interactions: { totalCount: 0, edges: [] },
          orders: { totalCount: 0, edges: [] },
          evaluations: [],
        },
      }),
    });
    renderConsole(`/customers/${ids.customer(1)}`, api);
    const industry = await screen.findByLabelText('Industry');
    expect(industry).toHaveValue('Retail');
    fireEvent.change(industry, { target: { value: 'Wholesale' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.operations()).toContain('AdminUpdateCustomer'));
    expect(api.calls.find((call) => call.operationName === 'AdminUpdateCustomer')!.variables.input).toMatchObject({
      industry: 'Wholesale',
      version: 3,
    });
    await waitFor(() => expect(window.location.hash).toBe(`#/customers/${ids.customer(1)}/show`));
  });

  it('offers to reload when someone else saved first (CONFLICT)', async () => {
    signInAs('ADMIN');
    let version = 3;
    const api = fakeApi({
      AdminCustomer: () => ({ customer: { ...profile, version, industry: version === 3 ? 'Retail' : 'Changed elsewhere' } }),
      AdminUpdateCustomer: () => ({
        data: null,
        errors: [
          {
            message: 'Customer was changed by someone else; reload it (current version 5)',
            path: ['updateCustomer'],
            extensions: { code: 'CONFLICT', currentVersion: 5 },
          },
        ],
      }),
    });
    renderConsole(`/customers/${ids.customer(1)}`, api);
    const industry = await screen.findByLabelText('Industry');
    fireEvent.change(industry, { target: { value: 'Mine' } });
    version = 5;
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const notification = await screen.findByTestId('conflict-notification');
    expect(notification).toHaveTextContent('now version 5');
    // Nothing was saved: the form stays, with the user's edit.
    expect(window.location.hash).toBe(`#/customers/${ids.customer(1)}`);
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(screen.getByLabelText('Industry')).toHaveValue('Changed elsewhere'));
    expect(api.operations().filter((name) => name === 'AdminCustomer')).toHaveLength(2);
  });
});
