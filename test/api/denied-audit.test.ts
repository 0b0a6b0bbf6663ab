import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const DENIED_EVENTS = `query ($actorId: ID) { auditEvents(first: 20, filter: { action: "MUTATION_DENIED", actorId: $actorId }) { edges { node { action actorId after } } } }`;

describe('denied mutations', () => {
  it('are audited with the operation and the code, while the mutation itself changed nothing', async () => {
    const foreign = t.baseline.customers.find((customer) => customer.owner.id === t.baseline.users.repGuangzhou.id)!;
    const attempt = await t.gqlAs(
      'repHangzhou',
      `mutation Poach($id: ID!) { updateCustomer(id: $id, input: { version: 1, notes: "mine" }) { id } }`,
      { id: foreign.id },
    );
    expect(attempt.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const forbidden = await t.gqlAs(
      'repHangzhou',
      `mutation MakeRegion { createRegion(input: { code: "X9", name: "X", kind: REGION }) { id } }`,
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const { data, errors } = await t.gqlAs('admin', DENIED_EVENTS, { actorId: t.baseline.users.repHangzhou.id });
    expect(errors).toBeUndefined();
    const events = data!.auditEvents.edges.map((edge: { node: { after: { operation: string; code: string } } }) => edge.node.after);
    expect(events).toEqual(
      expect.arrayContaining([
        { operation: 'Poach', code: 'NOT_FOUND' },
        { operation: 'MakeRegion', code: 'FORBIDDEN' },
      ]),
    );
    const [row] = await t.orm.em
      .fork()
      .getConnection()
      .execute<{ notes: string }[]>('select notes from customer where id = ?', [foreign.id]);
    expect(row!.notes).not.toBe('mine');
  });

  it('are visible to the manager of the actor, not to other managers', async () => {
    const east = await t.gqlAs('managerEast', DENIED_EVENTS, { actorId: t.baseline.users.repHangzhou.id });
    expect(east.data!.auditEvents.edges.length).toBeGreaterThan(0);
    const south = await t.gqlAs('managerSouth', DENIED_EVENTS, { actorId: t.baseline.users.repHangzhou.id });
    expect(south.data!.auditEvents.edges).toHaveLength(0);
  });
});
