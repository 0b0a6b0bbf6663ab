// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VIEWERS, connection, fakeApi, ids, renderConsole, signInAs } from './harness';

const guangzhou = { id: '00000000-0000-4000-8000-0000000000f3', name: 'Guangzhou', nameZh: '广州' };
const hangzhou = { id: ids.hangzhou, name: 'Hangzhou', nameZh: '杭州' };
const regionNode = (id: string, code: string, name: string, kind: string, path: string, parent: string | null) => ({
  id,
  version: 1,
  code,
  name,
  nameZh: null,
  kind,
  keyCity: false,
  path,
  parent: parent ? { id: parent } : null,
});
const regionNodes = [
  regionNode('r-east', 'EAST', 'East', 'REGION', 'EAST', null),
  regionNode('r-zj', 'ZJ', 'Zhejiang', 'PROVINCE', 'EAST/ZJ', 'r-east'),
  regionNode(hangzhou.id, 'HZ', 'Hangzhou', 'TERRITORY', 'EAST/ZJ/HZ', 'r-zj'),
  regionNode('r-south', 'SOUTH', 'South', 'REGION', 'SOUTH', null),
  regionNode('r-gd', 'GD', 'Guangdong', 'PROVINCE', 'SOUTH/GD', 'r-south'),
  regionNode(guangzhou.id, 'GZ', 'Guangzhou', 'TERRITORY', 'SOUTH/GD/GZ', 'r-gd'),
];

