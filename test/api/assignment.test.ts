import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Channel, Customer, SizeBand } from '../../api/src/modules/customer/customer.entity.js';
import { normalizeName } from '../../api/src/modules/customer/customer.normalize.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const RULE_FIELDS = `id version position name provinces cities industries sizeBands sourceChannels territory { id code } owner { id }`;
const RULES = `query { assignmentRules { ${RULE_FIELDS} } }`;
const CREATE_RULE = `mutation ($input: CreateAssignmentRuleInput!) { createAssignmentRule(input: $input) { ${RULE_FIELDS} } }`;
const UPDATE_RULE = `mutation ($id: ID!, $input: UpdateAssignmentRuleInput!) { updateAssignmentRule(id: $id, input: $input) { ${RULE_FIELDS} } }`;
const MOVE_RULE = `mutation ($input: MoveAssignmentRuleInput!) { moveAssignmentRule(input: $input) { ${RULE_FIELDS} } }`;
const DELETE_RULE = `mutation ($id: ID!, $version: Int!) { deleteAssignmentRule(id: $id, version: $version) }`;
const CREATE_CUSTOMER = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id territory { code } owner { id } } }`;
const PREVIEW = `query ($sampleSize: Int) { realignmentPreview(sampleSize: $sampleSize) {
  ruleSetVersion digest total outsideRegions ownerMisfits
  groups { count territory { id } owner { id } }
  sample { customer { id legalName } rule { id } fromTerritory { id } fromOwner { id } toTerritory { id } toOwner { id } }
} }`;
const APPLY = `mutation ($input: ApplyRealignmentInput!) { applyRealignment(input: $input) { id status total done moved ruleSetVersion startedBy { id } finishedAt } }`;
const JOB = `query ($id: ID!) { realignment(id: $id) { id status total done moved error finishedAt } }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;

interface RuleInput {
  name?: string;
  territory: 'hangzhou' | 'ningbo' | 'guangzhou';
  owner?: Principal;
  provinces?: string[];
  cities?: string[];
  industries?: string[];
  sizeBands?: SizeBand[];
  sourceChannels?: Channel[];
}

const uid = (who: Principal) => t.baseline.users[who].id;
const region = (name: RuleInput['territory']) => t.baseline.regions[name];

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

function ruleInput({ territory, owner, name, ...conditions }: RuleInput) {
  return {
    name: name ?? `Rule ${randomUUID().slice(0, 6)}`,
    territoryId: region(territory).id,
    ownerId: owner ? uid(owner) : null,
    ...conditions,
  };
}

async function createRule(who: Principal, rule: RuleInput) {
  const result = await t.gqlAs(who, CREATE_RULE, { input: ruleInput(rule) });
  expect(result.errors).toBeUndefined();
  return result.data!.createAssignmentRule as { id: string; version: number; position: number };
}

async function rules() {
  return (
    await sql<{ id: string; position: number; version: number }>('select id, position, version from assignment_rule order by position')
  ).map((row) => ({ ...row }));
}

const ruleSetVersion = async () => (await sql<{ version: number }>('select version from assignment_rule_set'))[0]!.version;

function codeOf(result: GqlResult) {
  return result.errors?.[0]?.extensions?.code;
}

const name = (label: string) => `${label} ${randomUUID().slice(0, 8)} Co.`;

beforeEach(async () => {
  await sql('delete from assignment_rule');
});

