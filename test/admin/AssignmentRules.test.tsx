// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VIEWERS, connection, fakeApi, renderConsole, signInAs } from './harness';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function region(n: number, code: string, name: string, nameZh: string, kind: string, path: string, parent: number | null) {
  return { id: uuid(n), version: 1, code, name, nameZh, kind, keyCity: false, path, parent: parent ? { id: uuid(parent) } : null };
}

const regions = [
  region(901, 'EAST', 'East', '华东', 'REGION', 'EAST', null),
  region(902, 'ZJ', 'Zhejiang', '浙江', 'PROVINCE', 'EAST/ZJ', 901),
  region(903, 'HZ', 'Hangzhou', '杭州', 'TERRITORY', 'EAST/ZJ/HZ', 902),
  region(904, 'NB', 'Ningbo', '宁波', 'TERRITORY', 'EAST/ZJ/NB', 902),
  region(905, 'SOUTH', 'South', '华南', 'REGION', 'SOUTH', null),
  region(906, 'GD', 'Guangdong', '广东', 'PROVINCE', 'SOUTH/GD', 905),
  region(907, 'GZ', 'Guangzhou', '广州', 'TERRITORY', 'SOUTH/GD/GZ', 906),
];
const place = (n: number) => {
  const { id, name, nameZh } = regions.find((node) => node.id === uuid(n))!;
  return { id, name, nameZh };
};
const hangzhou = place(903);
const ningbo = place(904);
const guangzhou = place(907);

function user(n: number, name: string, email: string, role: string, territories: number[], managed: number[] = []) {
  return {
    id: uuid(n),
    version: 1,
    email,
    name,
    role,
    active: true,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    territories: territories.map(place),
    managedRegions: managed.map(place),
  };
}

// Two reps share a name; only their e-mail and territory tell them apart.
const wangHz = user(801, 'Wang Wei', 'wang.hz@test.local', 'REP', [903]);
const wangNb = user(802, 'Wang Wei', 'wang.nb@test.local', 'REP', [904]);
const huHz = user(803, 'Hu Hangzhou', 'rep.hz@test.local', 'REP', [903]);
const eveEast = user(804, 'Eve East', 'manager.east@test.local', 'MANAGER', [], [901]);
const samSouth = user(805, 'Sam South', 'manager.south@test.local', 'MANAGER', [], [905]);
const users = [wangHz, wangNb, huHz, eveEast, samSouth];

const person = ({ id, name, email, role, territories, managedRegions }: ReturnType<typeof user>) => ({
  id,
  name,
  email,
  role,
  territories,
  managedRegions,
});

function rule(
  n: number,
  position: number,
  name: string,
  target: ReturnType<typeof place>,
  owner: ReturnType<typeof user> | null,
  conditions = {},
) {
  return {
    id: uuid(700 + n),
    version: 1,
    position,
    name,
    provinces: [],
    cities: [],
    industries: [],
    sizeBands: [],
    sourceChannels: [],
    territory: target,
    owner: owner ? person(owner) : null,
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...conditions,
  };
}

const rules = () => [
  rule(1, 1, 'Zhejiang manufacturers', hangzhou, wangHz, {
    provinces: ['Zhejiang'],
    industries: ['Manufacturing', 'Machinery'],
    sizeBands: ['LARGE', 'ENTERPRISE'],
  }),
  rule(2, 3, 'Web leads in Guangzhou', guangzhou, null, { cities: ['Guangzhou'], sourceChannels: ['WEB'] }),
  rule(3, 7, 'Everything else', ningbo, eveEast),
];

/** What every test's screen reads besides its own subject: the region tree, the viewer's places, the users. */
function baseHandlers(role: 'ADMIN' | 'MANAGER' = 'ADMIN') {
  return {
    AdminRegions: () => ({ regions: connection(regions, regions.length) }),
    AdminMyPlaces: () => ({
      me: {
        id: VIEWERS[role].id,
        role,
        territories: [],
        managedRegions: role === 'MANAGER' ? [{ id: uuid(901), path: 'EAST' }] : [],
      },
    }),
    AdminUsers: (variables: Record<string, any>) => {
      const filter = variables.filter ?? {};
      const found = users.filter(
        (candidate) =>
          (!filter.role || candidate.role === filter.role) &&
          (!filter.territoryId || candidate.territories.some((territory) => territory.id === filter.territoryId)),
      );
      return { users: connection(found, found.length) };
    },
  };
}

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('assignment rules', () => {
  it('lists the rules in the order they are tried, their conditions in words and their targets by name', async () => {
    signInAs('ADMIN');
    const api = fakeApi({ ...baseHandlers(), AdminAssignmentRules: () => ({ assignmentRules: rules() }) });
    renderConsole('/assignmentRules', api);
    const table = await screen.findByTestId('rule-table');
    const first = within(table).getByTestId('rule-1');
    expect(first).toHaveTextContent('Zhejiang manufacturers');
    expect(first).toHaveTextContent('Province is Zhejiang');
    expect(first).toHaveTextContent('Industry is Manufacturing or Machinery');
    expect(first).toHaveTextContent('Size is Large or Enterprise');
    await waitFor(() => expect(first).toHaveTextContent('East › Zhejiang › Hangzhou'));
    expect(first).toHaveTextContent('Wang Wei');
    expect(first).toHaveTextContent('wang.hz@test.local');

    const second = within(table).getByTestId('rule-2');
    expect(second).toHaveTextContent('Web leads in Guangzhou');
    expect(second).toHaveTextContent('City is Guangzhou');
    expect(second).toHaveTextContent('Came through Web');
    expect(second).toHaveTextContent('South › Guangdong › Guangzhou');
    expect(second).toHaveTextContent("The creator's default owner");

    // The last rule has no conditions: the default.
    const third = within(table).getByTestId('rule-3');
    expect(third).toHaveTextContent('Everything else');
    expect(third).toHaveTextContent('Default');
    expect(third).toHaveTextContent('Every account');
    expect(third).toHaveTextContent('East › Zhejiang › Ningbo');
    expect(third).toHaveTextContent('Eve East');
    expect(within(table).queryByTestId('rule-4')).not.toBeInTheDocument();
    // Names, never ids.
    expect(table.textContent).not.toMatch(/0000-4000/);
    // The first rule cannot move up, the last cannot move down.
    expect(within(first).getByRole('button', { name: 'Move Zhejiang manufacturers up' })).toBeDisabled();
    expect(within(third).getByRole('button', { name: 'Move Everything else down' })).toBeDisabled();
  });
});
