import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const SET = `mutation ($input: SetTargetInput!) { setTarget(input: $input) { id newCustomers revenue periodStart periodEnd region { code } user { name } } }`;
const REPORT = `query ($periodStart: String!, $periodEnd: String!, $regionId: ID) {
  targetsReport(periodStart: $periodStart, periodEnd: $periodEnd, regionId: $regionId) {
    nodes { region { code } parentId planRolledUp newCustomers { plan actual attainment } revenue { plan actual attainment } }
    users { user { name } newCustomers { plan actual attainment } revenue { plan actual attainment } }
  }
}`;
const YEAR = { periodStart: '2025-01-01', periodEnd: '2025-12-31' };

const set = (who: Principal, input: Record<string, unknown>) => t.gqlAs(who, SET, { input: { ...YEAR, ...input } });

async function report(who: Principal, regionId?: string) {
  const { data, errors } = await t.gqlAs(who, REPORT, { ...YEAR, regionId });
  expect(errors).toBeUndefined();
  const nodes = Object.fromEntries(data!.targetsReport.nodes.map((node: any) => [node.region.code, node]));
  const users = Object.fromEntries(data!.targetsReport.users.map((row: any) => [row.user.name, row]));
  return { nodes, users };
}

describe('setting targets', () => {
  it('checks the node, the period and the figures, naming the field', async () => {
    const { regions, users } = t.baseline;
    const cases: [Record<string, unknown>, string][] = [
      [{ newCustomers: 1, revenue: '1.00' }, 'regionId'],
      [{ regionId: regions.east.id, territoryId: regions.hangzhou.id, newCustomers: 1, revenue: '1.00' }, 'territoryId'],
      [{ territoryId: regions.zhejiang.id, newCustomers: 1, revenue: '1.00' }, 'territoryId'],
      [{ regionId: regions.hangzhou.id, newCustomers: 1, revenue: '1.00' }, 'regionId'],
      [{ userId: users.managerEast.id, newCustomers: 1, revenue: '1.00' }, 'userId'],
      [{ regionId: regions.east.id, periodStart: '2025-12-31', periodEnd: '2025-01-01', newCustomers: 1, revenue: '1.00' }, 'periodEnd'],
      [{ regionId: regions.east.id, newCustomers: -1, revenue: '1.00' }, 'newCustomers'],
      [{ regionId: regions.east.id, newCustomers: 1, revenue: '-1.00' }, 'revenue'],
      [{ regionId: regions.east.id, newCustomers: 1, revenue: '1.001' }, 'revenue'],
    ];
    for (const [input, field] of cases) {
      const { errors } = await set('admin', input);
      expect(errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('lets admins plan any node, managers their regions, reps nothing; setting again replaces', async () => {
    const { regions, users } = t.baseline;
    const east = await set('admin', { regionId: regions.east.id, newCustomers: 10, revenue: '5000.00' });
    expect(east.errors).toBeUndefined();
    expect(east.data!.setTarget).toMatchObject({ newCustomers: 10, revenue: '5000.00', region: { code: 'EAST' }, user: null, ...YEAR });
    expect(
      (await set('repHangzhou', { territoryId: regions.hangzhou.id, newCustomers: 1, revenue: '1.00' })).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await set('managerSouth', { territoryId: regions.hangzhou.id, newCustomers: 1, revenue: '1.00' })).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await set('managerSouth', { userId: users.repHangzhou.id, newCustomers: 1, revenue: '1.00' })).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');

    const first = await set('managerEast', { territoryId: regions.hangzhou.id, newCustomers: 4, revenue: '1000.00' });
    const again = await set('managerEast', { territoryId: regions.hangzhou.id, newCustomers: 5, revenue: '1000.00' });
    expect(again.data!.setTarget.id).toBe(first.data!.setTarget.id);
    expect(again.data!.setTarget.newCustomers).toBe(5);
    expect((await set('managerEast', { territoryId: regions.ningbo.id, newCustomers: 2, revenue: '400.00' })).errors).toBeUndefined();
    expect((await set('managerEast', { userId: users.repHangzhou.id, newCustomers: 2, revenue: '500.00' })).data!.setTarget.user).toEqual({
      name: 'Hu Hangzhou',
    });
    // A quarterly target counts toward the year.
    expect(
      (
        await t.gqlAs('admin', SET, {
          input: { regionId: regions.south.id, periodStart: '2025-01-01', periodEnd: '2025-03-31', newCustomers: 6, revenue: '600.00' },
        })
      ).errors,
    ).toBeUndefined();
  });
});

describe('the targets report', () => {
  it('compares plan with actual per node, rolled up through the tree, and per rep', async () => {
    const { nodes, users } = await report('admin');
    // Baseline: 3 customers per rep created in January 2025, each with two confirmed orders of 200.
    expect(nodes.EAST).toMatchObject({
      planRolledUp: false,
      newCustomers: { plan: 10, actual: 9, attainment: 0.9 },
      revenue: { plan: '5000.00', actual: '3600.00', attainment: 0.72 },
    });
    expect(nodes.ZJ).toMatchObject({
      planRolledUp: true,
      newCustomers: { plan: 7, actual: 9 },
      revenue: { plan: '1400.00', actual: '3600.00' },
    });
    expect(nodes.HZ).toMatchObject({
      newCustomers: { plan: 5, actual: 6, attainment: 1.2 },
      revenue: { plan: '1000.00', actual: '2400.00', attainment: 2.4 },
    });
    expect(nodes.NB).toMatchObject({
      newCustomers: { plan: 2, actual: 3, attainment: 1.5 },
      revenue: { plan: '400.00', actual: '1200.00', attainment: 3 },
    });
    expect(nodes.SOUTH).toMatchObject({
      planRolledUp: false,
      newCustomers: { plan: 6, actual: 3, attainment: 0.5 },
      revenue: { plan: '600.00', actual: '1200.00', attainment: 2 },
    });
    expect(nodes.GD).toMatchObject({
      newCustomers: { plan: null, actual: 3, attainment: null },
      revenue: { plan: null, actual: '1200.00' },
    });
    expect(users['Hu Hangzhou']).toMatchObject({
      newCustomers: { plan: 2, actual: 3, attainment: 1.5 },
      revenue: { plan: '500.00', actual: '1200.00', attainment: 2.4 },
    });
    expect(users['Guo Guangzhou']).toMatchObject({ newCustomers: { plan: null, actual: 3 } });
  });

  it('shows each viewer only what they may see', async () => {
    const manager = await report('managerEast');
    expect(Object.keys(manager.nodes).sort()).toEqual(['EAST', 'HZ', 'NB', 'ZJ']);
    expect(Object.keys(manager.users)).not.toContain('Guo Guangzhou');
    const rep = await report('repNingbo');
    expect(Object.keys(rep.nodes)).toEqual(['NB']);
    expect(Object.keys(rep.users)).toEqual(['Ning Ningbo']);
    expect(rep.nodes.NB.newCustomers).toEqual({ plan: 2, actual: 3, attainment: 1.5 });
    const narrowed = await report('admin', t.baseline.regions.zhejiang.id);
    expect(Object.keys(narrowed.nodes).sort()).toEqual(['HZ', 'NB', 'ZJ']);
    const elsewhere = await report('managerSouth', t.baseline.regions.east.id);
    expect(elsewhere.nodes).toEqual({});
  });
});