describe('placement of a create without a territory', () => {
  it('takes the first matching rule in order, any case, and the default last', async () => {
    await createRule('admin', { territory: 'ningbo', owner: 'repNingbo', cities: ['  NingBo '] });
    await createRule('admin', { territory: 'hangzhou', owner: 'repHangzhou', industries: ['Retail'] });
    const fallback = await createRule('admin', { territory: 'hangzhou', owner: 'repHangzhou2' });

    const place = async (input: Record<string, unknown>) => {
      const result = await t.gqlAs('admin', CREATE_CUSTOMER, { input: { legalName: name('Placed'), ...input } });
      expect(result.errors).toBeUndefined();
      return result.data!.createCustomer as { territory: { code: string }; owner: { id: string } };
    };
    // Both the first and the second rule match: the first wins.
    expect(await place({ address: { city: 'ningbo' }, industry: 'retail' })).toMatchObject({
      territory: { code: 'NB' },
      owner: { id: uid('repNingbo') },
    });
    expect(await place({ address: { city: 'Hangzhou' }, industry: ' RETAIL ' })).toMatchObject({
      territory: { code: 'HZ' },
      owner: { id: uid('repHangzhou') },
    });
    expect(await place({ industry: 'Mining' })).toMatchObject({ territory: { code: 'HZ' }, owner: { id: uid('repHangzhou2') } });
    // An explicit owner beats the rule's; an explicit territory bypasses the rules.
    expect(await place({ industry: 'Mining', ownerId: uid('repHangzhou') })).toMatchObject({ owner: { id: uid('repHangzhou') } });
    expect(await place({ address: { city: 'Ningbo' }, territoryId: region('guangzhou').id, ownerId: uid('repGuangzhou') })).toMatchObject({
      territory: { code: 'GZ' },
    });

    // The default moved first catches everything.
    const moved = await t.gqlAs('admin', MOVE_RULE, { input: { id: fallback.id, version: fallback.version, rank: 1 } });
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.moveAssignmentRule).toMatchObject({ id: fallback.id, version: fallback.version + 1 });
    expect((await t.gqlAs('admin', RULES)).data!.assignmentRules.map((rule: { id: string }) => rule.id)[0]).toBe(fallback.id);
    expect(await place({ address: { city: 'Ningbo' } })).toMatchObject({ owner: { id: uid('repHangzhou2') } });

    await sql('delete from assignment_rule');
    const before = await sql('select count(*)::int as n from customer');
    const none = await t.gqlAs('admin', CREATE_CUSTOMER, { input: { legalName: name('Nowhere') } });
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'territoryId' });
    expect(await sql('select count(*)::int as n from customer')).toEqual(before);
  });

  it("keeps a rep as the owner of their create: the rule's territory when they work there, else their own", async () => {
    await createRule('admin', { territory: 'hangzhou', cities: ['Hangzhou'] });
    await createRule('admin', { territory: 'hangzhou', owner: 'repHangzhou2', industries: ['Logistics'] });
    const create = async (who: Principal, input: Record<string, unknown>) => {
      const legalName = name('Rep placed');
      return { legalName, result: await t.gqlAs(who, CREATE_CUSTOMER, { input: { legalName, ...input } }) };
    };
    const placed = async (who: Principal, input: Record<string, unknown>) => {
      const { result } = await create(who, input);
      expect(result.errors).toBeUndefined();
      return result.data!.createCustomer as { territory: { code: string }; owner: { id: string } };
    };

    // The rule names another owner: the rep still owns it, in the rule's territory, which is theirs.
    expect(await placed('repHangzhou', { industry: 'logistics' })).toMatchObject({
      territory: { code: 'HZ' },
      owner: { id: uid('repHangzhou') },
    });
    expect(await placed('repHangzhou', { address: { city: 'Hangzhou' } })).toMatchObject({
      territory: { code: 'HZ' },
      owner: { id: uid('repHangzhou') },
    });
    // The rule's territory is not theirs: their only territory, whether the rule names an owner or not.
    expect(await placed('repNingbo', { industry: 'Logistics' })).toMatchObject({
      territory: { code: 'NB' },
      owner: { id: uid('repNingbo') },
    });
    expect(await placed('repNingbo', { address: { city: 'Hangzhou' } })).toMatchObject({
      territory: { code: 'NB' },
      owner: { id: uid('repNingbo') },
    });
    // Managers keep the rule's owner.
    expect(await placed('managerEast', { industry: 'logistics' })).toMatchObject({
      territory: { code: 'HZ' },
      owner: { id: uid('repHangzhou2') },
    });

    // Naming another owner is still refused; so is a rep of several territories, none the rule's, who names none.
    const other = await create('repHangzhou', { industry: 'logistics', ownerId: uid('repHangzhou2') });
    expect(other.result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'ownerId' });
    await sql('insert into user_territory (user_id, region_id) values (?, ?)', [uid('repNingbo'), region('guangzhou').id]);
    try {
      const several = await create('repNingbo', { industry: 'logistics' });
      expect(several.result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'territoryId' });
      expect(await sql('select id from customer where legal_name = ?', [several.legalName])).toEqual([]);
      expect(await placed('repNingbo', { industry: 'logistics', territoryId: region('guangzhou').id })).toMatchObject({
        territory: { code: 'GZ' },
        owner: { id: uid('repNingbo') },
      });
    } finally {
      await sql('delete from user_territory where user_id = ? and region_id = ?', [uid('repNingbo'), region('guangzhou').id]);
    }
    await sql('insert into user_territory (user_id, region_id) values (?, ?)', [uid('repGuangzhou'), region('hangzhou').id]);
    try {
      expect(await placed('repGuangzhou', { industry: 'logistics' })).toMatchObject({
        territory: { code: 'HZ' },
        owner: { id: uid('repGuangzhou') },
      });
    } finally {
      await sql('delete from user_territory where user_id = ? and region_id = ?', [uid('repGuangzhou'), region('hangzhou').id]);
    }
    // A rep of no territory keeps the rule's, which they may not place in.
    await sql('delete from user_territory where user_id = ?', [uid('repNingbo')]);
    try {
      const none = await create('repNingbo', { industry: 'logistics' });
      expect(none.result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'territoryId' });
      expect(await sql('select id from customer where legal_name = ?', [none.legalName])).toEqual([]);
    } finally {
      await sql('insert into user_territory (user_id, region_id) values (?, ?)', [uid('repNingbo'), region('ningbo').id]);
    }
  });

  it('places an API key’s create within its territories and refuses one outside; rules are not for keys', async () => {
    const key = await t.gqlAs('admin', CREATE_KEY, {
      input: { name: 'Web form', kind: 'INTEGRATOR', scopes: ['CUSTOMERS_READ', 'CUSTOMERS_WRITE'], territoryIds: [region('ningbo').id] },
    });
    const secret = key.data!.createApiKey.secret as string;
    const asKey = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await t.http().post('/graphql').set('authorization', `Bearer ${secret}`).send({ query, variables });
      return response.body as GqlResult;
    };
    await createRule('admin', { territory: 'ningbo', owner: 'repNingbo', sourceChannels: [Channel.WEB] });
    await createRule('admin', { territory: 'guangzhou', owner: 'repGuangzhou' });

    const web = await asKey(CREATE_CUSTOMER, { input: { legalName: name('Web lead'), sourceChannel: 'WEB' } });
    expect(web.errors).toBeUndefined();
    expect(web.data!.createCustomer).toMatchObject({ territory: { code: 'NB' }, owner: { id: uid('repNingbo') } });
    const phone = await asKey(CREATE_CUSTOMER, { input: { legalName: name('Phone lead'), sourceChannel: 'PHONE' } });
    expect(phone.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'territoryId' });

    const before = await rules();
    for (const [query, variables] of [
      [RULES, {}],
      [PREVIEW, {}],
      [CREATE_RULE, { input: ruleInput({ territory: 'ningbo' }) }],
      [APPLY, { input: { ruleSetVersion: 0, digest: 'x', reason: 'key tries to realign' } }],
    ] as const) {
      expect(codeOf(await asKey(query, variables))).toBe('FORBIDDEN');
    }
    expect(await rules()).toEqual(before);
  });
});

