// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VIEWERS, connection, fakeApi, renderConsole, signInAs } from './harness';

const east = {
  id: '00000000-0000-4000-8000-0000000000e1',
  version: 1,
  code: 'EAST',
  name: 'East',
  nameZh: '华东',
  kind: 'REGION',
  keyCity: false,
  path: 'EAST',
  parent: null,
};
const south = {
  id: '00000000-0000-4000-8000-0000000000e2',
  version: 1,
  code: 'SOUTH',
  name: 'South',
  nameZh: '华南',
  kind: 'REGION',
  keyCity: false,
  path: 'SOUTH',
  parent: null,
};
const SECRET = 'acc_k3y9pr3f_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

function apiKey(overrides: Record<string, unknown> = {}): { id: string } & Record<string, any> {
  return {
    id: '00000000-0000-4000-8000-000000000a01',
    version: 1,
    name: 'ERP sync',
    kind: 'INTEGRATOR',
    prefix: 'k3y9pr3f',
    scopes: ['CUSTOMERS_READ'],
    active: true,
    createdAt: '2026-11-23T02:00:00.000Z',
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    createdBy: { id: VIEWERS.ADMIN.id, name: VIEWERS.ADMIN.name },
    territories: [{ id: east.id, name: east.name, nameZh: east.nameZh }],
    ...overrides,
  };
}

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

async function pickRegion(name: string) {
  const input = screen.getByRole('combobox', { name: /Territories/ });
  fireEvent.mouseDown(input);
  fireEvent.change(input, { target: { value: name } });
  fireEvent.click(await screen.findByRole('option', { name }));
}

describe('API keys', () => {
  it('creates a key and shows its secret once, in a dialog that says so', async () => {
    signInAs('ADMIN');
    const keys: ReturnType<typeof apiKey>[] = [];
    const api = fakeApi({
      AdminRegions: () => ({ regions: connection([east, south], 2) }),
      AdminCreateApiKey: (variables) => {
        const created = apiKey({ name: variables.input.name, scopes: variables.input.scopes, kind: variables.input.kind });
        keys.push(created);
        return { createApiKey: { secret: SECRET, apiKey: created } };
      },
      AdminApiKeys: () => ({ apiKeys: connection(keys, keys.length) }),
    });
    renderConsole('/apiKeys/create', api);
    fireEvent.change(await screen.findByRole('textbox', { name: /Name/ }), { target: { value: 'ERP sync' } });
    // Customers: read is ticked by default; add orders.
    expect(screen.getByRole('checkbox', { name: 'Customers: read' })).toBeChecked();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Orders: write' }));
    await pickRegion('East');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('You will not see this key again')).toBeInTheDocument();
    expect(within(dialog).getByTestId('api-key-secret')).toHaveValue(SECRET);
    expect(within(dialog).getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    const create = api.calls.find((call) => call.operationName === 'AdminCreateApiKey')!;
    expect(create.variables).toEqual({
      input: { name: 'ERP sync', kind: 'INTEGRATOR', scopes: ['CUSTOMERS_READ', 'ORDERS_WRITE'], territoryIds: [east.id], expiresAt: null },
    });

    // Escape does not dismiss it; only the acknowledgement does.
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'I have stored it' }));

    // Back on the list: the key shows by its prefix only, and the secret is gone from the page.
    const table = await screen.findByTestId('api-key-table');
    await within(table).findByText('ERP sync');
    expect(within(table).getByText('acc_k3y9pr3f_…')).toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('keeps BI keys read-only', async () => {
    signInAs('ADMIN');
    const api = fakeApi({
      AdminRegions: () => ({ regions: connection([east, south], 2) }),
      AdminCreateApiKey: (variables) => ({ createApiKey: { secret: SECRET, apiKey: apiKey({ ...variables.input, kind: 'BI' }) } }),
    });
    renderConsole('/apiKeys/create', api);
    fireEvent.change(await screen.findByRole('textbox', { name: /Name/ }), { target: { value: 'Warehouse' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Customers: write' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Evaluations: read' }));
    fireEvent.click(screen.getByRole('radio', { name: 'BI tool' }));
    await waitFor(() => expect(screen.queryByRole('checkbox', { name: 'Customers: write' })).not.toBeInTheDocument());
    expect(screen.getByText('BI keys are read-only.')).toBeInTheDocument();
    await pickRegion('South');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('dialog');
    expect(api.calls.find((call) => call.operationName === 'AdminCreateApiKey')!.variables.input).toMatchObject({
      kind: 'BI',
      scopes: ['CUSTOMERS_READ', 'EVALUATIONS_READ'],
      territoryIds: [south.id],
    });
  });

  it('lists keys with their state and revokes one after confirmation', async () => {
    signInAs('ADMIN');
    let key = apiKey({ lastUsedAt: '2026-11-22T08:00:00.000Z' });
    const api = fakeApi({
      AdminApiKeys: () => ({
        apiKeys: connection(
          [
            key,
            apiKey({
              id: '00000000-0000-4000-8000-000000000a02',
              name: 'Old BI',
              kind: 'BI',
              prefix: 'oldbi000',
              revokedAt: '2026-10-01T00:00:00.000Z',
              active: false,
            }),
          ],
          2,
        ),
      }),
      AdminRevokeApiKey: (variables) => {
        key = { ...key, revokedAt: '2026-11-23T03:00:00.000Z', active: false, version: 2 };
        return { revokeApiKey: { ...key, id: variables.id } };
      },
    });
    renderConsole('/apiKeys', api);
    const table = await screen.findByTestId('api-key-table');
    await within(table).findByText('ERP sync');
    expect(within(table).getByText('Active')).toBeInTheDocument();
    expect(within(table).getByText('Revoked')).toBeInTheDocument();
    // A revoked key cannot be revoked again.
    expect(within(table).getAllByRole('button', { name: 'Revoke' })).toHaveLength(1);
    fireEvent.click(within(table).getByRole('button', { name: 'Revoke' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Revoke ERP sync?')).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await screen.findByText('API key revoked');
    expect(api.calls.find((call) => call.operationName === 'AdminRevokeApiKey')!.variables).toEqual({ id: key.id, version: 1 });
    await waitFor(() => expect(within(screen.getByTestId('api-key-table')).getAllByText('Revoked')).toHaveLength(2));
  });

  it('is offered to admins only', async () => {
    signInAs('MANAGER');
    const api = fakeApi({ AdminTransferRequests: () => ({ transferRequests: connection([], 0) }) });
    renderConsole('/transfers', api);
    await screen.findByRole('menuitem', { name: /Transfers/ });
    expect(screen.queryByRole('menuitem', { name: /API keys/ })).not.toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: /Audit log/ })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: /Evaluation cycles/ })).toBeInTheDocument();
  });
});
