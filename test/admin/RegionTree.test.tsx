// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connection, fakeApi, renderConsole, signInAs } from './harness';

function region(
  id: string,
  code: string,
  name: string,
  kind: string,
  parent: string | null,
  nameZh: string | null = null,
  keyCity = false,
) {
  return {
    id: `00000000-0000-4000-8000-0000000000${id}`,
    version: 1,
    code,
    name,
    nameZh,
    kind,
    keyCity,
    path: code,
    parent: parent ? { id: `00000000-0000-4000-8000-0000000000${parent}` } : null,
  };
}

const tree = [
  region('01', 'EAST', 'East', 'REGION', null, '华东'),
  region('02', 'ZJ', 'Zhejiang', 'PROVINCE', '01', '浙江'),
  region('03', 'HZ', 'Hangzhou', 'TERRITORY', '02', '杭州', true),
  region('04', 'SOUTH', 'South', 'REGION', null, '华南'),
];

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('region tree', () => {
  it('creates a territory below a province, renames and flags key cities', async () => {
    signInAs('ADMIN');
    const nodes = [...tree];
    const api = fakeApi({
      AdminRegions: () => ({ regions: connection(nodes, nodes.length) }),
      AdminCreateRegion: (variables) => {
        const created = {
          ...region('05', variables.input.code, variables.input.name, variables.input.kind, '02', variables.input.nameZh),
          parent: { id: variables.input.parentId },
        };
        nodes.push(created);
        return { createRegion: created };
      },
      AdminUpdateRegion: (variables) => {
        const index = nodes.findIndex((node) => node.id === variables.id);
        nodes[index] = { ...nodes[index]!, ...variables.input, version: 2 };
        return { updateRegion: nodes[index] };
      },
    });
    renderConsole('/regions', api);
    fireEvent.click(await screen.findByRole('button', { name: 'Expand all' }));
    const zhejiang = await screen.findByTestId('region-ZJ');
    expect(screen.getByTestId('region-HZ')).toHaveTextContent('Hangzhou');

    fireEvent.click(within(zhejiang).getByRole('button', { name: 'Add below' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('New Territory below East › Zhejiang');
    fireEvent.change(within(dialog).getByLabelText(/Code/), { target: { value: 'WZ' } });
    fireEvent.change(within(dialog).getByLabelText(/^Name/), { target: { value: 'Wenzhou' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await screen.findByTestId('region-WZ');
    expect(api.calls.find((call) => call.operationName === 'AdminCreateRegion')!.variables.input).toEqual({
      code: 'WZ',
      name: 'Wenzhou',
      nameZh: null,
      kind: 'TERRITORY',
      keyCity: false,
      parentId: tree[1]!.id,
    });

    fireEvent.click(within(screen.getByTestId('region-HZ')).getByRole('button', { name: 'Key city' }));
    await waitFor(() => expect(api.operations()).toContain('AdminUpdateRegion'));
    expect(api.calls.find((call) => call.operationName === 'AdminUpdateRegion')!.variables).toEqual({
      id: tree[2]!.id,
      input: { keyCity: false, version: 1 },
    });
  });

  it('is read-only for managers', async () => {
    signInAs('MANAGER');
    const api = fakeApi({ AdminRegions: () => ({ regions: connection(tree, tree.length) }) });
    renderConsole('/regions', api);
    await screen.findByTestId('region-EAST');
    expect(screen.queryByRole('button', { name: 'New region' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Rename' })).not.toBeInTheDocument();
  });

  it('opens Move on the current parent, so saving it unchanged moves nothing', async () => {
    signInAs('ADMIN');
    const nodes = [...tree, region('06', 'GD', 'Guangdong', 'PROVINCE', '04', '广东')];
    const api = fakeApi({
      AdminRegions: () => ({ regions: connection(nodes, nodes.length) }),
      AdminUpdateRegion: (variables) => ({ updateRegion: { ...nodes[2]!, parent: { id: variables.input.parentId }, version: 2 } }),
    });
    renderConsole('/regions', api);
    fireEvent.click(await screen.findByRole('button', { name: 'Expand all' }));
    fireEvent.click(within(await screen.findByTestId('region-HZ')).getByRole('button', { name: 'Move' }));
    const dialog = await screen.findByRole('dialog');
    const parent = within(dialog).getByRole('combobox');
    expect(parent).toHaveTextContent('East › Zhejiang');
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeDisabled();
    fireEvent.mouseDown(parent);
    fireEvent.click(await screen.findByRole('option', { name: 'South › Guangdong' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.operations()).toContain('AdminUpdateRegion'));
    expect(api.calls.find((call) => call.operationName === 'AdminUpdateRegion')!.variables).toEqual({
      id: tree[2]!.id,
      input: { parentId: nodes[4]!.id, version: 1 },
    });
  });
});