describe('who may write rules', () => {
  it("accepts as a rule's owner a rep of its territory or a manager of its region, and no one else", async () => {
    const managed = await t.gqlAs('admin', CREATE_RULE, {
      input: ruleInput({ territory: 'ningbo', owner: 'managerEast', industries: ['Ports'] }),
    });
    expect(managed.errors).toBeUndefined();
    expect(managed.data!.createAssignmentRule).toMatchObject({ territory: { code: 'NB' }, owner: { id: uid('managerEast') } });
    const placed = await t.gqlAs('admin', CREATE_CUSTOMER, { input: { legalName: name('Port'), industry: 'ports' } });
    expect(placed.errors).toBeUndefined();
    expect(placed.data!.createCustomer).toMatchObject({ territory: { code: 'NB' }, owner: { id: uid('managerEast') } });

    for (const owner of ['managerSouth', 'repHangzhou'] as const) {
      const refused = await t.gqlAs('admin', CREATE_RULE, { input: ruleInput({ territory: 'ningbo', owner }) });
      expect(refused.errors?.[0]?.extensions, owner).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ownerId' });
    }
  });

  it('lets managers write rules into their regions only, and never reps', async () => {
    const south = await createRule('managerSouth', { territory: 'guangzhou', owner: 'repGuangzhou' });
    const east1 = await createRule('managerEast', { territory: 'hangzhou', owner: 'repHangzhou' });
    const east2 = await createRule('managerEast', { territory: 'ningbo' });
    const before = await rules();
    const version = await ruleSetVersion();

    const refusals: [Principal, string, Record<string, unknown>, string, string?][] = [
      ['managerEast', CREATE_RULE, { input: ruleInput({ territory: 'guangzhou' }) }, 'FORBIDDEN', 'territoryId'],
      ['managerEast', CREATE_RULE, { input: ruleInput({ territory: 'hangzhou', owner: 'repGuangzhou' }) }, 'BAD_USER_INPUT', 'ownerId'],
      ['managerEast', UPDATE_RULE, { id: south.id, input: { version: south.version, name: 'Taken over' } }, 'FORBIDDEN', 'id'],
      [
        'managerEast',
        UPDATE_RULE,
        { id: east1.id, input: { version: east1.version, territoryId: region('guangzhou').id } },
        'FORBIDDEN',
        'territoryId',
      ],
      ['managerEast', DELETE_RULE, { id: south.id, version: south.version }, 'FORBIDDEN', 'id'],
      ['managerEast', MOVE_RULE, { input: { id: east1.id, version: east1.version, rank: 1 } }, 'FORBIDDEN', 'rank'],
      ['managerEast', MOVE_RULE, { input: { id: south.id, version: south.version, rank: 3 } }, 'FORBIDDEN', 'id'],
      ['repHangzhou', CREATE_RULE, { input: ruleInput({ territory: 'hangzhou', owner: 'repHangzhou' }) }, 'FORBIDDEN'],
      ['repHangzhou', RULES, {}, 'FORBIDDEN'],
      ['repHangzhou', PREVIEW, {}, 'FORBIDDEN'],
    ];
    for (const [who, query, variables, code, field] of refusals) {
      const result = await t.gqlAs(who, query, variables);
      expect(result.errors?.[0]?.extensions?.code, `${who} ${query.slice(0, 40)}`).toBe(code);
      if (field) expect(result.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(await rules()).toEqual(before);
    expect(await ruleSetVersion()).toBe(version);

    // Within their regions they may reorder, edit and delete.
    const moved = await t.gqlAs('managerEast', MOVE_RULE, { input: { id: east2.id, version: east2.version, rank: 2 } });
    expect(moved.errors).toBeUndefined();
    expect((await rules()).map((rule) => rule.id)).toEqual([south.id, east2.id, east1.id]);
    const edited = await t.gqlAs('managerEast', UPDATE_RULE, { id: east1.id, input: { version: east1.version, cities: ['Hangzhou'] } });
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.updateAssignmentRule).toMatchObject({ cities: ['hangzhou'], version: east1.version + 1 });
    const stale = await t.gqlAs('managerEast', UPDATE_RULE, { id: east1.id, input: { version: east1.version, name: 'Stale' } });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: east1.version + 1 });
    expect((await t.gqlAs('managerEast', DELETE_RULE, { id: east2.id, version: east2.version + 1 })).data).toEqual({
      deleteAssignmentRule: true,
    });
  });
});

