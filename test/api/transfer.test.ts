import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer } from '../../api/src/modules/customer/customer.entity.js';
import { normalizeName } from '../../api/src/modules/customer/customer.normalize.js';
import type { Baseline, Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

type Territory = 'hangzhou' | 'ningbo' | 'guangzhou';

const REQUEST = `mutation Request($input: RequestTransferInput!) {
  requestTransfer(input: $input) {
    id version status reason
    customer { id legalName access }
    fromOwner { id } toOwner { id } fromTerritory { code } toTerritory { code } requestedBy { id } decidedBy { id }
  }
}`;
const APPROVE = `mutation Approve($id: ID!, $version: Int!, $comment: String) {
  approveTransfer(id: $id, version: $version, comment: $comment) { id version status decidedAt decisionComment decidedBy { id } customer { id access owner { id } territory { code } } }
}`;
const REJECT = `mutation Reject($id: ID!, $version: Int!, $comment: String!) {
  rejectTransfer(id: $id, version: $version, comment: $comment) { id version status decisionComment decidedBy { id } }
}`;
const CANCEL = `mutation Cancel($id: ID!, $version: Int!) { cancelTransfer(id: $id, version: $version) { id version status } }`;
const LIST = `query List($first: Int, $after: String, $filter: TransferRequestFilter) {
  transferRequests(first: $first, after: $after, filter: $filter) { totalCount edges { cursor node { id status customer { id } } } pageInfo { hasNextPage endCursor } }
}`;
const ONE = `query One($id: ID!) { transferRequest(id: $id) { id status } }`;
const CUSTOMER = `query Customer($id: ID!) { customer(id: $id) { id version notes access owner { id } territory { code } } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id version notes } }`;
const HISTORY = `query History($id: ID!) { customer(id: $id) { id ownershipHistory { validFrom validTo reason owner { id } territory { code } changedBy { id } } } }`;
const REASSIGN = `mutation Reassign($input: ReassignCustomersInput!, $first: Int) {
  reassignCustomers(input: $input) { count skipped elapsedMs customers(first: $first) { id owner { id } territory { code } } }
}`;

const users = () => t.baseline.users;
const regions = (): Baseline['regions'] => t.baseline.regions;
const id = (who: Principal) => t.baseline.users[who].id;

/** A fresh account, so each test starts from a known owner and territory. */
async function newCustomer(owner: Principal, territory: Territory, notes = 'original notes'): Promise<string> {
  const em = t.orm.em.fork();
  const legalName = `Transfer Test ${randomUUID().slice(0, 8)} Co.`;
  const customer = em.create(Customer, {
    legalName,
    normalizedName: normalizeName(legalName),
    territory: regions()[territory].id,
    owner: users()[owner].id,
    notes,
  });
  await em.flush();
  return customer.id;
}

async function request(who: Principal, input: Record<string, unknown>) {
  const result = await t.gqlAs(who, REQUEST, { input: { reason: 'Working with them already', ...input } });
  return result;
}

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

const countRequests = async () => (await sql<{ n: number }>('select count(*)::int as n from transfer_request'))[0]!.n;

describe('requestTransfer', () => {
  it('lets a rep ask for an account they see only as a directory card, defaulting owner and territory to theirs', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const { data, errors } = await request('repNingbo', { customerId });
    expect(errors).toBeUndefined();
    const created = data!.requestTransfer;
    expect(created).toMatchObject({
      status: 'PENDING',
      version: 1,
      customer: { id: customerId, access: 'DIRECTORY' },
      fromOwner: { id: id('repHangzhou') },
      toOwner: { id: id('repNingbo') },
      fromTerritory: { code: 'HZ' },
      toTerritory: { code: 'NB' },
      requestedBy: { id: id('repNingbo') },
      decidedBy: null,
    });
    const [audit] = await sql(
      `select action, actor_id, region_paths from audit_event where entity_id = ? and action = 'TRANSFER_REQUESTED'`,
      [created.id],
    );
    expect(audit).toMatchObject({ actor_id: id('repNingbo'), region_paths: ['EAST/ZJ/HZ', 'EAST/ZJ/NB'] });
  });

  it('allows one pending request per account and requester (CONFLICT), even when sent concurrently', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const results = await Promise.all([1, 2, 3].map(() => request('repGuangzhou', { customerId })));
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    for (const failed of results.filter((result) => result.errors))
      expect(failed.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT' });
    // Another requester may still ask.
    expect((await request('repNingbo', { customerId })).errors).toBeUndefined();
  });

  it('lets managers and admins file on behalf of someone else; reps only for themselves', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const byManager = await request('managerEast', { customerId, toOwnerId: id('repNingbo') });
    expect(byManager.errors).toBeUndefined();
    expect(byManager.data!.requestTransfer).toMatchObject({
      toOwner: { id: id('repNingbo') },
      toTerritory: { code: 'NB' },
      requestedBy: { id: id('managerEast') },
    });
    const byAdmin = await request('admin', { customerId, toOwnerId: id('repHangzhou2') });
    expect(byAdmin.errors).toBeUndefined();
    const before = await countRequests();
    const forOther = await request('repNingbo', { customerId, toOwnerId: id('repGuangzhou') });
    expect(forOther.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'toOwnerId' });
    expect(await countRequests()).toBe(before);
  });

  it('rejects bad input naming the field, and writes nothing', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const before = await countRequests();
    const cases: [Principal, Record<string, unknown>, string][] = [
      ['repNingbo', { customerId, reason: 'abc' }, 'reason'],
      ['repNingbo', { customerId, reason: 'x'.repeat(2001) }, 'reason'],
      ['repNingbo', { customerId, reason: '     ' }, 'reason'],
      ['repNingbo', { customerId: 'nope' }, 'customerId'],
      ['repNingbo', { customerId, toTerritoryId: regions().zhejiang.id }, 'toTerritoryId'],
      ['repNingbo', { customerId, toTerritoryId: regions().hangzhou.id }, 'toOwnerId'],
      ['repHangzhou', { customerId }, 'toOwnerId'],
      ['admin', { customerId, toOwnerId: id('admin') }, 'toTerritoryId'],
    ];
    for (const [who, input, field] of cases) {
      const { errors } = await request(who, input);
      expect(errors?.[0]?.extensions, `${who} ${JSON.stringify(input).slice(0, 80)}`).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await countRequests()).toBe(before);
  });

  describe('without a named territory', () => {
    const move = async (who: Principal, customerId: string, input: Record<string, unknown> = {}) => {
      const { data, errors } = await request(who, { customerId, ...input });
      return errors ? { error: errors[0]!.extensions } : { toTerritory: data!.requestTransfer.toTerritory.code as string };
    };

    it('keeps the account in its territory when the new owner works there, even with several territories', async () => {
      // Ning works in Ningbo and, for this test, Hangzhou too.
      await sql('insert into user_territory (user_id, region_id) values (?, ?)', [id('repNingbo'), regions().hangzhou.id]);
      try {
        expect(await move('repNingbo', await newCustomer('repHangzhou', 'hangzhou'))).toEqual({ toTerritory: 'HZ' });
        expect(await move('repNingbo', await newCustomer('repHangzhou', 'ningbo'))).toEqual({ toTerritory: 'NB' });
        // Elsewhere, a rep of several territories must choose one of them.
        const guangzhou = await newCustomer('repGuangzhou', 'guangzhou');
        const before = await countRequests();
        expect(await move('repNingbo', guangzhou)).toEqual({
          error: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'toTerritoryId' }),
        });
        expect(await countRequests()).toBe(before);
        expect(await move('repNingbo', guangzhou, { toTerritoryId: regions().hangzhou.id })).toEqual({ toTerritory: 'HZ' });
      } finally {
        await sql('delete from user_territory where user_id = ? and region_id = ?', [id('repNingbo'), regions().hangzhou.id]);
      }
    });

    it("moves it to the new owner's only territory otherwise", async () => {
      expect(await move('repGuangzhou', await newCustomer('repHangzhou', 'hangzhou'))).toEqual({ toTerritory: 'GZ' });
      // Sam manages South, whose only territory is Guangzhou.
      expect(await move('managerSouth', await newCustomer('repHangzhou', 'hangzhou'))).toEqual({ toTerritory: 'GZ' });
    });

    it('treats a manager as working in every territory below their regions', async () => {
      expect(await move('managerEast', await newCustomer('repHangzhou', 'hangzhou'))).toEqual({ toTerritory: 'HZ' });
      expect(await move('admin', await newCustomer('repHangzhou', 'ningbo'), { toOwnerId: id('managerEast') })).toEqual({
        toTerritory: 'NB',
      });
      // East has two territories, neither of them Guangzhou's.
      expect(await move('managerEast', await newCustomer('repGuangzhou', 'guangzhou'))).toEqual({
        error: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'toTerritoryId' }),
      });
    });
  });

  it('answers NOT_FOUND for an unknown account, UNAUTHENTICATED without a token', async () => {
    const unknown = await request('repNingbo', { customerId: randomUUID() });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const anonymous = await request(null as unknown as Principal, { customerId: randomUUID() });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('who sees transfer requests', () => {
  it('scopes lists and single reads: admins all, managers their regions, reps their own and their accounts', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const created = (await request('repNingbo', { customerId })).data!.requestTransfer;
    const sees = async (who: Principal) => {
      const list = await t.gqlAs(who, LIST, { first: 100, filter: { customerId } });
      expect(list.errors).toBeUndefined();
      const one = await t.gqlAs(who, ONE, { id: created.id });
      const inList = list.data!.transferRequests.edges.some((edge: any) => edge.node.id === created.id);
      expect(Boolean(one.data!.transferRequest)).toBe(inList);
      return inList;
    };
    expect(await sees('admin')).toBe(true);
    expect(await sees('managerEast')).toBe(true);
    expect(await sees('repNingbo')).toBe(true);
    expect(await sees('repHangzhou')).toBe(true);
    expect(await sees('managerSouth')).toBe(false);
    expect(await sees('repGuangzhou')).toBe(false);
    expect(await sees('repHangzhou2')).toBe(false);
  });

  it('filters by status and mine, and pages newest first', async () => {
    const mine = await t.gqlAs('repNingbo', LIST, { first: 100, filter: { mine: true, status: 'PENDING' } });
    expect(mine.errors).toBeUndefined();
    const all = mine.data!.transferRequests;
    expect(all.totalCount).toBeGreaterThanOrEqual(2);
    const page1 = await t.gqlAs('repNingbo', LIST, { first: 1, filter: { mine: true, status: 'PENDING' } });
    const page2 = await t.gqlAs('repNingbo', LIST, {
      first: 1,
      after: page1.data!.transferRequests.pageInfo.endCursor,
      filter: { mine: true, status: 'PENDING' },
    });
    expect([page1.data!.transferRequests.edges[0].node.id, page2.data!.transferRequests.edges[0].node.id]).toEqual(
      all.edges.slice(0, 2).map((edge: any) => edge.node.id),
    );
    const badId = await t.gqlAs('admin', LIST, { filter: { customerId: 'x' } });
    expect(badId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.customerId' });
  });

  it('is batched: the same statements for 2 requests and for 10', async () => {
    const query = `query ($first: Int) { transferRequests(first: $first) { edges { node { id customer { id legalName } fromOwner { id } toOwner { id } fromTerritory { id } toTerritory { id } requestedBy { id } decidedBy { id } } } } }`;
    const page = (first: number) =>
      t.countSql(async () => {
        const { data, errors } = await t.gqlAs('repNingbo', query, { first });
        expect(errors).toBeUndefined();
        // Ningbo's requests so far are for Hangzhou accounts: directory cards, through the second loader.
        expect(data!.transferRequests.edges.length).toBeGreaterThan(1);
        expect(data!.transferRequests.edges.every((edge: any) => edge.node.customer.legalName)).toBe(true);
      });
    expect(await page(2)).toBe(await page(10));
  });

  it('requires a signed-in user', async () => {
    const anonymous = await t.gqlAs(null, ONE, { id: randomUUID() });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('approveTransfer', () => {
  it('moves owner and territory in one transaction, with history, version bump and audit', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const before = (await t.gqlAs('admin', CUSTOMER, { id: customerId })).data!.customer;
    const created = (await request('repNingbo', { customerId, reason: 'Their buyer moved to Ningbo' })).data!.requestTransfer;

    const { data, errors } = await t.gqlAs('managerEast', APPROVE, { id: created.id, version: created.version, comment: 'Agreed with Hu' });
    expect(errors).toBeUndefined();
    expect(data!.approveTransfer).toMatchObject({
      status: 'APPROVED',
      version: created.version + 1,
      decisionComment: 'Agreed with Hu',
      decidedBy: { id: id('managerEast') },
      customer: { id: customerId, access: 'EDIT', owner: { id: id('repNingbo') }, territory: { code: 'NB' } },
    });
    expect(data!.approveTransfer.decidedAt).toBeTruthy();

    const after = (await t.gqlAs('admin', CUSTOMER, { id: customerId })).data!.customer;
    expect(after.version).toBe(before.version + 1);
    expect(after.notes).toBe(before.notes);
    // The new owner now reads the account in full; the old one only as a directory card.
    expect((await t.gqlAs('repNingbo', CUSTOMER, { id: customerId })).data!.customer).toMatchObject({
      access: 'EDIT',
      notes: before.notes,
    });
    const old = await t.gqlAs('repHangzhou', CUSTOMER, { id: customerId });
    expect(old.data!.customer).toMatchObject({ access: 'DIRECTORY', notes: null });

    const history = await t.gqlAs('repNingbo', HISTORY, { id: customerId });
    expect(history.errors).toBeUndefined();
    const periods = history.data!.customer.ownershipHistory;
    expect(periods).toHaveLength(2);
    expect(periods[0]).toMatchObject({ owner: { id: id('repHangzhou') }, territory: { code: 'HZ' } });
    expect(periods[0].validTo).toBeTruthy();
    expect(periods[1]).toMatchObject({
      owner: { id: id('repNingbo') },
      territory: { code: 'NB' },
      validTo: null,
      changedBy: { id: id('managerEast') },
    });
    expect(periods[1].reason).toContain('Their buyer moved to Ningbo');

    const [directory] = await sql('select owner_id, territory_id from customer_directory where customer_id = ?', [customerId]);
    expect(directory).toEqual({ owner_id: id('repNingbo'), territory_id: regions().ningbo.id });
    const audit = await sql(`select action, entity_type, before, after, reason from audit_event where entity_id in (?, ?) order by id`, [
      customerId,
      created.id,
    ]);
    expect(audit.map((row) => row.action)).toEqual(['TRANSFER_REQUESTED', 'CUSTOMER_TRANSFERRED', 'TRANSFER_APPROVED']);
    expect(audit[1]).toMatchObject({
      entity_type: 'Customer',
      before: { ownerId: id('repHangzhou'), territoryId: regions().hangzhou.id },
      after: { ownerId: id('repNingbo'), territoryId: regions().ningbo.id },
    });
    // The change reason does not leak into the rest of the session.
    const [setting] = await sql(`select coalesce(current_setting('app.change_reason', true), '') as reason`);
    expect(setting!.reason).toBe('');
  });

  it('is decided by admins or by managers of both territories: FORBIDDEN for others who see it, NOT_FOUND for those who do not', async () => {
    const customerId = await newCustomer('repHangzhou2', 'hangzhou');
    const crossRegion = (await request('repGuangzhou', { customerId })).data!.requestTransfer;
    for (const who of ['managerEast', 'managerSouth', 'repGuangzhou', 'repHangzhou2'] as Principal[]) {
      const { errors } = await t.gqlAs(who, APPROVE, { id: crossRegion.id, version: crossRegion.version });
      expect(errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
    }
    const local = (await request('repNingbo', { customerId })).data!.requestTransfer;
    for (const [who, code] of [
      ['managerSouth', 'NOT_FOUND'],
      ['repNingbo', 'FORBIDDEN'],
      ['repHangzhou', 'FORBIDDEN'],
    ] as [Principal, string][]) {
      const { errors } = await t.gqlAs(who, APPROVE, { id: local.id, version: local.version });
      expect(errors?.[0]?.extensions?.code, who).toBe(code);
    }
    const unknown = await t.gqlAs('admin', APPROVE, { id: randomUUID(), version: 1 });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Nothing moved.
    expect((await t.gqlAs('admin', CUSTOMER, { id: customerId })).data!.customer.owner.id).toBe(id('repHangzhou2'));

    const approved = await t.gqlAs('admin', APPROVE, { id: crossRegion.id, version: crossRegion.version });
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveTransfer.customer).toMatchObject({ owner: { id: id('repGuangzhou') }, territory: { code: 'GZ' } });
    // The other request was filed against the old owner: approving it now is a CONFLICT.
    const stale = await t.gqlAs('admin', APPROVE, { id: local.id, version: local.version });
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('fails with CONFLICT on a stale version or a decided request', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const created = (await request('repNingbo', { customerId })).data!.requestTransfer;
    const stale = await t.gqlAs('managerEast', APPROVE, { id: created.id, version: created.version + 1 });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: created.version });
    const ok = await t.gqlAs('managerEast', APPROVE, { id: created.id, version: created.version });
    expect(ok.errors).toBeUndefined();
    const again = await t.gqlAs('managerEast', APPROVE, { id: created.id, version: ok.data!.approveTransfer.version });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', status: 'APPROVED' });
  });
});

describe('transfer racing a profile edit', () => {
  it('an edit that commits first survives the transfer', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const created = (await request('repNingbo', { customerId })).data!.requestTransfer;
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('select id from customer where id = $1 for update', [customerId]);
      const approval = t.gqlAs('managerEast', APPROVE, { id: created.id, version: created.version });
      // The approval waits on the row lock while the edit lands.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await client.query(`update customer set notes = 'edited meanwhile', version = version + 1 where id = $1`, [customerId]);
      await client.query('commit');
      const { errors } = await approval;
      expect(errors).toBeUndefined();
    } finally {
      await client.end();
    }
    const after = (await t.gqlAs('admin', CUSTOMER, { id: customerId })).data!.customer;
    expect(after).toMatchObject({ notes: 'edited meanwhile', owner: { id: id('repNingbo') }, territory: { code: 'NB' } });
  });

  it('an edit based on the version before the transfer fails with CONFLICT', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const version = (await t.gqlAs('admin', CUSTOMER, { id: customerId })).data!.customer.version;
    const created = (await request('repNingbo', { customerId })).data!.requestTransfer;
    expect((await t.gqlAs('managerEast', APPROVE, { id: created.id, version: created.version })).errors).toBeUndefined();
    const edit = await t.gqlAs('admin', UPDATE, { id: customerId, input: { version, notes: 'stale edit' } });
    expect(edit.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: version + 1 });
    expect((await t.gqlAs('admin', CUSTOMER, { id: customerId })).data!.customer.notes).toBe('original notes');
  });

  it('concurrent approval and edit end consistent: one owner, and the edit either kept or refused', async () => {
    for (let round = 0; round < 6; round += 1) {
      const customerId = await newCustomer('repHangzhou', 'hangzhou');
      const version = (await t.gqlAs('admin', CUSTOMER, { id: customerId })).data!.customer.version;
      const created = (await request('repNingbo', { customerId })).data!.requestTransfer;
      const [approval, edit] = await Promise.all([
        t.gqlAs('managerEast', APPROVE, { id: created.id, version: created.version }),
        t.gqlAs('admin', UPDATE, { id: customerId, input: { version, notes: `edit ${round}` } }),
      ]);
      expect(approval.errors).toBeUndefined();
      const after = (await t.gqlAs('admin', CUSTOMER, { id: customerId })).data!.customer;
      expect(after.owner.id).toBe(id('repNingbo'));
      if (edit.errors) {
        expect(edit.errors[0]!.extensions?.code).toBe('CONFLICT');
        expect(after.notes).toBe('original notes');
        expect(after.version).toBe(version + 1);
      } else {
        expect(after.notes).toBe(`edit ${round}`);
        expect(after.version).toBe(version + 2);
      }
      const open = await sql<{ n: number }>('select count(*)::int as n from ownership_history where customer_id = ? and valid_to is null', [
        customerId,
      ]);
      expect(open[0]!.n).toBe(1);
    }
  });
});

