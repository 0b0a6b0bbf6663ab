// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connection, fakeApi, ids, renderConsole, signInAs } from './harness';

const jobId = '00000000-0000-4000-8000-00000000b001';
const columns = [
  { index: 0, header: '公司名称', field: 'LEGAL_NAME', samples: ['浙江导入测试001贸易有限公司'] },
  { index: 1, header: '统一社会信用代码', field: 'REGISTRATION_ID', samples: ['91440300IMP0000001'] },
  { index: 2, header: '手机', field: 'CONTACT_MOBILE', samples: ['13900000001'] },
  { index: 3, header: '备用列', field: null, samples: [] },
];

function job(status: string, overrides: Record<string, unknown> = {}) {
  return {
    id: jobId,
    version: 4,
    fileName: 'customers.csv',
    format: 'CSV',
    status,
    totalRows: 50,
    analyzedRows: 50,
    processedRows: 0,
    revertedRows: 0,
    error: null,
    createdAt: '2026-12-01T08:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    revertedAt: null,
    createdBy: { id: '00000000-0000-4000-8000-00000000000a', name: 'Ada Admin' },
    counts: { create: 44, update: 0, contact: 0, duplicateOwned: 2, invalid: 4 },
    result: {
      createdCustomers: 0,
      updatedCustomers: 0,
      createdContacts: 0,
      skippedRows: 0,
      revertedRecords: 0,
      revertRefused: 0,
      removedCustomers: 0,
      restoredCustomers: 0,
      removedContacts: 0,
    },
    templateId: null,
    reportUrl: `/import/${jobId}/report.csv`,
    columns,
    ...overrides,
  };
}

const owner = { id: '00000000-0000-4000-8000-0000000000b7', name: 'Guo Guangzhou' };
const rows = [
  {
    line: 2,
    action: 'CREATE',
    field: null,
    code: null,
    params: null,
    values: ['浙江导入测试001贸易有限公司', '91440300IMP0000001', '13900000001', null],
    applied: false,
    revertCode: null,
    customer: null,
  },
  {
    line: 5,
    action: 'INVALID',
    field: 'CONTACT_MOBILE',
    code: 'INVALID_FORMAT',
    params: null,
    values: ['浙江导入测试902贸易有限公司', '91440300IMP0000902', '139-abc', null],
    applied: false,
    revertCode: null,
    customer: null,
  },
  {
    line: 9,
    action: 'DUPLICATE_OWNED',
    field: 'REGISTRATION_ID',
    code: 'OWNED_ELSEWHERE',
    params: null,
    values: ['Guangzhou Guo Trading 1 Co., Ltd.', '91330100GZ', null, null],
    applied: false,
    revertCode: null,
    customer: {
      id: ids.customer(9),
      access: 'DIRECTORY',
      legalName: 'Guangzhou Guo Trading 1 Co., Ltd.',
      territory: { id: ids.hangzhou, name: 'Guangzhou', nameZh: '广州' },
      owner,
    },
  },
];

beforeEach(() => localStorage.clear());
afterEach(() => cleanup());

