/**
 * The API against an independent truth table (test/support/truth-table.ts, written from
 * ACCESS-RULES.md and imports nothing from api/src).
 *
 * One world per TERRITORY_ACCESS setting, built through the public API as an admin: a region tree
 * with a sibling territory, another region, and the regions `X_1` and `X-1` side by side (subtree
 * matching must be exact); managers of the account's province, of its region, of another region
 * and of `X_1`; a rep promoted to manager who still owns an account outside his regions; a rep
 * moved to another territory who still owns an account in the old one; an account moved out of its
 * owner's territory; former owners (accounts reassigned away); a deactivated rep; API keys inside
 * and outside the account's subtree, with write scopes, read scopes only, and a BI key; nobody.
 *
 * The table's inputs are facts read back from the database (roles, memberships and managed
 * regions as paths, key regions and scopes, each account's territory path and owner); the
 * expectation is computed from those facts by the table alone. Then, for every principal ×
 * account: `customer(id)` (full, directory card or null, and `access`), the account's contact,
 * interaction and order by id, the `customers` lists
 * (ACCESSIBLE and DIRECTORY) and the contacts/interactions/orders root lists, and `updateCustomer`
 * (with the database row checked afterwards). Every account's children carry a canary string that
 * must never reach a principal the account is DIRECTORY or NONE for, in any response or error.
 *
 * Worlds are built at collection time so each case can be named with its expectation.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';
import {
  expectedGet,
  expectedLevel,
  expectedListed,
  expectedUpdate,
  mayOpen,
  mayReadPii,
  operationGate,
  type Level,
  type Scope,
  type TerritoryAccess,
  type TruthAccount,
  type TruthPrincipal,
} from '../support/truth-table.js';

const PASSWORD = 'truth table password';

// ── The world, as designed ──

type RegionKey = 'TA' | 'TAP' | 'TA1' | 'TA2' | 'TB' | 'TBP' | 'TB3' | 'XU' | 'XUP' | 'XU1' | 'XH' | 'XHP' | 'XH1';

/** Codes, and the tree: REGION → PROVINCE → TERRITORY. `X_1` and `X-1` differ only in `_` versus `-`. */
const REGIONS: [key: RegionKey, code: string, kind: 'REGION' | 'PROVINCE' | 'TERRITORY', parent: RegionKey | null][] = [
  ['TA', 'TA', 'REGION', null],
  ['TAP', 'TAP', 'PROVINCE', 'TA'],
  ['TA1', 'TA1', 'TERRITORY', 'TAP'],
  ['TA2', 'TA2', 'TERRITORY', 'TAP'],
  ['TB', 'TB', 'REGION', null],
  ['TBP', 'TBP', 'PROVINCE', 'TB'],
  ['TB3', 'TB3', 'TERRITORY', 'TBP'],
  ['XU', 'X_1', 'REGION', null],
  ['XUP', 'XUP', 'PROVINCE', 'XU'],
  ['XU1', 'XU1', 'TERRITORY', 'XUP'],
  ['XH', 'X-1', 'REGION', null],
  ['XHP', 'XHP', 'PROVINCE', 'XH'],
  ['XH1', 'XH1', 'TERRITORY', 'XHP'],
];

type UserKey =
  | 'mgrProvince'
  | 'mgrRegion'
  | 'mgrOther'
  | 'mgrUnderscore'
  | 'promoted'
  | 'repOwner'
  | 'repMoved'
  | 'repMember'
  | 'repSibling'
  | 'repOther'
  | 'formerOwner'
  | 'deactivated'
  | 'repUnderscore'
  | 'repHyphen';

/** Users as first created; the transitions below then promote, move and deactivate some of them. */
const USERS: [key: UserKey, role: 'MANAGER' | 'REP', regions: RegionKey[]][] = [
  ['mgrProvince', 'MANAGER', ['TAP']],
  ['mgrRegion', 'MANAGER', ['TA']],
  ['mgrOther', 'MANAGER', ['TB']],
  ['mgrUnderscore', 'MANAGER', ['XU']],
  ['promoted', 'REP', ['TA1']],
  ['repOwner', 'REP', ['TA1']],
  ['repMoved', 'REP', ['TA1']],
  ['repMember', 'REP', ['TA1']],
  ['repSibling', 'REP', ['TA2']],
  ['repOther', 'REP', ['TB3']],
  ['formerOwner', 'REP', ['TA1']],
  ['deactivated', 'REP', ['TA1']],
  ['repUnderscore', 'REP', ['XU1']],
  ['repHyphen', 'REP', ['XH1']],
];