describe('concurrency', () => {
  it('keeps positions unique and gapless under dozens of concurrent creates, and loses no move', async () => {
    const startVersion = await ruleSetVersion();
    const creators: Principal[] = ['admin', 'managerEast', 'managerSouth'];
    const territories: RuleInput['territory'][] = ['hangzhou', 'ningbo', 'guangzhou'];
    const created = await Promise.all(
      Array.from({ length: 36 }, (_, i) => {
        const who = creators[i % 3]!;
        const territory = who === 'managerSouth' ? 'guangzhou' : who === 'managerEast' ? territories[i % 2]! : territories[i % 3]!;
        return t.gqlAs(who, CREATE_RULE, { input: ruleInput({ territory, name: `Concurrent ${i}` }) });
      }),
    );
    expect(created.map((result) => result.errors)).toEqual(created.map(() => undefined));
    const after = await rules();
    expect(after.map((rule) => rule.position)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(await ruleSetVersion()).toBe(startVersion + 36);

    // Concurrent moves of distinct rules: each applies, none is lost, positions stay a permutation.
    const moves = await Promise.all(
      after.slice(0, 24).map((rule, i) => t.gqlAs('admin', MOVE_RULE, { input: { id: rule.id, version: rule.version, rank: 36 - i } })),
    );
    expect(moves.map((result) => result.errors)).toEqual(moves.map(() => undefined));
    const reordered = await rules();
    expect(new Set(reordered.map((rule) => rule.position)).size).toBe(36);
    expect(new Set(reordered.map((rule) => rule.id))).toEqual(new Set(after.map((rule) => rule.id)));
    for (const rule of after.slice(0, 24)) expect(reordered.find((row) => row.id === rule.id)!.version).toBe(rule.version + 1);

    // The same rule edited and moved at once from the same version: exactly one wins, the rest CONFLICT.
    const target = reordered[5]!;
    const racing = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2
          ? t.gqlAs('admin', MOVE_RULE, { input: { id: target.id, version: target.version, rank: 1 + (i % 30) } })
          : t.gqlAs('admin', UPDATE_RULE, { id: target.id, input: { version: target.version, name: `Racer ${i}` } }),
      ),
    );
    expect(racing.filter((result) => !result.errors)).toHaveLength(1);
    expect(racing.filter((result) => codeOf(result) === 'CONFLICT')).toHaveLength(23);
    const final = await rules();
    expect(final.find((row) => row.id === target.id)!.version).toBe(target.version + 1);
    expect(new Set(final.map((rule) => rule.position)).size).toBe(36);
  });
});