describe('rejectTransfer and cancelTransfer', () => {
  it('rejects with a required comment, by a decider only', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const created = (await request('repNingbo', { customerId })).data!.requestTransfer;
    for (const comment of ['', '   ', 'x'.repeat(2001)]) {
      const { errors } = await t.gqlAs('managerEast', REJECT, { id: created.id, version: created.version, comment });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
    }
    expect(
      (await t.gqlAs('repNingbo', REJECT, { id: created.id, version: created.version, comment: 'no' })).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await t.gqlAs('managerSouth', REJECT, { id: created.id, version: created.version, comment: 'no' })).errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
    const { data, errors } = await t.gqlAs('managerEast', REJECT, {
      id: created.id,
      version: created.version,
      comment: 'Hu has an open deal with them',
    });
    expect(errors).toBeUndefined();
    expect(data!.rejectTransfer).toMatchObject({
      status: 'REJECTED',
      decisionComment: 'Hu has an open deal with them',
      decidedBy: { id: id('managerEast') },
    });
    expect((await t.gqlAs('admin', CUSTOMER, { id: customerId })).data!.customer.owner.id).toBe(id('repHangzhou'));
    const [audit] = await sql(`select reason from audit_event where entity_id = ? and action = 'TRANSFER_REJECTED'`, [created.id]);
    expect(audit!.reason).toBe('Hu has an open deal with them');
    // Once closed, a new request may be filed.
    expect((await request('repNingbo', { customerId })).errors).toBeUndefined();
  });

  it('is cancelled by its requester only', async () => {
    const customerId = await newCustomer('repHangzhou', 'hangzhou');
    const created = (await request('repNingbo', { customerId })).data!.requestTransfer;
    expect((await t.gqlAs('repHangzhou', CANCEL, { id: created.id, version: created.version })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await t.gqlAs('managerEast', CANCEL, { id: created.id, version: created.version })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await t.gqlAs('repGuangzhou', CANCEL, { id: created.id, version: created.version })).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
    const { data, errors } = await t.gqlAs('repNingbo', CANCEL, { id: created.id, version: created.version });
    expect(errors).toBeUndefined();
    expect(data!.cancelTransfer).toMatchObject({ status: 'CANCELLED', version: created.version + 1 });
    const again = await t.gqlAs('repNingbo', CANCEL, { id: created.id, version: created.version + 1 });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', status: 'CANCELLED' });
  });
});

