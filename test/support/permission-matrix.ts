/**
 * Building blocks of the generated permission matrix (test/api/permission-matrix.test.ts): the
 * principals and their viewers as the server resolves them, the operation gate as the auth
 * checker decides it, a snapshot of the data the cases are about, and batched GraphQL probes.
 * Nothing here states an expected outcome; the test derives them from the policy functions.
 */
import { expect } from 'vitest';
import { getMetadataStorage } from 'type-graphql';
import { authChecker } from '../../api/src/modules/access/operation.policy.js';
import { resolveViewer } from '../../api/src/common/auth/session.js';
import { type Viewer, type TerritoryAccess, ApiKeyKind, Scope, Role } from '../../api/src/common/access/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../api/src/common/errors/errors.js';
import { customerAccess, type AccessLevel, type Ownership } from '../../api/src/modules/access/access.rules.js';
import type { TransferParties } from '../../api/src/modules/transfer/transfer.permissions.js';
import type { Baseline, Principal } from '../fixtures/baseline.js';
import type { GqlResult, TestApp } from '../setup/app.js';

export type Code = 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED';
export type Gate = 'ALLOWED' | Code;

/** Someone the matrix acts as: a baseline user, an API key, or nobody. */
export interface Actor {
  name: string;
  viewer: Viewer | null;
  gql(document: string, variables?: Record<string, unknown>): Promise<GqlResult>;
}

export const USERS: Principal[] = ['admin', 'managerEast', 'managerSouth', 'repHangzhou', 'repHangzhou2', 'repNingbo', 'repGuangzhou'];

export interface KeySpec {
  kind: ApiKeyKind;
  territory: keyof Baseline['regions'];
  scopes: Scope[];
}

const ALL_SCOPES = Object.values(Scope);

/** API keys of every shape the policy tells apart: in or outside a territory, write scopes or not, partial scopes, BI. */
export const KEYS: Record<string, KeySpec> = {
  integratorHZ: { kind: ApiKeyKind.INTEGRATOR, territory: 'hangzhou', scopes: ALL_SCOPES },
  integratorHZReadOnly: {
    kind: ApiKeyKind.INTEGRATOR,
    territory: 'hangzhou',
    scopes: [Scope.CUSTOMERS_READ, Scope.CONTACTS_READ, Scope.INTERACTIONS_READ, Scope.ORDERS_READ, Scope.EVALUATIONS_READ],
  },
  integratorGZ: { kind: ApiKeyKind.INTEGRATOR, territory: 'guangzhou', scopes: ALL_SCOPES },
  biEast: {
    kind: ApiKeyKind.BI,
    territory: 'east',
    scopes: [Scope.CUSTOMERS_READ, Scope.CONTACTS_READ, Scope.PII_READ, Scope.INTERACTIONS_READ, Scope.ORDERS_READ, Scope.EVALUATIONS_READ],
  },
  integratorZJInteractions: {
    kind: ApiKeyKind.INTEGRATOR,
    territory: 'zhejiang',
    scopes: [Scope.INTERACTIONS_READ, Scope.INTERACTIONS_WRITE],
  },
  integratorZJNoContacts: {
    kind: ApiKeyKind.INTEGRATOR,
    territory: 'zhejiang',
    scopes: [Scope.CUSTOMERS_READ, Scope.PII_READ, Scope.ORDERS_READ, Scope.ORDERS_WRITE],
  },
};

const SCOPE_NAMES = new Map(Object.entries(Scope).map(([name, value]) => [value, name]));

async function post(
  t: TestApp,
  authorization: string | null,
  document: string,
  variables: Record<string, unknown> = {},
): Promise<GqlResult> {
  let request = t.http().post('/graphql').set('content-type', 'application/json');
  if (authorization) request = request.set('authorization', authorization);
  const response = await request.send({ query: document, variables });
  return { status: response.status, data: response.body?.data ?? null, errors: response.body?.errors, body: response.body };
}

/**
 * The actors, each with the viewer the server resolves from its bearer token (the same
 * `resolveViewer` the GraphQL handler calls). Keys are created through `createApiKey`.
 */
export async function createActors(t: TestApp, users: readonly Principal[], keys: readonly string[], anonymous: boolean): Promise<Actor[]> {
  const actors: Actor[] = [];
  const viewerOf = (authorization: string) => resolveViewer(t.orm.em.fork(), authorization, t.app.config.authSecret);
  for (const name of users) {
    const authorization = `Bearer ${t.tokenFor(name)}`;
    actors.push({ name, viewer: await viewerOf(authorization), gql: (document, variables) => post(t, authorization, document, variables) });
  }
  for (const name of keys) {
    const spec = KEYS[name]!;
    const created = await t.gqlAs('admin', 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', {
      input: {
        name,
        kind: spec.kind,
        scopes: spec.scopes.map((scope) => SCOPE_NAMES.get(scope)),
        territoryIds: [t.baseline.regions[spec.territory].id],
      },
    });
    expect(created.errors, name).toBeUndefined();
    const authorization = `Bearer ${created.data!.createApiKey.secret as string}`;
    actors.push({ name, viewer: await viewerOf(authorization), gql: (document, variables) => post(t, authorization, document, variables) });
  }
  if (anonymous) actors.push({ name: 'anonymous', viewer: null, gql: (document, variables) => post(t, null, document, variables) });
  for (const actor of actors) if (actor.name !== 'anonymous') expect(actor.viewer, actor.name).not.toBeNull();
  return actors;
}

