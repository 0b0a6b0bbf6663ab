import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLifecycleScheduler } from '../../api/src/modules/lifecycle/lifecycle.scheduler.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;

beforeAll(async () => {
  // The READ opt-in: a territory teammate reads the account but may not change its stage (FORBIDDEN).
  t = await createTestApp({ TERRITORY_ACCESS: 'READ' });
});

afterAll(async () => {
  await t?.close();
});

const CREATE_CUSTOMER = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id lifecycleStage } }`;
const CREATE_ORDER = `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id status version } }`;
const UPDATE_ORDER = `mutation ($id: ID!, $input: UpdateOrderInput!) { updateOrder(id: $id, input: $input) { id status } }`;
const CHANGE = `mutation ($input: ChangeLifecycleStageInput!) {
  changeLifecycleStage(input: $input) { applied transition { fromStage toStage trigger reason actor { name } approver { name } } request { id status fromStage toStage } }
}`;
const APPROVE = `mutation ($requestId: ID!, $comment: String) { approveStageChange(requestId: $requestId, comment: $comment) { id status decidedBy { name } } }`;
const REJECT = `mutation ($requestId: ID!, $comment: String) { rejectStageChange(requestId: $requestId, comment: $comment) { id status decisionComment } }`;
const HISTORY = `query ($id: ID!) { customer(id: $id) { lifecycleStage lifecycleHistory { fromStage toStage trigger reason at actor { name } approver { name } } } }`;
const RUN_CHECK = `mutation { runInactivityCheck { dormant alertsRaised } }`;
const LINES = [{ product: 'Widget', quantity: '1', unitPrice: '100.00' }];

/** A fresh POTENTIAL account of repHangzhou in Hangzhou with no orders. */
async function freshCustomer(owner: Principal = 'repHangzhou'): Promise<string> {
  const territory =
    owner === 'repNingbo'
      ? t.baseline.regions.ningbo
      : owner === 'repGuangzhou'
        ? t.baseline.regions.guangzhou
        : t.baseline.regions.hangzhou;
  const { data, errors } = await t.gqlAs('admin', CREATE_CUSTOMER, {
    input: { legalName: `Lifecycle ${randomUUID().slice(0, 8)} Trading`, territoryId: territory.id, ownerId: t.baseline.users[owner].id },
  });
  expect(errors).toBeUndefined();
  return data!.createCustomer.id;
}

async function history(id: string) {
  const { data, errors } = await t.gqlAs('admin', HISTORY, { id });
  expect(errors).toBeUndefined();
  return data!.customer as {
    lifecycleStage: string;
    lifecycleHistory: {
      fromStage: string;
      toStage: string;
      trigger: string;
      reason: string;
      actor: { name: string } | null;
      approver: { name: string } | null;
    }[];
  };
}

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().getConnection().execute<T[]>(query, params);

describe('automatic transitions on confirmed orders', () => {
  it('moves a customer to FIRST_PURCHASE on the first confirmed order and to REPEAT on the second; quotes do not count', async () => {
    const id = await freshCustomer();
    const quote = await t.gqlAs('repHangzhou', CREATE_ORDER, { input: { customerId: id, lines: LINES } });
    expect(quote.errors).toBeUndefined();
    expect((await history(id)).lifecycleStage).toBe('POTENTIAL');

    const confirmed = await t.gqlAs('repHangzhou', UPDATE_ORDER, {
      id: quote.data!.createOrder.id,
      input: { version: quote.data!.createOrder.version, status: 'CONFIRMED' },
    });
    expect(confirmed.errors).toBeUndefined();
    expect((await history(id)).lifecycleStage).toBe('FIRST_PURCHASE');

    const second = await t.gqlAs('repHangzhou', CREATE_ORDER, { input: { customerId: id, status: 'DELIVERED', lines: LINES } });
    expect(second.errors).toBeUndefined();
    const { lifecycleStage, lifecycleHistory } = await history(id);
    expect(lifecycleStage).toBe('REPEAT');
    expect(lifecycleHistory.map((step) => [step.fromStage, step.toStage, step.trigger, step.actor?.name])).toEqual([
      ['POTENTIAL', 'FIRST_PURCHASE', 'ORDER', 'Hu Hangzhou'],
      ['FIRST_PURCHASE', 'REPEAT', 'ORDER', 'Hu Hangzhou'],
    ]);
    // A third order changes nothing.
    await t.gqlAs('repHangzhou', CREATE_ORDER, { input: { customerId: id, status: 'CONFIRMED', lines: LINES } });
    expect((await history(id)).lifecycleHistory).toHaveLength(2);
  });

  it('counts an automatic stage change as a change of the account: an edit made from before it is a CONFLICT', async () => {
    const id = await freshCustomer();
    const [before] = await sql<{ version: number }>('select version from customer where id = ?', [id]);
    const order = await t.gqlAs('repHangzhou', CREATE_ORDER, { input: { customerId: id, status: 'CONFIRMED', lines: LINES } });
    expect(order.errors).toBeUndefined();
    const [after] = await sql<{ version: number; lifecycle_stage: string }>('select version, lifecycle_stage from customer where id = ?', [
      id,
    ]);
    expect(after).toEqual({ version: before!.version + 1, lifecycle_stage: 'FIRST_PURCHASE' });
    const stale = await t.gqlAs(
      'repHangzhou',
      'mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }',
      {
        id,
        input: { version: before!.version, notes: 'edited from an old copy' },
      },
    );
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: after!.version });
  });

  it('records exactly one transition to each stage when orders are confirmed at the same moment', async () => {
    for (let round = 0; round < 3; round += 1) {
      const id = await freshCustomer();
      const parallel = 2 + round;
      const results = await Promise.all(
        Array.from({ length: parallel }, (_, index) =>
          t.gqlAs('repHangzhou', CREATE_ORDER, {
            input: { customerId: id, status: 'CONFIRMED', number: `LC-${id.slice(0, 8)}-${index}`, lines: LINES },
          }),
        ),
      );
      for (const result of results) expect(result.errors).toBeUndefined();
      const { lifecycleStage, lifecycleHistory } = await history(id);
      expect(lifecycleStage).toBe('REPEAT');
      expect(lifecycleHistory.map((step) => step.toStage)).toEqual(['FIRST_PURCHASE', 'REPEAT']);
    }
  });

  it('lets the database refuse a second identical move: a conditional update only fires from the expected stage', async () => {
    const id = await freshCustomer();
    const [a, b] = await Promise.all(
      [0, 1].map((index) =>
        t.gqlAs('repHangzhou', CREATE_ORDER, {
          input: { customerId: id, status: 'CONFIRMED', number: `LD-${id.slice(0, 8)}-${index}`, lines: LINES },
        }),
      ),
    );
    expect(a!.errors ?? b!.errors).toBeUndefined();
    const [row] = await sql<{ first: number; repeat: number }>(
      `select count(*) filter (where to_stage = 'FIRST_PURCHASE')::int as first, count(*) filter (where to_stage = 'REPEAT')::int as repeat from lifecycle_transition where customer_id = ?`,
      [id],
    );
    expect(row).toEqual({ first: 1, repeat: 1 });
  });
});

describe('manual changes and approval', () => {
  it('lets the owner move one stage forward at once, and turns a backward move into a request a manager of the region approves', async () => {
    const id = await freshCustomer();
    const forward = await t.gqlAs('repHangzhou', CHANGE, { input: { customerId: id, toStage: 'INTENTION', reason: 'Asked for a quote' } });
    expect(forward.errors).toBeUndefined();
    expect(forward.data!.changeLifecycleStage).toMatchObject({
      applied: true,
      request: null,
      transition: { fromStage: 'POTENTIAL', toStage: 'INTENTION', trigger: 'MANUAL', actor: { name: 'Hu Hangzhou' }, approver: null },
    });

    const back = await t.gqlAs('repHangzhou', CHANGE, { input: { customerId: id, toStage: 'POTENTIAL', reason: 'Budget frozen' } });
    expect(back.errors).toBeUndefined();
    expect(back.data!.changeLifecycleStage).toMatchObject({
      applied: false,
      transition: null,
      request: { status: 'PENDING', fromStage: 'INTENTION', toStage: 'POTENTIAL' },
    });
    expect((await history(id)).lifecycleStage).toBe('INTENTION');

    const twice = await t.gqlAs('repHangzhou', CHANGE, { input: { customerId: id, toStage: 'LOST', reason: 'Gone' } });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'customerId' });

    const requestId = back.data!.changeLifecycleStage.request.id;
    // Reps may not decide; to a manager of another region the request does not exist.
    for (const [who, code] of [
      ['repHangzhou', 'FORBIDDEN'],
      ['managerSouth', 'NOT_FOUND'],
    ] as const) {
      const denied = await t.gqlAs(who, APPROVE, { requestId });
      expect(denied.errors?.[0]?.extensions?.code).toBe(code);
    }
    const approved = await t.gqlAs('managerEast', APPROVE, { requestId, comment: 'ok' });
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveStageChange).toMatchObject({ status: 'APPROVED', decidedBy: { name: 'Eve East' } });
    const again = await t.gqlAs('admin', APPROVE, { requestId });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const { lifecycleStage, lifecycleHistory } = await history(id);
    expect(lifecycleStage).toBe('POTENTIAL');
    expect(lifecycleHistory.at(-1)).toMatchObject({
      fromStage: 'INTENTION',
      toStage: 'POTENTIAL',
      trigger: 'MANUAL',
      reason: 'Budget frozen',
      actor: { name: 'Hu Hangzhou' },
      approver: { name: 'Eve East' },
    });
  });

  it('needs approval to skip a stage; a rejection changes nothing; managers and admins change stages directly as approvers', async () => {
    const id = await freshCustomer();
    const skip = await t.gqlAs('repHangzhou', CHANGE, { input: { customerId: id, toStage: 'FIRST_PURCHASE', reason: 'Paid in cash' } });
    expect(skip.data!.changeLifecycleStage.applied).toBe(false);
    const rejected = await t.gqlAs('managerEast', REJECT, {
      requestId: skip.data!.changeLifecycleStage.request.id,
      comment: 'Record the order instead',
    });
    expect(rejected.data!.rejectStageChange).toEqual({
      id: skip.data!.changeLifecycleStage.request.id,
      status: 'REJECTED',
      decisionComment: 'Record the order instead',
    });
    expect((await history(id)).lifecycleHistory).toHaveLength(0);

    const direct = await t.gqlAs('managerEast', CHANGE, { input: { customerId: id, toStage: 'LOST', reason: 'Closed down' } });
    expect(direct.data!.changeLifecycleStage).toMatchObject({
      applied: true,
      transition: { fromStage: 'POTENTIAL', toStage: 'LOST', approver: { name: 'Eve East' } },
    });
  });

  it('refuses an approval after the stage moved since the request', async () => {
    const id = await freshCustomer();
    const request = await t.gqlAs('repHangzhou', CHANGE, { input: { customerId: id, toStage: 'REPEAT', reason: 'Long-standing client' } });
    await t.gqlAs('repHangzhou', CREATE_ORDER, { input: { customerId: id, status: 'CONFIRMED', lines: LINES } });
    const approve = await t.gqlAs('managerEast', APPROVE, { requestId: request.data!.changeLifecycleStage.request.id });
    expect(approve.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentStage: 'FIRST_PURCHASE' });
  });

  it('checks input and who may change the account', async () => {
    const id = await freshCustomer();
    const same = await t.gqlAs('repHangzhou', CHANGE, { input: { customerId: id, toStage: 'POTENTIAL', reason: 'x' } });
    expect(same.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toStage' });
    const blank = await t.gqlAs('repHangzhou', CHANGE, { input: { customerId: id, toStage: 'INTENTION', reason: '   ' } });
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const teammate = await t.gqlAs('repHangzhou2', CHANGE, { input: { customerId: id, toStage: 'INTENTION', reason: 'x' } });
    expect(teammate.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stranger = await t.gqlAs('repNingbo', CHANGE, { input: { customerId: id, toStage: 'INTENTION', reason: 'x' } });
    expect(stranger.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await history(id)).lifecycleHistory).toHaveLength(0);
  });

  it('lists pending requests for the manager of the region, not for another', async () => {
    const id = await freshCustomer();
    await t.gqlAs('repHangzhou', CHANGE, { input: { customerId: id, toStage: 'REPEAT', reason: 'x' } });
    const list = (who: Principal) =>
      t.gqlAs(who, `{ lifecycleChangeRequests(first: 100) { edges { node { customer { id } status requestedBy { name } } } } }`);
    const east = await list('managerEast');
    expect(east.data!.lifecycleChangeRequests.edges.map((edge: any) => edge.node.customer.id)).toContain(id);
    const south = await list('managerSouth');
    expect(south.data!.lifecycleChangeRequests.edges.map((edge: any) => edge.node.customer.id)).not.toContain(id);
  });

  it('shows history as part of the profile: not to those who only see the directory card', async () => {
    const id = t.baseline.customers[0]!.id;
    const { data, errors } = await t.gqlAs('repNingbo', HISTORY, { id });
    expect(data!.customer.lifecycleHistory).toBeNull();
    expect(errors?.find((error) => error.path?.includes('lifecycleHistory'))?.extensions?.code).toBe('FORBIDDEN');
  });

  it('loads history for a page of customers in one statement', async () => {
    const page = (first: number) =>
      t.countSql(async () => {
        const { errors } = await t.gqlAs(
          'admin',
          `query ($first: Int) { customers(first: $first) { edges { node { id lifecycleHistory { toStage actor { name } } } } } }`,
          { first },
        );
        expect(errors).toBeUndefined();
      });
    // Both pages hold customers with transitions (and so actors to load).
    expect(await page(40)).toBe(await page(15));
  });
});

describe('inactivity, SLAs and alerts', () => {
  it('moves customers without an order or interaction for the dormancy period to DORMANT, once, for admins only', async () => {
    expect((await t.gqlAs('managerEast', RUN_CHECK)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await t.gqlAs('managerEast', `mutation { setDormancyPeriod(days: 30) { dormantAfterDays } }`)).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect((await t.gqlAs('admin', `mutation { setDormancyPeriod(days: 0) { dormantAfterDays } }`)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'days',
    });
    const settings = await t.gqlAs('admin', `mutation { setDormancyPeriod(days: 3650) { dormantAfterDays } }`);
    expect(settings.data!.setDormancyPeriod.dormantAfterDays).toBe(3650);
    expect((await t.gqlAs('admin', RUN_CHECK)).data!.runInactivityCheck.dormant).toBe(0);

    await t.gqlAs('admin', `mutation { setDormancyPeriod(days: 180) { dormantAfterDays } }`);
    const fresh = await freshCustomer();
    const first = await t.gqlAs('admin', RUN_CHECK);
    expect(first.errors).toBeUndefined();
    // The baseline's activity is from January 2025; fresh customers were just created.
    expect(first.data!.runInactivityCheck.dormant).toBeGreaterThanOrEqual(10);
    const old = await history(t.baseline.customers[0]!.id);
    expect(old.lifecycleStage).toBe('DORMANT');
    expect(old.lifecycleHistory.at(-1)).toMatchObject({
      fromStage: 'REPEAT',
      toStage: 'DORMANT',
      trigger: 'INACTIVITY',
      actor: null,
      reason: 'No order or interaction for 180 days',
    });
    expect((await history(fresh)).lifecycleStage).toBe('POTENTIAL');
    expect((await t.gqlAs('admin', RUN_CHECK)).data!.runInactivityCheck.dormant).toBe(0);

    // An order ends dormancy: with earlier purchases the customer is a repeat buyer again.
    await t.gqlAs('repHangzhou', CREATE_ORDER, { input: { customerId: t.baseline.customers[0]!.id, status: 'CONFIRMED', lines: LINES } });
    const back = await history(t.baseline.customers[0]!.id);
    expect(back.lifecycleHistory.at(-1)).toMatchObject({ fromStage: 'DORMANT', toStage: 'REPEAT', trigger: 'ORDER' });
  });

  it('raises one alert per customer and stage entry past the SLA, for the owner and their manager', async () => {
    const denied = await t.gqlAs('managerEast', `mutation { setStageSla(stage: POTENTIAL, maxDays: 5) { stage } }`);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await t.gqlAs('admin', `mutation { setStageSla(stage: POTENTIAL, maxDays: 0) { stage } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxDays' });
    const set = await t.gqlAs('admin', `mutation { setStageSla(stage: POTENTIAL, maxDays: 5) { stage maxDays } }`);
    expect(set.data!.setStageSla).toEqual({ stage: 'POTENTIAL', maxDays: 5 });

    const late = await freshCustomer();
    const onTime = await freshCustomer();
    await sql(`update customer set created_at = now() - interval '9 days' where id = ?`, [late]);

    const overdue = async (who: Principal) => {
      const { data, errors } = await t.gqlAs(
        who,
        `{ overdueCustomers(first: 100) { totalCount edges { node { customer { id } stage daysOverdue } } } }`,
      );
      expect(errors).toBeUndefined();
      return data!.overdueCustomers.edges.map((edge: any) => edge.node) as {
        customer: { id: string };
        stage: string;
        daysOverdue: number;
      }[];
    };
    const mine = await overdue('repHangzhou');
    const entry = mine.find((node) => node.customer.id === late);
    expect(entry?.stage).toBe('POTENTIAL');
    expect(entry!.daysOverdue).toBeGreaterThan(3.9);
    expect(mine.map((node) => node.customer.id)).not.toContain(onTime);
    expect((await overdue('repNingbo')).map((node) => node.customer.id)).not.toContain(late);

    const raised = await t.gqlAs('admin', RUN_CHECK);
    expect(raised.data!.runInactivityCheck.alertsRaised).toBeGreaterThanOrEqual(1);
    expect((await t.gqlAs('admin', RUN_CHECK)).data!.runInactivityCheck.alertsRaised).toBe(0);

    const alerts = async (who: Principal) => {
      const { data, errors } = await t.gqlAs(
        who,
        `{ lifecycleAlerts(first: 100) { edges { node { customer { id } stage owner { name } enteredAt dueAt } } } }`,
      );
      expect(errors).toBeUndefined();
      return data!.lifecycleAlerts.edges.map((edge: any) => edge.node).filter((node: any) => node.customer?.id === late);
    };
    expect(await alerts('repHangzhou')).toHaveLength(1);
    expect((await alerts('repHangzhou'))[0]).toMatchObject({ stage: 'POTENTIAL', owner: { name: 'Hu Hangzhou' } });
    expect(await alerts('managerEast')).toHaveLength(1);
    expect(await alerts('managerSouth')).toHaveLength(0);
    expect(await alerts('repHangzhou2')).toHaveLength(0);

    // A new stage entry is a new alert.
    await t.gqlAs('admin', `mutation { setStageSla(stage: INTENTION, maxDays: 1) { stage } }`);
    await t.gqlAs('repHangzhou', CHANGE, { input: { customerId: late, toStage: 'INTENTION', reason: 'Interested' } });
    // The app may not edit transitions; the test does it as the superuser.
    await sql(`update lifecycle_transition set at = now() - interval '3 days' where customer_id = ?`, [late]);
    expect((await t.gqlAs('admin', RUN_CHECK)).data!.runInactivityCheck.alertsRaised).toBe(1);
    await t.gqlAs('admin', `mutation { setStageSla(stage: INTENTION, maxDays: null) { stage } }`);
    const slas = await t.gqlAs('repHangzhou', `{ stageSlas { stage maxDays } lifecycleSettings { dormantAfterDays } }`);
    expect(slas.data).toEqual({ stageSlas: [{ stage: 'POTENTIAL', maxDays: 5 }], lifecycleSettings: { dormantAfterDays: 180 } });
  });

  it('runs the same checks from the in-server scheduler, in its own transactions', async () => {
    const id = await freshCustomer('repGuangzhou');
    await sql(`update customer set created_at = now() - interval '400 days' where id = ?`, [id]);
    await sql(`delete from interaction where customer_id = ?`, [id]);
    const scheduler = startLifecycleScheduler({ orm: t.orm, logger: pino({ level: 'silent' }), initialDelayMs: 3_600_000, batchSize: 2 });
    try {
      const result = await scheduler.runNow();
      expect(result.dormant).toBeGreaterThanOrEqual(1);
      expect((await history(id)).lifecycleStage).toBe('DORMANT');
    } finally {
      await scheduler.stop();
    }
  });
});

