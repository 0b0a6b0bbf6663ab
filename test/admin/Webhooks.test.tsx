// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VIEWERS, connection, fakeApi, renderConsole, signInAs } from './harness';

const SECRET = 'whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4';
const KEY = {
  id: '00000000-0000-4000-8000-000000000a01',
  version: 1,
  name: 'ERP sync',
  kind: 'INTEGRATOR',
  prefix: 'k3y9pr3f',
  scopes: ['CUSTOMERS_READ', 'WEBHOOKS_MANAGE'],
  active: true,
  createdAt: '2026-11-23T02:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  createdBy: { id: VIEWERS.ADMIN.id, name: VIEWERS.ADMIN.name },
  territories: [],
};

function webhook(overrides: Record<string, unknown> = {}): { id: string } & Record<string, any> {
  return {
    id: '00000000-0000-4000-8000-000000000b01',
    version: 1,
    apiKeyId: KEY.id,
    apiKeyName: KEY.name,
    url: 'https://erp.example.com/hooks/crm',
    eventTypes: ['customer.updated'],
    fieldFilter: [],
    description: null,
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    lastSuccessAt: null,
    previousSecretExpiresAt: null,
    createdAt: '2026-12-02T10:00:00.000Z',
    ...overrides,
  };
}

beforeEach(() => localStorage.clear());
afterEach(() => cleanup());

describe('webhooks (console)', () => {
  it('an admin subscribes a key and sees the secret once', async () => {
    signInAs('ADMIN');
    const hooks: ReturnType<typeof webhook>[] = [];
    const api = fakeApi({
      AdminApiKeys: () => ({ apiKeys: connection([KEY], 1) }),
      AdminCreateWebhook: (variables) => {
        const created = webhook({ url: variables.input.url, eventTypes: variables.input.eventTypes });
        hooks.push(created);
        return { createWebhook: { secret: SECRET, webhook: created } };
      },
      AdminWebhooks: () => ({ webhooks: connection(hooks, hooks.length) }),
    });
    renderConsole('/webhooks/create', api);
    const keyInput = await screen.findByRole('combobox', { name: /API key/ });
    fireEvent.mouseDown(keyInput);
    fireEvent.change(keyInput, { target: { value: 'ERP' } });
    fireEvent.click(await screen.findByRole('option', { name: 'ERP sync' }));
    fireEvent.change(screen.getByRole('textbox', { name: /URL/ }), { target: { value: 'https://erp.example.com/hooks/crm' } });
    fireEvent.change(screen.getByRole('textbox', { name: /Only when these fields change/ }), {
      target: { value: 'owner, lifecycleStage' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('You will not see this secret again')).toBeInTheDocument();
    expect(within(dialog).getByTestId('webhook-secret')).toHaveValue(SECRET);
    expect(api.calls.find((call) => call.operationName === 'AdminCreateWebhook')!.variables).toEqual({
      input: {
        apiKeyId: KEY.id,
        url: 'https://erp.example.com/hooks/crm',
        eventTypes: ['customer.updated'],
        fieldFilter: ['owner', 'lifecycleStage'],
        description: null,
      },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'I have stored it' }));
    const table = await screen.findByTestId('webhook-table');
    await within(table).findByText('https://erp.example.com/hooks/crm');
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('lists webhooks with their state and disables one', async () => {
    signInAs('ADMIN');
    let hook = webhook();
    const api = fakeApi({
      AdminWebhooks: () => ({
        webhooks: connection(
          [
            hook,
            webhook({
              id: '00000000-0000-4000-8000-000000000b02',
              url: 'https://bi.example.com/in',
              enabled: false,
              disabledReason: 'FAILING',
            }),
          ],
          2,
        ),
      }),
      AdminUpdateWebhook: (variables) => {
        hook = { ...hook, enabled: variables.input.enabled, disabledReason: 'MANUAL', version: 2 };
        return { updateWebhook: hook };
      },
    });
    renderConsole('/webhooks', api);
    const table = await screen.findByTestId('webhook-table');
    await within(table).findByText('https://erp.example.com/hooks/crm');
    expect(within(table).getByText('Enabled')).toBeInTheDocument();
    expect(within(table).getByText('Disabled: kept failing')).toBeInTheDocument();
    fireEvent.click(within(table).getByRole('button', { name: 'Disable' }));
    await screen.findByText('Webhook updated');
    expect(api.calls.find((call) => call.operationName === 'AdminUpdateWebhook')!.variables).toEqual({
      id: hook.id,
      input: { version: 1, enabled: false },
    });
    await waitFor(() => expect(within(screen.getByTestId('webhook-table')).getAllByText(/^Disabled/)).toHaveLength(2));
  });
});
