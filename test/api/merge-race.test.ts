import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

/**
 * Writes racing a merge (docs/merge.md, "Writes racing a merge"), on the real PostgreSQL cluster.
 * A merge is held half-way (a side transaction locks one of the merged record's contacts, which
 * the merge must move) while dozens of child writes to the merged record start: their checks see
 * a live account, their foreign-key checks wait on the merge's lock of it. Once the merge commits
 * every one of them must be refused with CONFLICT (reason CUSTOMER_MERGED) and nothing may be left
 * on the archived record; the oracle is a count by SQL, not the service's own answer.
 */
let t: TestApp;

beforeAll(async () => {
  // The merge is held while dozens of writes line up behind it: longer than the 5 s lock_timeout default.
  t = await createTestApp({ DB_LOCK_TIMEOUT_MS: '60000' }, { poolMax: 40 });
});

afterAll(async () => {
  await t?.close();
});

const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id version } }`;
const CONTACT = `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`;
const INTERACTION = `mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
const ORDER = `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }`;
const TRANSFER = `mutation ($input: RequestTransferInput!) { requestTransfer(input: $input) { id } }`;
const MERGE = `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { dryRun merge { id } } }`;
const UNDO = `mutation ($id: ID!) { undoMerge(mergeId: $id) { id undoneAt } }`;

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

function ok<T>(result: GqlResult<T>): T {
  expect(result.errors).toBeUndefined();
  return result.data!;
}

async function account(): Promise<{ id: string; version: number }> {
  const input = { legalName: `Race Co ${randomUUID().slice(0, 8)}`, territoryId: t.baseline.regions.hangzhou.id };
  return ok(await t.gqlAs('repHangzhou', CREATE, { input })).createCustomer as { id: string; version: number };
}