interface Account {
  id: string;
  city: string | null;
  province: string | null;
  industry: string | null;
  size_band: string | null;
  source_channel: string | null;
  territory_id: string;
  owner_id: string;
  archived_at: Date | null;
}

interface StoredRule {
  position: number;
  provinces: string[];
  cities: string[];
  industries: string[];
  size_bands: string[];
  source_channels: string[];
  territory_id: string;
  owner_id: string | null;
}

/**
 * The expected realignment, written from docs/assignment.md over the database's rows: the first
 * rule whose every non-empty list holds the account's value (text trimmed, any case) places it
 * in the rule's territory with the rule's owner, else its own; an owner must work there.
 */
async function expectedPlan(viewer: 'admin' | 'managerEast') {
  const accounts = await sql<Account>(
    'select id, city, province, industry, size_band, source_channel, territory_id, owner_id, archived_at from customer',
  );
  const stored = await sql<StoredRule>('select * from assignment_rule order by position');
  const { hangzhou, ningbo, guangzhou } = t.baseline.regions;
  const worksIn: Record<string, string[]> = {
    [uid('repHangzhou')]: [hangzhou.id],
    [uid('repHangzhou2')]: [hangzhou.id],
    [uid('repNingbo')]: [ningbo.id],
    [uid('repGuangzhou')]: [guangzhou.id],
    [uid('managerEast')]: [hangzhou.id, ningbo.id],
    [uid('managerSouth')]: [guangzhou.id],
  };
  const east = [hangzhou.id, ningbo.id];
  const accepts = (list: string[], value: string | null) =>
    list.length === 0 || (value !== null && list.includes(value.trim().toLowerCase()));
  const codes = (list: string[], value: string | null) => list.length === 0 || (value !== null && list.includes(value));
  const plan = { moves: new Map<string, { territory: string; owner: string }>(), outsideRegions: 0, ownerMisfits: 0 };
  for (const account of accounts) {
    if (account.archived_at) continue;
    if (viewer === 'managerEast' && !east.includes(account.territory_id)) continue;
    const rule = stored.find(
      (r) =>
        accepts(r.provinces, account.province) &&
        accepts(r.cities, account.city) &&
        accepts(r.industries, account.industry) &&
        codes(r.size_bands, account.size_band) &&
        codes(r.source_channels, account.source_channel),
    );
    if (!rule) continue;
    const owner = rule.owner_id ?? account.owner_id;
    if (rule.territory_id === account.territory_id && owner === account.owner_id) continue;
    if (viewer === 'managerEast' && !east.includes(rule.territory_id)) plan.outsideRegions += 1;
    else if (!(worksIn[owner] ?? []).includes(rule.territory_id)) plan.ownerMisfits += 1;
    else plan.moves.set(account.id, { territory: rule.territory_id, owner });
  }
  return plan;
}

function groupsOf(moves: Map<string, { territory: string; owner: string }>) {
  const counts = new Map<string, number>();
  for (const move of moves.values())
    counts.set(`${move.territory}/${move.owner}`, (counts.get(`${move.territory}/${move.owner}`) ?? 0) + 1);
  return Object.fromEntries(counts);
}

async function account(legalName: string, territory: RuleInput['territory'], owner: Principal, extra: Partial<Customer> = {}) {
  const em = t.orm.em.fork();
  const customer = em.create(Customer, {
    legalName,
    normalizedName: normalizeName(legalName),
    territory: region(territory).id,
    owner: uid(owner),
    ...extra,
  });
  await em.flush();
  return customer.id;
}

