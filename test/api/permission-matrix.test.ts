/**
 * The permission matrix, generated from the policy: every principal kind × entity × operation,
 * with the expected outcome of each case computed by the production policy functions —
 * `customerAccess` and `readableGroups` (access.rules.ts, access.masks.ts), `writeOutcome` and
 * `placementRefusal`, the operation roles put to the server's `authChecker`, `canSeeTransfer`,
 * `assertMayFileFor` and `assertMayDecide` (transfer.permissions.ts) and `mayOpenCycle` — over
 * viewers resolved by the server's own `resolveViewer`. Then the real GraphQL operation runs and
 * the observed outcome must match. No expectation is written by hand.
 *
 * The apps are built at collection time (top-level await) so that each case's name can carry
 * its expected outcome: `repNingbo (other rep) × contact of HZ/Hu × update → NOT_FOUND`.
 * Reads are batched per principal; every write acts on records created for its case and checks
 * the database afterwards (nothing changed on a denial).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_FIELD_GROUPS, readableGroups, type CustomerGroup } from '../../api/src/modules/access/access.masks.js';
import { TerritoryAccess, Scope } from '../../api/src/common/access/index.js';
import {
  AccessLevel,
  canRead,
  hasScope,
  mayOpenCycle,
  placementRefusal,
  writeOutcome,
  type Ownership,
} from '../../api/src/modules/access/access.rules.js';
import { Contact, DecisionRole } from '../../api/src/modules/contact/contact.entity.js';
import { Channel, Customer } from '../../api/src/modules/customer/customer.entity.js';
import { normalizeName } from '../../api/src/modules/customer/customer.normalize.js';
import { Interaction, InteractionKind } from '../../api/src/modules/interaction/interaction.entity.js';
import { Order, OrderLine, OrderStatus, Payment } from '../../api/src/modules/order/order.entity.js';
import { TransferRequest, TransferStatus } from '../../api/src/modules/transfer/transfer.entity.js';
import {
  assertMayDecide,
  assertMayFileFor,
  canSeeTransfer,
  type TransferParties,
} from '../../api/src/modules/transfer/transfer.permissions.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';
import {
  KEYS,
  Probes,
  USERS,
  codesAt,
  createActors,
  gate,
  levelOf,
  relation,
  snapshot,
  sql,
  type Actor,
  type Code,
  type CustomerRow,
  type Observed,
  type ProbeSpec,
  type World,
} from '../support/permission-matrix.js';

// ── Expectations ──

type Outcome = 'ALLOWED' | Code;

/** What a read case expects: a label for the case name and the assertions on what came back. */
interface ReadExpectation {
  label: string;
  /** The root field fails (so a non-null root is probed on its own). */
  fails: boolean;
  check(observed: Observed): void | Promise<void>;
}

const GROUP_OF = new Map<string, CustomerGroup>(
  Object.entries(CUSTOMER_FIELD_GROUPS).flatMap(([group, fields]) => fields.map((field) => [field, group as CustomerGroup] as const)),
);
const ALL_GROUPS = Object.keys(CUSTOMER_FIELD_GROUPS) as CustomerGroup[];

function groupOf(field: string): CustomerGroup {
  const group = GROUP_OF.get(field);
  if (!group) throw new Error(`Customer.${field} is in no field group`);
  return group;
}

function groupsLabel(groups: ReadonlySet<CustomerGroup>): string {
  if (ALL_GROUPS.every((group) => groups.has(group))) return 'full';
  const extra = ALL_GROUPS.filter((group) => group !== 'directory' && groups.has(group));
  return extra.length ? `directory card + ${extra.join(' + ')}` : 'directory card';
}

function failed(code: Code): ReadExpectation {
  return {
    label: code,
    fails: true,
    check(observed) {
      expect(observed.value).toBeNull();
      expect(codesAt(observed, [])).toEqual([code]);
    },
  };
}

const HIDDEN: ReadExpectation = {
  label: 'null',
  fails: false,
  check(observed) {
    expect(observed.value).toBeNull();
    expect(observed.errors).toEqual([]);
  },
};

/** A field that is either there (no error) or withheld: null with a FORBIDDEN error for its path. */
function expectField(observed: Observed, parent: Record<string, unknown>, path: (string | number)[], visible: boolean): void {
  const field = path.at(-1) as string;
  const where = path.join('.');
  if (visible) {
    expect(parent[field], `${where} should be visible`).not.toBeNull();
    expect(codesAt(observed, path), where).toEqual([]);
  } else {
    expect(parent[field] ?? null, `${where} should be withheld`).toBeNull();
    expect(codesAt(observed, path), where).toEqual(['FORBIDDEN']);
  }
}

const ids = (rows: { id: string }[] | null | undefined) => (rows ?? []).map((row) => row.id).sort();
const nodeIds = (connection: { edges: { node: { id: string } }[] } | null) => ids(connection?.edges.map((edge) => edge.node));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : word.endsWith('ch') ? 'es' : 's'}`;

// ── A mode: one app and its world ──

interface ModeOptions {
  users: readonly Principal[];
  keys: readonly string[];
  anonymous: boolean;
  evaluations: boolean;
  transfers: boolean;
}

interface Mode extends ModeOptions {
  access: TerritoryAccess;
  t: TestApp;
  actors: Actor[];
  world: World;
  /** Accounts the read cases are about: the first of each baseline owner. */
  records: CustomerRow[];
  /** Cycles each actor may open (mayOpenCycle). */
  cycles: Map<string, Set<string>>;
  published: string | null;
  unpublished: string | null;
}

const WEIGHTS = { purchaseCount: 0.2, purchaseAmount: 0.3, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.1 };
const GRADES = [
  { name: 'Key account', minScore: 80 },
  { name: 'Quality', minScore: 60 },
  { name: 'Normal', minScore: 20 },
];

/** A cycle computed through the API (and published when asked): evaluations for the baseline accounts. */
async function computedCycle(t: TestApp, name: string, periodStart: string, periodEnd: string, publish: boolean): Promise<string> {
  const created = await t.gqlAs('admin', 'mutation ($input: CreateEvaluationCycleInput!) { createEvaluationCycle(input: $input) { id } }', {
    input: { name, periodStart, periodEnd, weights: WEIGHTS, grades: GRADES },
  });
  expect(created.errors).toBeUndefined();
  const id = created.data!.createEvaluationCycle.id as string;
  expect((await t.gqlAs('admin', 'mutation ($id: ID!) { runEvaluationCycle(id: $id) { status } }', { id })).errors).toBeUndefined();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { data } = await t.gqlAs('admin', 'query ($id: ID!) { evaluationRun(cycleId: $id) { status error } }', { id });
    if (data!.evaluationRun.status === 'DONE') break;
    if (data!.evaluationRun.status !== 'RUNNING' || Date.now() > deadline) throw new Error(`cycle ${name}: ${JSON.stringify(data)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (publish)
    expect((await t.gqlAs('admin', 'mutation ($id: ID!) { publishEvaluationCycle(id: $id) { status } }', { id })).errors).toBeUndefined();
  return id;
}

