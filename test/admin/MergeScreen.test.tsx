// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connection, fakeApi, ids, renderConsole, signInAs } from './harness';

const hangzhou = { id: ids.hangzhou, name: 'Hangzhou', nameZh: '杭州' };
const older = ids.customer(41);
const newer = ids.customer(42);

/** A customer as AdminMergeSide reads it (every profile field a merge may take). */
function side(id: string, overrides: Record<string, unknown>) {
  return {
    id,
    version: 3,
    access: 'EDIT',
    legalName: 'West Lake Machinery Co., Ltd.',
    registrationId: null,
    websiteDomain: null,
    industry: 'Machinery',
    products: null,
    industryStanding: null,
    sizeBand: null,
    ownershipType: null,
    creditStanding: null,
    relationshipLevel: null,
    sourceChannel: 'FIELD',
    tags: [],
    notes: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    archivedAt: null,
    address: null,
    territory: hangzhou,
    owner: { id: '00000000-0000-4000-8000-0000000000c1', name: 'Hu Hangzhou' },
    ...overrides,
  };
}

const first = side(older, { registrationId: '91330100MA2XYZ0001', sizeBand: 'LARGE' });
const second = side(newer, {
  legalName: 'West Lake Machinery Ltd',
  createdAt: '2026-03-01T00:00:00.000Z',
  websiteDomain: 'westlake-machinery.cn',
  sizeBand: 'MEDIUM',
  version: 7,
});

const candidate = { id: `${older}:${newer}`, score: 0.86, nameSimilarity: 0.81, reasons: ['SIMILAR_NAME', 'SAME_CITY'], first, second };

const moves = [
  { kind: 'CONTACT', count: 2 },
  { kind: 'INTERACTION', count: 5 },
  { kind: 'ORDER', count: 1 },
  { kind: 'PAYMENT', count: 1 },
  { kind: 'LIFECYCLE_TRANSITION', count: 0 },
];

function mergeResult(dryRun: boolean, variables: Record<string, any>) {
  const input = variables.input;
  const chosen = new Map<string, string>(input.fieldChoices.map((choice: any) => [choice.field, choice.fromId]));
  return {
    mergeCustomers: {
      dryRun,
      survivorId: input.survivorId,
      mergedIds: input.mergedIds,
      fields: [
        { field: 'LEGAL_NAME', fromId: chosen.get('LEGAL_NAME') ?? input.survivorId, value: { value: 'West Lake Machinery Co., Ltd.' } },
        {
          field: 'SIZE_BAND',
          fromId: chosen.get('SIZE_BAND') ?? input.survivorId,
          value: { value: chosen.has('SIZE_BAND') ? 'MEDIUM' : 'LARGE' },
        },
        { field: 'WEBSITE_DOMAIN', fromId: chosen.get('WEBSITE_DOMAIN') ?? input.survivorId, value: { value: 'westlake-machinery.cn' } },
      ],
      moves,
      merge: dryRun
        ? null
        : {
            id: '00000000-0000-4000-8000-00000000a001',
            survivorId: input.survivorId,
            mergedIds: input.mergedIds,
            mergedAt: new Date().toISOString(),
            undoableUntil: new Date(Date.now() + 86_400_000).toISOString(),
            undoneAt: null,
            fields: [],
            moves,
            survivor: { id: input.survivorId, legalName: 'West Lake Machinery Co., Ltd.' },
          },
    },
  };
}

function handlers(extra: Record<string, (variables: Record<string, any>) => unknown> = {}) {
  return {
    AdminDuplicateCandidates: () => ({ duplicateCandidates: connection([candidate], 1) }),
    AdminMergeCustomerBatch: (variables: Record<string, any>) => {
      const byId = { [older]: first, [newer]: second } as Record<string, unknown>;
      return { b0: byId[variables.id_0], b1: byId[variables.id_1] };
    },
    AdminMergeCustomers: (variables: Record<string, any>) => mergeResult(variables.input.dryRun, variables),
    ...extra,
  };
}

beforeEach(() => localStorage.clear());
afterEach(() => cleanup());