describe('realignment', () => {
  it('previews the moves the rules imply for the accounts the viewer may reassign, and applies exactly those', async () => {
    await account(name('Canton Misplaced'), 'hangzhou', 'repHangzhou', { city: 'Guangzhou' });
    await account(name('Canton Follower'), 'hangzhou', 'repGuangzhou', { city: ' guangzhou', sizeBand: SizeBand.LARGE });
    await account(name('Archived Canton'), 'hangzhou', 'repHangzhou', { city: 'Guangzhou', archivedAt: new Date() });
    await account(name('Big Ningbo'), 'hangzhou', 'repHangzhou2', { sizeBand: SizeBand.ENTERPRISE, industry: 'Retail' });
    await createRule('admin', { territory: 'ningbo', owner: 'repNingbo', sizeBands: [SizeBand.ENTERPRISE] });
    await createRule('admin', { territory: 'guangzhou', cities: ['Guangzhou'] });
    await createRule('admin', { territory: 'ningbo', owner: 'repNingbo', industries: ['manufacturing'] });

    for (const viewer of ['admin', 'managerEast'] as const) {
      const expected = await expectedPlan(viewer);
      const { data, errors } = await t.gqlAs(viewer, PREVIEW, { sampleSize: 100 });
      expect(errors).toBeUndefined();
      const preview = data!.realignmentPreview;
      expect(preview.total).toBe(expected.moves.size);
      expect(preview.outsideRegions).toBe(expected.outsideRegions);
      expect(preview.ownerMisfits).toBe(expected.ownerMisfits);
      expect(
        Object.fromEntries(
          preview.groups.map((g: { territory: { id: string }; owner: { id: string }; count: number }) => [
            `${g.territory.id}/${g.owner.id}`,
            g.count,
          ]),
        ),
      ).toEqual(groupsOf(expected.moves));
      expect(new Set(preview.sample.map((move: { customer: { id: string } }) => move.customer.id))).toEqual(new Set(expected.moves.keys()));
    }
    // The manager's preview is a strict part of the admin's: the South accounts are not theirs.
    expect((await expectedPlan('managerEast')).moves.size).toBeLessThan((await expectedPlan('admin')).moves.size);

    const expected = await expectedPlan('admin');
    expect(expected.moves.size).toBeGreaterThanOrEqual(5);
    const preview = (await t.gqlAs('admin', PREVIEW, {})).data!.realignmentPreview;
    const jobId = randomUUID();
    const auditBefore = (await sql<{ n: string }>('select coalesce(max(id), 0)::text as n from audit_event'))[0]!.n;
    const eventsBefore = (await sql<{ n: string }>('select coalesce(max(id), 0)::text as n from change_event'))[0]!.n;
    const applied = await t.gqlAs('admin', APPLY, {
      input: { ruleSetVersion: preview.ruleSetVersion, digest: preview.digest, reason: 'New territory plan', jobId },
    });
    expect(applied.errors).toBeUndefined();
    expect(applied.data!.applyRealignment).toMatchObject({
      id: jobId,
      status: 'DONE',
      total: expected.moves.size,
      done: expected.moves.size,
      moved: expected.moves.size,
      startedBy: { id: uid('admin') },
    });

    const ids = [...expected.moves.keys()];
    const now = await sql<{ id: string; territory_id: string; owner_id: string }>(
      'select id, territory_id, owner_id from customer where id = any(?::uuid[])',
      [`{${ids.join(',')}}`],
    );
    for (const row of now) expect({ territory: row.territory_id, owner: row.owner_id }).toEqual(expected.moves.get(row.id));
    const history = await sql<{ customer_id: string; owner_id: string; territory_id: string; reason: string }>(
      'select customer_id, owner_id, territory_id, reason from ownership_history where customer_id = any(?::uuid[]) and valid_to is null',
      [`{${ids.join(',')}}`],
    );
    expect(history).toHaveLength(ids.length);
    for (const period of history) {
      expect({ territory: period.territory_id, owner: period.owner_id }).toEqual(expected.moves.get(period.customer_id));
      expect(period.reason).toContain('New territory plan');
    }
    const audit = await sql<{ action: string; entity_id: string }>('select action, entity_id from audit_event where id > ?', [auditBefore]);
    expect(new Set(audit.filter((row) => row.action === 'CUSTOMER_REASSIGNED').map((row) => row.entity_id))).toEqual(new Set(ids));
    expect(audit.filter((row) => row.action === 'REALIGNMENT_APPLIED').map((row) => row.entity_id)).toEqual([jobId]);
    const events = await sql<{ entity_id: string }>(`select distinct entity_id from change_event where id > ? and entity = 'customer'`, [
      eventsBefore,
    ]);
    expect(new Set(events.map((row) => row.entity_id))).toEqual(new Set(ids));

    // The plan is done: nothing left to move; the job is the starter's and the admins'.
    expect((await t.gqlAs('admin', PREVIEW, {})).data!.realignmentPreview.total).toBe(0);
    expect((await t.gqlAs('admin', JOB, { id: jobId })).data!.realignment).toMatchObject({ status: 'DONE', done: ids.length });
    expect((await t.gqlAs('managerEast', JOB, { id: jobId })).data!.realignment).toBeNull();
  });

  it('applies an empty plan in at most 9 statements on the request, none spent on the empty digest', async () => {
    await createRule('admin', { territory: 'guangzhou', cities: ['Nowhere at all'] });
    const preview = (await t.gqlAs('admin', PREVIEW, {})).data!.realignmentPreview;
    expect(preview.total).toBe(0);
    const sent: { uid: string; sql: string }[] = [];
    const knex = t.orm.em.getConnection().getKnex();
    const onQuery = (query: { __knexUid: string; sql: string }) => sent.push({ uid: query.__knexUid, sql: query.sql });
    knex.on('query', onQuery);
    let applied!: GqlResult;
    try {
      applied = await t.gqlAs('admin', APPLY, {
        input: { ruleSetVersion: preview.ruleSetVersion, digest: preview.digest, reason: 'Nothing to move' },
      });
    } finally {
      knex.removeListener('query', onQuery);
    }
    expect(applied.errors).toBeUndefined();
    expect(applied.data!.applyRealignment).toMatchObject({ status: 'DONE', total: 0, done: 0, moved: 0 });
    // The request's own connection: its opening, the savepoint, the rule set's lock, the plan (with
    // its digest), the audit event, DONE, the job read, its starter, the commit. The job row and its
    // watcher use connections of their own.
    const request = sent.find((query) => query.sql.includes('with plan as'))!.uid;
    expect(sent.filter((query) => query.uid === request).length).toBeLessThanOrEqual(9);
  });

  it('refuses to apply a preview whose rules or accounts changed since, moving nothing', async () => {
    await account(name('Stale Manufacturing'), 'hangzhou', 'repHangzhou', { industry: 'Manufacturing' });
    const rule = await createRule('admin', { territory: 'ningbo', owner: 'repNingbo', industries: ['manufacturing'] });
    const first = (await t.gqlAs('admin', PREVIEW, {})).data!.realignmentPreview;
    expect(first.total).toBeGreaterThan(0);
    const snapshot = await sql('select id, owner_id, territory_id, version from customer order by id');

    await t.gqlAs('admin', UPDATE_RULE, { id: rule.id, input: { version: rule.version, name: 'Renamed' } });
    const staleRules = await t.gqlAs('admin', APPLY, {
      input: { ruleSetVersion: first.ruleSetVersion, digest: first.digest, reason: 'stale rules' },
    });
    expect(staleRules.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'ruleSetVersion' });

    const second = (await t.gqlAs('admin', PREVIEW, {})).data!.realignmentPreview;
    expect(second.digest).toBe(first.digest);
    await account(name('Late Manufacturing'), 'hangzhou', 'repHangzhou2', { industry: 'manufacturing' });
    const staleAccounts = await t.gqlAs('admin', APPLY, {
      input: { ruleSetVersion: second.ruleSetVersion, digest: second.digest, reason: 'stale accounts' },
    });
    expect(staleAccounts.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'digest' });
    const after = await sql('select id, owner_id, territory_id, version from customer order by id');
    expect(after.filter((row) => snapshot.some((old) => old.id === row.id))).toEqual(snapshot);
    expect(await sql('select count(*)::int as n from realignment where reason like ?', ['stale%'])).toEqual([{ n: 0 }]);
  });

  it("lets a manager apply only their regions' moves", async () => {
    const eastAccount = await account(name('East Mfg'), 'hangzhou', 'repHangzhou', { industry: 'Chemicals' });
    const southAccount = await account(name('South Mfg'), 'guangzhou', 'repGuangzhou', { industry: 'Chemicals' });
    await createRule('admin', { territory: 'ningbo', owner: 'repNingbo', industries: ['chemicals'] });
    const preview = (await t.gqlAs('managerEast', PREVIEW, {})).data!.realignmentPreview;
    const expected = await expectedPlan('managerEast');
    expect(preview.total).toBe(expected.moves.size);
    const applied = await t.gqlAs('managerEast', APPLY, {
      input: { ruleSetVersion: preview.ruleSetVersion, digest: preview.digest, reason: 'East plan' },
    });
    expect(applied.errors).toBeUndefined();
    const rows = await sql<{ id: string; territory_id: string }>('select id, territory_id from customer where id in (?, ?)', [
      eastAccount,
      southAccount,
    ]);
    expect(Object.fromEntries(rows.map((row) => [row.id, row.territory_id]))).toEqual({
      [eastAccount]: region('ningbo').id,
      [southAccount]: region('guangzhou').id,
    });
  });
});

