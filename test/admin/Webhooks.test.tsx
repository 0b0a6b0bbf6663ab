// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bucketAttempts } from '../../admin/src/webhooks/attemptBuckets';
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
    secretRotatedAt: null,
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
    await screen.findByText('Webhook disabled: nothing is sent until it is enabled again');
    expect(api.calls.find((call) => call.operationName === 'AdminUpdateWebhook')!.variables).toEqual({
      id: hook.id,
      input: { version: 1, enabled: false },
    });
    await waitFor(() => expect(within(screen.getByTestId('webhook-table')).getAllByText(/^Disabled/)).toHaveLength(2));
  });

  it('notifies a failed create, and maps a refused URL onto its input in the webhook’s own words', async () => {
    signInAs('ADMIN');
    let refuse: 'url' | 'internal' = 'internal';
    const api = fakeApi({
      AdminApiKeys: () => ({ apiKeys: connection([KEY], 1) }),
      AdminCreateWebhook: () =>
        refuse === 'url'
          ? { errors: [{ message: 'url refused: loopback', extensions: { code: 'BAD_USER_INPUT', field: 'input.url' } }] }
          : { errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
    });
    renderConsole('/webhooks/create', api);
    const keyInput = await screen.findByRole('combobox', { name: /API key/ });
    fireEvent.mouseDown(keyInput);
    fireEvent.change(keyInput, { target: { value: 'ERP' } });
    fireEvent.click(await screen.findByRole('option', { name: 'ERP sync' }));
    fireEvent.change(screen.getByRole('textbox', { name: /URL/ }), { target: { value: 'http://127.0.0.1/hook' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Something went wrong on the server. Try again; if it keeps happening, tell an administrator.');

    refuse = 'url';
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Enter a public http(s) URL: loopback, private and internal addresses are refused.');
    expect(api.operations().filter((name) => name === 'AdminCreateWebhook')).toHaveLength(2);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});

/** One attempt of the delivery log, as the API answers it. */
function attempt(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: String(1000 - n),
    eventId: String(500 - n),
    eventType: 'customer.updated',
    attempt: 1,
    succeeded: true,
    statusCode: 200,
    errorKind: null,
    latencyMs: 120 + n,
    responseExcerpt: 'ok',
    attemptedAt: new Date(Date.parse('2026-12-02T12:00:00.000Z') - n * 60_000).toISOString(),
    ...overrides,
  };
}

const ATTEMPTS = [
  attempt(0, { eventId: '499', attempt: 3 }),
  attempt(1, {
    eventId: '499',
    attempt: 2,
    succeeded: false,
    statusCode: null,
    errorKind: 'TIMEOUT',
    responseExcerpt: null,
    latencyMs: 10000,
  }),
  attempt(2, { eventId: '499', attempt: 1, succeeded: false, statusCode: 503, responseExcerpt: '<html>Service Unavailable</html>' }),
  attempt(3, { eventId: '497', succeeded: false, statusCode: null, errorKind: 'CONNECTION_REFUSED', responseExcerpt: null }),
  attempt(4, { eventId: '496', succeeded: false, statusCode: null, errorKind: 'BLOCKED_ADDRESS', responseExcerpt: null }),
];

/** A fake delivery log: `total` attempts, the first five as above, pages by `after`, filters like the API. */
function deliveryLog(total = ATTEMPTS.length) {
  const all = [...ATTEMPTS, ...Array.from({ length: Math.max(0, total - ATTEMPTS.length) }, (_, i) => attempt(ATTEMPTS.length + i))];
  return (variables: Record<string, any>) => {
    let rows = all;
    if (typeof variables.succeeded === 'boolean') rows = rows.filter((row) => row.succeeded === variables.succeeded);
    if (variables.eventId) rows = rows.filter((row) => row.eventId === variables.eventId);
    const start = variables.after ? rows.findIndex((row) => `c-${row.id}` === variables.after) + 1 : 0;
    const first = variables.first ?? 25;
    const page = rows.slice(start, start + first);
    return { webhookDeliveries: connection(page, rows.length, start + first < rows.length) };
  };
}

function deliveriesCalls(api: ReturnType<typeof fakeApi>) {
  return api.calls.filter((call) => call.operationName === 'AdminWebhookDeliveries').map((call) => call.variables);
}

describe('a webhook’s page (console)', () => {
  it('shows its state, a chart of recent attempts and the delivery log, paged on the server', async () => {
    signInAs('ADMIN');
    const hook = webhook({
      failingSince: '2026-12-02T11:56:00.000Z',
      lastSuccessAt: '2026-12-02T12:00:00.000Z',
      fieldFilter: ['owner'],
    });
    const api = fakeApi({
      AdminWebhookById: ({ id }) => ({ webhook: id === hook.id ? hook : null }),
      AdminWebhookDeliveries: deliveryLog(30),
    });
    renderConsole(`/webhooks/${hook.id}/show`, api);
    const state = await screen.findByTestId('webhook-state');
    expect(within(state).getByTestId('webhook-status')).toHaveTextContent(/^Failing since/);
    expect(within(state).getByText('Last delivered')).toBeInTheDocument();
    expect(within(state).getByText('(owner)')).toBeInTheDocument();

    const table = await screen.findByTestId('webhook-delivery-table');
    await within(table).findByText('Timed out');
    expect(within(table).getByText('HTTP 503')).toBeInTheDocument();
    expect(within(table).getByText('Connection refused')).toBeInTheDocument();
    expect(within(table).getByText('Refused target (internal address)')).toBeInTheDocument();
    expect(within(table).getByText('<html>Service Unavailable</html>')).toBeInTheDocument();
    expect(within(table).getByText('10,000 ms')).toBeInTheDocument();
    expect(within(table).getAllByText('Failed')).toHaveLength(4);
    expect(within(table).getAllByRole('row')).toHaveLength(26); // the header and 25 attempts

    // The chart reads the latest 100 attempts and sums them up in its header.
    const chart = await screen.findByTestId('webhook-attempts-chart');
    await within(chart).findByText('Latest 30 attempts: 26 delivered, 4 failed, median latency 136 ms');

    // Page 2 continues after the first page's last cursor; the webhook stays the filter.
    fireEvent.click(screen.getByRole('button', { name: 'Go to next page' }));
    await waitFor(() => expect(within(screen.getByTestId('webhook-delivery-table')).getAllByRole('row')).toHaveLength(6));
    expect(deliveriesCalls(api).at(-1)).toEqual({ webhookId: hook.id, first: 25, after: `c-${attempt(24).id}` });
  });

  it('narrows the log to failures or to one event through the API’s filters', async () => {
    signInAs('ADMIN');
    const hook = webhook();
    const api = fakeApi({ AdminWebhookById: () => ({ webhook: hook }), AdminWebhookDeliveries: deliveryLog() });
    renderConsole(`/webhooks/${hook.id}/show`, api);
    const table = await screen.findByTestId('webhook-delivery-table');
    await within(table).findByText('Timed out');
    fireEvent.click(screen.getByRole('button', { name: 'Failures' }));
    await waitFor(() => expect(deliveriesCalls(api).at(-1)).toMatchObject({ webhookId: hook.id, succeeded: false }));
    await waitFor(() => expect(within(screen.getByTestId('webhook-delivery-table')).queryAllByText('Delivered')).toHaveLength(0));

    fireEvent.click(
      within(screen.getByTestId('webhook-delivery-table')).getAllByRole('button', { name: 'Only the attempts of event 499' })[0]!,
    );
    await waitFor(() => expect(deliveriesCalls(api).at(-1)).toMatchObject({ succeeded: false, eventId: '499' }));
    expect(await screen.findByTestId('event-filter')).toHaveTextContent('Event 499 only');
    await waitFor(() => expect(within(screen.getByTestId('webhook-delivery-table')).getAllByRole('row')).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: 'All' }));
    await waitFor(() => expect(deliveriesCalls(api).at(-1)).toEqual({ webhookId: hook.id, first: 25, after: null, eventId: '499' }));
  });

  it('redelivers an attempt’s event, with a toast that says so, and words a refusal', async () => {
    signInAs('ADMIN');
    const hook = webhook();
    let refuse = false;
    const api = fakeApi({
      AdminWebhookById: () => ({ webhook: hook }),
      AdminWebhookDeliveries: deliveryLog(),
      AdminRedeliverWebhookEvent: () =>
        refuse
          ? { errors: [{ message: 'WebhookEvent 497 not found', extensions: { code: 'NOT_FOUND' } }] }
          : { redeliverWebhookEvent: true },
    });
    renderConsole(`/webhooks/${hook.id}/show`, api);
    const table = await screen.findByTestId('webhook-delivery-table');
    await within(table).findByText('Timed out');
    fireEvent.click(within(table).getByTestId(`redeliver-${ATTEMPTS[1]!.id}`));
    await screen.findByText('Queued for redelivery');
    expect(api.calls.find((call) => call.operationName === 'AdminRedeliverWebhookEvent')!.variables).toEqual({
      webhookId: hook.id,
      eventId: '499',
    });
    // The log is read again (the new attempt shows once the worker made it).
    await waitFor(() => expect(deliveriesCalls(api).length).toBeGreaterThanOrEqual(4));

    refuse = true;
    fireEvent.click(within(screen.getByTestId('webhook-delivery-table')).getByTestId(`redeliver-${ATTEMPTS[3]!.id}`));
    await screen.findByText('This event is no longer in the webhook’s log (pruned, or the webhook was deleted).');
  });

  it('explains why a webhook is off and enables it from its page', async () => {
    signInAs('ADMIN');
    let hook = webhook({ enabled: false, disabledReason: 'FAILING', disabledAt: '2026-12-02T12:05:00.000Z', version: 4 });
    const api = fakeApi({
      AdminWebhookById: () => ({ webhook: hook }),
      AdminWebhookDeliveries: deliveryLog(),
      AdminUpdateWebhook: (variables) => {
        hook = { ...hook, enabled: variables.input.enabled, disabledReason: null, disabledAt: null, version: 5 };
        return { updateWebhook: hook };
      },
      AdminRedeliverWebhookEvent: () => ({ redeliverWebhookEvent: true }),
    });
    renderConsole(`/webhooks/${hook.id}/show`, api);
    const state = await screen.findByTestId('webhook-state');
    expect(within(state).getByTestId('webhook-status')).toHaveTextContent('Disabled: kept failing');
    expect(within(state).getByTestId('webhook-disabled-reason')).toHaveTextContent(/Fix the receiver, then enable it/);
    // Redelivering while off queues it for when it is back on.
    const table = await screen.findByTestId('webhook-delivery-table');
    fireEvent.click(await within(table).findByTestId(`redeliver-${ATTEMPTS[0]!.id}`));
    await screen.findByText('Queued for redelivery: it is sent once the webhook is enabled again');

    fireEvent.click(screen.getByRole('button', { name: 'Enable' }));
    await screen.findByText('Webhook enabled: delivery resumes where it stopped');
    expect(api.calls.find((call) => call.operationName === 'AdminUpdateWebhook')!.variables).toEqual({
      id: hook.id,
      input: { version: 4, enabled: true },
    });
    await waitFor(() => expect(within(screen.getByTestId('webhook-state')).getByTestId('webhook-status')).toHaveTextContent('Enabled'));
    expect(screen.queryByTestId('webhook-disabled-reason')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Disable' })).toBeInTheDocument();
  });

  it('rotates the secret from its page and shows the new one once', async () => {
    signInAs('ADMIN');
    const hook = webhook();
    const api = fakeApi({
      AdminWebhookById: () => ({ webhook: hook }),
      AdminWebhookDeliveries: deliveryLog(),
      AdminRotateWebhookSecret: () => ({
        rotateWebhookSecret: {
          secret: SECRET,
          webhook: {
            ...hook,
            version: 2,
            secretRotatedAt: '2026-12-02T12:10:00.000Z',
            previousSecretExpiresAt: '2099-01-01T00:00:00.000Z',
          },
        },
      }),
    });
    renderConsole(`/webhooks/${hook.id}/show`, api);
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate secret' }));
    const confirm = await screen.findByRole('dialog');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Rotate secret' }));
    const dialog = await screen.findByTestId('webhook-secret');
    expect(dialog).toHaveValue(SECRET);
    fireEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    await waitFor(() => expect(document.body.innerHTML).not.toContain(SECRET));
  });

  it('reads in Chinese: state, error kinds, outcome, the chart and the redelivery toast', async () => {
    signInAs('ADMIN');
    localStorage.setItem('RaStore.locale', JSON.stringify('zh'));
    const hook = webhook({ enabled: false, disabledReason: 'CURSOR_EXPIRED', disabledAt: '2026-12-02T12:05:00.000Z' });
    const api = fakeApi({
      AdminWebhookById: () => ({ webhook: hook }),
      AdminWebhookDeliveries: deliveryLog(),
      AdminRedeliverWebhookEvent: () => ({ redeliverWebhookEvent: true }),
    });
    renderConsole(`/webhooks/${hook.id}/show`, api);
    const state = await screen.findByTestId('webhook-state');
    expect(within(state).getByTestId('webhook-status')).toHaveTextContent('已停用：落后于变更流');
    expect(within(state).getByTestId('webhook-disabled-reason')).toHaveTextContent(/重新同步接收方/);
    const table = await screen.findByTestId('webhook-delivery-table');
    await within(table).findByText('超时');
    expect(within(table).getByText('连接被拒绝')).toBeInTheDocument();
    expect(within(table).getByText('目标被拒绝（内部地址）')).toBeInTheDocument();
    expect(within(table).getByText('HTTP 503 响应')).toBeInTheDocument();
    expect(within(table).getAllByText('失败')).toHaveLength(4);
    expect(within(table).getByText('10,000毫秒')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '结果：HTTP 状态或错误' })).toBeInTheDocument();
    const chart = screen.getByTestId('webhook-attempts-chart');
    await within(chart).findByText('最近 5 次尝试：送达 1 次，失败 4 次，延迟中位数 123毫秒');
    expect(screen.getByRole('button', { name: '启用' })).toBeInTheDocument();
    fireEvent.click(within(table).getByTestId(`redeliver-${ATTEMPTS[2]!.id}`));
    await screen.findByText('已加入重新推送队列：Webhook 重新启用后发送');
  });
});