type KeyKey = 'keyWriteTAP' | 'keyWriteXU' | 'keyReadTA' | 'biXU';
const READ_SCOPES = ['CUSTOMERS_READ', 'CONTACTS_READ', 'PII_READ', 'INTERACTIONS_READ', 'ORDERS_READ', 'EVALUATIONS_READ'];
const ALL_SCOPES = [...READ_SCOPES, 'CUSTOMERS_WRITE', 'CONTACTS_WRITE', 'INTERACTIONS_WRITE', 'ORDERS_WRITE'];
const KEYS: [key: KeyKey, kind: 'INTEGRATOR' | 'BI', region: RegionKey, scopes: string[]][] = [
  ['keyWriteTAP', 'INTEGRATOR', 'TAP', ALL_SCOPES],
  ['keyWriteXU', 'INTEGRATOR', 'XU', ALL_SCOPES],
  ['keyReadTA', 'INTEGRATOR', 'TA', READ_SCOPES],
  ['biXU', 'BI', 'XU', READ_SCOPES.filter((scope) => scope !== 'PII_READ')],
];

type PrincipalKey = 'admin' | UserKey | KeyKey | 'anonymous';

/** How each principal stands, for case names (facts of the design, not outcomes). */
const PRINCIPAL_LABELS: Record<PrincipalKey, string> = {
  admin: 'admin',
  mgrProvince: 'manager of TAP (province of TA1, TA2)',
  mgrRegion: 'manager of TA (parent region)',
  mgrOther: 'manager of TB (other region)',
  mgrUnderscore: 'manager of X_1',
  promoted: 'promoted manager of TB (was rep of TA1, owner outside regions)',
  repOwner: 'rep of TA1 (owner)',
  repMoved: 'rep moved TA1 → TA2',
  repMember: 'rep of TA1 (owns nothing)',
  repSibling: 'rep of TA2',
  repOther: 'rep of TB3',
  formerOwner: 'rep of TA1 (former owner)',
  deactivated: 'deactivated rep of TA1',
  repUnderscore: 'rep of XU1 (under X_1)',
  repHyphen: 'rep of XH1 (under X-1)',
  keyWriteTAP: 'integrator key with write scopes on TAP',
  keyWriteXU: 'integrator key with write scopes on X_1',
  keyReadTA: 'integrator key with read scopes only on TA',
  biXU: 'BI key on X_1',
  anonymous: 'anonymous',
};

type AccountKey =
  | 'aOwned'
  | 'aMovedOwner'
  | 'aPromoted'
  | 'aReassigned'
  | 'aMovedAccount'
  | 'aSibling'
  | 'aOther'
  | 'aFormerAway'
  | 'aDeactivated'
  | 'aUnderscore'
  | 'aHyphen';

/** Accounts as first created (territory, owner); transitions reassign and move some. */
const ACCOUNTS: [key: AccountKey, territory: RegionKey, owner: UserKey, label: string][] = [
  ['aOwned', 'TA1', 'repOwner', 'account in TA1 of its rep'],
  ['aMovedOwner', 'TA1', 'repMoved', 'account in TA1 of the rep moved to TA2'],
  ['aPromoted', 'TA1', 'promoted', 'account in TA1 of the promoted manager'],
  ['aReassigned', 'TA1', 'formerOwner', 'account in TA1 reassigned former owner → rep owner'],
  ['aMovedAccount', 'TA1', 'repOwner', 'account moved TA1 → TA2, owner stays rep of TA1'],
  ['aSibling', 'TA2', 'repSibling', 'account in TA2 (sibling territory)'],
  ['aOther', 'TB3', 'repOther', 'account in TB3 (other region)'],
  ['aFormerAway', 'TA1', 'formerOwner', 'account reassigned from former owner to TB3'],
  ['aDeactivated', 'TA1', 'deactivated', 'account in TA1 of the deactivated rep'],
  ['aUnderscore', 'XU1', 'repUnderscore', 'account in XU1 (under X_1)'],
  ['aHyphen', 'XH1', 'repHyphen', 'account in XH1 (under X-1)'],
];

// ── Talking to the API ──

interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, any>;
}

interface Response {
  status: number;
  data: Record<string, any> | null;
  errors: GqlError[];
  text: string;
}

