import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { reachOf, TerritoryAccess } from '../../api/src/modules/access/access.policy.js';
import { resolveViewer, enterSession } from '../../api/src/common/auth/session.js';
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

const count = (em: EntityManager, sql: string) => em.execute<{ n: number }[]>(`select count(*)::int as n from ${sql}`).then((rows) => rows[0]!.n);

describe('row-level security', () => {
  it('is enabled and forced on every territory-scoped table', async () => {
    const rows = await t.orm.em.fork().getConnection().execute<{ table: string; enabled: boolean; forced: boolean }[]>(
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
    expect(await visible('admin')).toEqual({ customers: 12, contacts: 12, interactions: 36, orders: 24, lines: 24, payments: 24, directory: 12, history: 12 });
    // Both Hangzhou reps read each other's accounts (territory access READ): 6 customers.
    expect(await visible('repHangzhou')).toEqual({ customers: 6, contacts: 6, interactions: 18, orders: 12, lines: 12, payments: 12, directory: 12, history: 6 });
    expect(await visible('repNingbo')).toEqual({ customers: 3, contacts: 3, interactions: 9, orders: 6, lines: 6, payments: 6, directory: 12, history: 3 });
    expect(await visible('managerEast')).toEqual({ customers: 9, contacts: 9, interactions: 27, orders: 18, lines: 18, payments: 18, directory: 12, history: 9 });
    expect(await visible('managerSouth')).toEqual({ customers: 3, contacts: 3, interactions: 9, orders: 6, lines: 6, payments: 6, directory: 12, history: 3 });
    expect(await visible(null)).toEqual({ customers: 0, contacts: 0, interactions: 0, orders: 0, lines: 0, payments: 0, directory: 0, history: 0 });
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
      asViewer('repHangzhou', (em) => em.execute(`insert into contact (id, customer_id, name) values (gen_random_uuid(), ?, 'intruder')`, [foreign.id])),
    ).rejects.toThrow(/row-level security/);
    await expect(
      asViewer('repHangzhou', (em) => em.execute(`update customer set territory_id = ? where owner_id = ?`, [t.baseline.regions.guangzhou.id, t.baseline.users.repHangzhou.id])),
    ).rejects.toThrow(/row-level security/);
  });

  it('derives the same reach in SQL settings as the application policy', () => {
    const viewer = { kind: 'USER' as const, id: 'u', name: 'n', email: null, role: 'REP' as never, memberTerritories: ['t1'], managedTerritories: [], keyTerritories: [], scopes: [] };
    expect(reachOf(viewer, TerritoryAccess.NONE)).toMatchObject({ read: [], write: [], member: ['t1'], ownerId: 'u', directory: true });
    expect(reachOf(viewer, TerritoryAccess.EDIT)).toMatchObject({ read: ['t1'], write: ['t1'] });
  });
});
