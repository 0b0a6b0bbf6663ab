import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneNotifications } from '../../api/src/modules/notification/notification.service.js';
import { Customer } from '../../api/src/modules/customer/customer.entity.js';
import { normalizeName } from '../../api/src/modules/customer/customer.normalize.js';
import { createApiKey } from '../faults/support.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

// The in-app inbox as its recipients meet it. Who is told what comes from the rules in
// docs/notifications.md: the people concerned, never the one who acted, each only their own.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const INBOX = `query Inbox($unreadOnly: Boolean) {
  unreadNotificationCount
  notifications(unreadOnly: $unreadOnly, first: 100) { totalCount edges { node { id kind customerId subjectId customerName actorName status readAt } } }
}`;
const MARK = `mutation Mark($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) }`;
const REQUEST = `mutation Request($input: RequestTransferInput!) { requestTransfer(input: $input) { id version status } }`;
const APPROVE = `mutation Approve($id: ID!, $version: Int!) { approveTransfer(id: $id, version: $version) { id status } }`;

interface Line {
  id: string;
  kind: string;
  customerId: string | null;
  subjectId: string | null;
  customerName: string | null;
  actorName: string | null;
  status: string | null;
  readAt: string | null;
}

async function inbox(who: Principal, unreadOnly = false): Promise<{ count: number; total: number; lines: Line[] }> {
  const { data, errors } = await t.gqlAs(who, INBOX, { unreadOnly });
  expect(errors).toBeUndefined();
  const page = data!.notifications as { totalCount: number; edges: { node: Line }[] };
  return { count: data!.unreadNotificationCount as number, total: page.totalCount, lines: page.edges.map((edge) => edge.node) };
}

/** The lines about one account, as (kind, status) pairs, sorted. */
async function about(who: Principal, customerId: string): Promise<string[]> {
  const { lines } = await inbox(who);
  return lines
    .filter((line) => line.customerId === customerId)
    .map((line) => (line.status ? `${line.kind}:${line.status}` : line.kind))
    .sort();
}

async function newCustomer(owner: Principal, territory: 'hangzhou' | 'ningbo' | 'guangzhou'): Promise<{ id: string; legalName: string }> {
  const em = t.orm.em.fork();
  const legalName = `Inbox Test ${randomUUID().slice(0, 8)} Co.`;
  const customer = em.create(Customer, {
    legalName,
    normalizedName: normalizeName(legalName),
    territory: t.baseline.regions[territory].id,
    owner: t.baseline.users[owner].id,
  });
  await em.flush();
  return { id: customer.id, legalName };
}

describe('notifications', () => {
  it('tells the deciders and the owner of a transfer request, then everyone concerned of its outcome, never the one who acted', async () => {
    const account = await newCustomer('repHangzhou', 'hangzhou');
    const requested = await t.gqlAs('repNingbo', REQUEST, {
      input: { customerId: account.id, reason: 'Their buyer moved to Ningbo', toTerritoryId: t.baseline.regions.ningbo.id },
    });
    expect(requested.errors).toBeUndefined();
    const transfer = requested.data!.requestTransfer as { id: string; version: number };

    // managerEast manages East (Hangzhou and Ningbo), so decides; the owner hears that their account was asked for.
    expect(await about('managerEast', account.id)).toEqual(['TRANSFER_AWAITING_DECISION']);
    expect(await about('repHangzhou', account.id)).toEqual(['TRANSFER_REQUESTED_FROM_YOU']);
    expect(await about('repNingbo', account.id)).toEqual([]);
    // Admins decide only when no manager may: here one may.
    expect(await about('admin', account.id)).toEqual([]);
    const line = (await inbox('managerEast')).lines.find((l) => l.customerId === account.id)!;
    expect(line).toMatchObject({ subjectId: transfer.id, customerName: account.legalName, actorName: t.baseline.users.repNingbo.name });

    const approved = await t.gqlAs('managerEast', APPROVE, { id: transfer.id, version: transfer.version });
    expect(approved.errors).toBeUndefined();
    expect(await about('repNingbo', account.id)).toEqual(['ACCOUNT_ASSIGNED', 'TRANSFER_DECIDED:APPROVED']);
    expect(await about('repHangzhou', account.id)).toEqual(['ACCOUNT_REMOVED', 'TRANSFER_DECIDED:APPROVED', 'TRANSFER_REQUESTED_FROM_YOU']);
    expect(await about('managerEast', account.id)).toEqual(['TRANSFER_AWAITING_DECISION']);
    // Nobody else hears of it.
    expect(await about('repGuangzhou', account.id)).toEqual([]);
    expect(await about('managerSouth', account.id)).toEqual([]);

    // The former owner's line still names the account they can no longer open.
    const removed = (await inbox('repHangzhou')).lines.find((l) => l.customerId === account.id && l.kind === 'ACCOUNT_REMOVED')!;
    expect(removed.customerName).toBe(account.legalName);
  });

  it('marks read only the viewer’s own lines, and counts what is unread', async () => {
    const account = await newCustomer('repHangzhou', 'hangzhou');
    await t.gqlAs('repNingbo', REQUEST, {
      input: { customerId: account.id, reason: 'Met them at a fair', toTerritoryId: t.baseline.regions.ningbo.id },
    });
    const before = await inbox('repHangzhou', true);
    expect(before.count).toBe(before.total);
    expect(before.count).toBeGreaterThan(0);
    const mine = before.lines.find((l) => l.customerId === account.id)!;
    const theirs = (await inbox('managerEast', true)).lines.find((l) => l.customerId === account.id)!;

    // Another user's id is not the viewer's to mark: nothing changes.
    const foreign = await t.gqlAs('repHangzhou', MARK, { input: { ids: [theirs.id] } });
    expect(foreign.data!.markNotificationsRead).toBe(0);
    expect((await inbox('managerEast', true)).lines.map((l) => l.id)).toContain(theirs.id);

    const marked = await t.gqlAs('repHangzhou', MARK, { input: { ids: [mine.id] } });
    expect(marked.data!.markNotificationsRead).toBe(1);
    const after = await inbox('repHangzhou', true);
    expect(after.count).toBe(before.count - 1);
    expect(after.lines.map((l) => l.id)).not.toContain(mine.id);
    expect((await inbox('repHangzhou')).lines.find((l) => l.id === mine.id)!.readAt).not.toBeNull();

    // Marking again changes nothing; `all` clears the rest.
    expect((await t.gqlAs('repHangzhou', MARK, { input: { ids: [mine.id] } })).data!.markNotificationsRead).toBe(0);
    expect((await t.gqlAs('repHangzhou', MARK, { input: { all: true } })).data!.markNotificationsRead).toBe(after.count);
    expect((await inbox('repHangzhou', true)).count).toBe(0);

    // Neither ids nor all: a typed error naming the field.
    const empty = await t.gqlAs('repHangzhou', MARK, { input: {} });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
  });

  it('writes nothing for a change that rolls back, and a line per person for one that commits', async () => {
    const account = await newCustomer('repHangzhou', 'hangzhou');
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const count = async (owner: Principal) =>
        Number(
          (
            await client.query<{ n: string }>(`select count(*) as n from notification where user_id = $1 and customer_id = $2`, [
              t.baseline.users[owner].id,
              account.id,
            ])
          ).rows[0]!.n,
        );
      const move = `update customer set owner_id = $1 where id = $2`;
      await client.query('begin');
      await client.query(move, [t.baseline.users.repHangzhou2.id, account.id]);
      await client.query('rollback');
      expect(await count('repHangzhou2')).toBe(0);
      expect(await count('repHangzhou')).toBe(0);

      await client.query(move, [t.baseline.users.repHangzhou2.id, account.id]);
      expect(await count('repHangzhou2')).toBe(1);
      expect(await count('repHangzhou')).toBe(1);
    } finally {
      await client.end();
    }
    expect(await about('repHangzhou2', account.id)).toEqual(['ACCOUNT_ASSIGNED']);
    expect(await about('repHangzhou', account.id)).toEqual(['ACCOUNT_REMOVED']);
  });

  it('has no inbox for an API key', async () => {
    const { token } = await createApiKey(t.databaseUrl, {
      scopes: ['customers:read'],
      territories: [t.baseline.regions.east.id],
      createdBy: t.baseline.users.admin.id,
    });
    const response = await t.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query: '{ unreadNotificationCount }' });
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('pages through lines written in one statement, which share a timestamp to the microsecond, each exactly once', async () => {
    // A statement's triggers stamp every line with the same now(); a cursor that kept only
    // milliseconds would skip the rest of them or serve them again.
    const user = t.baseline.users.repHangzhou.id;
    const ids: string[] = Array.from({ length: 7 }, () => randomUUID());
    const conn = t.orm.em.fork().getConnection();
    await conn.execute(
      `insert into notification (id, user_id, kind, created_at)
       select id, ?::uuid, 'SLA_OVERDUE', timestamptz '2026-03-04 05:06:07.891234+00' from unnest(?::uuid[]) as id`,
      [user, `{${ids.join(',')}}`],
    );
    const PAGE = `query Page($after: String) { notifications(first: 3, after: $after) { edges { cursor node { id createdAt } } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const { data, errors } = await t.gqlAs('repHangzhou', PAGE, { after });
      expect(errors).toBeUndefined();
      const page = data!.notifications as { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      seen.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const mine = seen.filter((id) => ids.includes(id));
    expect(new Set(seen).size).toBe(seen.length);
    // Newest first, ties broken by id descending.
    expect(mine).toEqual([...ids].sort().reverse());
  });

  it('prunes read lines past the retention and keeps unread ones, however old', async () => {
    const user = t.baseline.users.repGuangzhou.id;
    const [oldRead, recentRead, oldUnread] = [randomUUID(), randomUUID(), randomUUID()];
    const conn = t.orm.em.fork().getConnection();
    await conn.execute(
      `insert into notification (id, user_id, kind, created_at, read_at) values
         (?, ?, 'SLA_OVERDUE', now() - interval '200 days', now() - interval '100 days'),
         (?, ?, 'SLA_OVERDUE', now() - interval '200 days', now() - interval '10 days'),
         (?, ?, 'SLA_OVERDUE', now() - interval '400 days', null)`,
      [oldRead, user, recentRead, user, oldUnread, user],
    );
    await pruneNotifications(t.orm.em.fork() as EntityManager, 90);
    const left = await conn.execute<{ id: string }[]>(`select id from notification where id = any(?::uuid[])`, [
      `{${[oldRead, recentRead, oldUnread].join(',')}}`,
    ]);
    expect(left.map((row) => row.id).sort()).toEqual([recentRead, oldUnread].sort());
  });
});