function request(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
    version: 1,
    status: 'PENDING',
    reason: `Customer ${n} asked for a local contact`,
    decisionComment: null,
    createdAt: '2026-11-20T02:00:00.000Z',
    decidedAt: null,
    customer: { id: ids.customer(n), access: 'DIRECTORY', legalName: `Guangzhou Trading ${n} Co., Ltd.` },
    fromOwner: { id: 'u-gz', name: 'Guo Guangzhou' },
    toOwner: { id: VIEWERS.REP.id, name: VIEWERS.REP.name },
    fromTerritory: guangzhou,
    toTerritory: hangzhou,
    requestedBy: { id: VIEWERS.REP.id, name: VIEWERS.REP.name },
    decidedBy: null,
    ...overrides,
  };
}

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('transfer inbox', () => {
  it('lists pending requests for a manager, who approves one with a comment', async () => {
    signInAs('MANAGER');
    let pending = [request(1), request(2)];
    const api = fakeApi({
      AdminTransferRequests: (variables) => ({
        transferRequests: connection(variables.filter?.status === 'PENDING' ? pending : [], pending.length),
      }),
      AdminApproveTransfer: (variables) => {
        const approved = {
          ...pending.find((r) => r.id === variables.id)!,
          status: 'APPROVED',
          version: 2,
          decidedBy: { id: VIEWERS.MANAGER.id, name: VIEWERS.MANAGER.name },
          decisionComment: variables.comment,
        };
        pending = pending.filter((r) => r.id !== variables.id);
        return { approveTransfer: approved };
      },
    });
    renderConsole('/transfers', api);
    const table = await screen.findByTestId('transfer-table');
    await within(table).findByText('Guangzhou Trading 1 Co., Ltd.');
    // Pending is the default filter: one request with everything a row shows.
    expect(api.operations()).toEqual(['AdminTransferRequests']);
    expect(api.calls[0]!.variables).toMatchObject({ first: 25, filter: { status: 'PENDING' } });
    expect(within(table).getAllByText('Guo Guangzhou')).toHaveLength(2);
    expect(within(table).getAllByText('Guangzhou')).toHaveLength(2);
    expect(within(table).getAllByText('Pending')).toHaveLength(2);
    // Managers decide; they did not file these, so there is nothing to cancel.
    expect(within(table).queryByRole('button', { name: 'Cancel request' })).not.toBeInTheDocument();

    const row = within(table).getByText('Guangzhou Trading 1 Co., Ltd.').closest('tr')!;
    fireEvent.click(within(row as HTMLElement).getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/From Guo Guangzhou \(Guangzhou\) to Hu Hangzhou \(Hangzhou\)/)).toBeInTheDocument();
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Comment' }), { target: { value: 'Closer to the customer' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));

    await screen.findByText('Transfer approved: the account has moved');
    const approve = api.calls.find((call) => call.operationName === 'AdminApproveTransfer')!;
    expect(approve.variables).toEqual({ id: request(1).id, version: 1, comment: 'Closer to the customer' });
    // The inbox reloads without the decided request.
    await waitFor(() =>
      expect(within(screen.getByTestId('transfer-table')).queryByText('Guangzhou Trading 1 Co., Ltd.')).not.toBeInTheDocument(),
    );
    expect(within(screen.getByTestId('transfer-table')).getByText('Guangzhou Trading 2 Co., Ltd.')).toBeInTheDocument();
  });

  it('rejects only with a comment', async () => {
    signInAs('ADMIN');
    const api = fakeApi({
      AdminTransferRequests: () => ({ transferRequests: connection([request(3)], 1) }),
      AdminRejectTransfer: (variables) => ({
        rejectTransfer: { ...request(3), status: 'REJECTED', version: 2, decisionComment: variables.comment },
      }),
    });
    renderConsole('/transfers', api);
    fireEvent.click(await screen.findByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    const submit = within(dialog).getByRole('button', { name: 'Reject' });
    expect(submit).toBeDisabled();
    expect(within(dialog).getByText('Required: tell the requester why.')).toBeInTheDocument();
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Comment' }), { target: { value: 'The owner is mid-negotiation' } });
    expect(submit).toBeEnabled();
    fireEvent.click(submit);
    await screen.findByText('Transfer rejected');
    expect(api.calls.find((call) => call.operationName === 'AdminRejectTransfer')!.variables).toEqual({
      id: request(3).id,
      version: 1,
      comment: 'The owner is mid-negotiation',
    });
  });

  it('shows a rep their own requests to cancel, with no approve or reject', async () => {
    signInAs('REP');
    const api = fakeApi({
      AdminTransferRequests: () => ({ transferRequests: connection([request(4)], 1) }),
      AdminCancelTransfer: (variables) => ({ cancelTransfer: { ...request(4), status: 'CANCELLED', version: 2, id: variables.id } }),
    });
    renderConsole('/transfers', api);
    const cancel = await screen.findByRole('button', { name: 'Cancel request' });
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reject' })).not.toBeInTheDocument();
    fireEvent.click(cancel);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Cancel your request for Guangzhou Trading 4 Co., Ltd.?')).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel request' }));
    await screen.findByText('Request cancelled');
    expect(api.calls.find((call) => call.operationName === 'AdminCancelTransfer')!.variables).toEqual({ id: request(4).id, version: 1 });
  });

  it('shows an empty state naming the status filtered on', async () => {
    signInAs('MANAGER');
    const api = fakeApi({ AdminTransferRequests: () => ({ transferRequests: connection([], 0) }) });
    renderConsole('/transfers', api);
    expect(await screen.findByText('No pending transfer requests.')).toBeInTheDocument();
  });

  it('sends a transfer request from a directory card', async () => {
    signInAs('REP');
    const card = {
      id: ids.customer(9),
      access: 'DIRECTORY',
      legalName: 'Guangzhou Trading 9 Co., Ltd.',
      version: null,
      industry: null,
      lifecycleStage: null,
      createdAt: null,
      updatedAt: null,
      territory: guangzhou,
      region: { id: 'r-south', name: 'South', nameZh: '华南' },
      owner: { id: 'u-gz', name: 'Guo Guangzhou' },
      contacts: null,
      interactions: null,
      orders: null,
      evaluations: null,
      ownershipHistory: null,
      lifecycleHistory: null,
    };
    let attempts = 0;
    const api = fakeApi({
      AdminCustomer360: () => ({
        data: { customer: card },
        errors: [{ message: 'Not allowed', path: ['customer', 'contacts'], extensions: { code: 'FORBIDDEN' } }],
      }),
      AdminRegions: () => ({ regions: connection(regionNodes, regionNodes.length) }),
      // The rep works in Hangzhou and, as it happens, in the account's Guangzhou too.
      AdminTransferOwner: (variables) => ({
        user: {
          id: variables.id,
          name: VIEWERS.REP.name,
          role: 'REP',
          territories: [{ id: hangzhou.id }, { id: guangzhou.id }],
          managedRegions: [],
        },
      }),
      AdminRequestTransfer: (variables) => {
        attempts += 1;
        if (attempts === 1)
          return {
            errors: [
              {
                message: 'You already have a pending request for this account',
                path: ['requestTransfer'],
                extensions: { code: 'CONFLICT', existingId: 'x' },
              },
            ],
          };
        return { requestTransfer: request(9, { reason: variables.input.reason }) };
      },
    });
    renderConsole(`/customers/${ids.customer(9)}/show`, api);
    expect(await screen.findByText('Directory card')).toBeInTheDocument();
    fireEvent.click(await screen.findByRole('button', { name: 'Request transfer' }));
    const dialog = await screen.findByRole('dialog');
    // Reps ask for themselves, and the account stays in its territory, where this rep works.
    expect(within(dialog).queryByRole('combobox', { name: 'New owner' })).not.toBeInTheDocument();
    expect(await within(dialog).findByText('The account stays in South › Guangdong › Guangzhou.')).toBeInTheDocument();
    expect(within(dialog).queryByRole('combobox', { name: /New territory/ })).not.toBeInTheDocument();
    const send = within(dialog).getByRole('button', { name: 'Send request' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason' }), { target: { value: 'abc' } });
    expect(send).toBeDisabled();
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason' }), {
      target: { value: 'I have been visiting them since 2024' },
    });
    fireEvent.click(send);
    // A refusal reads as the console's own sentence, not the API's.
    await screen.findByText('This was changed or decided in the meantime. Reload to see the current state.');
    expect(screen.queryByText(/already have a pending request/)).not.toBeInTheDocument();
    fireEvent.click(send);
    await screen.findByText('Transfer requested');
    expect(api.calls.find((call) => call.operationName === 'AdminRequestTransfer')!.variables).toEqual({
      input: { customerId: ids.customer(9), reason: 'I have been visiting them since 2024' },
    });
  });
});