describe('the chart’s buckets', () => {
  const at = (iso: string, succeeded: boolean, latencyMs = 100) => ({ attemptedAt: iso, succeeded, latencyMs });

  it('takes the narrowest step that fits, keeps quiet buckets, and gives each its median latency', () => {
    const { step, buckets } = bucketAttempts(
      [
        at('2026-12-02T10:00:10Z', true, 100),
        at('2026-12-02T10:00:50Z', false, 300),
        at('2026-12-02T10:00:55Z', false, 200),
        at('2026-12-02T10:03:00Z', true, 50),
      ],
      24,
      0,
    );
    expect(step).toBe(60_000);
    expect(buckets.map(({ succeeded, failed, latencyMs }) => [succeeded, failed, latencyMs])).toEqual([
      [1, 2, 200],
      [0, 0, null],
      [0, 0, null],
      [1, 0, 50],
    ]);
  });

  it('widens the step for a longer span and starts a day at local midnight', () => {
    const days = Array.from({ length: 40 }, (_, i) =>
      at(new Date(Date.parse('2026-11-01T12:00:00Z') + i * 86_400_000).toISOString(), i % 2 === 0),
    );
    const { step, buckets } = bucketAttempts(days, 24, 8 * 3_600_000);
    expect(step).toBe(7 * 86_400_000);
    expect(buckets.reduce((sum, bucket) => sum + bucket.succeeded + bucket.failed, 0)).toBe(40);
    expect(buckets.length).toBeLessThanOrEqual(24);
    expect((buckets[0]!.start + 8 * 3_600_000) % 86_400_000).toBe(0);
    expect(bucketAttempts([], 24, 0).buckets).toEqual([]);
  });
});
