import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { reachOf, TerritoryAccess, Scope, type Viewer } from '../../api/src/common/access/index.js';
import { AccessLevel, customerAccess } from '../../api/src/modules/access/access.rules.js';
import { readableCustomers } from '../../api/src/modules/access/access.service.js';
import { resolveViewer, enterSession } from '../../api/src/common/auth/session.js';
import { pgArray } from '../../api/src/common/orm/pg-array.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import type { Principal } from '../fixtures/baseline.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

/** Runs SQL as a principal exactly as a request does: one transaction, unprivileged role, reach set locally. */
async function asViewer<T>(who: Principal | null, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const em = t.orm.em.fork() as EntityManager;
  return em.transactional(async (tx) => {
    const viewer = who ? await resolveViewer(tx as EntityManager, `Bearer ${t.tokenFor(who)}`, t.app.config.authSecret) : null;
    await enterSession(tx as EntityManager, viewer, TerritoryAccess.READ);
    return work(tx as EntityManager);
  });
}

const count = (em: EntityManager, sql: string) =>
  em.execute<{ n: number }[]>(`select count(*)::int as n from ${sql}`).then((rows) => rows[0]!.n);

describe('row-level security', () => {
  it('is enabled and forced on every territory-scoped table', async () => {
    const rows = await t.orm.em
      .fork()
      .getConnection()
      .execute<{ table: string; enabled: boolean; forced: boolean }[]>(
        `select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r'
         and exists (select 1 from information_schema.columns col
                     where col.table_schema = 'public' and col.table_name = c.relname
                       and col.column_name in ('customer_id', 'territory_id', 'order_id'))
         and c.relname not in ('mikro_orm_migrations')`,
      );
    expect(rows.length).toBeGreaterThanOrEqual(10);
    const unprotected = rows.filter((row) => !row.enabled || !row.forced).map((row) => row.table);
    expect(unprotected).toEqual([]);
  });

  it('shows each viewer only the accounts and children within reach, whatever the query', async () => {
    const visible = async (who: Principal | null) =>
      asViewer(who, async (em) => ({
        customers: await count(em, 'customer'),
        contacts: await count(em, 'contact'),
        interactions: await count(em, 'interaction'),
        orders: await count(em, 'sales_order'),
        lines: await count(em, 'order_line'),
        payments: await count(em, 'payment'),
        directory: await count(em, 'customer_directory'),
        history: await count(em, 'ownership_history'),
      }));
    expect(await visible('admin')).toEqual({
      customers: 12,
      contacts: 12,
      interactions: 36,
      orders: 24,
      lines: 24,
      payments: 24,
      directory: 12,
      history: 12,
    });
    // Both Hangzhou reps read each other's accounts (territory access READ): 6 customers.
    expect(await visible('repHangzhou')).toEqual({
      customers: 6,
      contacts: 6,
      interactions: 18,
      orders: 12,
      lines: 12,
      payments: 12,
      directory: 12,
      history: 6,
    });
    expect(await visible('repNingbo')).toEqual({
      customers: 3,
      contacts: 3,
      interactions: 9,
      orders: 6,
      lines: 6,
      payments: 6,
      directory: 12,
      history: 3,
    });
    expect(await visible('managerEast')).toEqual({
      customers: 9,
      contacts: 9,
      interactions: 27,
      orders: 18,
      lines: 18,
      payments: 18,
      directory: 12,
      history: 9,
    });
    expect(await visible('managerSouth')).toEqual({
      customers: 3,
      contacts: 3,
      interactions: 9,
      orders: 6,
      lines: 6,
      payments: 6,
      directory: 12,
      history: 3,
    });
    expect(await visible(null)).toEqual({
      customers: 0,
      contacts: 0,
      interactions: 0,
      orders: 0,
      lines: 0,
      payments: 0,
      directory: 0,
      history: 0,
    });
  });

  it('refuses writes outside reach even when the application would not check', async () => {
    const foreign = t.baseline.customers.find((customer) => customer.owner.id === t.baseline.users.repGuangzhou.id)!;
    const teammate = t.baseline.customers.find((customer) => customer.owner.id === t.baseline.users.repHangzhou2.id)!;
    await asViewer('repHangzhou', async (em) => {
      const updatedForeign = await em.execute(`update customer set notes = 'x' where id = ?`, [foreign.id], 'run');
      expect(updatedForeign).toMatchObject({ affectedRows: 0 });
      // Readable (same territory) but not writable with READ territory access.
      const updatedTeammate = await em.execute(`update customer set notes = 'x' where id = ?`, [teammate.id], 'run');
      expect(updatedTeammate).toMatchObject({ affectedRows: 0 });
    });
    await expect(
      asViewer('repHangzhou', (em) =>
        em.execute(`insert into contact (id, customer_id, name) values (gen_random_uuid(), ?, 'intruder')`, [foreign.id]),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      asViewer('repHangzhou', (em) =>
        em.execute(`update customer set territory_id = ? where owner_id = ?`, [
          t.baseline.regions.guangzhou.id,
          t.baseline.users.repHangzhou.id,
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('derives the same reach in SQL settings as the application policy', () => {
    const viewer = {
      kind: 'USER' as const,
      id: 'u',
      name: 'n',
      email: null,
      role: 'REP' as never,
      memberTerritories: ['t1'],
      managedTerritories: [],
      keyTerritories: [],
      scopes: [],
    };
    expect(reachOf(viewer, TerritoryAccess.NONE)).toMatchObject({ read: [], write: [], member: ['t1'], ownerId: 'u', directory: true });
    expect(reachOf(viewer, TerritoryAccess.EDIT)).toMatchObject({ read: ['t1'], write: ['t1'] });
  });
});

/**
 * The application's access decision (`customerAccess`, from the viewer's reach) and the
 * database's (row-level security over the settings `enterSession` writes, and `app_access`) are
 * run side by side over generated viewers and accounts, and both are checked against the rules
 * of docs/permissions.md, written out here independently.
 */
describe('one access rule in the application and in the database', () => {
  type Account = { id: string; owner: string; territory: string };
  type Observed = Record<'read' | 'directory' | 'contacts' | 'exportLines' | 'write', Set<string>> & { levels: Map<string, string> };
  class Rollback {
    constructor(readonly result: unknown) {}
  }
  let accounts: Account[];
  let withLines: Set<string>;
  const ROLES = ['ADMIN', 'MANAGER', 'REP', 'INTEGRATOR', 'BI'] as const;
  const SCOPES = Object.values(Scope);

  /** docs/permissions.md, "Access levels", over a viewer as the server resolves it. */
  function documentedLevel(viewer: Viewer, account: Account, territoryAccess: TerritoryAccess): string {
    switch (viewer.role) {
      case 'ADMIN':
        return 'EDIT';
      case 'MANAGER':
        return viewer.managedTerritories.includes(account.territory) ? 'EDIT' : 'DIRECTORY';
      case 'REP': {
        const member = viewer.memberTerritories.includes(account.territory);
        if (account.owner === viewer.id) return member ? 'EDIT' : 'DIRECTORY';
        if (!member) return 'DIRECTORY';
        return territoryAccess === TerritoryAccess.NONE ? 'DIRECTORY' : territoryAccess;
      }
      default:
        if (!viewer.keyTerritories.includes(account.territory)) return 'NONE';
        return viewer.role === 'INTEGRATOR' && viewer.scopes.some((scope) => scope.endsWith(':write') || scope === 'customers:import')
          ? 'EDIT'
          : 'READ';
    }
  }

  /** A small deterministic generator (mulberry32), so a failure names a reproducible state. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let x = Math.imul(state ^ (state >>> 15), 1 | state);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
  }

  beforeAll(async () => {
    const { users, regions } = t.baseline;
    const sql = t.orm.em.fork().getConnection();
    // Owners outside their own reach: a manager owning accounts outside their region, reps owning accounts where they do not work.
    const owners = [users.repHangzhou, users.repNingbo, users.managerEast, users.managerSouth];
    for (const owner of owners) {
      for (const territory of [regions.hangzhou, regions.ningbo, regions.guangzhou]) {
        const name = `Agreement ${owner.name} in ${territory.code}`;
        const [{ id }] = await sql.execute<{ id: string }[]>(
          `insert into customer (id, legal_name, normalized_name, territory_id, owner_id) values (gen_random_uuid(), ?, ?, ?, ?) returning id`,
          [name, name.toLowerCase(), territory.id, owner.id],
        );
        await sql.execute(`insert into contact (id, customer_id, name, mobile) values (gen_random_uuid(), ?, 'Buyer', '13900000002')`, [
          id,
        ]);
      }
    }
    const created = await t.gqlAs(
      'admin',
      `mutation ($input: CreateEvaluationCycleInput!) { createEvaluationCycle(input: $input) { id } }`,
      {
        input: {
          name: 'FY2025',
          periodStart: '2025-01-01',
          periodEnd: '2025-12-31',
          weights: { purchaseCount: 0.2, purchaseAmount: 0.2, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.2 },
          grades: [{ name: 'A', minScore: 0 }],
        },
      },
    );
    const cycleId = created.data!.createEvaluationCycle.id;
    await t.gqlAs('admin', `mutation ($id: ID!) { runEvaluationCycle(id: $id) { status } }`, { id: cycleId });
    for (let attempt = 0; attempt < 300; attempt += 1) {
      const { data } = await t.gqlAs('admin', `query ($id: ID!) { evaluationRun(cycleId: $id) { status } }`, { id: cycleId });
      if (data!.evaluationRun.status === 'DONE') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    accounts = await sql.execute<Account[]>('select id, owner_id as owner, territory_id as territory from customer order by id');
    // Results are scored (and get an export line) for accounts with purchases: the baseline's.
    withLines = new Set(
      (await sql.execute<{ id: string }[]>('select distinct customer_id as id from evaluation_export')).map((row) => row.id),
    );
    expect(withLines.size).toBe(12);
  });

  it('agrees with itself and with the documented rules over generated viewers × accounts', async () => {
    const { users, regions } = t.baseline;
    const territories = Object.values(regions).map((region) => region.id);
    const userIds = Object.values(users).map((user) => user.id);
    const next = random(20261202);
    const subset = (values: string[]) => values.filter(() => next() < 0.4);
    const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
    const disagreements: string[] = [];
    for (let state = 0; state < 160; state += 1) {
      const role = pick(ROLES);
      const key = role === 'INTEGRATOR' || role === 'BI';
      const viewer: Viewer = {
        kind: key ? 'API_KEY' : 'USER',
        id: key ? '00000000-0000-4000-8000-00000000000a' : pick(userIds),
        name: `state ${state}`,
        email: null,
        role: role as Viewer['role'],
        memberTerritories: key ? [] : subset(territories),
        managedTerritories: role === 'MANAGER' ? subset(territories) : [],
        keyTerritories: key ? subset(territories) : [],
        scopes: key ? (subset(SCOPES) as Scope[]) : [],
      };
      const territoryAccess = pick(Object.values(TerritoryAccess));
      const reach = reachOf(viewer, territoryAccess);
      const scoped = readableCustomers(reach);
      const appScoped = new Set(
        (await t.orm.em.fork().getConnection().execute<{ id: string }[]>(`select c.id from customer c ${scoped.sql()}`, scoped.params)).map(
          (row) => row.id,
        ),
      );
      // Each state runs in a transaction of its own that is rolled back (the update probes writability).
      const database = await t.orm.em
        .fork()
        .transactional(async (tx) => {
          await enterSession(tx as EntityManager, viewer, territoryAccess);
          const ids = async (query: string, params: unknown[] = []) =>
            new Set((await tx.execute<{ id: string }[]>(query, params)).map((row) => row.id));
          const levels = new Map(
            (
              await tx.execute<{ id: string; level: string }[]>(
                `select x.id, app_access(x.owner, x.territory) as level from unnest(?::uuid[], ?::uuid[], ?::uuid[]) as x(id, owner, territory)`,
                [pgArray(accounts.map((a) => a.id)), pgArray(accounts.map((a) => a.owner)), pgArray(accounts.map((a) => a.territory))],
              )
            ).map((row) => [row.id, row.level]),
          );
          const result = {
            levels,
            read: await ids('select id from customer'),
            directory: await ids('select customer_id as id from customer_directory'),
            contacts: await ids('select distinct customer_id as id from contact'),
            exportLines: await ids('select distinct customer_id as id from evaluation_export'),
            write: await ids('update customer set version = version where id = any(?::uuid[]) returning id', [
              pgArray(accounts.map((a) => a.id)),
            ]),
          };
          throw new Rollback(result);
        })
        .catch((error: unknown) => {
          if (error instanceof Rollback) return error.result as Observed;
          throw error;
        });
      for (const account of accounts) {
        const app = customerAccess(viewer, account, territoryAccess);
        const documented = documentedLevel(viewer, account, territoryAccess);
        const readable = app === AccessLevel.EDIT || app === AccessLevel.READ;
        const observed = {
          app,
          sql: database.levels.get(account.id),
          rlsRead: database.read.has(account.id),
          rlsWrite: database.write.has(account.id),
          directory: database.directory.has(account.id),
          contacts: database.contacts.has(account.id),
          exportLine: database.exportLines.has(account.id),
          appScope: appScoped.has(account.id),
        };
        const expected = {
          app: documented,
          sql: documented,
          rlsRead: readable,
          rlsWrite: app === AccessLevel.EDIT,
          directory: app !== AccessLevel.NONE,
          contacts: readable,
          exportLine: readable && withLines.has(account.id),
          appScope: readable,
        };
        if (JSON.stringify(observed) !== JSON.stringify(expected)) {
          disagreements.push(
            `state ${state} ${role} ${territoryAccess} viewer=${viewer.id} member=${viewer.memberTerritories.length} × owner=${account.owner} territory=${account.territory}: ${JSON.stringify(observed)} ≠ ${JSON.stringify(expected)}`,
          );
        }
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
  });
  it('runs every function that names a table with pg_temp last, so a temporary table cannot stand in for it', async () => {
    const conn = t.orm.em.fork().getConnection();
    // Read off the catalog: a function in public (SQL or PL/pgSQL) whose body names one of
    // public's tables, without a search_path of its own that puts pg_temp after public.
    const unpinned = await conn.execute<{ name: string }[]>(
      `select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
        where n.nspname = 'public' and l.lanname in ('sql', 'plpgsql')
          and exists (select 1 from pg_class c where c.relnamespace = n.oid and c.relkind in ('r', 'p', 'v', 'm')
                        and c.relname <> 'mikro_orm_migrations' and p.prosrc ~ ('\\m' || c.relname || '\\M'))
          and not coalesce(p.proconfig @> array['search_path=public, pg_temp'], false)
        order by 1`,
    );
    expect(unpinned.map((row) => row.name)).toEqual([]);
    // And the evaluation policy's helper answers from the real links with a look-alike in pg_temp.
    const fake = '00000000-0000-4000-8000-00000000fa4e';
    const linked = await t.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      await em.execute('create temp table customer_merge_child (child_id uuid, merge_id uuid, kind text) on commit drop');
      await em.execute('create temp table customer_merge (id uuid, undone_at timestamptz) on commit drop');
      await em.execute(`insert into customer_merge values ('${fake}', null)`);
      await em.execute(`insert into customer_merge_child values ('${fake}', '${fake}', 'EVALUATION')`);
      return em.execute<{ ids: string[] }[]>('select app_linked_evaluation_ids()::text[] as ids');
    });
    expect(linked[0]!.ids).not.toContain(fake);
  });
});