const checkAuth = authChecker as unknown as (data: { context: { viewer: Viewer | null } }, roles: string[]) => boolean;

/** Who may call an operation: the roles declared with @Authorized, put to the server's auth checker. */
export function gate(viewer: Viewer | null, operation: string): Gate {
  const [kind, name] = operation.split('.') as ['Query' | 'Mutation', string];
  const storage = getMetadataStorage();
  const declared = (kind === 'Query' ? storage.queries : storage.mutations).find((resolver) => resolver.schemaName === name);
  if (!declared) throw new Error(`${operation} is not an operation`);
  if (!declared.roles) return 'ALLOWED';
  try {
    return checkAuth({ context: { viewer } }, declared.roles) ? 'ALLOWED' : 'FORBIDDEN';
  } catch (error) {
    if (error instanceof UnauthenticatedError) return 'UNAUTHENTICATED';
    if (error instanceof ForbiddenError) return 'FORBIDDEN';
    throw error;
  }
}

/** The access level, or null for nobody (who is stopped by the gate first). */
export function levelOf(viewer: Viewer | null, account: Ownership, territoryAccess: TerritoryAccess): AccessLevel | null {
  return viewer ? customerAccess(viewer, account, territoryAccess) : null;
}

/** How the actor stands to an account, for case names: facts about the viewer, not outcomes. */
export function relation(viewer: Viewer | null, account: Ownership): string {
  if (!viewer) return 'anonymous';
  switch (viewer.role) {
    case Role.ADMIN:
      return 'admin';
    case Role.MANAGER:
      return viewer.managedTerritories.includes(account.territory) ? 'its manager' : 'other manager';
    case Role.REP:
      if (account.owner === viewer.id) return 'owner';
      return viewer.memberTerritories.includes(account.territory) ? 'territory member' : 'other rep';
    case ApiKeyKind.INTEGRATOR:
    case ApiKeyKind.BI:
      return viewer.keyTerritories.includes(account.territory) ? 'key inside' : 'key outside';
  }
}

// ── The data the cases are about, read as the database owner (no row-level security) ──

export interface CustomerRow extends Ownership {
  id: string;
  legalName: string;
  industry: string | null;
  stage: string;
  tags: string[];
  archived: boolean;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface World {
  customers: CustomerRow[];
  customer: Map<string, CustomerRow>;
  contacts: { id: string; customer: string; name: string; email: string | null }[];
  interactions: { id: string; customer: string; author: string }[];
  orders: { id: string; customer: string; number: string }[];
  lines: { id: string; order: string }[];
  payments: { id: string; order: string }[];
  evaluations: { id: string; customer: string; cycle: string }[];
  cycles: { id: string; status: string }[];
  transfers: { id: string; customer: string; parties: TransferParties }[];
  ownershipPeriods: Map<string, number>;
  /** Region id → path (EAST/ZJ/HZ), for region filters. */
  regionPath: Map<string, string>;
  users: Map<string, string>;
}

export async function sql<T = Record<string, any>>(t: TestApp, text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

export async function snapshot(t: TestApp): Promise<World> {
  const customers = await sql<CustomerRow>(
    t,
    `select id, legal_name as "legalName", owner_id as owner, territory_id as territory, industry, lifecycle_stage as stage, tags,
    archived_at is not null as archived,
    (extract(epoch from created_at) * 1000)::float8 as "createdAtMs", (extract(epoch from updated_at) * 1000)::float8 as "updatedAtMs" from customer`,
  );
  const periods = await sql<{ customer: string; n: number }>(
    t,
    'select customer_id as customer, count(*)::int as n from ownership_history group by customer_id',
  );
  return {
    customers,
    customer: new Map(customers.map((row) => [row.id, row])),
    contacts: await sql(t, 'select id, customer_id as customer, name, email from contact'),
    interactions: await sql(t, 'select id, customer_id as customer, author_id as author from interaction'),
    orders: await sql(t, 'select id, customer_id as customer, number from sales_order'),
    lines: await sql(t, 'select id, order_id as order from order_line'),
    payments: await sql(t, 'select id, order_id as order from payment'),
    evaluations: await sql(t, 'select id, customer_id as customer, cycle_id as cycle from evaluation'),
    cycles: await sql(t, 'select id, status from evaluation_cycle'),
    transfers: (
      await sql<{ id: string; customer: string } & TransferParties>(
        t,
        `select id, customer_id as customer, requested_by_id as "requestedBy", from_owner_id as "fromOwner",
      from_territory_id as "fromTerritory", to_territory_id as "toTerritory" from transfer_request`,
      )
    ).map(({ id, customer, ...parties }) => ({ id, customer, parties })),
    ownershipPeriods: new Map(periods.map((row) => [row.customer, row.n])),
    regionPath: new Map((await sql<{ id: string; path: string }>(t, 'select id, path from region')).map((row) => [row.id, row.path])),
    users: new Map((await sql<{ id: string; name: string }>(t, 'select id, name from app_user')).map((row) => [row.id, row.name])),
  };
}

// ── Batched probes ──

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, any>;
}

/** What one probe saw: its root field's value and the errors under it (paths relative to the root field). */
export interface Observed {
  value: any;
  errors: GqlError[];
}

export interface ProbeSpec {
  /** The root field with arguments, naming variables as `$name`: `customer(id: $id)`. */
  field: string;
  selection: string;
  variables?: Record<string, [type: string, value: unknown]>;
  /**
   * Run on its own: an error on a non-null root field nulls the whole response, so a probe
   * that may fail on one is not batched with others.
   */
  alone?: boolean;
}

/**
 * Collects an actor's read probes while the cases are generated, then sends them in a few
 * documents (aliases p0, p1…) on first use. Keeps each document well inside the server's
 * alias, token and cost limits.
 */
export class Probes {
  private readonly specs: ProbeSpec[] = [];
  private results?: Promise<Map<string, Observed>>;