/** Sessions of this test's database waiting on a lock (asked outside a transaction: its view of pg_stat_activity is fresh). */
async function waiting(watcher: pg.Client): Promise<number> {
  const { rows } = await watcher.query(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return rows[0].n as number;
}

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

describe('child writes racing a merge', () => {
  it('dozens of contacts, interactions, orders and transfer requests written while the merge runs get CONFLICT; none lands on the merged record', async () => {
    const survivor = await account();
    const merged = await account();
    const held = ok(await t.gqlAs('repHangzhou', CONTACT, { input: { customerId: merged.id, name: 'Held Contact' } })).createContact as {
      id: string;
    };
    const [{ version: mergedVersion }] = await sql<{ version: number }>('select version from customer where id = ?', [merged.id]);

    const side = new pg.Client({ connectionString: t.databaseUrl });
    const watcher = new pg.Client({ connectionString: t.databaseUrl });
    await side.connect();
    await watcher.connect();
    try {
      await side.query('begin');
      await side.query('select 1 from contact where id = $1 for update', [held.id]);
      const merging = t.gqlAs('repHangzhou', MERGE, {
        input: {
          survivorId: survivor.id,
          mergedIds: [merged.id],
          versions: [
            { id: survivor.id, version: survivor.version },
            { id: merged.id, version: mergedVersion },
          ],
        },
      });
      // The merge holds the customers and waits on the held contact.
      expect(await until(async () => (await waiting(watcher)) >= 1)).toBe(true);

      const customerId = merged.id;
      const writes: Promise<GqlResult>[] = [
        ...Array.from({ length: 8 }, (_, i) => t.gqlAs('repHangzhou', CONTACT, { input: { customerId, name: `Late Contact ${i}` } })),
        ...Array.from({ length: 8 }, (_, i) =>
          t.gqlAs('repHangzhou', INTERACTION, { input: { customerId, kind: 'CALL', channel: 'PHONE', summary: `late call ${i}` } }),
        ),
        ...Array.from({ length: 8 }, () =>
          t.gqlAs('repHangzhou', ORDER, { input: { customerId, lines: [{ product: 'Valve', quantity: '1', unitPrice: '3.00' }] } }),
        ),
        ...Array.from({ length: 4 }, (_, i) =>
          t.gqlAs('repNingbo', TRANSFER, { input: { customerId, reason: `Their buyer moved to Ningbo (${i})` } }),
        ),
      ];
      // Every write passed its checks (the account was live) and waits on the merge's lock of it.
      const all = await until(async () => (await waiting(watcher)) >= 1 + writes.length);
      expect(all).toBe(true);
      await side.query('commit');

      const merge = await merging;
      expect(merge.errors).toBeUndefined();
      const results = await Promise.all(writes);
      const refusals = results.map((result) => ({
        data: result.data,
        code: result.errors?.[0]?.extensions?.code,
        reason: result.errors?.[0]?.extensions?.reason,
      }));
      expect(refusals).toEqual(results.map(() => ({ data: null, code: 'CONFLICT', reason: 'CUSTOMER_MERGED' })));
      expect(results[0]!.errors![0]!.extensions!.id).toBe(merged.id);

      const [left] = await sql<{ contacts: number; interactions: number; orders: number; transfers: number }>(
        `select (select count(*)::int from contact where customer_id = ?) as contacts,
                (select count(*)::int from interaction where customer_id = ?) as interactions,
                (select count(*)::int from sales_order where customer_id = ?) as orders,
                (select count(*)::int from transfer_request where customer_id = ?) as transfers`,
        [merged.id, merged.id, merged.id, merged.id],
      );
      expect(left).toEqual({ contacts: 0, interactions: 0, orders: 0, transfers: 0 });
      // The held contact moved with the merge; no late one exists anywhere.
      expect(
        await sql(`select 1 from contact where name like 'Late Contact %' and customer_id = any(?::uuid[])`, [
          `{${survivor.id},${merged.id}}`,
        ]),
      ).toHaveLength(0);
      expect(await sql('select customer_id from contact where id = ?', [held.id])).toEqual([{ customer_id: survivor.id }]);

      // An undo gives the merged record its children back (it is live again before they move).
      const undone = ok(await t.gqlAs('repHangzhou', UNDO, { id: merge.data!.mergeCustomers.merge.id })).undoMerge as { undoneAt: string };
      expect(undone.undoneAt).not.toBeNull();
      expect(await sql('select customer_id from contact where id = ?', [held.id])).toEqual([{ customer_id: merged.id }]);
    } finally {
      await side.end();
      await watcher.end();
    }
  });

  it('a write to a merged record after the merge is refused, and writes to live accounts go on', async () => {
    const survivor = await account();
    const merged = await account();
    const [{ version }] = await sql<{ version: number }>('select version from customer where id = ?', [merged.id]);
    ok(
      await t.gqlAs('repHangzhou', MERGE, {
        input: {
          survivorId: survivor.id,
          mergedIds: [merged.id],
          versions: [
            { id: survivor.id, version: survivor.version },
            { id: merged.id, version },
          ],
        },
      }),
    );
    const late = await t.gqlAs('repHangzhou', CONTACT, { input: { customerId: merged.id, name: 'Too Late' } });
    expect(late.data).toBeNull();
    expect(['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND']).toContain(late.errors?.[0]?.extensions?.code);
    const CHANGE = `mutation ($input: ChangeLifecycleStageInput!) { changeLifecycleStage(input: $input) { applied request { id } } }`;
    const stage = await t.gqlAs('repHangzhou', CHANGE, {
      input: { customerId: merged.id, toStage: 'INTENTION', reason: 'Asked for a quote' },
    });
    expect(stage.data).toBeNull();
    expect(await sql(`select 1 from lifecycle_transition where customer_id = ? and to_stage = 'INTENTION'`, [merged.id])).toHaveLength(0);
    const UPDATE = `mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }`;
    const [{ version: now }] = await sql<{ version: number }>('select version from customer where id = ?', [merged.id]);
    const edit = await t.gqlAs('repHangzhou', UPDATE, { id: merged.id, input: { version: now, notes: 'edited after the merge' } });
    expect(edit.data?.updateCustomer ?? null).toBeNull();
    expect(await sql('select notes from customer where id = ?', [merged.id])).toEqual([{ notes: null }]);
    ok(await t.gqlAs('repHangzhou', CONTACT, { input: { customerId: survivor.id, name: 'On Time' } }));
    expect(await sql('select 1 from contact where customer_id = ?', [merged.id])).toHaveLength(0);
  });
});

describe('an undo racing an edit', () => {
  it('an edit of a moved contact committed while the undo runs refuses the undo (CHANGED_SINCE); the contact stays', async () => {
    const survivor = await account();
    const merged = await account();
    const contact = ok(await t.gqlAs('repHangzhou', CONTACT, { input: { customerId: merged.id, name: 'Moved Contact' } }))
      .createContact as {
      id: string;
    };
    const [{ version }] = await sql<{ version: number }>('select version from customer where id = ?', [merged.id]);
    const mergeId = ok(
      await t.gqlAs('repHangzhou', MERGE, {
        input: {
          survivorId: survivor.id,
          mergedIds: [merged.id],
          versions: [
            { id: survivor.id, version: survivor.version },
            { id: merged.id, version },
          ],
        },
      }),
    ).mergeCustomers.merge.id as string;

    const side = new pg.Client({ connectionString: t.databaseUrl });
    const watcher = new pg.Client({ connectionString: t.databaseUrl });
    await side.connect();
    await watcher.connect();
    try {
      // An edit in flight: it holds the contact when the undo has checked the versions and comes to move it back.
      await side.query('begin');
      await side.query(`update contact set title = 'Buyer', version = version + 1 where id = $1`, [contact.id]);
      const undoing = t.gqlAs('repHangzhou', UNDO, { id: mergeId });
      expect(await until(async () => (await waiting(watcher)) >= 1)).toBe(true);
      await side.query('commit');
      const undo = await undoing;
      expect(undo.data?.undoMerge ?? null).toBeNull();
      expect(undo.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CHANGED_SINCE' });
      expect(await sql('select customer_id, title from contact where id = ?', [contact.id])).toEqual([
        { customer_id: survivor.id, title: 'Buyer' },
      ]);
      expect(await sql('select merged_into_id from customer where id = ?', [merged.id])).toEqual([{ merged_into_id: survivor.id }]);
      expect(await sql('select undone_at from customer_merge where id = ?', [mergeId])).toEqual([{ undone_at: null }]);
    } finally {
      await side.end();
      await watcher.end();
    }
  });
});