/** Pending transfer requests to read: who asks for whose account, into which territory. */
async function fileTransfers(t: TestApp): Promise<void> {
  const { users, regions, customers } = t.baseline;
  const em = t.orm.em.fork();
  const file = (customer: Customer, requestedBy: Principal, toOwner: Principal, toTerritory: keyof typeof regions) =>
    em.create(TransferRequest, {
      customer: customer.id,
      fromOwner: customer.owner.id,
      fromTerritory: customer.territory.id,
      toOwner: users[toOwner].id,
      toTerritory: regions[toTerritory].id,
      requestedBy: users[requestedBy].id,
      reason: 'Matrix fixture',
      status: TransferStatus.PENDING,
    });
  file(customers[0]!, 'repNingbo', 'repNingbo', 'ningbo');
  file(customers[3]!, 'repGuangzhou', 'repGuangzhou', 'guangzhou');
  file(customers[6]!, 'managerSouth', 'repGuangzhou', 'guangzhou');
  file(customers[9]!, 'repHangzhou', 'repHangzhou', 'hangzhou');
  await em.flush();
}

/** `null`: TERRITORY_ACCESS left unset, so the matrix runs what a fresh installation runs (owner-only, NONE). */
async function buildMode(configured: TerritoryAccess | null, options: ModeOptions): Promise<Mode> {
  // Abuse limits off: hundreds of requests from one address, and anonymous probes must meet the auth checker, not the cost budget.
  const t = await createTestApp({
    ...(configured ? { TERRITORY_ACCESS: configured } : {}),
    RATE_LIMIT_PER_MINUTE: '0',
    COST_LIMITS: 'ANONYMOUS=100000',
  });
  const access = configured ?? TerritoryAccess.NONE;
  expect(t.app.config.territoryAccess).toBe(access);
  const actors = await createActors(t, options.users, options.keys, options.anonymous);
  const published = options.evaluations ? await computedCycle(t, 'H1 2025', '2025-01-01', '2025-06-30', true) : null;
  const unpublished = options.evaluations ? await computedCycle(t, 'H2 2025', '2025-07-01', '2025-12-31', false) : null;
  if (options.transfers) await fileTransfers(t);
  const world = await snapshot(t);
  const cycles = new Map(
    actors.map((actor) => [
      actor.name,
      new Set(
        world.cycles.filter((cycle) => actor.viewer && mayOpenCycle(actor.viewer, cycle.status === 'PUBLISHED')).map((cycle) => cycle.id),
      ),
    ]),
  );
  const records = [0, 3, 6, 9].map((index) => world.customer.get(t.baseline.customers[index]!.id)!);
  return { ...options, access, t, actors, world, records, cycles, published, unpublished };
}

// ── Read cases ──

const FRAGMENTS: Record<string, string> = {
  C: `fragment C on Customer { id legalName access territory { id } owner { id } region { id } notes registrationId address { city } version createdAt
    contacts { id } interactions(first: 20) { totalCount edges { node { id } } } orders(first: 20) { totalCount edges { node { id lines { id } payments { id } } } }
    evaluations { id } ownershipHistory { validFrom } }`,
  N: 'fragment N on Customer { id legalName access notes contacts { id } }',
  K: 'fragment K on Contact { id name email mobile imHandles { network } customer { ...N } }',
  I: 'fragment I on Interaction { id summary author { id } contact { id email } customer { ...N } }',
  O: 'fragment O on Order { id number lines { id } payments { id } customer { ...N } }',
  T: 'fragment T on TransferRequest { id status customer { ...N } }',
};
const PAGE = '{ totalCount edges { node { id } } }';
const CUSTOMER_PAGE = '{ totalCount edges { node { id access } } }';

