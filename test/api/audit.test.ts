import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditAction, recordAudit, recordDeniedMutation } from '../../api/src/modules/audit/audit.service.js';
import { subjectForUser } from '../../api/src/modules/access/subject-viewer.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

let t: TestApp;

const EVENTS = `query Events($first: Int, $after: String, $filter: AuditEventFilter) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id at actorKind actorId actorName action entityType entityId regionPaths before after reason } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const REQUEST = `mutation Request($input: RequestTransferInput!) { requestTransfer(input: $input) { id } }`;
const CREATE_KEY = `mutation Create($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`;
const EXPLAIN = `query Explain($customerId: ID!, $userId: ID) {
  explainAccess(customerId: $customerId, userId: $userId) { customerId subjectId level rule reason groups { group fields allowed level rule reason scope } }
}`;

const em = () => t.orm.em.fork() as EntityManager;
const user = (who: Principal) => t.baseline.users[who].id;
const customer = (index: number) => t.baseline.customers[index]!.id;

let southKey: { id: string; secret: string };
let hzRequest: string;
let gzRequest: string;

async function events(who: Principal, variables: Record<string, unknown> = {}) {
  const result = await t.gqlAs(who, EVENTS, { first: 100, ...variables });
  expect(result.errors).toBeUndefined();
  return result.data!.auditEvents as {
    totalCount: number;
    edges: { cursor: string; node: Record<string, any> }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
}

async function asKey(secret: string, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const response = await t.http().post('/graphql').set('authorization', `Bearer ${secret}`).send({ query, variables });
  return { status: response.status, data: response.body?.data ?? null, errors: response.body?.errors, body: response.body };
}

beforeAll(async () => {
  // The READ opt-in, so the explanation has a territory member's rule to name.
  t = await createTestApp({ TERRITORY_ACCESS: 'READ' });
  hzRequest = (await t.gqlAs('repNingbo', REQUEST, { input: { customerId: customer(0), reason: 'Their buyer moved to Ningbo' } })).data!
    .requestTransfer.id;
  gzRequest = (await t.gqlAs('repGuangzhou', REQUEST, { input: { customerId: customer(1), reason: 'They opened a plant in Guangzhou' } }))
    .data!.requestTransfer.id;
  const created = await t.gqlAs('admin', CREATE_KEY, {
    input: { name: 'South BI', kind: 'BI', scopes: ['CUSTOMERS_READ'], territoryIds: [t.baseline.regions.south.id] },
  });
  southKey = { id: created.data!.createApiKey.apiKey.id, secret: created.data!.createApiKey.secret };
  const subject = await subjectForUser(em(), user('repGuangzhou'));
  await recordDeniedMutation(em(), subject!.viewer, 'approveTransfer', 'FORBIDDEN');
});

afterAll(async () => {
  await t?.close();
});

describe('auditEvents', () => {
  it('shows admins every event, newest first', async () => {
    const all = await events('admin');
    expect(all.totalCount).toBe(4);
    expect(all.edges.map((edge) => edge.node.action)).toEqual([
      AuditAction.MUTATION_DENIED,
      AuditAction.API_KEY_CREATED,
      AuditAction.TRANSFER_REQUESTED,
      AuditAction.TRANSFER_REQUESTED,
    ]);
    const denied = all.edges[0]!.node;
    expect(denied).toMatchObject({
      actorKind: 'USER',
      actorId: user('repGuangzhou'),
      actorName: 'Guo Guangzhou',
      regionPaths: ['SOUTH/GD/GZ'],
      after: { operation: 'approveTransfer', code: 'FORBIDDEN' },
    });
    const request = all.edges.find((edge) => edge.node.entityId === hzRequest)!.node;
    expect(request).toMatchObject({
      entityType: 'TransferRequest',
      regionPaths: ['EAST/ZJ/HZ', 'EAST/ZJ/NB'],
      reason: 'Their buyer moved to Ningbo',
      after: { status: 'PENDING' },
    });
  });

  it('shows managers only the events concerning their regions', async () => {
    const east = await events('managerEast');
    expect(east.edges.map((edge) => edge.node.entityId).sort()).toEqual([hzRequest, gzRequest].sort());
    const south = await events('managerSouth');
    expect(south.edges.map((edge) => edge.node.action)).toEqual([
      AuditAction.MUTATION_DENIED,
      AuditAction.API_KEY_CREATED,
      AuditAction.TRANSFER_REQUESTED,
    ]);
    expect(south.edges.map((edge) => edge.node.entityId)).not.toContain(hzRequest);
    expect(south.totalCount).toBe(3);
  });

  it('is FORBIDDEN to reps and API keys, UNAUTHENTICATED without a token', async () => {
    for (const who of ['repHangzhou', 'repGuangzhou'] as Principal[]) {
      expect((await t.gqlAs(who, EVENTS, { first: 1 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await asKey(southKey.secret, EVENTS, { first: 1 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gqlAs(null, '{ auditEvents(first: 1) { totalCount } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('pages on (at desc, id desc) with stable cursors', async () => {
    // Events written in one transaction share their timestamp; the id breaks the tie.
    await recordAudit(em(), null, { action: 'TEST_BATCH', regionPaths: ['EAST'] });
    await em().transactional(async (tx) => {
      for (let i = 0; i < 3; i += 1)
        await recordAudit(tx as EntityManager, null, { action: 'TEST_BATCH', regionPaths: ['EAST/ZJ'], after: { i } });
    });
    const all = await events('admin');
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof events>> = await events('admin', { first: 2, after });
      seen.push(...page.edges.map((edge) => edge.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(Math.ceil(all.totalCount / 2));
    expect(seen).toEqual(all.edges.map((edge) => edge.node.id));
    const keys = all.edges.map((edge) => [Date.parse(edge.node.at), Number(edge.node.id)] as const);
    for (let i = 1; i < keys.length; i += 1) {
      const [at, id] = keys[i]!;
      const [prevAt, prevId] = keys[i - 1]!;
      expect(at < prevAt || (at === prevAt && id < prevId)).toBe(true);
    }
    const batch = await events('managerEast', { filter: { action: 'TEST_BATCH' } });
    expect(batch.edges.map((edge) => edge.node.after?.i ?? null)).toEqual([2, 1, 0, null]);
  });

  it('filters by action, entity, actor and time', async () => {
    expect((await events('admin', { filter: { action: 'API_KEY_CREATED' } })).edges.map((edge) => edge.node.entityId)).toEqual([
      southKey.id,
    ]);
    expect((await events('admin', { filter: { entityType: 'TransferRequest', entityId: gzRequest } })).totalCount).toBe(1);
    expect((await events('admin', { filter: { actorId: user('repNingbo') } })).edges.map((edge) => edge.node.entityId)).toEqual([
      hzRequest,
    ]);
    expect((await events('admin', { filter: { from: new Date(Date.now() + 60_000).toISOString() } })).totalCount).toBe(0);
    expect((await events('admin', { filter: { to: new Date(Date.now() - 3_600_000).toISOString() } })).totalCount).toBe(0);
    const bad = await t.gqlAs('admin', EVENTS, { filter: { entityId: 'x' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.entityId' });
    const badCursor = await t.gqlAs('admin', EVENTS, { after: 'bm9wZQ' });
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('resolves region ids to paths when recording', async () => {
    await recordAudit(em(), null, {
      action: 'TEST_REGIONS',
      regionIds: [t.baseline.regions.ningbo.id, t.baseline.regions.guangzhou.id],
      regionPaths: ['EAST/ZJ/NB'],
    });
    const [event] = (await events('admin', { filter: { action: 'TEST_REGIONS' } })).edges;
    expect(event!.node).toMatchObject({ actorKind: 'ANONYMOUS', actorId: null, regionPaths: ['EAST/ZJ/NB', 'SOUTH/GD/GZ'] });
  });
});

describe('explainAccess', () => {
  type Explanation = {
    customerId: string;
    subjectId: string;
    level: string;
    rule: string;
    reason: string;
    groups: { group: string; fields: string[]; allowed: boolean; level: string; rule: string; reason: string; scope: string | null }[];
  };
  const explain = async (who: Principal, customerId: string, userId?: string) => {
    const result = await t.gqlAs(who, EXPLAIN, { customerId, userId });
    expect(result.errors).toBeUndefined();
    return result.data!.explainAccess as Explanation;
  };
  const allowedGroups = (explanation: Explanation) => explanation.groups.filter((group) => group.allowed).map((group) => group.group);
  const ALL = ['DIRECTORY', 'PROFILE', 'CONTACTS', 'INTERACTIONS', 'ORDERS', 'EVALUATIONS', 'OWNERSHIP'];

  it('names the rule for each kind of principal', async () => {
    const own = await explain('repHangzhou', customer(0));
    expect(own).toMatchObject({ customerId: customer(0), subjectId: user('repHangzhou'), level: 'EDIT', rule: 'OWNER' });
    expect(allowedGroups(own)).toEqual(ALL);
    expect(own.groups.find((group) => group.group === 'PROFILE')!.fields).toContain('notes');

    const colleague = await explain('repHangzhou', customer(3));
    expect(colleague).toMatchObject({ level: 'READ', rule: 'TERRITORY_MEMBER' });
    expect(colleague.reason).toContain('TERRITORY_ACCESS=READ');

    const elsewhere = await explain('repHangzhou', customer(9));
    expect(elsewhere).toMatchObject({ level: 'DIRECTORY', rule: 'DIRECTORY_ONLY' });
    expect(allowedGroups(elsewhere)).toEqual(['DIRECTORY']);
    expect(elsewhere.reason).toContain('Guo Guangzhou');

    expect(await explain('managerEast', customer(6))).toMatchObject({ level: 'EDIT', rule: 'REGION_MANAGER' });
    expect(await explain('managerEast', customer(9))).toMatchObject({ level: 'DIRECTORY', rule: 'DIRECTORY_ONLY' });
    expect(await explain('admin', customer(9))).toMatchObject({ level: 'EDIT', rule: 'ADMIN' });
  });

  it('explains another user for admins only', async () => {
    const forRep = await explain('admin', customer(0), user('repGuangzhou'));
    expect(forRep).toMatchObject({ subjectId: user('repGuangzhou'), level: 'DIRECTORY', rule: 'DIRECTORY_ONLY' });
    expect(await explain('admin', customer(9), user('managerSouth'))).toMatchObject({ rule: 'REGION_MANAGER' });
    expect(await explain('repHangzhou', customer(0), user('repHangzhou'))).toMatchObject({ rule: 'OWNER' });
    for (const who of ['repHangzhou', 'managerEast'] as Principal[]) {
      const { errors } = await t.gqlAs(who, EXPLAIN, { customerId: customer(0), userId: user('repNingbo') });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'userId' });
    }
    await t.orm.em
      .fork()
      .getConnection()
      .execute('update app_user set active = false where id = ?', [user('repNingbo')]);
    try {
      const inactive = await explain('admin', customer(6), user('repNingbo'));
      expect(inactive).toMatchObject({ level: 'NONE', rule: 'INACTIVE_USER' });
      expect(allowedGroups(inactive)).toEqual([]);
    } finally {
      await t.orm.em
        .fork()
        .getConnection()
        .execute('update app_user set active = true where id = ?', [user('repNingbo')]);
    }
  });

  it('answers NOT_FOUND or BAD_USER_INPUT for unknown and malformed ids', async () => {
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ customerId: randomUUID() }, 'NOT_FOUND'],
      [{ customerId: 'x' }, 'BAD_USER_INPUT', 'customerId'],
      [{ customerId: customer(0), userId: randomUUID() }, 'NOT_FOUND'],
      [{ customerId: customer(0), userId: 'x' }, 'BAD_USER_INPUT', 'userId'],
    ];
    for (const [variables, code, field] of cases) {
      const { errors } = await t.gqlAs('admin', EXPLAIN, variables);
      expect(errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe(code);
      if (field) expect(errors?.[0]?.extensions?.field).toBe(field);
    }
  });

  it('explains API keys by territory and scope', async () => {
    const created = await t.gqlAs('admin', CREATE_KEY, {
      input: { name: 'ZJ reader', kind: 'INTEGRATOR', scopes: ['CUSTOMERS_READ'], territoryIds: [t.baseline.regions.zhejiang.id] },
    });
    const secret = created.data!.createApiKey.secret as string;
    const inside = await asKey(secret, EXPLAIN, { customerId: customer(0) });
    expect(inside.errors).toBeUndefined();
    const explanation = inside.data!.explainAccess as Explanation;
    expect(explanation).toMatchObject({ level: 'READ', rule: 'API_KEY_TERRITORY' });
    expect(allowedGroups(explanation)).toEqual(['DIRECTORY', 'PROFILE', 'OWNERSHIP']);
    expect(explanation.groups.find((group) => group.group === 'CONTACTS')).toMatchObject({ allowed: false, scope: 'CONTACTS_READ' });
    expect(explanation.groups.find((group) => group.group === 'CONTACTS')!.reason).toContain('contacts:read');
    expect((await asKey(secret, EXPLAIN, { customerId: customer(9) })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await asKey(secret, EXPLAIN, { customerId: customer(0), userId: user('repHangzhou') })).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      field: 'userId',
    });
  });

  it('agrees with what the API actually returns, group by group', async () => {
    const FIELD_GROUP: Record<string, string> = {
      notes: 'PROFILE',
      contacts: 'CONTACTS',
      interactions: 'INTERACTIONS',
      orders: 'ORDERS',
      evaluations: 'EVALUATIONS',
      ownershipHistory: 'OWNERSHIP',
    };
    const query = `query ($id: ID!) { customer(id: $id) { id legalName notes contacts { id } interactions(first: 1) { totalCount } orders(first: 1) { totalCount } evaluations { id } ownershipHistory { validFrom } } }`;
    for (const who of ['admin', 'managerEast', 'managerSouth', 'repHangzhou', 'repNingbo', 'repGuangzhou'] as Principal[]) {
      for (const index of [0, 3, 6, 9]) {
        const explanation = await explain(who, customer(index));
        const { data, errors } = await t.gqlAs(who, query, { id: customer(index) });
        expect(data!.customer.legalName).toBeTruthy();
        const denied = new Set((errors ?? []).map((error) => FIELD_GROUP[String(error.path?.[1])]));
        for (const group of explanation.groups.filter((entry) => entry.group !== 'DIRECTORY')) {
          expect(!denied.has(group.group), `${who} customer ${index} ${group.group}`).toBe(group.allowed);
        }
      }
    }
  });
});
