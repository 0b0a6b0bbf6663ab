import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

/**
 * Attacks on merging archived records (docs/merge.md, "Archived twins"): a rep may not take
 * another rep's archived account (and its history) into their own, an archived record with a
 * pending transfer is refused, and an undo leaves the archived record archived, as it was.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id version } }`;
const ARCHIVE = `mutation ($id: ID!, $version: Int!) { archiveCustomer(id: $id, version: $version) { id version } }`;
const MERGE = `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { merge { id survivorId mergedIds } } }`;
const UNDO = `mutation ($id: ID!) { undoMerge(mergeId: $id) { id undoneAt } }`;
const tag = Math.random().toString(36).slice(2, 7);

function ok<T>(result: GqlResult<T>): T {
  expect(result.errors).toBeUndefined();
  return result.data!;
}

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

async function create(who: Principal, legalName: string) {
  return ok(await t.gqlAs(who, CREATE, { input: { legalName, territoryId: t.baseline.regions.hangzhou.id } })).createCustomer as {
    id: string;
    version: number;
  };
}

async function versions(...ids: string[]) {
  const rows = await sql<{ id: string; version: number }>('select id, version from customer where id = any(?::uuid[])', [
    `{${ids.join(',')}}`,
  ]);
  return rows.map((row) => ({ id: row.id, version: row.version }));
}

describe('merging an archived record', () => {
  it('a rep may not merge another rep’s archived account into their own; nothing moves', async () => {
    const theirs = await create('repHangzhou2', `Cedar Lane Paper ${tag}`);
    await sql(
      `insert into interaction (id, customer_id, author_id, kind, channel, occurred_at, summary, created_at, updated_at, version)
      select gen_random_uuid(), ?, ?, kind, channel, now(), 'their history', now(), now(), 1 from interaction limit 1`,
      [theirs.id, t.baseline.users.repHangzhou2.id],
    );
    ok(await t.gqlAs('repHangzhou2', ARCHIVE, { id: theirs.id, version: theirs.version }));
    const mine = await create('repHangzhou', `Cedar Lane Paper Mill ${tag}`);
    const attempt = await t.gqlAs('repHangzhou', MERGE, {
      input: { survivorId: mine.id, mergedIds: [theirs.id], versions: await versions(mine.id, theirs.id) },
    });
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(attempt.errors?.[0]?.extensions?.code);
    expect(attempt.data?.mergeCustomers ?? null).toBeNull();
    const [moved] = await sql<{ n: number }>('select count(*)::int as n from interaction where customer_id = ?', [mine.id]);
    expect(moved!.n).toBe(0);
    const [row] = await sql<{ merged_into_id: string | null }>('select merged_into_id from customer where id = ?', [theirs.id]);
    expect(row!.merged_into_id).toBeNull();
  });

  it('an undo leaves the archived record archived (as it was before the merge), with no merged_into_id', async () => {
    const twin = await create('repHangzhou', `Birch Hollow Foods ${tag}`);
    const archived = ok(await t.gqlAs('repHangzhou', ARCHIVE, { id: twin.id, version: twin.version })).archiveCustomer as { id: string };
    const [before] = await sql<{ archived_at: string }>('select archived_at::text as archived_at from customer where id = ?', [
      archived.id,
    ]);
    const live = await create('repHangzhou', `Birch Hollow Foods Co ${tag}`);
    const merged = ok(
      await t.gqlAs('managerEast', MERGE, {
        input: { survivorId: live.id, mergedIds: [archived.id], versions: await versions(live.id, archived.id) },
      }),
    ).mergeCustomers.merge as { id: string };
    ok(await t.gqlAs('managerEast', UNDO, { id: merged.id }));
    const [after] = await sql<{ archived_at: string | null; merged_into_id: string | null }>(
      'select archived_at::text as archived_at, merged_into_id from customer where id = ?',
      [archived.id],
    );
    expect(after!.merged_into_id).toBeNull();
    expect(before!.archived_at).not.toBeNull();
    expect(after!.archived_at).toBe(before!.archived_at);
  });
});
