// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
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

const account = (n: number, legalName: string) => ({ id: uuid(600 + n), legalName });
const brief = ({ id, name }: ReturnType<typeof user>) => ({ id, name });

/** Three accounts move: two to Ningbo's Wang Wei, one to Hangzhou's; two more stay, their owner not working there. */
const plan = {
  ruleSetVersion: 12,
  digest: 'digest-12-a',
  total: 3,
  outsideRegions: 0,
  ownerMisfits: 2,
  groups: [
    { count: 2, territory: ningbo, owner: { id: wangNb.id, name: wangNb.name, email: wangNb.email } },
    { count: 1, territory: hangzhou, owner: { id: wangHz.id, name: wangHz.name, email: wangHz.email } },
  ],
  sample: [
    {
      customer: account(1, 'Cixi Hardware Co., Ltd.'),
      fromOwner: brief(huHz),
      fromTerritory: hangzhou,
      toOwner: brief(wangNb),
      toTerritory: ningbo,
      rule: { id: uuid(703), name: 'Everything else' },
    },
    {
      customer: account(2, 'Ningbo Ports Trading Ltd.'),
      fromOwner: brief(huHz),
      fromTerritory: hangzhou,
      toOwner: brief(wangNb),
      toTerritory: ningbo,
      rule: { id: uuid(703), name: 'Everything else' },
    },
    {
      customer: account(3, 'West Lake Machinery Ltd.'),
      fromOwner: brief(eveEast),
      fromTerritory: ningbo,
      toOwner: brief(wangHz),
      toTerritory: hangzhou,
      rule: { id: uuid(701), name: 'Zhejiang manufacturers' },
    },
  ],
};

const job = (status: string, done: number, moved = 0) => ({
  id: 'set-by-each-test',
  status,
  total: 3,
  done,
  moved,
  error: null,
  ruleSetVersion: 12,
  startedAt: '2026-12-01T08:00:00.000Z',
  finishedAt: status === 'RUNNING' ? null : '2026-12-01T08:00:09.000Z',
});

/** Holds the apply's answer back until the test releases it, as the real one is held while the accounts move. */
function holdApply(api: ReturnType<typeof fakeApi>) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const sent: Record<string, any>[] = [];
  const fetch = (async (url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { operationName: string; variables: Record<string, any> };
    if (body.operationName === 'AdminApplyRealignment') {
      sent.push(body.variables);
      await released;
    }
    return api.fetch(url, init);
  }) as typeof globalThis.fetch;
  return { api: { ...api, fetch }, release, sent };
}