async function post(t: TestApp, bearer: string | null, query: string, variables: Record<string, unknown> = {}): Promise<Response> {
  let request = t.http().post('/graphql').set('content-type', 'application/json');
  if (bearer) request = request.set('authorization', `Bearer ${bearer}`);
  const response = await request.send({ query, variables });
  return { status: response.status, data: response.body?.data ?? null, errors: response.body?.errors ?? [], text: response.text };
}

async function sql<T = Record<string, any>>(t: TestApp, text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

// ── Building a world ──

interface AccountFacts {
  id: string;
  key: AccountKey;
  label: string;
  canary: string;
  mobile: string;
  notes: string;
}

interface World {
  access: TerritoryAccess;
  t: TestApp;
  regionIds: Record<RegionKey, string>;
  userIds: Record<'admin' | UserKey, string>;
  keyIds: Record<KeyKey, string>;
  bearers: Record<PrincipalKey, string | null>;
  accounts: AccountFacts[];
  /** The truth table's inputs, read back from the database. */
  principals: Record<PrincipalKey, TruthPrincipal>;
  facts: Map<string, TruthAccount>;
  contacts: { id: string; customer: string }[];
  interactions: { id: string; customer: string }[];
  orders: { id: string; customer: string }[];
}

async function buildWorld(access: TerritoryAccess, defaulted: boolean): Promise<World> {
  const limits = 'ADMIN=5000000,MANAGER=5000000,REP=5000000,INTEGRATOR=5000000,BI=5000000,ANONYMOUS=5000000';
  // NONE is the documented default: that mode leaves TERRITORY_ACCESS unset.
  const t = await createTestApp({ ...(defaulted ? {} : { TERRITORY_ACCESS: access }), RATE_LIMIT_PER_MINUTE: '0', COST_LIMITS: limits });
  const adminBearer = t.tokenFor('admin');
  const admin = async (query: string, variables: Record<string, unknown>) => {
    const response = await post(t, adminBearer, query, variables);
    if (response.errors.length || !response.data)
      throw new Error(`world building failed: ${response.text}\n${query}\n${JSON.stringify(variables)}`);
    return response.data;
  };
  const suffix = randomBytes(3).toString('hex');

  const regionIds = {} as Record<RegionKey, string>;
  for (const level of ['REGION', 'PROVINCE', 'TERRITORY']) {
    await Promise.all(
      REGIONS.filter(([, , kind]) => kind === level).map(async ([key, code, kind, parent]) => {
        const data = await admin('mutation ($input: CreateRegionInput!) { createRegion(input: $input) { id } }', {
          input: { code, name: `Truth ${code}`, kind, parentId: parent ? regionIds[parent] : null },
        });
        regionIds[key] = data.createRegion.id;
      }),
    );
  }

  const userIds = { admin: t.baseline.users.admin.id } as Record<'admin' | UserKey, string>;
  const versions = {} as Record<UserKey, number>;
  const email = (key: UserKey) => `${key.toLowerCase()}.${suffix}@truth.test`;
  await Promise.all(
    USERS.map(async ([key, role, regions]) => {
      const ids = regions.map((region) => regionIds[region]);
      const data = await admin('mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }', {
        input: {
          email: email(key),
          name: `Truth ${key}`,
          role,
          password: PASSWORD,
          ...(role === 'MANAGER' ? { managedRegionIds: ids } : { territoryIds: ids }),
        },
      });
      userIds[key] = data.createUser.id;
      versions[key] = data.createUser.version;
    }),
  );
  const updateUser = async (key: UserKey, input: Record<string, unknown>) => {
    const data = await admin('mutation ($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { version } }', {
      id: userIds[key],
      input: { version: versions[key], ...input },
    });
    versions[key] = data.updateUser.version;
  };

  const accountIds = {} as Record<AccountKey, string>;
  const accounts = await Promise.all(
    ACCOUNTS.map(async ([key, territory, owner, label], index): Promise<AccountFacts> => {
      const canary = `Canary${randomBytes(6).toString('hex')}`;
      const mobile = `+86 139 ${String(index).padStart(2, '0')}${String(randomBytes(3).readUIntBE(0, 3) % 1_000_000).padStart(6, '0')}`;
      const notes = `Private notes ${canary}`;
      const data = await admin('mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }', {
        input: {
          legalName: `Truth ${key} ${suffix} Trading Co., Ltd.`,
          territoryId: regionIds[territory],
          ownerId: userIds[owner],
          industry: 'Manufacturing',
          notes,
        },
      });
      const id = data.createCustomer.id as string;
      accountIds[key] = id;
      await Promise.all([
        admin('mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }', {
          input: { customerId: id, name: `Contact ${canary}`, mobile },
        }),
        admin('mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id } }', {
          input: { customerId: id, kind: 'VISIT', channel: 'FIELD', summary: `Visit ${canary}` },
        }),
        admin('mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }', {
          input: { customerId: id, contractRef: canary, lines: [{ product: `Widget ${canary}`, quantity: '1', unitPrice: '10.00' }] },
        }),
      ]);
      return { id, key, label, canary, mobile, notes };
    }),
  );

  // Tokens while everyone may still sign in: the deactivated rep's token was valid once.
  const bearers = { admin: adminBearer, anonymous: null } as Record<PrincipalKey, string | null>;
  await Promise.all(
    USERS.map(async ([key]) => {
      const response = await post(
        t,
        null,
        'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
        { email: email(key), password: PASSWORD },
      );
      if (!response.data?.login) throw new Error(`login ${key}: ${response.text}`);
      bearers[key] = response.data.login.token;
    }),
  );

  const reassign = (input: Record<string, unknown>) =>
    admin('mutation ($input: ReassignCustomersInput!) { reassignCustomers(input: $input) { count } }', {
      input: { reason: 'Truth table world', ...input },
    });
  const keyIds = {} as Record<KeyKey, string>;
  await Promise.all([
    // A rep promoted to manager of another region, keeping his TA1 membership and his TA1 account.
    updateUser('promoted', { role: 'MANAGER', managedRegionIds: [regionIds.TB] }),
    // A rep moved to the sibling territory; his TA1 account stays his.
    updateUser('repMoved', { territoryIds: [regionIds.TA2] }),
    updateUser('deactivated', { active: false }),
    // Former owner: one account reassigned within TA1, one to another region.
    reassign({ customerIds: [accountIds.aReassigned], toOwnerId: userIds.repOwner }),
    reassign({ customerIds: [accountIds.aFormerAway], toOwnerId: userIds.repOther, toTerritoryId: regionIds.TB3 }),
    // An account moved out of its owner's territory: the owner joins TA2 for the move, then leaves.
    (async () => {
      await updateUser('repOwner', { territoryIds: [regionIds.TA1, regionIds.TA2] });
      await reassign({ customerIds: [accountIds.aMovedAccount], toOwnerId: userIds.repOwner, toTerritoryId: regionIds.TA2 });
      await updateUser('repOwner', { territoryIds: [regionIds.TA1] });
    })(),
    ...KEYS.map(async ([key, kind, region, scopes]) => {
      const data = await admin('mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }', {
        input: { name: `Truth ${key}`, kind, scopes, territoryIds: [regionIds[region]] },
      });
      keyIds[key] = data.createApiKey.apiKey.id;
      bearers[key] = data.createApiKey.secret;
    }),
  ]);

  // A role change ends the user's sessions (docs/hardening.md, "Sessions"): the promoted manager signs in again.
  {
    const response = await post(
      t,
      null,
      'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
      { email: email('promoted'), password: PASSWORD },
    );
    if (!response.data?.login) throw new Error(`login promoted: ${response.text}`);
    bearers.promoted = response.data.login.token;
  }

  // The table's inputs: facts as the database holds them.
  const users = await sql<{ id: string; role: 'ADMIN' | 'MANAGER' | 'REP'; active: boolean; managed: string[]; territories: string[] }>(
    t,
    `
    select u.id, u.role, u.active,
      array(select r.path from user_managed_region m join region r on r.id = m.region_id where m.user_id = u.id order by r.path) as managed,
      array(select r.path from user_territory m join region r on r.id = m.region_id where m.user_id = u.id order by r.path) as territories
    from app_user u`,
  );
  const keys = await sql<{ id: string; kind: 'INTEGRATOR' | 'BI'; scopes: Scope[]; regions: string[] }>(
    t,
    `
    select k.id, k.kind, k.scopes,
      array(select r.path from api_key_territory m join region r on r.id = m.region_id where m.api_key_id = k.id order by r.path) as regions
    from api_key k`,
  );
  const principals = { anonymous: { kind: 'anonymous' } } as Record<PrincipalKey, TruthPrincipal>;
  for (const key of ['admin', ...USERS.map(([user]) => user)] as ('admin' | UserKey)[]) {
    const row = users.find((user) => user.id === userIds[key])!;
    principals[key] = {
      kind: 'user',
      id: row.id,
      role: row.role,
      active: row.active,
      managedRegions: row.managed,
      territories: row.territories,
    };
  }
  for (const [key] of KEYS) {
    const row = keys.find((apiKey) => apiKey.id === keyIds[key])!;
    principals[key] = { kind: 'key', keyKind: row.kind, regions: row.regions, scopes: row.scopes };
  }
  const customers = await sql<{ id: string; territory: string; owner: string }>(
    t,
    'select c.id, r.path as territory, c.owner_id as owner from customer c join region r on r.id = c.territory_id',
  );
  return {
    access,
    t,
    regionIds,
    userIds,
    keyIds,
    bearers,
    accounts,
    principals,
    facts: new Map(customers.map((row) => [row.id, { territory: row.territory, owner: row.owner }])),
    contacts: await sql(t, 'select id, customer_id as customer from contact'),
    interactions: await sql(t, 'select id, customer_id as customer from interaction'),
    orders: await sql(t, 'select id, customer_id as customer from sales_order'),
  };
}

// ── Observing ──

const CUSTOMER = `{ id legalName access territory { id } region { id } owner { id } notes industry version
  contacts { id name mobile } interactions(first: 20) { totalCount edges { node { id summary } } }
  orders(first: 20) { totalCount edges { node { id contractRef } } } ownershipHistory { validFrom } }`;
/** Fields outside the directory card in CUSTOMER: null with FORBIDDEN on a card. */
const OFF_CARD = ['notes', 'industry', 'version', 'contacts', 'interactions', 'orders', 'ownershipHistory'];

/** Children fetched by id: visible iff the account may be opened. */
const CHILDREN = [
  { prefix: 'k', field: 'contact', rows: 'contacts', scope: 'contacts:read' },
  { prefix: 'i', field: 'interaction', rows: 'interactions', scope: 'interactions:read' },
  { prefix: 'o', field: 'order', rows: 'orders', scope: 'orders:read' },
] as const;

type ListName = 'customers' | 'directory' | 'contacts' | 'interactions' | 'orders';
const LISTS: Record<ListName, { query: string; scope: Scope }> = {
  customers: { query: 'query { list: customers(first: 100) { totalCount edges { node { id access } } } }', scope: 'customers:read' },
  directory: {
    query: 'query { list: customers(scope: DIRECTORY, first: 100) { totalCount edges { node { id access } } } }',
    scope: 'customers:read',
  },
  contacts: { query: 'query { list: contacts(first: 100) { totalCount edges { node { id name mobile } } } }', scope: 'contacts:read' },
  interactions: {
    query: 'query { list: interactions(first: 100) { totalCount edges { node { id summary } } } }',
    scope: 'interactions:read',
  },
  orders: { query: 'query { list: orders(first: 100) { totalCount edges { node { id contractRef } } } }', scope: 'orders:read' },
};

interface UpdateObservation {
  response: Response;
  before: { notes: string; version: number; updated: string };
  after: { notes: string; version: number; updated: string };
  notes: string;
}

interface Observations {
  gets: Response;
  lists: Record<ListName, Response>;
  updates: Map<string, UpdateObservation>;
}

const PRINCIPALS: PrincipalKey[] = ['admin', ...USERS.map(([key]) => key), ...KEYS.map(([key]) => key), 'anonymous'];

async function observe(world: World): Promise<Map<PrincipalKey, Observations>> {
  const { t } = world;
  const observations = new Map<PrincipalKey, Observations>();
  // Reads first, all principals at once (a few at a time), before any write.
  const probes = world.accounts.flatMap((account, index) => [
    { alias: `c${index}`, field: 'customer', id: account.id, selection: CUSTOMER },
    ...CHILDREN.map(({ prefix, field, rows }) => ({
      alias: `${prefix}${index}`,
      field,
      id: world[rows].find((row) => row.customer === account.id)!.id,
      selection: '{ id }',
    })),
  ]);
  const definitions = probes.map((probe) => `$${probe.alias}: ID!`).join(', ');
  const body = probes.map((probe) => `${probe.alias}: ${probe.field}(id: $${probe.alias}) ${probe.selection}`).join(' ');
  const variables = Object.fromEntries(probes.map((probe) => [probe.alias, probe.id]));
  await Promise.all(
    PRINCIPALS.map(async (key) => {
      const bearer = world.bearers[key];
      const gets = await post(t, bearer, `query Truth(${definitions}) { ${body} }`, variables);
      const lists = {} as Record<ListName, Response>;
      for (const name of Object.keys(LISTS) as ListName[]) lists[name] = await post(t, bearer, LISTS[name].query);
      observations.set(key, { gets, lists, updates: new Map() });
    }),
  );
  // Writes: each account by every principal in turn (versions read fresh), accounts in parallel.
  const row = async (id: string) => {
    const [found] = await sql<{ notes: string; version: number; updated: string }>(
      t,
      'select notes, version, updated_at::text as updated from customer where id = ?',
      [id],
    );
    return found!;
  };
  await Promise.all(
    world.accounts.map(async (account) => {
      let before = await row(account.id);
      for (const key of PRINCIPALS) {
        const notes = `Edited by ${key} ${account.canary}`;
        const response = await post(
          t,
          world.bearers[key],
          'mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id access notes version } }',
          {
            id: account.id,
            input: { version: before.version, notes },
          },
        );
        const after = await row(account.id);
        observations.get(key)!.updates.set(account.id, { response, before, after, notes });
        before = after;
      }
    }),
  );
  return observations;
}

/** Codes of the errors at exactly this path (request-wide errors count everywhere). */
function codesAt(response: Response, path: (string | number)[]): unknown[] {
  return response.errors
    .filter((error) => !error.path || JSON.stringify(error.path) === JSON.stringify(path))
    .map((error) => error.extensions?.code);
}

/** Errors under this path other than the allowed ones. */
function strayErrors(response: Response, prefix: (string | number)[], allowed: (error: GqlError) => boolean): GqlError[] {
  return response.errors.filter((error) => {
    if (error.path && JSON.stringify(error.path.slice(0, prefix.length)) !== JSON.stringify(prefix)) return false;
    return !allowed(error);
  });
}

const sorted = (values: string[]) => [...values].sort();
const nodeIds = (connection: { edges?: { node: { id: string } }[] } | null | undefined) =>
  sorted((connection?.edges ?? []).map((edge) => edge.node.id));
const isPiiDenial = (error: GqlError) => error.extensions?.code === 'FORBIDDEN' && error.path?.at(-1) === 'mobile';

// ── Cases ──

const MODES: { access: TerritoryAccess; defaulted: boolean; title: string }[] = [
  { access: 'NONE', defaulted: true, title: 'TERRITORY_ACCESS unset (the default: NONE)' },
  { access: 'READ', defaulted: false, title: 'TERRITORY_ACCESS=READ' },
  { access: 'EDIT', defaulted: false, title: 'TERRITORY_ACCESS=EDIT' },
];

const worlds = await Promise.all(MODES.map((mode) => buildWorld(mode.access, mode.defaulted)));
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.t.close()));
});