  constructor(
    private readonly actor: Actor,
    private readonly fragments: Record<string, string>,
    private readonly perDocument = 12,
  ) {}

  add(spec: ProbeSpec): () => Promise<Observed> {
    const alias = `p${this.specs.length}`;
    this.specs.push(spec);
    return async () => (await this.run()).get(alias)!;
  }

  private run(): Promise<Map<string, Observed>> {
    this.results ??= (async () => {
      const aliases = this.specs.map((_, index) => `p${index}`);
      const chunks: string[][] = [];
      let current: string[] = [];
      for (const alias of aliases) {
        const spec = this.specs[Number(alias.slice(1))]!;
        if (spec.alone) {
          chunks.push([alias]);
          continue;
        }
        current.push(alias);
        if (current.length === this.perDocument) {
          chunks.push(current);
          current = [];
        }
      }
      if (current.length) chunks.push(current);
      const observed = new Map<string, Observed>();
      for (const chunk of chunks) {
        const { document, variables } = this.document(chunk);
        const result = await this.actor.gql(document, variables);
        const errors = (result.errors ?? []) as GqlError[];
        const stray = errors.filter((error) => !error.path?.length);
        if (stray.length || (!result.data && !errors.length)) {
          throw new Error(
            `${this.actor.name}: the probe document failed (${result.status}): ${JSON.stringify(stray.length ? stray : result.body)}\n${document}`,
          );
        }
        for (const alias of chunk) {
          observed.set(alias, {
            value: result.data?.[alias] ?? null,
            errors: errors.filter((error) => error.path![0] === alias).map((error) => ({ ...error, path: error.path!.slice(1) })),
          });
        }
        if (!result.data && chunk.length > 1) {
          const where = errors.map((error) => error.path?.join('.')).join(', ');
          for (const alias of chunk)
            observed.get(alias)!.errors.push({ message: `the whole batch came back without data (errors at ${where})`, path: ['(batch)'] });
        }
      }
      return observed;
    })();
    return this.results;
  }

  private document(aliases: string[]): { document: string; variables: Record<string, unknown> } {
    const definitions: string[] = [];
    const variables: Record<string, unknown> = {};
    const body: string[] = [];
    for (const alias of aliases) {
      const spec = this.specs[Number(alias.slice(1))]!;
      for (const [name, [type, value]] of Object.entries(spec.variables ?? {})) {
        definitions.push(`$${alias}_${name}: ${type}`);
        variables[`${alias}_${name}`] = value;
      }
      body.push(`${alias}: ${spec.field.replace(/\$(\w+)/g, `$${alias}_$1`)} ${spec.selection}`);
    }
    const used = new Set<string>();
    const pending =
      body
        .join(' ')
        .match(/\.\.\.(\w+)/g)
        ?.map((spread) => spread.slice(3)) ?? [];
    while (pending.length) {
      const name = pending.pop()!;
      if (used.has(name)) continue;
      used.add(name);
      const fragment = this.fragments[name];
      if (!fragment) throw new Error(`no fragment ${name}`);
      pending.push(...(fragment.match(/\.\.\.(\w+)/g)?.map((spread) => spread.slice(3)) ?? []));
    }
    const head = definitions.length ? `query Matrix(${definitions.join(', ')})` : 'query Matrix';
    return { document: `${head} { ${body.join(' ')} } ${[...used].map((name) => this.fragments[name]).join(' ')}`, variables };
  }
}

/** Codes of the errors reported at exactly this path below the probe's root field. */
export function codesAt(observed: Observed, path: (string | number)[]): unknown[] {
  return observed.errors.filter((error) => JSON.stringify(error.path) === JSON.stringify(path)).map((error) => error.extensions?.code);
}