describe('Customer.ownershipHistory', () => {
  it('is readable only where the profile is', async () => {
    const customerId = t.baseline.customers[0]!.id;
    const owner = await t.gqlAs('repHangzhou', HISTORY, { id: customerId });
    expect(owner.errors).toBeUndefined();
    expect(owner.data!.customer.ownershipHistory).toHaveLength(1);
    const outsider = await t.gqlAs('repGuangzhou', HISTORY, { id: customerId });
    expect(outsider.data!.customer.ownershipHistory).toBeNull();
    expect(outsider.errors?.[0]).toMatchObject({ path: ['customer', 'ownershipHistory'], extensions: { code: 'FORBIDDEN' } });
    const otherManager = await t.gqlAs('managerSouth', HISTORY, { id: customerId });
    expect(otherManager.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('is batched: one statement per relation whatever the page size', async () => {
    const query = `query ($first: Int) { customers(first: $first) { edges { node { id ownershipHistory { owner { id } territory { id } changedBy { id } } } } } }`;
    const page = (first: number) =>
      t.countSql(async () => {
        const { errors } = await t.gqlAs('admin', query, { first });
        expect(errors).toBeUndefined();
      });
    expect(await page(3)).toBe(await page(20));
  });
});

describe('reassignCustomers', () => {
  it('moves every account of an owner, set-based, with history and one audit event per account', async () => {
    const moved = [await newCustomer('repHangzhou2', 'hangzhou'), await newCustomer('repHangzhou2', 'hangzhou')];
    const untouched = await newCustomer('repHangzhou', 'hangzhou');
    const owned = (await sql<{ id: string }>('select id from customer where owner_id = ? order by id', [id('repHangzhou2')])).map(
      (row) => row.id,
    );
    expect(owned).toEqual(expect.arrayContaining(moved));
    const { data, errors } = await t.gqlAs('admin', REASSIGN, {
      input: { fromOwnerId: id('repHangzhou2'), toOwnerId: id('repHangzhou'), reason: 'Han leaves the company' },
      first: 100,
    });
    expect(errors).toBeUndefined();
    expect(data!.reassignCustomers).toMatchObject({ count: owned.length, skipped: 0 });
    expect(data!.reassignCustomers.customers.map((row: any) => row.id)).toEqual(owned);
    expect(data!.reassignCustomers.customers.every((row: any) => row.owner.id === id('repHangzhou') && row.territory.code === 'HZ')).toBe(
      true,
    );

    const [left] = await sql<{ n: number }>('select count(*)::int as n from customer where owner_id = ?', [id('repHangzhou2')]);
    expect(left!.n).toBe(0);
    const [directory] = await sql<{ n: number }>('select count(*)::int as n from customer_directory where owner_id = ?', [
      id('repHangzhou2'),
    ]);
    expect(directory!.n).toBe(0);
    const history = await sql(`select reason, changed_by_id from ownership_history where customer_id = ? and valid_to is null`, [moved[0]]);
    expect(history).toEqual([{ reason: 'Bulk reassignment: Han leaves the company', changed_by_id: id('admin') }]);
    const [events] = await sql<{ n: number }>(
      `select count(*)::int as n from audit_event where action = 'CUSTOMER_REASSIGNED' and entity_id = any(?::uuid[])`,
      [`{${owned.join(',')}}`],
    );
    expect(events!.n).toBe(owned.length);
    const [summary] = await sql(
      `select after, region_paths from audit_event where action = 'CUSTOMERS_BULK_REASSIGNED' order by id desc limit 1`,
    );
    expect(summary).toMatchObject({ after: { count: owned.length, toOwnerId: id('repHangzhou') }, region_paths: ['EAST/ZJ/HZ'] });
    const customer = (await t.gqlAs('admin', CUSTOMER, { id: untouched })).data!.customer;
    expect(customer.owner.id).toBe(id('repHangzhou'));

    // Asking again moves nothing: the accounts already have that owner.
    const again = await t.gqlAs('admin', REASSIGN, {
      input: { customerIds: moved, toOwnerId: id('repHangzhou'), reason: 'Han leaves the company' },
    });
    expect(again.data!.reassignCustomers).toMatchObject({ count: 0, skipped: 2 });
  });

  it('lets managers move accounts within their regions only', async () => {
    const a = await newCustomer('repHangzhou', 'hangzhou');
    const b = await newCustomer('repHangzhou', 'hangzhou');
    const south = await newCustomer('repGuangzhou', 'guangzhou');
    const ok = await t.gqlAs('managerEast', REASSIGN, {
      input: { customerIds: [a, b], toOwnerId: id('repNingbo'), toTerritoryId: regions().ningbo.id, reason: 'Rebalancing Zhejiang' },
    });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.reassignCustomers.count).toBe(2);

    const outside = await t.gqlAs('managerEast', REASSIGN, {
      input: {
        customerIds: [a, south],
        toOwnerId: id('repHangzhou'),
        toTerritoryId: regions().hangzhou.id,
        reason: 'Rebalancing Zhejiang',
      },
    });
    // The refusal names the accounts at fault and their territories, so the console can list them.
    const [southCard] = await sql<{ legal_name: string }>('select legal_name from customer where id = ?', [south]);
    expect(outside.errors?.[0]?.extensions).toEqual({
      code: 'FORBIDDEN',
      field: 'customerIds',
      count: 1,
      customers: [{ id: south, legalName: southCard!.legal_name }],
      territories: [{ id: regions().guangzhou.id, name: 'Guangzhou' }],
    });
    const intoSouth = await t.gqlAs('managerEast', REASSIGN, {
      input: { customerIds: [a], toOwnerId: id('repGuangzhou'), toTerritoryId: regions().guangzhou.id, reason: 'Rebalancing Zhejiang' },
    });
    expect(intoSouth.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'toTerritoryId' });
    const byOwner = await t.gqlAs('managerSouth', REASSIGN, {
      input: {
        fromOwnerId: id('repNingbo'),
        toOwnerId: id('repGuangzhou'),
        toTerritoryId: regions().guangzhou.id,
        reason: 'Not my region',
      },
    });
    expect(byOwner.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'fromOwnerId' });
    for (const who of ['repHangzhou', 'repGuangzhou'] as Principal[]) {
      const { errors } = await t.gqlAs(who, REASSIGN, { input: { customerIds: [a], toOwnerId: id(who), reason: 'I want it please' } });
      expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const state = await sql('select id, owner_id from customer where id = any(?::uuid[]) order by id', [`{${a},${south}}`]);
    expect(Object.fromEntries(state.map((row) => [row.id, row.owner_id]))).toEqual({ [a]: id('repNingbo'), [south]: id('repGuangzhou') });
  });

  it('a refusal by owner neither counts nor names another region’s archived accounts', async () => {
    const live = await newCustomer('repNingbo', 'ningbo');
    const archived = await newCustomer('repNingbo', 'ningbo');
    await sql('update customer set archived_at = now() where id = ?', [archived]);
    // What the manager may read of repNingbo's accounts: the live directory cards (docs/permissions.md).
    const cards = await sql<{ id: string }>('select id from customer where owner_id = ? and archived_at is null', [id('repNingbo')]);
    const refused = await t.gqlAs('managerSouth', REASSIGN, {
      input: {
        fromOwnerId: id('repNingbo'),
        toOwnerId: id('repGuangzhou'),
        toTerritoryId: regions().guangzhou.id,
        reason: 'Probing the refusal',
      },
    });
    const extensions = refused.errors?.[0]?.extensions as { code: string; count: number; customers: { id: string }[] };
    expect(extensions).toMatchObject({ code: 'FORBIDDEN', field: 'fromOwnerId', count: cards.length });
    expect(extensions.customers.map((customer) => customer.id)).toContain(live);
    expect(extensions.customers.map((customer) => customer.id)).not.toContain(archived);
  });

  it('rejects bad input naming the field, and writes nothing', async () => {
    const a = await newCustomer('repHangzhou', 'hangzhou');
    // Refusals themselves are audited (MUTATION_DENIED); nothing else may be written.
    const [before] = await sql<{ n: number }>(`select count(*)::int as n from audit_event where action <> 'MUTATION_DENIED'`);
    const base = { customerIds: [a], toOwnerId: id('repNingbo'), toTerritoryId: regions().ningbo.id, reason: 'Rebalancing Zhejiang' };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...base, customerIds: undefined }, 'BAD_USER_INPUT', 'customerIds'],
      [{ ...base, customerIds: Array.from({ length: 10_001 }, () => randomUUID()) }, 'BAD_USER_INPUT', 'customerIds'],
      [{ ...base, customerIds: ['x'] }, 'BAD_USER_INPUT', 'customerIds'],
      [{ ...base, reason: 'no' }, 'BAD_USER_INPUT', 'reason'],
      [{ ...base, toTerritoryId: regions().east.id }, 'BAD_USER_INPUT', 'toTerritoryId'],
      [{ ...base, toTerritoryId: regions().hangzhou.id }, 'BAD_USER_INPUT', 'toOwnerId'],
      [{ ...base, toTerritoryId: undefined }, 'BAD_USER_INPUT', 'toOwnerId'],
      [{ ...base, customerIds: [a, randomUUID()] }, 'NOT_FOUND', ''],
    ];
    for (const [input, code, field] of cases) {
      const { errors } = await t.gqlAs('admin', REASSIGN, { input });
      expect(errors?.[0]?.extensions?.code, JSON.stringify(input).slice(0, 100)).toBe(code);
      if (field) expect(errors?.[0]?.extensions?.field).toBe(field);
    }
    const [after] = await sql<{ n: number }>(`select count(*)::int as n from audit_event where action <> 'MUTATION_DENIED'`);
    expect(after!.n).toBe(before!.n);
    expect((await sql('select owner_id from customer where id = ?', [a]))[0]!.owner_id).toBe(id('repHangzhou'));

    // A new owner who does not work where the accounts go: the refusal names those territories and,
    // when each account keeps its own territory, the accounts lying there.
    const [card] = await sql<{ legal_name: string }>('select legal_name from customer where id = ?', [a]);
    const hangzhou = { id: regions().hangzhou.id, name: 'Hangzhou' };
    const into = await t.gqlAs('admin', REASSIGN, { input: { ...base, toTerritoryId: regions().hangzhou.id } });
    expect(into.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'toOwnerId',
      count: 1,
      customers: [],
      territories: [hangzhou],
    });
    const staying = await t.gqlAs('admin', REASSIGN, { input: { ...base, toTerritoryId: undefined } });
    expect(staying.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'toOwnerId',
      count: 1,
      customers: [{ id: a, legalName: card!.legal_name }],
      territories: [hangzhou],
    });
  });

  it('moves 10 000 accounts in one request, quickly', async () => {
    const em = t.orm.em.fork();
    const connection = em.getConnection();
    await connection.execute(
      `insert into customer (id, legal_name, normalized_name, territory_id, owner_id)
       select gen_random_uuid(), 'Bulk ' || g, 'bulk ' || g, ?, ? from generate_series(1, 10000) g`,
      [regions().guangzhou.id, id('repGuangzhou')],
    );
    // No ANALYZE after the load: the plans must stay linear while statistics lag behind.
    const ids = (await connection.execute<{ id: string }[]>(`select id from customer where legal_name like 'Bulk %'`)).map((row) => row.id);
    expect(ids).toHaveLength(10_000);
    const started = performance.now();
    const { data, errors } = await t.gqlAs('admin', REASSIGN, {
      input: { customerIds: ids, toOwnerId: id('managerSouth'), reason: 'Guo is on leave; Sam covers' },
      first: 1,
    });
    const elapsed = performance.now() - started;
    expect(errors, JSON.stringify(errors)).toBeUndefined();
    expect(data!.reassignCustomers.count).toBe(10_000);
    console.log(
      `reassignCustomers: 10000 accounts in ${Math.round(elapsed)} ms end to end (server ${data!.reassignCustomers.elapsedMs} ms)`,
    );
    expect(elapsed).toBeLessThan(20_000);
    const all = `{${ids.join(',')}}`;
    const [moved] = await connection.execute<{ n: number }[]>(
      'select count(*)::int as n from customer_directory where customer_id = any(?::uuid[]) and owner_id = ?',
      [all, id('managerSouth')],
    );
    expect(moved!.n).toBe(10_000);
    const [periods] = await connection.execute<{ n: number }[]>(
      'select count(*)::int as n from ownership_history where customer_id = any(?::uuid[]) and valid_to is null and owner_id = ?',
      [all, id('managerSouth')],
    );
    expect(periods!.n).toBe(10_000);
    const [audited] = await connection.execute<{ n: number }[]>(
      `select count(*)::int as n from audit_event where action = 'CUSTOMER_REASSIGNED' and entity_id = any(?::uuid[])`,
      [all],
    );
    expect(audited!.n).toBe(10_000);
  });
});