describe('import wizard', () => {
  it('shows the detected mapping, the dry-run counts as filters, the reasons in words, and starts the run with the version read', async () => {
    signInAs('ADMIN');
    let current = job('READY');
    const api = fakeApi({
      AdminImport: () => ({ import: current }),
      AdminImportTemplates: () => ({ importTemplates: [] }),
      AdminImportRows: (variables) => {
        const picked = rows.filter((row) => !variables.action || row.action === variables.action);
        return {
          import: {
            id: jobId,
            rows: {
              ...connection(
                picked.map((row) => ({ ...row, id: String(row.line) })),
                picked.length,
              ),
            },
          },
        };
      },
      AdminStartImport: () => {
        current = job('RUNNING', { processedRows: 20, version: 5 });
        return { startImport: current };
      },
    });
    renderConsole(`/imports/${jobId}/show`, api);
    const mapping = await screen.findByTestId('import-mapping');
    expect(within(mapping).getByTestId('mapping-0')).toHaveTextContent('公司名称');
    expect(within(mapping).getByTestId('mapping-0')).toHaveTextContent('Company name');
    expect(within(mapping).getByTestId('mapping-2')).toHaveTextContent('Contact mobile');
    expect(within(mapping).getByTestId('mapping-3')).toHaveTextContent('Empty column');
    fireEvent.click(screen.getByRole('button', { name: 'Continue to the dry run' }));
    // An unchanged mapping is not sent again (that would restart the dry run).
    expect(api.operations()).not.toContain('AdminUpdateImportMapping');

    const counts = await screen.findByTestId('import-counts');
    expect(within(counts).getByTestId('count-CREATE')).toHaveTextContent('New 44');
    expect(within(counts).getByTestId('count-DUPLICATE_OWNED')).toHaveTextContent('Owned by another rep 2');
    expect(within(counts).getByTestId('count-INVALID')).toHaveTextContent('Invalid 4');
    await screen.findByTestId('import-row-2');

    fireEvent.click(within(counts).getByTestId('count-INVALID'));
    const invalid = await screen.findByTestId('row-invalid');
    expect(invalid).toHaveTextContent('Contact mobile: not in a valid format');
    expect(api.calls.filter((call) => call.operationName === 'AdminImportRows').at(-1)!.variables.action).toBe('INVALID');

    fireEvent.click(within(counts).getByTestId('count-DUPLICATE_OWNED'));
    const duplicate = await screen.findByTestId('row-duplicate');
    expect(duplicate).toHaveTextContent('Exists in Guangzhou, owned by Guo Guangzhou');
    expect(within(duplicate).getByRole('button', { name: 'Request transfer' })).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Run the import' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('44 new accounts and 0 updates will be written, 0 contacts added; 6 rows are left out.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Run the import' }));
    await screen.findByText('Import started');
    expect(api.calls.find((call) => call.operationName === 'AdminStartImport')!.variables).toEqual({ id: jobId, version: 4 });
    expect(await screen.findByTestId('import-progress')).toHaveTextContent('20 of 50 rows written');
  });

  it('lists the rows a revert left as they were, with the reason in Chinese', async () => {
    signInAs('ADMIN');
    localStorage.setItem('RaStore.locale', JSON.stringify('zh'));
    const reverted = job('REVERTED', {
      result: {
        createdCustomers: 44,
        updatedCustomers: 0,
        createdContacts: 44,
        skippedRows: 6,
        revertedRecords: 43,
        revertRefused: 1,
        removedCustomers: 43,
        restoredCustomers: 0,
        removedContacts: 0,
      },
    });
    const api = fakeApi({
      AdminImport: () => ({ import: reverted }),
      AdminImportRows: (variables) => {
        expect(variables.revertRefused).toBe(true);
        const refused = [{ ...rows[0]!, applied: true, revertCode: 'CHANGED_SINCE', id: '2' }];
        return { import: { id: jobId, rows: connection(refused, 1) } };
      },
    });
    renderConsole(`/imports/${jobId}/show`, api);
    expect(await screen.findByTestId('result-revertRefused')).toHaveTextContent('1');
    const refused = await screen.findByTestId('import-refused-rows');
    expect(within(refused).getByTestId('import-row-2')).toHaveTextContent('导入后已被他人修改');
  });

  it('offers to revert a run that failed part way, and not a dry run that failed', async () => {
    signInAs('ADMIN');
    const failedRun = job('FAILED', {
      startedAt: '2026-12-01T08:05:00.000Z',
      processedRows: 20,
      error: 'The import failed; the server log has the details',
      result: { ...job('FAILED').result, createdCustomers: 18 },
    });
    let current: Record<string, unknown> = failedRun;
    const api = fakeApi({
      AdminImport: () => ({ import: current }),
      AdminRevertImport: () => ({ revertImport: { ...failedRun, status: 'REVERTING' } }),
    });
    renderConsole(`/imports/${jobId}/show`, api);
    const outcome = await screen.findByTestId('import-outcome');
    expect(outcome).toHaveTextContent('The import failed: The import failed; the server log has the details');
    expect(outcome).toHaveTextContent('What it wrote before it failed stays until you revert it.');
    fireEvent.click(screen.getByRole('button', { name: 'Revert the import' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Revert the import' }));
    await waitFor(() =>
      expect(api.calls.some((call) => call.operationName === 'AdminRevertImport' && call.variables.id === jobId)).toBe(true),
    );
    cleanup();

    current = job('FAILED', { error: 'The import failed; the server log has the details' });
    renderConsole(`/imports/${jobId}/show`, fakeApi({ AdminImport: () => ({ import: current }) }));
    const dryRun = await screen.findByTestId('import-outcome');
    expect(dryRun).not.toHaveTextContent('What it wrote before it failed');
    expect(screen.queryByRole('button', { name: 'Revert the import' })).not.toBeInTheDocument();
  });

  it('follows a revert running in the background with its progress, and stops it, in Chinese', async () => {
    signInAs('ADMIN');
    localStorage.setItem('RaStore.locale', JSON.stringify('zh'));
    let current = job('REVERTING', { revertedRows: 20, processedRows: 50 });
    const api = fakeApi({
      AdminImport: () => ({ import: current }),
      AdminCancelImport: () => {
        current = job('CANCELLED', { revertedRows: 30, processedRows: 50, version: 6 });
        return { cancelImport: current };
      },
    });
    renderConsole(`/imports/${jobId}/show`, api);
    const progress = await screen.findByTestId('import-revert-progress');
    expect(progress).toHaveTextContent('已撤销 20 行，共 50 行');
    expect(within(progress).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '40');
    expect(screen.getByTestId('import-status')).toHaveTextContent('撤销中');
    fireEvent.click(screen.getByRole('button', { name: '停止撤销' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: '停止撤销' }));
    await screen.findByText('撤销将在当前批次完成后停止');
    expect(api.operations()).toContain('AdminCancelImport');
    // Stopped: the result step again, with Revert to go on.
    expect(await screen.findByRole('button', { name: '撤销导入' })).toBeInTheDocument();
  });
});
