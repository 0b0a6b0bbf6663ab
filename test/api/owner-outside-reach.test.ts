import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * Owning does not extend reach (docs/permissions.md, "Access levels"): a rep promoted to manager
 * of another region, and a rep moved to another territory, still own their old accounts, and get
 * only their directory cards — no profile, no children on any path, no evaluation results, no
 * export lines, no personal data.
 */
let t: TestApp;
let cycleId: string;
const owned: Record<'promoted' | 'moved', string[]> = { promoted: [], moved: [] };
const tokens: Record<'promoted' | 'moved', string> = { promoted: '', moved: '' };
const MARK = 'OWNEROUTSIDE';
const MOBILE = '13955550000';

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) => t.orm.em.fork().getConnection().execute<T[]>(text, params);

async function as(who: 'promoted' | 'moved', query: string, variables: Record<string, unknown> = {}) {
  const response = await t.http().post('/graphql').set('authorization', `Bearer ${tokens[who]}`).send({ query, variables });
  expect(response.status).toBe(200);
  return {
    text: response.text,
    data: response.body.data,
    errors: response.body.errors as { path?: (string | number)[]; extensions?: { code?: string } }[] | undefined,
  };
}

async function updateUser(who: Principal, input: Record<string, unknown>): Promise<void> {
  const user = t.baseline.users[who];
  const [{ version }] = await sql<{ version: number }>('select version from app_user where id = ?', [user.id]);
  const { errors } = await t.gqlAs('admin', `mutation ($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }`, {
    id: user.id,
    input: { ...input, version },
  });
  expect(errors).toBeUndefined();
}