async function previewAndApply(reason: string) {
  fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
  await screen.findByTestId('realignment-total');
  fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
  const dialog = await screen.findByRole('dialog', { name: 'Apply the realignment?' });
  const apply = within(dialog).getByRole('button', { name: 'Apply' });
  fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason' }), { target: { value: 'abc' } });
  expect(apply).toBeDisabled();
  fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason' }), { target: { value: reason } });
  fireEvent.click(apply);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Opens an autocomplete of the dialog and answers the texts of its options. */
async function openOptions(input: HTMLElement): Promise<string[]> {
  fireEvent.mouseDown(input);
  await waitFor(() => expect(screen.queryAllByRole('option').length).toBeGreaterThan(0));
  return screen.getAllByRole('option').map((option) => option.textContent ?? '');
}

function chooseOption(text: string | RegExp) {
  fireEvent.click(
    screen
      .getAllByRole('option')
      .find((option) => (typeof text === 'string' ? option.textContent === text : text.test(option.textContent ?? '')))!,
  );
}

/** Types free-text values into a chip input, each entered with Enter. */
function typeValues(input: HTMLElement, values: string[]) {
  for (const value of values) {
    fireEvent.change(input, { target: { value } });
    fireEvent.keyDown(input, { key: 'Enter' });
  }
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
  it("creates a rule from the dialog, offering only owners who may own the territory's accounts", async () => {
    signInAs('ADMIN');
    let current = rules();
    const api = fakeApi({
      ...baseHandlers(),
      AdminAssignmentRules: () => ({ assignmentRules: current }),
      AdminCreateAssignmentRule: (variables) => {
        const owner = users.find((candidate) => candidate.id === variables.input.ownerId) ?? null;
        const created = rule(4, 8, variables.input.name, ningbo, owner, variables.input);
        current = [...current, created];
        return { createAssignmentRule: created };
      },
    });
    renderConsole('/assignmentRules', api);
    await screen.findByTestId('rule-table');
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    const dialog = await screen.findByRole('dialog', { name: 'New assignment rule' });
    const save = within(dialog).getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled();
    // No territory yet: no owner to choose.
    expect(within(dialog).getByRole('combobox', { name: 'Owner (optional)' })).toBeDisabled();

    fireEvent.change(within(dialog).getByRole('textbox', { name: /^Name/ }), { target: { value: '  Ningbo retail ' } });
    typeValues(within(dialog).getByRole('combobox', { name: 'Provinces' }), ['Zhejiang']);
    typeValues(within(dialog).getByRole('combobox', { name: 'Cities' }), ['Ningbo', 'Cixi']);
    typeValues(within(dialog).getByRole('combobox', { name: 'Industries' }), ['Retail']);
    const sizes = within(dialog).getByRole('combobox', { name: 'Size bands' });
    expect(await openOptions(sizes)).toEqual(['Micro', 'Small', 'Medium', 'Large', 'Enterprise']);
    chooseOption('Small');
    chooseOption('Medium');
    fireEvent.keyDown(sizes, { key: 'Escape' });
    const channels = within(dialog).getByRole('combobox', { name: 'Source channels' });
    await openOptions(channels);
    chooseOption('Web');
    fireEvent.keyDown(channels, { key: 'Escape' });

    const territory = within(dialog).getByRole('combobox', { name: /^Territory/ });
    expect(await openOptions(territory)).toEqual([
      'East › Zhejiang › Hangzhou',
      'East › Zhejiang › Ningbo',
      'South › Guangdong › Guangzhou',
    ]);
    chooseOption('East › Zhejiang › Ningbo');
    const owner = within(dialog).getByRole('combobox', { name: 'Owner (optional)' });
    await waitFor(() => expect(owner).toBeEnabled());
    // Ningbo's rep and the manager of East; not Hangzhou's Wang Wei, not the manager of South.
    await waitFor(async () =>
      expect(await openOptions(owner)).toEqual(['Eve Eastmanager.east@test.local · East', 'Wang Weiwang.nb@test.local · Ningbo']),
    );
    chooseOption(/wang\.nb@test\.local/);
    expect(within(dialog).getByText('wang.nb@test.local · Ningbo')).toBeInTheDocument();

    fireEvent.click(save);
    await screen.findByText('Rule added at the end of the list');
    const create = api.calls.find((call) => call.operationName === 'AdminCreateAssignmentRule')!;
    expect(create.variables).toEqual({
      input: {
        name: 'Ningbo retail',
        provinces: ['Zhejiang'],
        cities: ['Ningbo', 'Cixi'],
        industries: ['Retail'],
        sizeBands: ['SMALL', 'MEDIUM'],
        sourceChannels: ['WEB'],
        territoryId: ningbo.id,
        ownerId: wangNb.id,
      },
    });
    // The list reloads with the new rule last.
    await waitFor(() => expect(screen.getByTestId('rule-4')).toHaveTextContent('Ningbo retail'));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('edits a rule with its version, and a stale version shows the conflict notice', async () => {
    signInAs('ADMIN');
    const api = fakeApi({
      ...baseHandlers(),
      AdminAssignmentRules: () => ({ assignmentRules: rules() }),
      AdminUpdateAssignmentRule: () => ({
        errors: [
          {
            message: 'AssignmentRule was changed by someone else; reload it (current version 4)',
            path: ['updateAssignmentRule'],
            extensions: { code: 'CONFLICT', currentVersion: 4 },
          },
        ],
      }),
    });
    renderConsole('/assignmentRules', api);
    const second = await screen.findByTestId('rule-2');
    fireEvent.click(within(second).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit the rule Web leads in Guangzhou' });
    // The form opens on the rule as it is.
    expect(within(dialog).getByText('Guangzhou')).toBeInTheDocument();
    expect(within(dialog).getByText('Web')).toBeInTheDocument();
    await waitFor(() => expect(within(dialog).getByRole('combobox', { name: /^Territory/ })).toHaveValue('South › Guangdong › Guangzhou'));
    fireEvent.change(within(dialog).getByRole('textbox', { name: /^Name/ }), { target: { value: 'Guangzhou web leads' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await screen.findByTestId('conflict-notification')).toHaveTextContent(
      'Someone else changed this record while you were editing it (now version 4).',
    );
    const update = api.calls.find((call) => call.operationName === 'AdminUpdateAssignmentRule')!;
    expect(update.variables).toEqual({
      id: uuid(702),
      input: {
        name: 'Guangzhou web leads',
        provinces: [],
        cities: ['Guangzhou'],
        industries: [],
        sizeBands: [],
        sourceChannels: ['WEB'],
        territoryId: guangzhou.id,
        ownerId: null,
        version: 1,
      },
    });
  });

  it('moves a rule with its version and the rank it goes to, and deletes one after confirmation', async () => {
    signInAs('ADMIN');
    const api = fakeApi({
      ...baseHandlers(),
      AdminAssignmentRules: () => ({ assignmentRules: rules() }),
      AdminMoveAssignmentRule: (variables) => ({ moveAssignmentRule: { ...rules()[1]!, version: 2, id: variables.input.id } }),
      AdminDeleteAssignmentRule: () => ({ deleteAssignmentRule: true }),
    });
    renderConsole('/assignmentRules', api);
    const second = await screen.findByTestId('rule-2');
    await waitFor(() => expect(within(second).getByRole('button', { name: 'Move Web leads in Guangzhou up' })).toBeEnabled());
    fireEvent.click(within(second).getByRole('button', { name: 'Move Web leads in Guangzhou up' }));
    await screen.findByText('Rule moved');
    expect(api.calls.find((call) => call.operationName === 'AdminMoveAssignmentRule')!.variables).toEqual({
      input: { id: uuid(702), version: 1, rank: 1 },
    });

    fireEvent.click(within(screen.getByTestId('rule-3')).getByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete the rule Everything else?' });
    expect(api.operations()).not.toContain('AdminDeleteAssignmentRule');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await screen.findByText('Rule deleted');
    expect(api.calls.find((call) => call.operationName === 'AdminDeleteAssignmentRule')!.variables).toEqual({ id: uuid(703), version: 1 });
  });

  it("shows a manager the rules of other regions read-only, and the API's refusal in the console's words", async () => {
    signInAs('MANAGER');
    const api = fakeApi({
      ...baseHandlers('MANAGER'),
      AdminAssignmentRules: () => ({ assignmentRules: rules() }),
      AdminUpdateAssignmentRule: () => ({
        errors: [
          {
            message: 'The owner must be an active rep of the territory or a manager of its region',
            path: ['updateAssignmentRule'],
            extensions: { code: 'BAD_USER_INPUT', field: 'ownerId' },
          },
        ],
      }),
    });
    renderConsole('/assignmentRules', api);
    const second = await screen.findByTestId('rule-2');
    // Guangzhou lies in South: not this manager's to change, nor to move past.
    await waitFor(() => expect(second).toHaveTextContent('Outside your regions: an admin changes it.'));
    expect(within(second).queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument();
    const first = screen.getByTestId('rule-1');
    expect(within(first).getByRole('button', { name: 'Move Zhejiang manufacturers down' })).toBeDisabled();
    fireEvent.click(within(first).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog');
    // The territory picker offers the manager's regions only.
    expect(await openOptions(within(dialog).getByRole('combobox', { name: /^Territory/ }))).toEqual([
      'East › Zhejiang › Hangzhou',
      'East › Zhejiang › Ningbo',
    ]);
    fireEvent.keyDown(within(dialog).getByRole('combobox', { name: /^Territory/ }), { key: 'Escape' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(dialog).findByText('The owner must be an active rep of the territory or a manager of its region.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/^The owner must be an active rep of the territory or a manager of its region$/)).not.toBeInTheDocument();
  });
});

describe('realignment', () => {
  it('previews the counts per new territory and owner, the accounts that would move, and those that would not', async () => {
    signInAs('ADMIN');
    const api = fakeApi({
      ...baseHandlers(),
      AdminAssignmentRules: () => ({ assignmentRules: rules() }),
      AdminRealignmentPreview: () => ({ realignmentPreview: plan }),
    });
    renderConsole('/assignmentRules', api);
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    expect(await screen.findByTestId('realignment-total')).toHaveTextContent('3 accounts would move');
    expect(api.calls.find((call) => call.operationName === 'AdminRealignmentPreview')!.variables).toEqual({ sampleSize: 25 });
    expect(screen.getByTestId('chart-realignment')).toHaveTextContent('Accounts per new territory and owner');

    const groups = within(screen.getByTestId('realignment-groups')).getAllByRole('row').slice(1);
    expect(groups.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent))).toEqual([
      ['Ningbo', 'Wang Weiwang.nb@test.local', '2'],
      ['Hangzhou', 'Wang Weiwang.hz@test.local', '1'],
    ]);
    const sample = within(screen.getByTestId('realignment-sample')).getAllByRole('row').slice(1);
    expect(sample.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent))).toEqual([
      ['Cixi Hardware Co., Ltd.', 'Hu HangzhouHangzhou', 'Wang WeiNingbo', 'Everything else'],
      ['Ningbo Ports Trading Ltd.', 'Hu HangzhouHangzhou', 'Wang WeiNingbo', 'Everything else'],
      ['West Lake Machinery Ltd.', 'Eve EastNingbo', 'Wang WeiHangzhou', 'Zhejiang manufacturers'],
    ]);
    const notMoved = screen.getByTestId('realignment-not-moved');
    expect(notMoved).toHaveTextContent('2 accounts whose owner does not work in the rule’s territory: give the rule an owner');
    // An admin's preview has no accounts outside their regions: that reason is not listed.
    expect(notMoved).not.toHaveTextContent('outside');
    expect(screen.getByTestId('realignment-panel').textContent).not.toMatch(/0000-4000/);
    // Nothing was applied by previewing.
    expect(api.operations()).not.toContain('AdminApplyRealignment');
  });

  it('applies the previewed plan under a job id of its own and follows its progress until DONE', async () => {
    signInAs('ADMIN');
    const answers = [job('RUNNING', 1), job('RUNNING', 2), job('DONE', 3, 3)];
    const fake = fakeApi({
      ...baseHandlers(),
      AdminAssignmentRules: () => ({ assignmentRules: rules() }),
      AdminRealignmentPreview: () => ({ realignmentPreview: plan }),
      AdminRealignment: (variables) => ({ realignment: { ...(answers.length > 1 ? answers.shift()! : answers[0]!), id: variables.id } }),
      AdminApplyRealignment: (variables) => ({ applyRealignment: { ...job('DONE', 3, 3), id: variables.input.jobId } }),
    });
    const { api, release, sent } = holdApply(fake);
    renderConsole('/assignmentRules', api);
    await previewAndApply('Redrawing Zhejiang');

    await waitFor(() => expect(sent).toHaveLength(1));
    const input = sent[0]!.input;
    expect(input).toEqual({ ruleSetVersion: 12, digest: 'digest-12-a', reason: 'Redrawing Zhejiang', jobId: expect.stringMatching(UUID) });
    // While the apply runs, the job's row says how far it got.
    const progress = await screen.findByTestId('realignment-progress');
    await waitFor(() => expect(progress).toHaveTextContent('1 of 3 accounts handled'));
    expect(within(progress).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '33');
    await waitFor(() => expect(screen.getByTestId('realignment-progress')).toHaveTextContent('2 of 3 accounts handled'));
    expect(await screen.findByTestId('realignment-result')).toHaveTextContent('Realignment done: 3 accounts moved.');
    const polls = fake.calls.filter((call) => call.operationName === 'AdminRealignment');
    expect(polls.length).toBe(3);
    expect(polls.every((call) => call.variables.id === input.jobId)).toBe(true);
    // DONE ends the polling, even before the apply's own answer arrives.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.calls.filter((call) => call.operationName === 'AdminRealignment')).toHaveLength(3);
    release();
    await waitFor(() => expect(fake.operations()).toContain('AdminApplyRealignment'));
    expect(screen.getByTestId('realignment-result')).toHaveTextContent('Realignment done: 3 accounts moved.');
    // This preview is spent: it no longer shows, and applying again needs a new one.
    expect(screen.queryByTestId('realignment-total')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
  });

  it('follows the job to FAILED when the apply ends in an error, and says nothing moved', async () => {
    signInAs('ADMIN');
    const answers = [job('RUNNING', 1), { ...job('FAILED', 1), error: 'The realignment failed and was rolled back, no account moved' }];
    const api = fakeApi({
      ...baseHandlers(),
      AdminAssignmentRules: () => ({ assignmentRules: rules() }),
      AdminRealignmentPreview: () => ({ realignmentPreview: plan }),
      AdminRealignment: (variables) => ({ realignment: { ...(answers.length > 1 ? answers.shift()! : answers[0]!), id: variables.id } }),
      AdminApplyRealignment: () => ({
        errors: [{ message: 'Unexpected error', path: ['applyRealignment'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      }),
    });
    renderConsole('/assignmentRules', api);
    await previewAndApply('Redrawing Zhejiang');
    await waitFor(() =>
      expect(screen.getByTestId('realignment-result')).toHaveTextContent(
        'The realignment failed and was rolled back: no account moved. Preview again and retry.',
      ),
    );
    const polls = api.calls.filter((call) => call.operationName === 'AdminRealignment');
    expect(polls.length).toBe(2);
    // The server's own sentence is not shown.
    expect(screen.queryByText(/no account moved$/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Preview again' })).toBeEnabled();
  });

  it('asks to preview again when the rules changed since the preview', async () => {
    signInAs('ADMIN');
    const api = fakeApi({
      ...baseHandlers(),
      AdminAssignmentRules: () => ({ assignmentRules: rules() }),
      AdminRealignmentPreview: () => ({ realignmentPreview: plan }),
      AdminRealignment: () => ({ realignment: null }),
      AdminApplyRealignment: () => ({
        errors: [
          {
            message: 'The rules changed since the preview; preview again',
            path: ['applyRealignment'],
            extensions: { code: 'CONFLICT', field: 'ruleSetVersion', currentVersion: 13 },
          },
        ],
      }),
    });
    renderConsole('/assignmentRules', api);
    await previewAndApply('Redrawing Zhejiang');
    const stale = await screen.findByTestId('realignment-stale');
    expect(stale).toHaveTextContent('The rules or the accounts changed since this preview. Preview again before applying.');
    // Not the record-conflict notice, and not the API's own sentence.
    expect(screen.queryByTestId('conflict-notification')).not.toBeInTheDocument();
    expect(screen.queryByText(/preview again$/)).not.toBeInTheDocument();
    expect(screen.queryByTestId('realignment-progress')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();

    fireEvent.click(within(stale).getByRole('button', { name: 'Preview again' }));
    await waitFor(() => expect(api.operations().filter((name) => name === 'AdminRealignmentPreview')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('realignment-stale')).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled();
  });

  it('reads in Simplified Chinese', async () => {
    signInAs('ADMIN');
    localStorage.setItem('RaStore.locale', JSON.stringify('zh'));
    const api = fakeApi({
      ...baseHandlers(),
      AdminAssignmentRules: () => ({ assignmentRules: rules() }),
      AdminRealignmentPreview: () => ({ realignmentPreview: plan }),
    });
    renderConsole('/assignmentRules', api);
    const table = await screen.findByTestId('rule-table');
    expect(within(table).getByRole('columnheader', { name: '条件' })).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: '分配到' })).toBeInTheDocument();
    const first = within(table).getByTestId('rule-1');
    expect(first).toHaveTextContent('行业为Manufacturing或Machinery');
    expect(first).toHaveTextContent('规模为大型或特大型');
    await waitFor(() => expect(first).toHaveTextContent('华东 › 浙江 › 杭州'));
    expect(within(table).getByTestId('rule-2')).toHaveTextContent('来源渠道为网站');
    expect(within(table).getByTestId('rule-2')).toHaveTextContent('创建人的默认负责人');
    expect(within(table).getByTestId('rule-3')).toHaveTextContent('所有客户');
    expect(screen.getByRole('button', { name: '添加规则' })).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: '预览' }));
    expect(await screen.findByTestId('realignment-total')).toHaveTextContent('将移动 3 个客户');
    expect(screen.getByTestId('realignment-groups')).toHaveTextContent('宁波');
    expect(screen.getByTestId('realignment-not-moved')).toHaveTextContent('2 个客户的负责人不在规则的区域工作：请为该规则指定负责人');
    expect(screen.getByRole('button', { name: '应用' })).toBeEnabled();
    expect(screen.queryByText('Preview')).not.toBeInTheDocument();
  });
});