function readCases(mode: Mode): void {
  const { world } = mode;
  const label = (account: Ownership) =>
    `${world.regionPath.get(account.territory)!.split('/').at(-1)}/${world.users.get(account.owner)!.split(' ')[0]}`;

  for (const actor of mode.actors) {
    const viewer = actor.viewer;
    const probes = new Probes(actor, FRAGMENTS);
    const level = (account: Ownership) => levelOf(viewer, account, mode.access);
    const readable = (customerId: string) => {
      const row = world.customer.get(customerId)!;
      const found = level(row);
      return found !== null && canRead(found);
    };
    const groupsOn = (account: Ownership) => readableGroups(viewer!, level(account)!);
    const scoped = (operation: string): Code | null => {
      const answer = gate(viewer, operation);
      return answer === 'ALLOWED' ? null : answer;
    };
    /** Registers a probe and a case per expectation on it. */
    const probe = (spec: Omit<ProbeSpec, 'alone'> & { nullable: boolean }, cases: [name: string, expectation: ReadExpectation][]) => {
      const observe = probes.add({ ...spec, alone: !spec.nullable && cases.some(([, expectation]) => expectation.fails) });
      for (const [name, expectation] of cases) {
        it(`${name} → ${expectation.label}`, async () => {
          await expectation.check(await observe());
        });
      }
    };
    const who = (account: Ownership) =>
      relation(viewer, account) === actor.name ? actor.name : `${actor.name} (${relation(viewer, account)})`;

    /** A list: ids and totalCount must be exactly the expected rows. */
    const listed = (operation: string, expected: () => string[], noun = 'row'): ReadExpectation => {
      const denied = scoped(operation);
      if (denied) return failed(denied);
      const rows = expected();
      return {
        label: plural(rows.length, noun),
        fails: false,
        check(observed) {
          expect(observed.errors).toEqual([]);
          expect(nodeIds(observed.value)).toEqual([...rows].sort());
          expect(observed.value.totalCount).toBe(rows.length);
        },
      };
    };
    /** One record's presence in a list probe. */
    const presence = (operation: string, id: string, shown: boolean): ReadExpectation => {
      const denied = scoped(operation);
      if (denied) return failed(denied);
      return {
        label: shown ? 'listed' : 'not listed',
        fails: false,
        check(observed) {
          expect(observed.errors).toEqual([]);
          expect(nodeIds(observed.value).includes(id)).toBe(shown);
        },
      };
    };
    /** The account nested under a visible record, as the record's viewer may see it. */
    const nestedCustomer =
      (account: CustomerRow, pick: (value: any) => any, path: (string | number)[]): ((observed: Observed) => void) =>
      (observed) => {
        const found = level(account)!;
        const groups = groupsOn(account);
        const customer = pick(observed.value);
        expect(customer).toMatchObject({ id: account.id, legalName: account.legalName, access: found });
        expectField(observed, customer, [...path, 'notes'], groups.has(groupOf('notes')));
        expectField(observed, customer, [...path, 'contacts'], groups.has(groupOf('contacts')));
        if (groups.has('contacts'))
          expect(ids(customer.contacts)).toEqual(ids(world.contacts.filter((contact) => contact.customer === account.id)));
      };

    describe(actor.name, () => {
      const records = actor.viewer ? mode.records : mode.records.slice(0, 1);
      for (const record of records) {
        const name = (entity: string, op: string) => `${who(record)} × ${entity} of ${label(record)} × ${op}`;
        const recordLevel = level(record);
        const groups = recordLevel && recordLevel !== AccessLevel.NONE ? groupsOn(record) : new Set<CustomerGroup>();

        // customer: get and every nested group
        {
          const denied = scoped('Query.customer');
          const parent: ReadExpectation | null = denied ? failed(denied) : recordLevel === AccessLevel.NONE ? HIDDEN : null;
          const get: ReadExpectation = parent ?? {
            label: groupsLabel(groups),
            fails: false,
            check(observed) {
              expect(observed.value).toMatchObject({
                id: record.id,
                legalName: record.legalName,
                access: recordLevel,
                territory: { id: record.territory },
                owner: { id: record.owner },
              });
              expect(observed.value.region).not.toBeNull();
              for (const field of ['notes', 'registrationId', 'address', 'version', 'createdAt'])
                expectField(observed, observed.value, [field], groups.has(groupOf(field)));
            },
          };
          const nested = (field: string, expected: () => string[], detail?: (value: any) => void): ReadExpectation => {
            if (parent) return parent;
            if (!groups.has(groupOf(field)))
              return {
                label: 'FORBIDDEN (field)',
                fails: false,
                check: (observed) => expectField(observed, observed.value, [field], false),
              };
            const rows = expected();
            return {
              label: plural(rows.length, 'row'),
              fails: false,
              check(observed) {
                expectField(observed, observed.value, [field], true);
                const value = observed.value[field];
                expect(Array.isArray(value) ? ids(value) : nodeIds(value)).toEqual([...rows].sort());
                if (!Array.isArray(value)) expect(value.totalCount).toBe(rows.length);
                detail?.(value);
              },
            };
          };
          const openCycles = mode.cycles.get(actor.name)!;
          probe({ field: 'customer(id: $id)', selection: '{ ...C }', variables: { id: ['ID!', record.id] }, nullable: true }, [
            [name('customer', 'get'), get],
            [
              name('customer', 'nested contacts'),
              nested('contacts', () => world.contacts.filter((row) => row.customer === record.id).map((row) => row.id)),
            ],
            [
              name('customer', 'nested interactions'),
              nested('interactions', () => world.interactions.filter((row) => row.customer === record.id).map((row) => row.id)),
            ],
            [
              name('customer', 'nested orders with lines and payments'),
              nested(
                'orders',
                () => world.orders.filter((row) => row.customer === record.id).map((row) => row.id),
                (orders) => {
                  for (const { node } of orders.edges) {
                    expect(ids(node.lines)).toEqual(ids(world.lines.filter((line) => line.order === node.id)));
                    expect(ids(node.payments)).toEqual(ids(world.payments.filter((payment) => payment.order === node.id)));
                  }
                },
              ),
            ],
            [
              name('customer', 'nested evaluations'),
              nested('evaluations', () =>
                world.evaluations.filter((row) => row.customer === record.id && openCycles.has(row.cycle)).map((row) => row.id),
              ),
            ],
            [
              name('customer', 'nested ownershipHistory'),
              parent ??
                (groups.has(groupOf('ownershipHistory'))
                  ? {
                      label: plural(world.ownershipPeriods.get(record.id) ?? 0, 'period'),
                      fails: false,
                      check: (observed) => {
                        expectField(observed, observed.value, ['ownershipHistory'], true);
                        expect(observed.value.ownershipHistory).toHaveLength(world.ownershipPeriods.get(record.id) ?? 0);
                      },
                    }
                  : {
                      label: 'FORBIDDEN (field)',
                      fails: false,
                      check: (observed) => expectField(observed, observed.value, ['ownershipHistory'], false),
                    }),
            ],
          ]);
        }

        // contact, interaction, order: get by id and the account nested in it
        const child = (
          entity: string,
          operation: string,
          field: string,
          fragment: string,
          id: string,
          get: () => Omit<ReadExpectation, 'fails'>,
        ) => {
          const denied = scoped(operation);
          const parent = denied ? failed(denied) : !readable(record.id) ? HIDDEN : null;
          const got = parent ?? { ...get(), fails: false };
          probe({ field: `${field}(id: $id)`, selection: `{ ...${fragment} }`, variables: { id: ['ID!', id] }, nullable: true }, [
            [name(entity, 'get'), got],
            [
              name(entity, 'nested customer'),
              parent ?? {
                label: groupsLabel(groups),
                fails: false,
                check: nestedCustomer(record, (value) => value.customer, ['customer']),
              },
            ],
          ]);
        };
        const contact = world.contacts.find((row) => row.customer === record.id)!;
        const pii = viewer !== null && hasScope(viewer, Scope.PII_READ);
        child('contact', 'Query.contact', 'contact', 'K', contact.id, () => ({
          label: pii ? 'allowed' : 'allowed, personal data FORBIDDEN',
          check(observed) {
            expect(observed.value).toMatchObject({ id: contact.id, name: contact.name });
            for (const field of ['email', 'mobile', 'imHandles']) expectField(observed, observed.value, [field], pii);
          },
        }));
        const interaction = world.interactions.find((row) => row.customer === record.id)!;
        const seesContacts = viewer !== null && hasScope(viewer, Scope.CONTACTS_READ);
        child('interaction', 'Query.interaction', 'interaction', 'I', interaction.id, () => ({
          label: seesContacts ? (pii ? 'allowed' : 'allowed, contact email FORBIDDEN') : 'allowed, contact FORBIDDEN',
          check(observed) {
            expect(observed.value).toMatchObject({ id: interaction.id, author: { id: interaction.author } });
            expectField(observed, observed.value, ['contact'], seesContacts);
            if (seesContacts) expectField(observed, observed.value.contact, ['contact', 'email'], pii);
          },
        }));
        const order = world.orders.find((row) => row.customer === record.id)!;
        child('order', 'Query.order', 'order', 'O', order.id, () => ({
          label: 'allowed',
          check(observed) {
            expect(observed.value).toMatchObject({ id: order.id, number: order.number });
            expect(ids(observed.value.lines)).toEqual(ids(world.lines.filter((line) => line.order === order.id)));
            expect(ids(observed.value.payments)).toEqual(ids(world.payments.filter((payment) => payment.order === order.id)));
          },
        }));

        // transfer requests about this account: get, and the account nested in it
        for (const transfer of mode.transfers ? world.transfers.filter((row) => row.customer === record.id) : []) {
          const denied = scoped('Query.transferRequest');
          const parent = denied ? failed(denied) : !canSeeTransfer(viewer!, transfer.parties) ? HIDDEN : null;
          const requester = world.users.get(transfer.parties.requestedBy)!.split(' ')[0];
          probe({ field: 'transferRequest(id: $id)', selection: '{ ...T }', variables: { id: ['ID!', transfer.id] }, nullable: true }, [
            [
              name(`transfer by ${requester}`, 'get'),
              parent ?? {
                label: 'allowed',
                fails: false,
                check: (observed) => expect(observed.value).toMatchObject({ id: transfer.id, status: 'PENDING' }),
              },
            ],
            [
              name(`transfer by ${requester}`, 'nested customer'),
              parent ?? {
                label: groupsLabel(groups),
                fails: false,
                check: nestedCustomer(record, (value) => value.customer, ['customer']),
              },
            ],
          ]);
        }

        // filters: records outside reach never match; searching a field the viewer may not read matches nothing
        const match = (operation: string, rows: () => string[], noun: string) => listed(operation, rows, noun);
        const contactEmail = contact.email!;
        const searchesContacts = viewer !== null && groups.has('contacts') && hasScope(viewer, Scope.PII_READ);
        const customerSearch = (filter: Record<string, unknown>, directory = false) => ({
          field: `customers(first: 100${directory ? ', scope: DIRECTORY' : ''}, filter: $filter)`,
          selection: CUSTOMER_PAGE,
          variables: { filter: ['CustomerFilter', filter] as [string, unknown] },
        });
        const visibleCustomers = (predicate: (row: CustomerRow) => boolean) => () =>
          world.customers.filter((row) => !row.archived && readable(row.id) && predicate(row)).map((row) => row.id);
        const filterCases: [ProbeSpec, string, ReadExpectation][] = [
          [
            customerSearch({ search: record.legalName }),
            name('customer', 'filter by legal name'),
            match(
              'Query.customers',
              visibleCustomers((row) => row.id === record.id),
              'match',
            ),
          ],
          [
            customerSearch({ search: contactEmail }),
            name('customer', "search by its contact's email"),
            match(
              'Query.customers',
              visibleCustomers((row) => row.id === record.id && searchesContacts),
              'match',
            ),
          ],
          [
            customerSearch({ territoryId: record.territory }),
            name('customer', 'filter by its territory'),
            match(
              'Query.customers',
              visibleCustomers((row) => row.territory === record.territory),
              'match',
            ),
          ],
          [
            customerSearch({ ownerId: record.owner }),
            name('customer', 'filter by its owner'),
            match(
              'Query.customers',
              visibleCustomers((row) => row.owner === record.owner),
              'match',
            ),
          ],
          [
            customerSearch({ search: record.legalName }, true),
            name('customer', 'directory search by legal name'),
            (() => {
              const expectation = match(
                'Query.customers',
                () => (recordLevel !== null && recordLevel !== AccessLevel.NONE ? [record.id] : []),
                'match',
              );
              return expectation.fails
                ? expectation
                : {
                    ...expectation,
                    check: async (observed: Observed) => {
                      await expectation.check(observed);
                      for (const { node } of observed.value.edges) expect(node.access).toBe(recordLevel);
                    },
                  };
            })(),
          ],
          [
            { field: 'contacts(first: 100, filter: { customerId: $id })', selection: PAGE, variables: { id: ['ID', record.id] } },
            name('contact', 'filter by account'),
            match(
              'Query.contacts',
              () => world.contacts.filter((row) => row.customer === record.id && readable(row.customer)).map((row) => row.id),
              'match',
            ),
          ],
          [
            {
              field: 'contacts(first: 100, filter: { search: $search })',
              selection: PAGE,
              variables: { search: ['String', contactEmail] },
            },
            name('contact', 'search by email'),
            match('Query.contacts', () => (readable(record.id) && pii ? [contact.id] : []), 'match'),
          ],
          [
            { field: 'interactions(first: 100, filter: { customerId: $id })', selection: PAGE, variables: { id: ['ID', record.id] } },
            name('interaction', 'filter by account'),
            match(
              'Query.interactions',
              () => world.interactions.filter((row) => row.customer === record.id && readable(row.customer)).map((row) => row.id),
              'match',
            ),
          ],
          [
            { field: 'interactions(first: 100, filter: { authorId: $id })', selection: PAGE, variables: { id: ['ID', record.owner] } },
            name('interaction', "filter by the owner's authorship"),
            match(
              'Query.interactions',
              () => world.interactions.filter((row) => row.author === record.owner && readable(row.customer)).map((row) => row.id),
              'match',
            ),
          ],
          [
            { field: 'orders(first: 100, filter: { customerId: $id })', selection: PAGE, variables: { id: ['ID', record.id] } },
            name('order', 'filter by account'),
            match(
              'Query.orders',
              () => world.orders.filter((row) => row.customer === record.id && readable(row.customer)).map((row) => row.id),
              'match',
            ),
          ],
          [
            { field: 'orders(first: 100, filter: { search: $search })', selection: PAGE, variables: { search: ['String', order.number] } },
            name('order', 'search by number'),
            match('Query.orders', () => (readable(record.id) ? [order.id] : []), 'match'),
          ],
        ];
        if (mode.transfers) {
          filterCases.push([
            { field: 'transferRequests(first: 100, filter: { customerId: $id })', selection: PAGE, variables: { id: ['ID', record.id] } },
            name('transfer', 'filter by account'),
            match(
              'Query.transferRequests',
              () =>
                world.transfers.filter((row) => row.customer === record.id && canSeeTransfer(viewer!, row.parties)).map((row) => row.id),
              'match',
            ),
          ]);
        }
        for (const [spec, caseName, expectation] of filterCases) probe({ ...spec, nullable: false }, [[caseName, expectation]]);
      }

      // lists: each record's presence, and count (totalCount and rows) over the whole fixture
      const accessible = () => world.customers.filter((row) => !row.archived && readable(row.id)).map((row) => row.id);
      const known = () => world.customers.filter((row) => !row.archived && level(row) !== AccessLevel.NONE).map((row) => row.id);
      const children = (rows: { id: string; customer: string }[]) => () =>
        rows.filter((row) => readable(row.customer)).map((row) => row.id);
      const lists: [
        entity: string,
        operation: string,
        spec: Omit<ProbeSpec, 'alone'>,
        rows: () => string[],
        recordId: (record: CustomerRow) => string | null,
      ][] = [
        ['customer', 'Query.customers', { field: 'customers(first: 100)', selection: CUSTOMER_PAGE }, accessible, (record) => record.id],
        [
          'customer directory',
          'Query.customers',
          { field: 'customers(first: 100, scope: DIRECTORY)', selection: CUSTOMER_PAGE },
          known,
          (record) => record.id,
        ],
        [
          'contact',
          'Query.contacts',
          { field: 'contacts(first: 100)', selection: PAGE },
          children(world.contacts),
          (record) => world.contacts.find((row) => row.customer === record.id)!.id,
        ],
        [
          'interaction',
          'Query.interactions',
          { field: 'interactions(first: 100)', selection: PAGE },
          children(world.interactions),
          (record) => world.interactions.find((row) => row.customer === record.id)!.id,
        ],
        [
          'order',
          'Query.orders',
          { field: 'orders(first: 100)', selection: PAGE },
          children(world.orders),
          (record) => world.orders.find((row) => row.customer === record.id)!.id,
        ],
      ];
      if (mode.transfers) {
        lists.push([
          'transfer',
          'Query.transferRequests',
          { field: 'transferRequests(first: 100)', selection: PAGE },
          () => world.transfers.filter((row) => canSeeTransfer(viewer!, row.parties)).map((row) => row.id),
          (record) => world.transfers.find((row) => row.customer === record.id)?.id ?? null,
        ]);
      }
      const cycles = mode.cycles.get(actor.name)!;
      if (mode.published) {
        probe({ field: 'evaluationCycles(first: 100)', selection: PAGE, nullable: false }, [
          [`${actor.name} × evaluation cycles × list`, listed('Query.evaluationCycles', () => [...cycles], 'cycle')],
        ]);
      }
      for (const [cycle, status] of [
        [mode.published, 'published'],
        [mode.unpublished, 'unpublished'],
      ] as const) {
        if (!cycle) continue;
        const inCycle = () => world.evaluations.filter((row) => row.cycle === cycle && readable(row.customer)).map((row) => row.id);
        const hidden = viewer && !cycles.has(cycle) ? 'NOT_FOUND' : null;
        const feed: [string, string, Omit<ProbeSpec, 'alone'>, () => string[], (record: CustomerRow) => string | null] = [
          `evaluation (${status} cycle)`,
          'Query.evaluations',
          {
            field: 'evaluations(cycleId: $id, first: 100)',
            selection: '{ totalCount edges { node { id customer { ...N } } } }',
            variables: { id: ['ID!', cycle] },
          },
          inCycle,
          (record) => world.evaluations.find((row) => row.cycle === cycle && row.customer === record.id)?.id ?? null,
        ];
        if (hidden && !scoped('Query.evaluations')) {
          probe({ ...feed[2], nullable: false }, [[`${actor.name} × evaluations of the ${status} cycle × list`, failed(hidden)]]);
        } else {
          lists.push(feed);
          // The account nested in each result, as the viewer may see it.
          const denied = scoped('Query.evaluations');
          probe({ ...feed[2], nullable: false }, [
            [
              `${actor.name} × evaluations of the ${status} cycle × nested customer`,
              denied
                ? failed(denied)
                : {
                    label: 'as its access level and scopes allow',
                    fails: false,
                    check(observed) {
                      observed.value.edges.forEach(({ node }: { node: { customer: { id: string } } }, index: number) => {
                        const account = world.customer.get(node.customer.id)!;
                        nestedCustomer(account, (value) => value.edges[index].node.customer, ['edges', index, 'node', 'customer'])(
                          observed,
                        );
                      });
                    },
                  },
            ],
          ]);
        }
        const cycleDenied = scoped('Query.evaluationCycle');
        probe(
          {
            field: 'evaluationCycle(id: $id)',
            selection: `{ id evaluations(first: 100) ${PAGE} }`,
            variables: { id: ['ID!', cycle] },
            nullable: true,
          },
          [
            [
              `${actor.name} × evaluation cycle (${status}) × get and count its evaluations`,
              cycleDenied
                ? failed(cycleDenied)
                : !cycles.has(cycle)
                  ? HIDDEN
                  : (() => {
                      const rows = inCycle();
                      return {
                        label: plural(rows.length, 'row'),
                        fails: false,
                        check: (observed: Observed) => {
                          expect(observed.errors).toEqual([]);
                          expect(nodeIds(observed.value.evaluations)).toEqual([...rows].sort());
                          expect(observed.value.evaluations.totalCount).toBe(rows.length);
                        },
                      };
                    })(),
            ],
          ],
        );
        const distributionDenied = scoped('Query.evaluationDistribution') ?? hidden;
        probe(
          { field: 'evaluationDistribution(cycleId: $id)', selection: '{ total }', variables: { id: ['ID!', cycle] }, nullable: false },
          [
            [
              `${actor.name} × evaluation distribution (${status}) × count`,
              distributionDenied
                ? failed(distributionDenied)
                : (() => {
                    const rows = inCycle();
                    return {
                      label: `total ${rows.length}`,
                      fails: false,
                      check: (observed: Observed) => {
                        expect(observed.errors).toEqual([]);
                        expect(observed.value.total).toBe(rows.length);
                      },
                    };
                  })(),
            ],
          ],
        );
      }
      for (const [entity, operation, spec, rows, recordId] of lists) {
        const cases: [string, ReadExpectation][] = [[`${actor.name} × ${entity} × count`, listed(operation, rows)]];
        for (const record of actor.viewer ? mode.records : []) {
          const id = recordId(record);
          if (id) cases.push([`${who(record)} × ${entity} of ${label(record)} × list`, presence(operation, id, rows().includes(id))]);
        }
        probe({ ...spec, nullable: false }, cases);
      }

      // filters and sorts on fields: a directory listing takes directory fields only
      const directoryDenied = (field: string): Code | null =>
        scoped('Query.customers') ?? (groupOf(field) === 'directory' ? null : 'FORBIDDEN');
      const { regions, users } = mode.t.baseline;
      const since = Date.parse('2025-01-01T05:30:00Z');
      const customerFilters: [filter: string, field: string | null, value: unknown, predicate: (row: CustomerRow) => boolean][] = [
        ['regionId', 'region', regions.east.id, (row) => world.regionPath.get(row.territory)!.startsWith('EAST/')],
        ['territoryId', 'territory', regions.hangzhou.id, (row) => row.territory === regions.hangzhou.id],
        ['ownerId', 'owner', users.repHangzhou2.id, (row) => row.owner === users.repHangzhou2.id],
        ['search', 'legalName', 'Ningbo', (row) => row.legalName.includes('Ningbo')],
        ['industry', 'industry', 'Retail', (row) => row.industry === 'Retail'],
        ['stages', 'lifecycleStage', ['POTENTIAL'], (row) => row.stage === 'POTENTIAL'],
        ['tag', 'tags', 'key', (row) => row.tags.includes('key')],
        ['createdAfter', 'createdAt', new Date(since).toISOString(), (row) => row.createdAtMs >= since],
        ['updatedBefore', 'updatedAt', new Date(since).toISOString(), (row) => row.updatedAtMs < since],
        // Whether archived accounts are listed is the listing's own choice, not a field read.
        ['includeArchived', null, true, () => true],
      ];
      for (const [filter, field, value, predicate] of customerFilters) {
        const rows = (scope: (row: CustomerRow) => boolean) => () =>
          world.customers
            .filter((row) => (filter === 'includeArchived' || !row.archived) && scope(row) && predicate(row))
            .map((row) => row.id);
        const accessibleCase = listed(
          'Query.customers',
          rows((row) => readable(row.id)),
        );
        probe({ ...customerFilter(filter, value, false), nullable: false }, [
          [`${actor.name} × customers × filter on ${filter}`, accessibleCase],
        ]);
        // The directory holds live accounts only: whether a card-only account is archived is not the viewer's to know.
        const denied =
          filter === 'includeArchived'
            ? (scoped('Query.customers') ?? 'FORBIDDEN')
            : field
              ? directoryDenied(field)
              : scoped('Query.customers');
        probe({ ...customerFilter(filter, value, true), nullable: false }, [
          [
            `${actor.name} × customer directory × filter on ${filter}`,
            denied
              ? failed(denied)
              : listed(
                  'Query.customers',
                  rows((row) => level(row) !== AccessLevel.NONE),
                ),
          ],
        ]);
      }
      const sorted = (
        table: string,
        column: string,
        direction: 'ASC' | 'DESC',
        rows: () => string[],
        operation: string,
      ): ReadExpectation => {
        const expectation = listed(operation, rows);
        if (expectation.fails) return expectation;
        return {
          ...expectation,
          label: `${expectation.label}, in ${column} order`,
          async check(observed) {
            await expectation.check(observed);
            const order = await sql<{ id: string }>(
              mode.t,
              `select id from ${table} where id = any(?::uuid[]) order by ${column} ${direction}, id ${direction}`,
              [`{${rows().join(',')}}`],
            );
            expect(observed.value.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(order.map((row) => row.id));
          },
        };
      };
      const customerSorts: [sort: string, field: string, column: string, direction: 'ASC' | 'DESC'][] = [
        ['LEGAL_NAME', 'legalName', 'legal_name', 'ASC'],
        ['CREATED_AT', 'createdAt', 'created_at', 'DESC'],
        ['UPDATED_AT', 'updatedAt', 'updated_at', 'DESC'],
      ];
      for (const [sort, field, column, direction] of customerSorts) {
        const orderBy = `orderBy: { field: ${sort}, direction: ${direction} }`;
        probe({ field: `customers(first: 100, ${orderBy})`, selection: CUSTOMER_PAGE, nullable: false }, [
          [`${actor.name} × customers × sort by ${sort}`, sorted('customer', column, direction, accessible, 'Query.customers')],
        ]);
        const denied = directoryDenied(field);
        probe({ field: `customers(first: 100, scope: DIRECTORY, ${orderBy})`, selection: CUSTOMER_PAGE, nullable: false }, [
          [
            `${actor.name} × customer directory × sort by ${sort}`,
            denied ? failed(denied) : sorted('customer', column, direction, known, 'Query.customers'),
          ],
        ]);
      }
      const childSorts: [entity: string, operation: string, table: string, rows: () => string[], sorts: [string, string][]][] = [
        [
          'contacts',
          'Query.contacts',
          'contact',
          children(world.contacts),
          [
            ['NAME', 'name'],
            ['CREATED_AT', 'created_at'],
            ['UPDATED_AT', 'updated_at'],
          ],
        ],
        [
          'interactions',
          'Query.interactions',
          'interaction',
          children(world.interactions),
          [
            ['OCCURRED_AT', 'occurred_at'],
            ['CREATED_AT', 'created_at'],
          ],
        ],
        [
          'orders',
          'Query.orders',
          'sales_order',
          children(world.orders),
          [
            ['ORDERED_AT', 'ordered_at'],
            ['NUMBER', 'number'],
            ['TOTAL', 'total'],
            ['CREATED_AT', 'created_at'],
          ],
        ],
      ];
      for (const [entity, operation, table, rows, sorts] of childSorts) {
        for (const [sort, column] of sorts) {
          probe({ field: `${entity}(first: 100, orderBy: { field: ${sort}, direction: ASC })`, selection: PAGE, nullable: false }, [
            [`${actor.name} × ${entity} × sort by ${sort}`, sorted(table, column, 'ASC', rows, operation)],
          ]);
        }
      }
    });
  }
}

function customerFilter(filter: string, value: unknown, directory: boolean): Omit<ProbeSpec, 'alone'> {
  return {
    field: `customers(first: 100${directory ? ', scope: DIRECTORY' : ''}, filter: $filter)`,
    selection: CUSTOMER_PAGE,
    variables: { filter: ['CustomerFilter', { [filter]: value }] },
  };
}

// ── Write cases: each on records created for it, the database checked afterwards ──

type FixtureKind = 'none' | 'customer' | 'contact' | 'interaction' | 'order' | 'payment' | 'transfer';

interface FixtureSpec {
  kind: FixtureKind;
  transfer?: { requestedBy: Principal; toOwner: Principal; toTerritory: 'ningbo' | 'guangzhou' };
}

interface Made {
  customer: string;
  contact: string;
  interaction: string;
  order: string;
  payment: string;
  transfer: string;
}

/** Records for the write cases, all created in one flush when the writes start (after the reads). */
class Fixtures {
  private readonly specs: FixtureSpec[] = [];
  private readonly made: Made[] = [];

  want(spec: FixtureSpec): () => Made {
    const index = this.specs.push(spec) - 1;
    return () => this.made[index]!;
  }

  async create(t: TestApp, account: Ownership): Promise<void> {
    const em = t.orm.em.fork();
    const { users, regions } = t.baseline;
    for (const [index, spec] of this.specs.entries()) {
      const legalName = `Matrix ${index} ${randomUUID().slice(0, 8)} Co.`;
      const customer = em.create(Customer, {
        legalName,
        normalizedName: normalizeName(legalName),
        territory: account.territory,
        owner: account.owner,
        notes: 'original',
      });
      const made: Made = { customer: customer.id, contact: '', interaction: '', order: '', payment: '', transfer: '' };
      if (spec.kind === 'contact') made.contact = em.create(Contact, { customer, name: 'Original', decisionRole: DecisionRole.BUYER }).id;
      if (spec.kind === 'interaction') {
        made.interaction = em.create(Interaction, {
          customer,
          author: account.owner,
          kind: InteractionKind.VISIT,
          channel: Channel.FIELD,
          occurredAt: new Date('2025-03-01T00:00:00Z'),
          summary: 'Original',
        }).id;
      }
      if (spec.kind === 'order' || spec.kind === 'payment') {
        const order = em.create(Order, {
          customer,
          number: `MX-${randomUUID().slice(0, 12)}`,
          status: spec.kind === 'order' ? OrderStatus.QUOTE : OrderStatus.CONFIRMED,
          orderedAt: new Date('2025-03-01T00:00:00Z'),
          currency: 'CNY',
          subtotal: '100.00',
          discountTotal: '0.00',
          total: '100.00',
          contractRef: 'original',
        });
        em.create(OrderLine, { order, position: 1, product: 'Widget', quantity: '1.000', unitPrice: '100.00', amount: '100.00' });
        made.order = order.id;
        if (spec.kind === 'payment') made.payment = em.create(Payment, { order, amount: '10.00', dueDate: '2025-04-01' }).id;
      }
      if (spec.transfer) {
        const { requestedBy, toOwner, toTerritory } = spec.transfer;
        made.transfer = em.create(TransferRequest, {
          customer,
          fromOwner: account.owner,
          fromTerritory: account.territory,
          toOwner: users[toOwner].id,
          toTerritory: regions[toTerritory].id,
          requestedBy: users[requestedBy].id,
          reason: 'Matrix fixture',
          status: TransferStatus.PENDING,
        }).id;
      }
      this.made.push(made);
    }
    await em.flush();
  }
}

interface WriteCase {
  entity: string;
  op: string;
  /** The mutation's root field, for the payload. */
  field: string;
  fixture: FixtureSpec;
  expected: Outcome;
  run(actor: Actor, made: Made, marker: string): Promise<GqlResult>;
  /** The database after the call: changed as asked when allowed, untouched when denied. */
  verify(made: Made, marker: string, allowed: boolean): Promise<void>;
}

const one = async <T = Record<string, any>>(t: TestApp, text: string, params: unknown[]) => (await sql<T>(t, text, params))[0];
const count = async (t: TestApp, text: string, params: unknown[]) =>
  (await one<{ n: number }>(t, `select count(*)::int as n from ${text}`, params))!.n;

function refusal(check: () => void): Outcome {
  try {
    check();
    return 'ALLOWED';
  } catch (error) {
    return (error as { code?: Code }).code ?? 'FORBIDDEN';
  }
}

function writeCases(mode: Mode): void {
  const { t } = mode;
  const { users, regions, customers } = t.baseline;
  /** The account written to: repHangzhou's in Hangzhou; every case gets a fresh one with the same owner and territory. */
  const account: Ownership = { owner: customers[0]!.owner.id, territory: customers[0]!.territory.id };
  const accountLabel = 'HZ/Hu';
  const fixtures = new Fixtures();
  beforeAll(() => fixtures.create(t, account));

  for (const actor of mode.actors) {
    const viewer = actor.viewer;
    const guarded = (operation: string, then: () => Outcome): Outcome => {
      const answer = gate(viewer, operation);
      return answer === 'ALLOWED' ? then() : answer;
    };
    /** A change to the account or one of its records: the operation's roles, then the access level. */
    const onAccount = (operation: string) => guarded(operation, () => writeOutcome(levelOf(viewer, account, mode.access)!));
    const cases: WriteCase[] = [];
    const createCustomer = (owner: string, op: string): WriteCase => ({
      entity: 'customer',
      op,
      field: 'createCustomer',
      fixture: { kind: 'none' },
      expected: guarded('Mutation.createCustomer', () =>
        placementRefusal(viewer!, { owner, territory: account.territory }) ? 'FORBIDDEN' : 'ALLOWED',
      ),
      run: (who, _made, marker) =>
        who.gql('mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }', {
          input: { legalName: marker, territoryId: account.territory, ownerId: owner },
        }),
      verify: async (_made, marker, allowed) => expect(await count(t, 'customer where legal_name = ?', [marker])).toBe(allowed ? 1 : 0),
    });
    cases.push(createCustomer(account.owner, 'create (owned by Hu)'));
    if (viewer?.role === 'REP' && viewer.id !== account.owner) cases.push(createCustomer(viewer.id, 'create for themselves'));
    cases.push(
      {
        entity: 'customer',
        op: 'update',
        field: 'updateCustomer',
        fixture: { kind: 'customer' },
        expected: onAccount('Mutation.updateCustomer'),
        run: (who, made, marker) =>
          who.gql('mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }', {
            id: made.customer,
            input: { version: 1, notes: marker },
          }),
        verify: async (made, marker, allowed) =>
          expect(await one(t, 'select notes, version from customer where id = ?', [made.customer])).toEqual(
            allowed ? { notes: marker, version: 2 } : { notes: 'original', version: 1 },
          ),
      },
      {
        entity: 'customer',
        op: 'archive',
        field: 'archiveCustomer',
        fixture: { kind: 'customer' },
        expected: onAccount('Mutation.archiveCustomer'),
        run: (who, made) => who.gql('mutation ($id: ID!) { archiveCustomer(id: $id, version: 1) { id } }', { id: made.customer }),
        verify: async (made, _marker, allowed) =>
          expect(await one(t, 'select archived_at is not null as archived from customer where id = ?', [made.customer])).toEqual({
            archived: allowed,
          }),
      },
      {
        entity: 'contact',
        op: 'create',
        field: 'createContact',
        fixture: { kind: 'customer' },
        expected: onAccount('Mutation.createContact'),
        run: (who, made, marker) =>
          who.gql('mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }', {
            input: { customerId: made.customer, name: marker },
          }),
        verify: async (made, marker, allowed) =>
          expect(await count(t, 'contact where customer_id = ? and name = ?', [made.customer, marker])).toBe(allowed ? 1 : 0),
      },
      {
        entity: 'contact',
        op: 'update',
        field: 'updateContact',
        fixture: { kind: 'contact' },
        expected: onAccount('Mutation.updateContact'),
        run: (who, made, marker) =>
          who.gql('mutation ($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id } }', {
            id: made.contact,
            input: { version: 1, name: marker },
          }),
        verify: async (made, marker, allowed) =>
          expect(await one(t, 'select name, version from contact where id = ?', [made.contact])).toEqual(
            allowed ? { name: marker, version: 2 } : { name: 'Original', version: 1 },
          ),
      },
      {
        entity: 'contact',
        op: 'delete',
        field: 'deleteContact',
        fixture: { kind: 'contact' },
        expected: onAccount('Mutation.deleteContact'),
        run: (who, made) => who.gql('mutation ($id: ID!) { deleteContact(id: $id, version: 1) }', { id: made.contact }),
        verify: async (made, _marker, allowed) => expect(await count(t, 'contact where id = ?', [made.contact])).toBe(allowed ? 0 : 1),
      },
      {
        entity: 'interaction',
        op: 'create',
        field: 'logInteraction',
        fixture: { kind: 'customer' },
        expected: onAccount('Mutation.logInteraction'),
        run: (who, made, marker) =>
          who.gql('mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id } }', {
            input: { customerId: made.customer, kind: 'CALL', channel: 'PHONE', summary: marker },
          }),
        verify: async (made, marker, allowed) =>
          expect(await count(t, 'interaction where customer_id = ? and summary = ?', [made.customer, marker])).toBe(allowed ? 1 : 0),
      },
      {
        entity: 'interaction',
        op: 'update',
        field: 'updateInteraction',
        fixture: { kind: 'interaction' },
        expected: onAccount('Mutation.updateInteraction'),
        run: (who, made, marker) =>
          who.gql('mutation ($id: ID!, $input: UpdateInteractionInput!) { updateInteraction(id: $id, input: $input) { id } }', {
            id: made.interaction,
            input: { version: 1, summary: marker },
          }),
        verify: async (made, marker, allowed) =>
          expect(await one(t, 'select summary, version from interaction where id = ?', [made.interaction])).toEqual(
            allowed ? { summary: marker, version: 2 } : { summary: 'Original', version: 1 },
          ),
      },
      {
        entity: 'interaction',
        op: 'delete',
        field: 'deleteInteraction',
        fixture: { kind: 'interaction' },
        expected: onAccount('Mutation.deleteInteraction'),
        run: (who, made) => who.gql('mutation ($id: ID!) { deleteInteraction(id: $id, version: 1) }', { id: made.interaction }),
        verify: async (made, _marker, allowed) =>
          expect(await count(t, 'interaction where id = ?', [made.interaction])).toBe(allowed ? 0 : 1),
      },
      {
        entity: 'order',
        op: 'create',
        field: 'createOrder',
        fixture: { kind: 'customer' },
        expected: onAccount('Mutation.createOrder'),
        run: (who, made, marker) =>
          who.gql('mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }', {
            input: { customerId: made.customer, number: marker, lines: [{ product: 'Widget', quantity: '1', unitPrice: '10.00' }] },
          }),
        verify: async (made, marker, allowed) =>
          expect(await count(t, 'sales_order where customer_id = ? and number = ?', [made.customer, marker])).toBe(allowed ? 1 : 0),
      },
      {
        entity: 'order',
        op: 'update',
        field: 'updateOrder',
        fixture: { kind: 'order' },
        expected: onAccount('Mutation.updateOrder'),
        run: (who, made, marker) =>
          who.gql('mutation ($id: ID!, $input: UpdateOrderInput!) { updateOrder(id: $id, input: $input) { id } }', {
            id: made.order,
            input: { version: 1, contractRef: marker },
          }),
        verify: async (made, marker, allowed) =>
          expect(await one(t, 'select contract_ref as ref, version from sales_order where id = ?', [made.order])).toEqual(
            allowed ? { ref: marker, version: 2 } : { ref: 'original', version: 1 },
          ),
      },
      {
        entity: 'order',
        op: 'delete',
        field: 'deleteOrder',
        fixture: { kind: 'order' },
        expected: onAccount('Mutation.deleteOrder'),
        run: (who, made) => who.gql('mutation ($id: ID!) { deleteOrder(id: $id, version: 1) }', { id: made.order }),
        verify: async (made, _marker, allowed) => expect(await count(t, 'sales_order where id = ?', [made.order])).toBe(allowed ? 0 : 1),
      },
      {
        entity: 'payment',
        op: 'create',
        field: 'createPayment',
        fixture: { kind: 'payment' },
        expected: onAccount('Mutation.createPayment'),
        run: (who, made) =>
          who.gql('mutation ($input: CreatePaymentInput!) { createPayment(input: $input) { id } }', {
            input: { orderId: made.order, amount: '10.00', dueDate: '2025-05-01' },
          }),
        verify: async (made, _marker, allowed) => expect(await count(t, 'payment where order_id = ?', [made.order])).toBe(allowed ? 2 : 1),
      },
      {
        entity: 'payment',
        op: 'update',
        field: 'updatePayment',
        fixture: { kind: 'payment' },
        expected: onAccount('Mutation.updatePayment'),
        run: (who, made) =>
          who.gql('mutation ($id: ID!, $input: UpdatePaymentInput!) { updatePayment(id: $id, input: $input) { id } }', {
            id: made.payment,
            input: { version: 1, dueDate: '2025-06-01' },
          }),
        verify: async (made, _marker, allowed) =>
          expect(await one(t, `select to_char(due_date, 'YYYY-MM-DD') as due, version from payment where id = ?`, [made.payment])).toEqual(
            allowed ? { due: '2025-06-01', version: 2 } : { due: '2025-04-01', version: 1 },
          ),
      },
      {
        entity: 'payment',
        op: 'delete',
        field: 'deletePayment',
        fixture: { kind: 'payment' },
        expected: onAccount('Mutation.deletePayment'),
        run: (who, made) => who.gql('mutation ($id: ID!) { deletePayment(id: $id, version: 1) }', { id: made.payment }),
        verify: async (made, _marker, allowed) => expect(await count(t, 'payment where id = ?', [made.payment])).toBe(allowed ? 0 : 1),
      },
    );

    if (mode.transfers) {
      const request = (toOwner: Principal | null, op: string): WriteCase => ({
        entity: 'customer',
        op,
        field: 'requestTransfer',
        fixture: { kind: 'customer' },
        expected: guarded('Mutation.requestTransfer', () => {
          if (levelOf(viewer, account, mode.access) === AccessLevel.NONE) return 'NOT_FOUND';
          return refusal(() => assertMayFileFor(viewer!, toOwner ? users[toOwner].id : viewer!.id));
        }),
        run: (who, made) =>
          who.gql('mutation ($input: RequestTransferInput!) { requestTransfer(input: $input) { id } }', {
            input: {
              customerId: made.customer,
              reason: 'Asked for by the matrix',
              ...(toOwner ? { toOwnerId: users[toOwner].id, toTerritoryId: regions.ningbo.id } : {}),
            },
          }),
        verify: async (made, _marker, allowed) =>
          expect(await count(t, `transfer_request where customer_id = ? and status = 'PENDING'`, [made.customer])).toBe(allowed ? 1 : 0),
      });
      cases.push(request('repNingbo', 'request transfer to Ning in NB'));
      // A rep asks for an account for themselves (the owner already has it: that is no request at all).
      if (viewer?.role === 'REP' && viewer.id !== account.owner) cases.push(request(null, 'request transfer to themselves'));
      const approve = (requestedBy: Principal, toTerritory: 'ningbo' | 'guangzhou', op: string): WriteCase => {
        const parties: TransferParties = {
          requestedBy: users[requestedBy].id,
          fromOwner: account.owner,
          fromTerritory: account.territory,
          toTerritory: regions[toTerritory].id,
        };
        return {
          entity: 'customer',
          op,
          field: 'approveTransfer',
          fixture: { kind: 'transfer', transfer: { requestedBy, toOwner: requestedBy, toTerritory } },
          expected: guarded('Mutation.approveTransfer', () =>
            canSeeTransfer(viewer!, parties) ? refusal(() => assertMayDecide(viewer!, parties)) : 'NOT_FOUND',
          ),
          run: (who, made) => who.gql('mutation ($id: ID!) { approveTransfer(id: $id, version: 1) { id } }', { id: made.transfer }),
          verify: async (made, _marker, allowed) => {
            expect(await one(t, 'select status from transfer_request where id = ?', [made.transfer])).toEqual({
              status: allowed ? 'APPROVED' : 'PENDING',
            });
            expect(await one(t, 'select owner_id as owner, territory_id as territory from customer where id = ?', [made.customer])).toEqual(
              allowed ? { owner: users[requestedBy].id, territory: regions[toTerritory].id } : account,
            );
          },
        };
      };
      cases.push(
        approve('repNingbo', 'ningbo', 'approve transfer to Ning in NB'),
        approve('repGuangzhou', 'guangzhou', 'approve transfer to Guo in GZ'),
      );
    }

    describe(actor.name, () => {
      for (const writeCase of cases) {
        const made = fixtures.want(writeCase.fixture);
        it(`${relation(viewer, account) === actor.name ? actor.name : `${actor.name} (${relation(viewer, account)})`} × ${writeCase.entity} of ${accountLabel} × ${writeCase.op} → ${writeCase.expected}`, async () => {
          const marker = `MX-${randomUUID().slice(0, 13)}`;
          const result = await writeCase.run(actor, made(), marker);
          if (writeCase.expected === 'ALLOWED') {
            expect(result.errors).toBeUndefined();
            expect(result.data?.[writeCase.field]).toBeTruthy();
          } else {
            expect(result.errors?.map((error) => error.extensions?.code)).toEqual([writeCase.expected]);
            expect(result.data?.[writeCase.field] ?? null).toBeNull();
          }
          await writeCase.verify(made(), marker, writeCase.expected === 'ALLOWED');
        });
      }
    });
  }
}

// ── The apps: the default (TERRITORY_ACCESS unset, NONE) with every principal, and the users' slice with the READ and EDIT opt-ins ──

const modes = [
  await buildMode(null, { users: USERS, keys: Object.keys(KEYS), anonymous: true, evaluations: true, transfers: true }),
  await buildMode(TerritoryAccess.READ, { users: USERS, keys: [], anonymous: false, evaluations: false, transfers: false }),
  await buildMode(TerritoryAccess.EDIT, { users: USERS, keys: [], anonymous: false, evaluations: false, transfers: false }),
];

afterAll(async () => {
  for (const mode of modes) await mode.t.close();
});

for (const mode of modes) {
  describe(`TERRITORY_ACCESS=${mode.access}`, () => {
    describe('reads', () => readCases(mode));
    describe('writes', () => writeCases(mode));
  });
}