async function signIn(email: string): Promise<string> {
  const { data, errors } = await t.gqlAs(
    null,
    `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
    { email, password: PASSWORD },
  );
  expect(errors).toBeUndefined();
  return data!.login.token;
}

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  const { users, regions } = t.baseline;
  owned.promoted = t.baseline.customers.filter((c) => c.owner.id === users.repHangzhou.id).map((c) => c.id);
  owned.moved = t.baseline.customers.filter((c) => c.owner.id === users.repNingbo.id).map((c) => c.id);
  const all = [...owned.promoted, ...owned.moved];
  await sql(`update customer set notes = ? where id = any(?::uuid[])`, [`${MARK} notes`, `{${all.join(',')}}`]);
  await sql(`update contact set mobile = ?, email = ?, im_handles = ? where customer_id = any(?::uuid[])`, [
    MOBILE,
    `${MARK.toLowerCase()}@pii.example`,
    JSON.stringify({ wechat: `${MARK}wx` }),
    `{${all.join(',')}}`,
  ]);
  await sql(`update interaction set summary = ? where customer_id = any(?::uuid[])`, [`${MARK} visit`, `{${all.join(',')}}`]);

  const created = await t.gqlAs('admin', `mutation ($input: CreateEvaluationCycleInput!) { createEvaluationCycle(input: $input) { id } }`, {
    input: {
      name: 'FY2025',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      weights: { purchaseCount: 0.2, purchaseAmount: 0.2, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.2 },
      grades: [{ name: 'A', minScore: 0 }],
    },
  });
  cycleId = created.data!.createEvaluationCycle.id;
  await t.gqlAs('admin', `mutation ($id: ID!) { runEvaluationCycle(id: $id) { status } }`, { id: cycleId });
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const { data } = await t.gqlAs('admin', `query ($id: ID!) { evaluationRun(cycleId: $id) { status } }`, { id: cycleId });
    if (data!.evaluationRun.status === 'DONE') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // The Hangzhou rep becomes the manager of SOUTH (keeping the Hangzhou membership on record);
  // the Ningbo rep moves to Guangzhou. Neither account is reassigned.
  await updateUser('repHangzhou', { role: 'MANAGER', managedRegionIds: [regions.south.id] });
  await updateUser('repNingbo', { territoryIds: [regions.guangzhou.id] });
  tokens.promoted = await signIn('rep.hz@test.local');
  tokens.moved = await signIn('rep.nb@test.local');
});

afterAll(async () => {
  await t?.close();
});

describe.each(['promoted', 'moved'] as const)('a %s rep who still owns accounts outside their reach', (who) => {
  it('gets each of them as a directory card by id, with every other field FORBIDDEN', async () => {
    for (const id of owned[who]) {
      const { text, data, errors } = await as(
        who,
        `query ($id: ID!) { customer(id: $id) { id legalName access owner { id } notes registrationId
        contacts { mobile email } interactions(first: 5) { totalCount } orders(first: 5) { totalCount } evaluations { score } ownershipHistory { id } } }`,
        { id },
      );
      expect(data.customer).toMatchObject({
        id,
        access: 'DIRECTORY',
        notes: null,
        registrationId: null,
        contacts: null,
        interactions: null,
        orders: null,
        evaluations: null,
        ownershipHistory: null,
      });
      expect(errors?.every((error) => error.extensions?.code === 'FORBIDDEN')).toBe(true);
      expect(errors?.map((error) => error.path?.at(-1)).sort()).toEqual([
        'contacts',
        'evaluations',
        'interactions',
        'notes',
        'orders',
        'ownershipHistory',
        'registrationId',
      ]);
      expect(text).not.toContain(MARK);
      expect(text).not.toContain(MOBILE);
    }
  });

  it('does not find them among the accounts they may open, and gets cards in the directory', async () => {
    const accessible = await as(who, `{ customers(first: 100) { totalCount edges { node { id access notes } } } }`);
    expect(accessible.errors).toBeUndefined();
    const ids = accessible.data.customers.edges.map((edge: any) => edge.node.id);
    for (const id of owned[who]) expect(ids).not.toContain(id);
    expect(accessible.data.customers.totalCount).toBe(ids.length);
    expect(accessible.data.customers.edges.every((edge: any) => edge.node.access === 'READ' || edge.node.access === 'EDIT')).toBe(true);
    expect(accessible.text).not.toContain(MARK);
    const directory = await as(who, `{ customers(scope: DIRECTORY, first: 100) { edges { node { id access owner { id } } } } }`);
    expect(directory.errors).toBeUndefined();
    const cards = directory.data.customers.edges.filter((edge: any) => owned[who].includes(edge.node.id));
    expect(cards.map((edge: any) => edge.node.access)).toEqual(owned[who].map(() => 'DIRECTORY'));
  });

  it('sees none of their contacts, interactions, orders or evaluation results in any list', async () => {
    const lists = await as(
      who,
      `query ($cycle: ID!) {
      contacts(first: 100) { totalCount edges { node { customer { id } mobile email } } }
      interactions(first: 100) { totalCount edges { node { customer { id } summary } } }
      orders(first: 100) { totalCount edges { node { customer { id } total } } }
      evaluations(cycleId: $cycle, first: 100) { totalCount edges { node { customer { id } grade } } }
    }`,
      { cycle: cycleId },
    );
    expect(lists.errors).toBeUndefined();
    for (const list of ['contacts', 'interactions', 'orders', 'evaluations']) {
      const customers = lists.data[list].edges.map((edge: any) => edge.node.customer.id);
      for (const id of owned[who]) expect(customers, list).not.toContain(id);
      expect(lists.data[list].totalCount, list).toBe(customers.length);
    }
    expect(lists.text).not.toContain(MARK);
    expect(lists.text).not.toContain(MOBILE);
  });

  it('gets no export line of them', async () => {
    const response = await t
      .http()
      .get('/export/evaluations')
      .query({ cycle: cycleId, format: 'csv' })
      .set('authorization', `Bearer ${tokens[who]}`)
      .buffer(true);
    expect(response.status).toBe(200);
    for (const id of owned[who]) expect(response.text).not.toContain(id);
  });

  it('is explained to an admin as directory-only', async () => {
    const userId = t.baseline.users[who === 'promoted' ? 'repHangzhou' : 'repNingbo'].id;
    const { data, errors } = await t.gqlAs(
      'admin',
      `query ($c: ID!, $u: ID!) { explainAccess(customerId: $c, userId: $u) { level rule groups { group allowed } } }`,
      { c: owned[who][0], u: userId },
    );
    expect(errors).toBeUndefined();
    expect(data!.explainAccess).toMatchObject({ level: 'DIRECTORY', rule: 'DIRECTORY_ONLY' });
    expect(data!.explainAccess.groups.filter((group: any) => group.allowed).map((group: any) => group.group)).toEqual(['DIRECTORY']);
  });

  it('may not change them: NOT_FOUND, and the row stays as it was', async () => {
    const id = owned[who][0]!;
    const { errors } = await as(who, `mutation ($id: ID!) { updateCustomer(id: $id, input: { notes: "mine", version: 1 }) { id } }`, {
      id,
    });
    expect(errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const [row] = await sql<{ notes: string }>('select notes from customer where id = ?', [id]);
    expect(row!.notes).toBe(`${MARK} notes`);
  });
});