for (const [modeIndex, mode] of MODES.entries()) {
  const world = worlds[modeIndex]!;
  describe(mode.title, () => {
    let observations: Map<PrincipalKey, Observations>;
    beforeAll(async () => {
      observations = await observe(world);
    }, 120_000);

    it('the world is built as designed (moves, promotion, reassignments, deactivation took effect)', () => {
      const ta1 = 'TA/TAP/TA1';
      const ta2 = 'TA/TAP/TA2';
      const user = (key: UserKey) => world.principals[key] as Extract<TruthPrincipal, { kind: 'user' }>;
      expect(user('promoted')).toMatchObject({ role: 'MANAGER', managedRegions: ['TB'], territories: [ta1] });
      expect(user('repMoved').territories).toEqual([ta2]);
      expect(user('repOwner').territories).toEqual([ta1]);
      expect(user('deactivated').active).toBe(false);
      const fact = (key: AccountKey) => world.facts.get(world.accounts.find((account) => account.key === key)!.id)!;
      expect(fact('aMovedAccount')).toEqual({ territory: ta2, owner: world.userIds.repOwner });
      expect(fact('aReassigned')).toEqual({ territory: ta1, owner: world.userIds.repOwner });
      expect(fact('aFormerAway')).toEqual({ territory: 'TB/TBP/TB3', owner: world.userIds.repOther });
      expect(fact('aPromoted')).toEqual({ territory: ta1, owner: world.userIds.promoted });
      expect(fact('aUnderscore').territory).toBe('X_1/XUP/XU1');
      expect(fact('aHyphen').territory).toBe('X-1/XHP/XH1');
    });

    for (const key of PRINCIPALS) {
      const principal = world.principals[key];
      const levelOf = (account: TruthAccount): Level => expectedLevel({ principal, account, territoryAccess: world.access });

      describe(PRINCIPAL_LABELS[key], () => {
        // Each list as a whole: exactly the rows of the accounts at READ/EDIT (the directory: not NONE), totalCount included.
        for (const name of Object.keys(LISTS) as ListName[]) {
          const gate = operationGate(principal, LISTS[name].scope);
          const scope = name === 'directory' ? 'DIRECTORY' : 'ACCESSIBLE';
          const visible = (customer: string) =>
            expectedListed({ principal, account: world.facts.get(customer)!, territoryAccess: world.access }, scope);
          const rows =
            name === 'customers' || name === 'directory'
              ? [...world.facts.keys()].filter(visible)
              : world[name].filter((child) => visible(child.customer)).map((child) => child.id);
          const label = gate === 'ALLOWED' ? `${rows.length} rows` : gate;
          it(`${PRINCIPAL_LABELS[key]} × ${name} list → ${label}`, () => {
            const response = observations.get(key)!.lists[name];
            if (gate !== 'ALLOWED') {
              expect(response.data?.list ?? null).toBeNull();
              expect(codesAt(response, ['list'])).toContain(gate);
              return;
            }
            expect(
              strayErrors(response, ['list'], (error) => !mayReadPii(principal) && isPiiDenial(error)),
              response.text.slice(0, 2000),
            ).toEqual([]);
            expect(nodeIds(response.data?.list)).toEqual(sorted(rows));
            expect(response.data?.list?.totalCount).toBe(rows.length);
            if (name === 'customers' || name === 'directory') {
              for (const { node } of response.data!.list.edges as { node: { id: string; access: string } }[]) {
                expect.soft(node.access, `access of ${node.id} in the ${name} list`).toBe(levelOf(world.facts.get(node.id)!));
              }
            }
          });
        }

        for (const [index, account] of world.accounts.entries()) {
          const facts = world.facts.get(account.id)!;
          const state = { principal, account: facts, territoryAccess: world.access };
          const level = expectedLevel(state);
          const get = expectedGet(state);
          const update = expectedUpdate(state);
          const outcome =
            get === 'UNAUTHENTICATED'
              ? 'UNAUTHENTICATED'
              : `${level} (get ${get === 'FULL' ? 'full' : get === 'CARD' ? 'directory card' : 'null'}, update ${update})`;

          it(`${PRINCIPAL_LABELS[key]} × ${account.label} → ${outcome}`, () => {
            const seen = observations.get(key)!;
            const alias = `c${index}`;
            const gets = seen.gets;
            const value = gets.data?.[alias] ?? null;
            const contacts = world.contacts.filter((row) => row.customer === account.id).map((row) => row.id);
            const interactions = world.interactions.filter((row) => row.customer === account.id).map((row) => row.id);
            const orders = world.orders.filter((row) => row.customer === account.id).map((row) => row.id);

            // customer(id)
            if (get === 'UNAUTHENTICATED') {
              expect.soft(value, 'customer(id)').toBeNull();
              expect.soft(codesAt(gets, [alias]), 'customer(id) error').toContain('UNAUTHENTICATED');
            } else if (get === 'NULL') {
              expect.soft(value, 'customer(id) should be null').toBeNull();
              expect
                .soft(
                  strayErrors(gets, [alias], () => false),
                  'customer(id) errors',
                )
                .toEqual([]);
            } else {
              expect
                .soft(value, 'customer(id)')
                .toMatchObject({ id: account.id, access: level, territory: { id: expect.any(String) }, owner: { id: facts.owner } });
              expect.soft(value?.region, 'customer.region').not.toBeNull();
              if (get === 'CARD') {
                for (const field of OFF_CARD) {
                  expect.soft(value?.[field] ?? null, `customer.${field} on a card`).toBeNull();
                  expect.soft(codesAt(gets, [alias, field]), `customer.${field} error on a card`).toEqual(['FORBIDDEN']);
                }
                expect
                  .soft(
                    strayErrors(gets, [alias], (error) => OFF_CARD.includes(String(error.path?.[1])) && error.path?.length === 2),
                    'other errors on a card',
                  )
                  .toEqual([]);
              } else {
                expect.soft(value?.notes, 'customer.notes').toMatch(account.canary);
                expect.soft(value?.version, 'customer.version').toEqual(expect.any(Number));
                expect
                  .soft(sorted((value?.contacts ?? []).map((row: { id: string }) => row.id)), 'customer.contacts')
                  .toEqual(sorted(contacts));
                expect.soft(nodeIds(value?.interactions), 'customer.interactions').toEqual(sorted(interactions));
                expect.soft(nodeIds(value?.orders), 'customer.orders').toEqual(sorted(orders));
                expect.soft(value?.ownershipHistory, 'customer.ownershipHistory').toEqual(expect.any(Array));
                if (mayReadPii(principal)) expect.soft(value?.contacts?.[0]?.mobile, 'contact mobile').toBe(account.mobile);
                expect
                  .soft(
                    strayErrors(gets, [alias], (error) => !mayReadPii(principal) && isPiiDenial(error)),
                    'errors on a full read',
                  )
                  .toEqual([]);
              }
            }

            // Its children by id.
            for (const { prefix, field, rows, scope } of CHILDREN) {
              const childAlias = `${prefix}${index}`;
              const child = world[rows].find((row) => row.customer === account.id)!.id;
              const gate = operationGate(principal, scope);
              const got = gets.data?.[childAlias] ?? null;
              if (gate !== 'ALLOWED') {
                expect.soft(got, `${field}(id)`).toBeNull();
                expect.soft(codesAt(gets, [childAlias]), `${field}(id) error`).toContain(gate);
              } else if (mayOpen(level)) {
                expect.soft(got?.id, `${field}(id)`).toBe(child);
                expect
                  .soft(
                    strayErrors(gets, [childAlias], () => false),
                    `${field}(id) errors`,
                  )
                  .toEqual([]);
              } else {
                expect.soft(got, `${field}(id) should be null`).toBeNull();
                expect
                  .soft(
                    strayErrors(gets, [childAlias], () => false),
                    `${field}(id) errors`,
                  )
                  .toEqual([]);
              }
            }

            // Lists: the account and its children, iff READ/EDIT (the directory: unless NONE).
            const listed = (name: ListName, ids: string[], shown: boolean) => {
              if (operationGate(principal, LISTS[name].scope) !== 'ALLOWED') return;
              const found = nodeIds(seen.lists[name].data?.list);
              for (const id of ids) expect.soft(found.includes(id), `${name} list has ${id}`).toBe(shown);
            };
            listed('customers', [account.id], mayOpen(level));
            listed('directory', [account.id], expectedListed(state, 'DIRECTORY'));
            listed('contacts', contacts, mayOpen(level));
            listed('interactions', interactions, mayOpen(level));
            listed('orders', orders, mayOpen(level));

            // updateCustomer, and the row afterwards.
            const attempt = seen.updates.get(account.id)!;
            if (update === 'ALLOWED') {
              expect.soft(attempt.response.errors, 'updateCustomer errors').toEqual([]);
              expect.soft(attempt.response.data?.updateCustomer?.notes, 'updateCustomer payload').toBe(attempt.notes);
              expect.soft(attempt.after.notes, 'notes in the database').toBe(attempt.notes);
              expect.soft(attempt.after.version, 'version in the database').toBe(attempt.before.version + 1);
            } else {
              expect.soft(attempt.response.data?.updateCustomer ?? null, 'updateCustomer payload').toBeNull();
              expect
                .soft(
                  attempt.response.errors.map((error) => error.extensions?.code),
                  'updateCustomer error',
                )
                .toEqual([update]);
              expect.soft(attempt.after, 'the row is unchanged').toEqual(attempt.before);
            }

            // The canary never reaches a principal who may not open the account — nor does its mobile.
            if (!mayOpen(level)) {
              const texts = [
                gets.text,
                ...Object.values(seen.lists).map((response) => response.text),
                ...[...seen.updates.values()].map((observed) => observed.response.text),
              ];
              for (const text of texts) {
                expect.soft(text.includes(account.canary), `canary of ${account.key} in a response`).toBe(false);
                expect
                  .soft(
                    text.includes(account.mobile) || text.includes(account.mobile.replace(/\D/g, '')),
                    `mobile of ${account.key} in a response`,
                  )
                  .toBe(false);
              }
            }
          });
        }
      });
    }
  });
}
