// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VIEWERS, connection, customerRow, fakeApi, ids, renderConsole, signInAs } from './harness';

const customer = {
  ...customerRow(1, { lifecycleStage: 'REPEAT' }),
  registrationId: null,
  industryStanding: null,
  products: null,
  sizeBand: null,
  ownershipType: null,
  creditStanding: null,
  relationshipLevel: null,
  sourceChannel: null,
  tags: [],
  websiteDomain: null,
  notes: null,
  archivedAt: null,
  address: null,
  contacts: [],
  interactions: { totalCount: 0, edges: [] },
  orders: { totalCount: 0, edges: [] },
  evaluations: [],
  ownershipHistory: [],
  lifecycleHistory: [],
};

function request(overrides: Record<string, unknown> = {}) {
  return {
    id: '00000000-0000-4000-8000-000000000d01',
    status: 'PENDING',
    fromStage: 'REPEAT',
    toStage: 'POTENTIAL',
    reason: 'Their buyer left; starting over',
    decisionComment: null,
    createdAt: '2026-11-23T02:00:00.000Z',
    decidedAt: null,
    customer: { id: ids.customer(1), legalName: 'Customer 01 Ltd' },
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

describe('lifecycle stage changes', () => {
  it('lets the owner ask to move an account back a stage, which goes to a manager', async () => {
    signInAs('REP');
    const api = fakeApi({
      AdminCustomer360: () => ({ customer }),
      AdminChangeLifecycleStage: () => ({ changeLifecycleStage: { applied: false, request: request() } }),
    });
    renderConsole(`/customers/${ids.customer(1)}/show`, api);
    fireEvent.click(await screen.findByRole('button', { name: 'Change stage' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.mouseDown(within(dialog).getByRole('combobox', { name: /New stage/ }));
    // The current stage is not offered.
    const options = await screen.findAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual(['Potential', 'Intention', 'First purchase', 'Dormant', 'Lost']);
    fireEvent.click(screen.getByRole('option', { name: 'Potential' }));
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Reason/ }), { target: { value: 'Their buyer left; starting over' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Change' }));
    await screen.findByText('Sent to a manager for approval');
    expect(api.calls.find((call) => call.operationName === 'AdminChangeLifecycleStage')!.variables).toEqual({
      input: { customerId: ids.customer(1), toStage: 'POTENTIAL', reason: 'Their buyer left; starting over' },
    });
  });

  it('lets a manager approve a pending stage change', async () => {
    signInAs('MANAGER');
    let pending = [request()];
    const api = fakeApi({
      AdminStageChangeRequests: () => ({ lifecycleChangeRequests: connection(pending, pending.length) }),
      AdminApproveStageChange: (variables) => {
        pending = [];
        return { approveStageChange: request({ status: 'APPROVED', decisionComment: variables.comment }) };
      },
    });
    renderConsole('/stageChanges', api);
    const table = await screen.findByTestId('stage-change-table');
    await within(table).findByText('Their buyer left; starting over');
    expect(api.calls[0]!.variables).toMatchObject({ status: 'PENDING', first: 25 });
    fireEvent.click(within(table).getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Comment' }), { target: { value: 'Fine' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await screen.findByText('Stage change approved');
    expect(api.calls.find((call) => call.operationName === 'AdminApproveStageChange')!.variables).toEqual({
      requestId: request().id,
      comment: 'Fine',
    });
    await waitFor(() => expect(screen.getByText('No pending stage changes.')).toBeInTheDocument());
  });

  it('lets an admin set dwell-time SLAs and run the inactivity check', async () => {
    signInAs('ADMIN');
    let slas = [{ stage: 'INTENTION', maxDays: 15, updatedAt: '2026-11-01T00:00:00.000Z' }];
    const api = fakeApi({
      AdminLifecycleSettings: () => ({ stageSlas: slas, lifecycleSettings: { dormantAfterDays: 180 } }),
      AdminSetStageSla: (variables) => {
        const sla = { stage: variables.stage, maxDays: variables.maxDays, updatedAt: '2026-11-23T00:00:00.000Z' };
        slas = [...slas.filter((s) => s.stage !== variables.stage), sla];
        return { setStageSla: sla };
      },
      AdminRunInactivityCheck: () => ({ runInactivityCheck: { dormant: 3, alertsRaised: 7 } }),
    });
    renderConsole('/lifecycleSettings', api);
    const potential = await screen.findByRole('spinbutton', { name: 'Maximum days in Potential' });
    expect(screen.getByRole('spinbutton', { name: 'Maximum days in Intention' })).toHaveValue(15);
    expect(screen.getByRole('spinbutton', { name: /Dormant after/ })).toHaveValue(180);
    fireEvent.change(potential, { target: { value: '30' } });
    const row = potential.closest('tr')!;
    fireEvent.click(within(row as HTMLElement).getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    expect(api.calls.find((call) => call.operationName === 'AdminSetStageSla')!.variables).toEqual({ stage: 'POTENTIAL', maxDays: 30 });
    fireEvent.click(screen.getByRole('button', { name: 'Run the check now' }));
    expect(await screen.findByTestId('inactivity-result')).toHaveTextContent('3 customers moved to dormant, 7 alerts raised.');
  });
});