describe('a realignment that does not commit', () => {
  /** The job once it has left RUNNING (read as FAILED as soon as its transaction has ended), or after 10 s. */
  async function settledJob(id: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const job = (await t.gqlAs('admin', JOB, { id })).data!.realignment as {
        status: string;
        error: string | null;
        finishedAt: string | null;
      };
      if (job.status !== 'RUNNING' || Date.now() > deadline) return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Applies a plan of two accounts while `trigger` (created on customer for the test, raising
   * REFUSED_BY_TEST on the account named 'Refused …') makes the apply or its commit fail.
   */
  async function applyRefused(trigger: string) {
    const industry = `Shipbuilding ${randomUUID().slice(0, 8)}`;
    const moving = await account(name('Moving Shipyard'), 'hangzhou', 'repHangzhou', { industry });
    const refused = await account(name('Refused Shipyard'), 'hangzhou', 'repHangzhou', { industry });
    await createRule('admin', { territory: 'ningbo', owner: 'repNingbo', industries: [industry] });
    const preview = (await t.gqlAs('admin', PREVIEW, {})).data!.realignmentPreview;
    expect(preview.total).toBe(2);
    await sql(`create function test_refuse_realignment() returns trigger language plpgsql as $$
      begin raise exception 'REFUSED_BY_TEST in customer %', new.id; end $$`);
    await sql(trigger);
    try {
      const jobId = randomUUID();
      const applied = await t.gqlAs('admin', APPLY, {
        input: { ruleSetVersion: preview.ruleSetVersion, digest: preview.digest, reason: 'Refused plan', jobId },
      });
      expect(applied.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(applied)).not.toContain('REFUSED_BY_TEST');
      return { jobId, accounts: [moving, refused] };
    } finally {
      await sql('drop function test_refuse_realignment() cascade');
    }
  }

  async function expectFailedAndUnmoved(jobId: string, accounts: string[], knownEnd: boolean) {
    const job = await settledJob(jobId);
    expect(job.status).toBe('FAILED');
    // A failure the apply saw is recorded when it happens; a failed commit is known only afterwards.
    if (knownEnd) expect(job.finishedAt).not.toBeNull();
    else expect(job.finishedAt).toBeNull();
    expect(job.error).toMatch(/rolled back/);
    expect(job.error).not.toMatch(/REFUSED_BY_TEST|customer|select|update/i);
    const rows = await sql<{ territory_id: string; owner_id: string }>(
      'select territory_id, owner_id from customer where id = any(?::uuid[])',
      [`{${accounts.join(',')}}`],
    );
    expect(rows).toEqual(accounts.map(() => ({ territory_id: region('hangzhou').id, owner_id: uid('repHangzhou') })));
  }

  it('ends FAILED with a safe message when the commit fails, moving nothing', async () => {
    const { jobId, accounts } = await applyRefused(
      `create constraint trigger test_refuse_realignment after update on customer deferrable initially deferred
       for each row when (new.legal_name like 'Refused%') execute function test_refuse_realignment()`,
    );
    await expectFailedAndUnmoved(jobId, accounts, false);
  });

  it('ends FAILED with a safe message when an account fails to move during the apply, moving nothing', async () => {
    const { jobId, accounts } = await applyRefused(
      `create trigger test_refuse_realignment before update on customer
       for each row when (new.legal_name like 'Refused%') execute function test_refuse_realignment()`,
    );
    await expectFailedAndUnmoved(jobId, accounts, true);
    // Its starter may run that job id again (as the server's own retry of a request does): the failed row is taken over.
    const preview = (await t.gqlAs('admin', PREVIEW, {})).data!.realignmentPreview;
    const again = await t.gqlAs('admin', APPLY, {
      input: { ruleSetVersion: preview.ruleSetVersion, digest: preview.digest, reason: 'Refused plan, again', jobId },
    });
    expect(again.errors).toBeUndefined();
    expect((await settledJob(jobId)).status).toBe('DONE');
  });
});