describe('duplicate candidates and the merge screen', () => {
  it('lists candidate pairs with their likeness and reasons in words, and opens the pair side by side', async () => {
    signInAs('REP');
    const api = fakeApi(handlers());
    renderConsole('/duplicateCandidates', api);
    const row = await screen.findByTestId('duplicate-row');
    expect(row).toHaveTextContent('West Lake Machinery Co., Ltd.');
    expect(row).toHaveTextContent('West Lake Machinery Ltd');
    expect(row).toHaveTextContent('86%');
    expect(row).toHaveTextContent('Similar names (81%)');
    expect(row).toHaveTextContent('Same city');
    expect(row.textContent).not.toMatch(/SIMILAR_NAME|0000-4000/);
    fireEvent.click(within(row).getByRole('link', { name: /Compare and merge/ }));
    const table = await screen.findByTestId('merge-table');
    // The older record stays by default.
    expect(within(screen.getByTestId('merge-side-survivor')).getByText('West Lake Machinery Co., Ltd.')).toBeInTheDocument();
    expect(within(table).getByTestId('merge-field-SIZE_BAND')).toHaveTextContent('Large');
    expect(within(table).getByTestId('merge-field-SIZE_BAND')).toHaveTextContent('Medium');
  });

  it('sends the chosen values, previews what moves, merges with the versions read and offers Undo', async () => {
    signInAs('REP');
    // As the API answers: once merged, the merged id reads as its survivor (lineage), so the
    // re-read of the pair after the merge brings the survivor twice.
    let merged = false;
    const api = fakeApi({
      ...handlers(),
      AdminMergeCustomerBatch: (variables: Record<string, any>) => {
        const byId = { [older]: first, [newer]: merged ? first : second } as Record<string, unknown>;
        return { b0: byId[variables.id_0], b1: byId[variables.id_1] };
      },
      AdminMergeCustomers: (variables: Record<string, any>) => {
        if (!variables.input.dryRun) merged = true;
        return mergeResult(variables.input.dryRun, variables);
      },
      AdminUndoMerge: ({ mergeId }) => ({
        undoMerge: {
          ...mergeResult(false, { input: { survivorId: older, mergedIds: [newer], fieldChoices: [] } }).mergeCustomers.merge,
          id: mergeId,
          undoneAt: new Date().toISOString(),
        },
      }),
    });
    renderConsole(`/merges/create?first=${older}&second=${newer}`, api);
    const table = await screen.findByTestId('merge-table');
    // The website only the newer record knows is preselected; the size band is chosen by hand.
    expect(within(table).getByRole('radio', { name: 'Website: westlake-machinery.cn' })).toBeChecked();
    expect(within(table).getByRole('radio', { name: 'Size band: Large' })).toBeChecked();
    fireEvent.click(within(table).getByRole('radio', { name: 'Size band: Medium' }));
    // Fields with the same value on both sides offer no choice.
    expect(within(within(table).getByTestId('merge-field-INDUSTRY')).queryByRole('radio')).not.toBeInTheDocument();

    expect(screen.getByRole('button', { name: 'Merge' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Preview the merge' }));
    const preview = await screen.findByTestId('merge-preview');
    expect(within(preview).getByTestId('move-CONTACT')).toHaveTextContent('Contacts: 2');
    expect(within(preview).getByTestId('move-INTERACTION')).toHaveTextContent('Interactions: 5');
    expect(within(preview).getByTestId('move-ORDER')).toHaveTextContent('Orders: 1');
    expect(within(preview).getByTestId('move-PAYMENT')).toHaveTextContent('Payments: 1');
    expect(within(preview).queryByTestId('move-LIFECYCLE_TRANSITION')).not.toBeInTheDocument();
    expect(within(preview).getByTestId('merge-result-fields')).toHaveTextContent('Medium');
    const dryRun = api.calls.find((call) => call.operationName === 'AdminMergeCustomers')!.variables.input;
    expect(dryRun).toEqual({
      survivorId: older,
      mergedIds: [newer],
      dryRun: true,
      fieldChoices: [
        { field: 'WEBSITE_DOMAIN', fromId: newer },
        { field: 'SIZE_BAND', fromId: newer },
      ],
      versions: [
        { id: older, version: 3 },
        { id: newer, version: 7 },
      ],
    });

    // A changed choice makes the preview stale: Merge waits for a new one.
    fireEvent.click(within(table).getByRole('radio', { name: 'Size band: Large' }));
    expect(screen.getByRole('button', { name: 'Merge' })).toBeDisabled();
    fireEvent.click(within(table).getByRole('radio', { name: 'Size band: Medium' }));
    expect(screen.getByRole('button', { name: 'Merge' })).toBeEnabled();

    fireEvent.click(screen.getByRole('button', { name: 'Merge' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('West Lake Machinery Ltd will be archived and merged into West Lake Machinery Co., Ltd.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Merge' }));
    await screen.findByText('Accounts merged');
    const outcome = await screen.findByTestId('merge-outcome');
    expect(outcome).toHaveTextContent('West Lake Machinery Ltd was merged into West Lake Machinery Co., Ltd.');
    const written = api.calls.filter((call) => call.operationName === 'AdminMergeCustomers').at(-1)!.variables.input;
    expect(written).toEqual({ ...dryRun, dryRun: false });
    // The pair is read again after the merge; the outcome stays, with its Undo.
    await waitFor(() => expect(api.calls.filter((call) => call.operationName === 'AdminMergeCustomerBatch').length).toBeGreaterThan(1));
    expect(screen.getByTestId('merge-outcome')).toBe(outcome);
    expect(within(outcome).getByRole('button', { name: 'Undo' })).toBeInTheDocument();

    fireEvent.click(within(outcome).getByRole('button', { name: 'Undo' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Undo' }));
    await screen.findByText('Merge undone');
    await waitFor(() => expect(within(outcome).queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument());
    expect(api.calls.find((call) => call.operationName === 'AdminUndoMerge')!.variables).toEqual({
      mergeId: '00000000-0000-4000-8000-00000000a001',
    });
  });

  it('never offers an archived record as the one that stays: the live one stays, and two archived records cannot be merged', async () => {
    signInAs('REP');
    const archivedOlder = { ...first, archivedAt: '2026-02-01T08:00:00.000Z' };
    const api = fakeApi({
      ...handlers(),
      AdminMergeCustomerBatch: (variables: Record<string, any>) => {
        const byId = { [older]: archivedOlder, [newer]: second } as Record<string, unknown>;
        return { b0: byId[variables.id_0], b1: byId[variables.id_1] };
      },
    });
    renderConsole(`/merges/create?first=${older}&second=${newer}`, api);
    await screen.findByTestId('merge-table');
    // The older record would stay by default, but it is archived: the newer, live one stays.
    const survivor = screen.getByTestId('merge-side-survivor');
    expect(within(survivor).getByText('West Lake Machinery Ltd')).toBeInTheDocument();
    const merged = screen.getByTestId('merge-side-merged');
    expect(within(merged).getByRole('radio')).toBeDisabled();
    expect(within(merged).getByTestId('merge-side-archived')).toHaveTextContent(
      /^Archived .*2026.*: it can be merged into the other record, not stay$/,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Preview the merge' }));
    await screen.findByTestId('merge-preview');
    const dryRun = api.calls.find((call) => call.operationName === 'AdminMergeCustomers')!.variables.input;
    expect([dryRun.survivorId, dryRun.mergedIds]).toEqual([newer, [older]]);
    cleanup();

    localStorage.setItem('RaStore.locale', JSON.stringify('zh'));
    const both = fakeApi({
      ...handlers(),
      AdminMergeCustomerBatch: () => ({ b0: archivedOlder, b1: { ...second, archivedAt: '2026-03-05T08:00:00.000Z' } }),
    });
    renderConsole(`/merges/create?first=${older}&second=${newer}`, both);
    expect(await screen.findByTestId('merge-both-archived')).toHaveTextContent('两条记录都已归档。请先恢复其中一条，再将另一条并入。');
    expect(screen.getByRole('button', { name: '预览合并' })).toBeDisabled();
    expect(screen.getAllByTestId('merge-side-archived')[0]).toHaveTextContent(
      /^已于 .*2026.* 归档：只能并入另一条记录，不能作为保留的记录$/,
    );
    expect(both.calls.some((call) => call.operationName === 'AdminMergeCustomers')).toBe(false);
  });

  it('shows a CONFLICT in words, re-reads both records and asks for a new preview', async () => {
    signInAs('REP');
    let conflicts = 0;
    const api = fakeApi(
      handlers({
        AdminMergeCustomers: (variables) => {
          if (!variables.input.dryRun) {
            conflicts += 1;
            return { errors: [{ message: 'Customer changed', extensions: { code: 'CONFLICT', field: 'versions' } }] };
          }
          return mergeResult(true, variables);
        },
      }),
    );
    renderConsole(`/merges/create?first=${older}&second=${newer}`, api);
    fireEvent.click(await screen.findByRole('button', { name: 'Preview the merge' }));
    await screen.findByTestId('merge-preview');
    fireEvent.click(screen.getByRole('button', { name: 'Merge' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Merge' }));
    const refusal = await screen.findByTestId('merge-refusal');
    expect(refusal).toHaveTextContent('One of the records changed since you opened it');
    expect(conflicts).toBe(1);
    expect(screen.queryByTestId('merge-preview')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Merge' })).toBeDisabled();
    await waitFor(() => expect(api.operations().filter((name) => name === 'AdminMergeCustomerBatch')).toHaveLength(2));
  });

  it('words an undo refused by its reason, in Chinese too', async () => {
    signInAs('ADMIN');
    localStorage.setItem('RaStore.locale', JSON.stringify('zh'));
    const merge = {
      ...mergeResult(false, { input: { survivorId: older, mergedIds: [newer], fieldChoices: [] } }).mergeCustomers.merge,
    };
    const api = fakeApi({
      AdminMerge: () => ({ merge }),
      AdminUndoMerge: () => ({
        errors: [{ message: 'changed', extensions: { code: 'CONFLICT', reason: 'CHANGED_SINCE' } }],
      }),
    });
    renderConsole(`/merges/${merge.id}/show`, api);
    const outcome = await screen.findByTestId('merge-outcome');
    fireEvent.click(within(outcome).getByRole('button', { name: '撤销' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: '撤销' }));
    expect(await screen.findByTestId('undo-refusal')).toHaveTextContent('此次合并涉及的记录之后被修改过，无法再撤销。');
  });
});