describe('funnel', () => {
  const FUNNEL = `query ($regionId: ID, $territoryId: ID, $ownerId: ID) {
    lifecycleFunnel(regionId: $regionId, territoryId: $territoryId, ownerId: $ownerId) { total stages { stage count entered conversionToNext medianDwellDays } }
  }`;

  it('counts the stages of what the viewer may open, with conversion and dwell time from transitions', async () => {
    const admin = await t.gqlAs('admin', FUNNEL, {});
    expect(admin.errors).toBeUndefined();
    const funnel = admin.data!.lifecycleFunnel;
    const [{ total }] = await sql<{ total: number }>('select count(*)::int as total from customer where archived_at is null');
    expect(funnel.total).toBe(total);
    const stages = Object.fromEntries(funnel.stages.map((stage: any) => [stage.stage, stage]));
    const [counts] = await sql<{ repeat: number }>(
      `select count(*) filter (where lifecycle_stage = 'REPEAT')::int as repeat from customer where archived_at is null`,
    );
    expect(stages.REPEAT.count).toBe(counts!.repeat);
    expect(stages.POTENTIAL.conversionToNext).toBeGreaterThan(0);
    expect(stages.POTENTIAL.conversionToNext).toBeLessThanOrEqual(1);
    expect(stages.REPEAT.conversionToNext).toBeNull();
    expect(stages.POTENTIAL.medianDwellDays).toBeGreaterThanOrEqual(0);
  });

  it('gives a rep the funnel of their scope only', async () => {
    const rep = await t.gqlAs('repNingbo', FUNNEL, {});
    expect(rep.errors).toBeUndefined();
    const [{ mine }] = await sql<{ mine: number }>(
      `select count(*)::int as mine from customer where archived_at is null and (owner_id = ? or territory_id = ?)`,
      [t.baseline.users.repNingbo.id, t.baseline.regions.ningbo.id],
    );
    expect(rep.data!.lifecycleFunnel.total).toBe(mine);
    const elsewhere = await t.gqlAs('repNingbo', FUNNEL, { regionId: t.baseline.regions.south.id });
    expect(elsewhere.data!.lifecycleFunnel.total).toBe(0);
    const south = await t.gqlAs('managerSouth', FUNNEL, { ownerId: t.baseline.users.repHangzhou.id });
    expect(south.data!.lifecycleFunnel.total).toBe(0);
    const east = await t.gqlAs('managerEast', FUNNEL, { territoryId: t.baseline.regions.ningbo.id });
    expect(east.data!.lifecycleFunnel.total).toBe(mine);
  });
});
