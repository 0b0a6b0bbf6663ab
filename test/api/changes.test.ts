import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { ApiKeyKind, Scope } from '../../api/src/common/access/index.js';
import { ApiKey } from '../../api/src/modules/api-key/api-key.entity.js';
import { pruneChanges } from '../../api/src/modules/change/change.service.js';
import { Region } from '../../api/src/modules/region/region.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

// The change feed as its readers meet it: what a committed or rolled-back change leaves, who may
// read which event, tombstones when an account leaves a reader's reach, a cursor that survives a
// late commit, and retention. Expected values come from the rules in docs/changes.md.
let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;

const changesQuery = (contact: string) => `query Changes($after: String, $first: Int, $types: [String!]) {
  changes(after: $after, first: $first, types: $types) {
    edges { cursor node { id type entity entityId customerId fields tombstone origin actor { kind id }
      customer { id legalName } contact { ${contact} } } }
    pageInfo { endCursor hasNextPage }
  }
}`;
const CHANGES = changesQuery('id name email');
/** For API keys without pii:read, whose contacts answer email with FORBIDDEN. */
const CHANGES_NO_PII = changesQuery('id name');

interface Event {
  id: string;
  type: string;
  entity: string;
  entityId: string;
  customerId: string | null;
  fields: string[];
  tombstone: boolean;
  origin: string;
  actor: { kind: string; id: string | null };
  customer: { id: string; legalName: string } | null;
  contact: { id: string; name: string; email: string | null } | null;
}

/** Every event the reader may see after `after`, following the pages to the end. */
async function readAll(
  who: Principal | string,
  after: string | null = null,
  query = CHANGES,
): Promise<{ events: Event[]; cursor: string | null }> {
  const events: Event[] = [];
  let cursor = after;
  for (;;) {
    const result =
      typeof who === 'string' && who.startsWith('acc_')
        ? (
            await t
              .http()
              .post('/graphql')
              .set('authorization', `Bearer ${who}`)
              .send({ query, variables: { after: cursor, first: 100 } })
          ).body
        : await t.gqlAs(who as Principal, query, { after: cursor, first: 100 });
    expect(result.errors).toBeUndefined();
    const page = result.data!.changes as { edges: { node: Event }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
    events.push(...page.edges.map((edge) => edge.node));
    cursor = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage) return { events, cursor };
  }
}

/**
 * `readAll` until `enough` holds, for a bounded time: the feed serves an event once every
 * transaction that began before it has ended, cluster-wide, and other suites share the cluster.
 */
async function readUntil(
  who: Principal,
  after: string | null,
  enough: (events: Event[]) => boolean,
): Promise<{ events: Event[]; cursor: string | null }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const read = await readAll(who, after);
    if (enough(read.events) || Date.now() > deadline) return read;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function superuser<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const eventCount = () => superuser(async (client) => Number((await client.query('select count(*) from change_event')).rows[0].count));

async function keyWith(scopes: Scope[], territory: Region): Promise<string> {
  const em = db();
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = em.create(ApiKey, {
    name: `feed ${prefix}`,
    prefix,
    secretHash: hashSecret(secret),
    kind: ApiKeyKind.INTEGRATOR,
    createdBy: t.baseline.users.admin.id,
    scopes,
  });
  key.territories.add(em.getReference(Region, territory.id));
  await em.flush();
  return `acc_${prefix}_${secret}`;
}

/** repHangzhou edits the first contact of the first baseline account (theirs); returns the contact's id. */
async function editFirstContact(fields: string): Promise<string> {
  const customer = t.baseline.customers[0]!;
  const contact = await superuser(
    async (client) => (await client.query(`select id, version from contact where customer_id = $1 limit 1`, [customer.id])).rows[0],
  );
  const { errors } = await t.gqlAs(
    'repHangzhou',
    `mutation($id: ID!, $v: Int!) { updateContact(id: $id, input: { ${fields}, version: $v }) { id } }`,
    { id: contact.id, v: contact.version },
  );
  expect(errors).toBeUndefined();
  return contact.id as string;
}

/** A key's events after `after`, polled until there are some (the horizon is cluster-wide) or 30 s pass. */
async function keyReadsSome(token: string, after: string | null): Promise<Event[]> {
  const deadline = Date.now() + 30_000;
  let events = (await readAll(token, after)).events;
  while (!events.length && Date.now() < deadline) events = (await readAll(token, after)).events;
  return events;
}

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('the outbox', () => {
  it('a committed change has its event, with actor, origin and the fields that changed', async () => {
    const { cursor } = await readAll('admin');
    const customer = t.baseline.customers[0]!; // Hangzhou, owned by repHangzhou
    const { data, errors } = await t.gqlAs(
      'repHangzhou',
      `mutation($id: ID!, $v: Int!) { updateCustomer(id: $id, input: { notes: "Met the buyer", version: $v }) { id version } }`,
      { id: customer.id, v: customer.version },
    );
    expect(errors).toBeUndefined();
    expect(data!.updateCustomer.id).toBe(customer.id);
    const { events } = await readUntil('admin', cursor, (seen) => seen.length > 0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'customer.updated',
      entity: 'CUSTOMER',
      entityId: customer.id,
      customerId: customer.id,
      fields: ['notes'],
      tombstone: false,
      origin: 'console',
      actor: { kind: 'USER', id: t.baseline.users.repHangzhou.id },
      customer: { id: customer.id },
    });
  });

  it('a refused or rolled-back request leaves no event', async () => {
    const before = await eventCount();
    const taken = t.baseline.customers[0]!;
    // Same company, another territory: the identity invariant refuses it after the insert ran.
    const { errors } = await t.gqlAs('repNingbo', `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
      input: { legalName: taken.legalName, territoryId: t.baseline.regions.ningbo.id },
    });
    expect(errors?.[0]?.extensions?.code).toMatch(/DUPLICATE_OWNED|CONFLICT/);
    // A stale version: nothing is written.
    const stale = await t.gqlAs('repHangzhou', `mutation($id: ID!) { updateCustomer(id: $id, input: { notes: "x", version: 1 }) { id } }`, {
      id: taken.id,
    });
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // Raw SQL rolled back.
    await superuser(async (client) => {
      await client.query('begin');
      await client.query(`update customer set notes = 'rolled back' where id = $1`, [taken.id]);
      await client.query('rollback');
    });
    expect(await eventCount()).toBe(before);
  });

  it('writes outside any request are captured too, as the system', async () => {
    const { cursor } = await readAll('admin');
    const customer = t.baseline.customers[1]!;
    await superuser((client) => client.query(`update customer set tags = '{bulk}' where id = $1`, [customer.id]));
    const { events } = await readUntil('admin', cursor, (read) => read.length > 0);
    expect(events.map((e) => [e.type, e.fields, e.actor.kind, e.origin])).toEqual([['customer.updated', ['tags'], 'SYSTEM', 'system']]);
  });
});

describe('who reads which event', () => {
  it('reps see their own accounts only; managers their regions; admins everything', async () => {
    const { cursor: start } = await readAll('admin');
    const [hangzhou, , , , , , ningbo] = t.baseline.customers; // [0] repHangzhou, [6] repNingbo
    for (const [who, customer] of [
      ['repHangzhou', hangzhou!],
      ['repNingbo', ningbo!],
    ] as const) {
      const fresh = await superuser(
        async (client) => (await client.query(`select version from customer where id = $1`, [customer.id])).rows[0] as { version: number },
      );
      const { errors } = await t.gqlAs(
        who,
        `mutation($id: ID!, $v: Int!) { updateCustomer(id: $id, input: { notes: "seen?", version: $v }) { id } }`,
        {
          id: customer.id,
          v: fresh.version,
        },
      );
      expect(errors).toBeUndefined();
    }
    // Once the admin sees both edits the feed's horizon has passed them (other suites share the cluster).
    await readUntil('admin', start, (events) => events.length >= 2);
    const ids = async (who: Principal) => (await readAll(who, start)).events.map((e) => e.entityId);
    expect(await ids('repHangzhou')).toEqual([hangzhou!.id]);
    expect(await ids('repNingbo')).toEqual([ningbo!.id]);
    expect(await ids('repGuangzhou')).toEqual([]);
    expect(await ids('managerSouth')).toEqual([]);
    expect((await ids('managerEast')).sort()).toEqual([hangzhou!.id, ningbo!.id].sort());
    expect((await ids('admin')).sort()).toEqual([hangzhou!.id, ningbo!.id].sort());
  });

  it('an API key reads only the kinds of record and fields its scopes cover, within its territories', async () => {
    const { cursor: start } = await readAll('admin');
    const contactId = await editFirstContact('email: "new@customer.example", title: "Buyer"');

    const customersOnly = await keyWith([Scope.CUSTOMERS_READ], t.baseline.regions.hangzhou);
    const contactsNoPii = await keyWith([Scope.CONTACTS_READ], t.baseline.regions.hangzhou);
    const contactsWithPii = await keyWith([Scope.CONTACTS_READ, Scope.PII_READ], t.baseline.regions.hangzhou);
    const elsewhere = await keyWith([Scope.CONTACTS_READ, Scope.PII_READ], t.baseline.regions.guangzhou);

    // Served once every older transaction in the cluster has ended: wait for it, then ask the others.
    const [full] = await keyReadsSome(contactsWithPii, start);
    expect(full).toMatchObject({ fields: ['email', 'title'], contact: { id: contactId, email: 'new@customer.example' } });
    expect((await readAll(customersOnly, start, CHANGES_NO_PII)).events).toEqual([]);
    const [masked] = (await readAll(contactsNoPii, start, CHANGES_NO_PII)).events;
    expect(masked).toMatchObject({ type: 'contact.updated', entityId: contactId, fields: ['title'], actor: { kind: 'USER' } });
    expect((await readAll(elsewhere, start)).events).toEqual([]);
  });

  it('transfer and stage-change requests are between people: no API key reads their events, whatever its scopes', async () => {
    const { cursor: start } = await readAll('admin');
    const customer = t.baseline.customers[0]!; // Hangzhou, owned by repHangzhou
    const transfer = await t.gqlAs(
      'repGuangzhou',
      `mutation($id: ID!) { requestTransfer(input: { customerId: $id, reason: "TRANSFER SECRET reason" }) { id } }`,
      { id: customer.id },
    );
    expect(transfer.errors).toBeUndefined();
    const stage = await t.gqlAs(
      'repHangzhou',
      `mutation($id: ID!) { changeLifecycleStage(input: { customerId: $id, toStage: POTENTIAL, reason: "STAGE SECRET reason" }) { __typename } }`,
      { id: customer.id },
    );
    expect(stage.errors).toBeUndefined();
    const kinds = (events: Event[]) =>
      events.map((event) => event.entity).filter((entity) => entity === 'TRANSFER' || entity === 'STAGE_CHANGE');
    // The admin's feed has both (and waits for them to pass the horizon).
    const admin = await readUntil('admin', start, (events) => kinds(events).length >= 2);
    expect(new Set(kinds(admin.events))).toEqual(new Set(['TRANSFER', 'STAGE_CHANGE']));
    const key = await keyWith(
      [Scope.CUSTOMERS_READ, Scope.CONTACTS_READ, Scope.INTERACTIONS_READ, Scope.ORDERS_READ, Scope.PII_READ],
      t.baseline.regions.hangzhou,
    );
    const query = `query($after: String) { changes(after: $after, first: 100, entities: [TRANSFER, STAGE_CHANGE, CUSTOMER]) {
      totalCount edges { node { entity type transfer { reason } stageChange { reason } } } } }`;
    const response = await t
      .http()
      .post('/graphql')
      .set('authorization', `Bearer ${key}`)
      .send({ query, variables: { after: start } });
    expect(response.body.errors).toBeUndefined();
    expect(kinds(response.body.data.changes.edges.map((edge: { node: Event }) => edge.node))).toEqual([]);
    expect(JSON.stringify(response.body)).not.toContain('SECRET');
  });

  it('an update of fields a key may not learn of is no event for it, in pages and counts alike', async () => {
    const { cursor: start } = await readAll('admin');
    await editFirstContact('phone: "+86 139 0000 1111"');
    const noPii = await keyWith([Scope.CONTACTS_READ], t.baseline.regions.hangzhou);
    const withPii = await keyWith([Scope.CONTACTS_READ, Scope.PII_READ], t.baseline.regions.hangzhou);
    // Wait for it with pii:read first, so the key without it is asked when the event is there to be (wrongly) seen.
    expect(await keyReadsSome(withPii, start)).toEqual([expect.objectContaining({ type: 'contact.updated', fields: ['phone'] })]);
    // A phone is personal data (docs/permissions.md): without pii:read the change tells the key nothing.
    expect((await readAll(noPii, start, CHANGES_NO_PII)).events).toEqual([]);
    const COUNT = `query { changes(first: 1, entities: [CONTACT]) { totalCount edges { node { id } } } }`;
    const count = async (token: string) =>
      (await t.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query: COUNT })).body.data.changes
        .totalCount as number;
    expect((await count(withPii)) - (await count(noPii))).toBe(
      (await readAll(withPii, null)).events.length - (await readAll(noPii, null, CHANGES_NO_PII)).events.length,
    );
  });

  it('a change to an order’s lines or payments names the part', async () => {
    const { cursor: start } = await readAll('admin');
    const order = await superuser(
      async (client) =>
        (
          await client.query(
            `select o.id from sales_order o join order_line l on l.order_id = o.id where o.customer_id = any($1::uuid[]) limit 1`,
            [t.baseline.customers.map((customer) => customer.id)],
          )
        ).rows[0] as { id: string } | undefined,
    );
    if (!order) return expect.fail('the baseline has an order with lines');
    await superuser((client) => client.query(`update order_line set product = product || ' ' where order_id = $1`, [order.id]));
    const { events } = await readUntil('admin', start, (seen) => seen.some((event) => event.entityId === order.id));
    expect(events.filter((event) => event.entityId === order.id)).toEqual([
      expect.objectContaining({ type: 'order.updated', fields: ['lines'] }),
    ]);
  });

  it('an account that leaves a reader’s reach ends with a tombstone for them, and later changes stay hidden', async () => {
    const { cursor: start } = await readAll('admin');
    const customer = t.baseline.customers[2]!; // repHangzhou's
    const { errors } = await t.gqlAs(
      'admin',
      `mutation($input: ReassignCustomersInput!) { reassignCustomers(input: $input) { __typename } }`,
      {
        input: {
          customerIds: [customer.id],
          toOwnerId: t.baseline.users.repNingbo.id,
          toTerritoryId: t.baseline.regions.ningbo.id,
          reason: 'realignment',
        },
      },
    );
    expect(errors).toBeUndefined();
    await superuser((client) => client.query(`update customer set notes = 'after the move' where id = $1`, [customer.id]));

    const about = (events: Event[]) => events.filter((e) => e.entityId === customer.id);
    const loser = about((await readUntil('repHangzhou', start, (events) => about(events).length >= 1)).events);
    expect(loser.map((e) => [e.type, e.tombstone, e.customer])).toEqual([['customer.owner_changed', true, null]]);
    const winner = about((await readUntil('repNingbo', start, (events) => about(events).length >= 2)).events);
    expect(winner.map((e) => [e.type, e.tombstone])).toEqual([
      ['customer.owner_changed', false],
      ['customer.updated', false],
    ]);
    expect(winner[0]!.customer?.id).toBe(customer.id);
    expect(winner[0]!.fields).toEqual(expect.arrayContaining(['owner', 'territory']));
  });
});

describe('the cursor', () => {
  it('never skips a change that a concurrent transaction commits late', async () => {
    const { cursor: start } = await readAll('admin');
    const [early, late] = [t.baseline.customers[3]!, t.baseline.customers[4]!];
    const slow = new pg.Client({ connectionString: t.databaseUrl });
    await slow.connect();
    try {
      // The slow transaction writes first (its event has the smaller id), then stays open.
      await slow.query('begin');
      await slow.query(`update customer set notes = 'slow' where id = $1`, [early.id]);
      await superuser((client) => client.query(`update customer set notes = 'fast' where id = $1`, [late.id]));

      // While it is open, neither event is served: the fast one waits behind the horizon.
      const during = await readAll('admin', start);
      expect(during.events.map((e) => e.entityId)).toEqual([]);

      await slow.query('commit');
      // Both are served once the cluster's older transactions (other suites') have ended too.
      const after = await readUntil('admin', during.cursor, (events) => events.length >= 2);
      expect(after.events.map((e) => e.entityId)).toEqual([early.id, late.id]);
    } finally {
      await slow.end();
    }
  });

  it('64 interleaved writers: every committed event is read exactly once across polls', async () => {
    const { cursor: start } = await readAll('admin');
    // 64 writers over the baseline's accounts, several on each, committing in an order of their own.
    const accounts = t.baseline.customers.map((customer) => customer.id);
    const writers = Array.from({ length: 64 }, (_, i) =>
      superuser(async (client) => {
        await client.query('begin');
        await client.query(`update customer set notes = $2 where id = $1`, [accounts[i % accounts.length], `writer ${i}`]);
        await new Promise((resolve) => setTimeout(resolve, (i * 37) % 120));
        await client.query('commit');
      }),
    );
    // Poll while they commit in an order of their own.
    const seen: string[] = [];
    let cursor = start;
    const poll = async () => {
      const page = await readAll('admin', cursor);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.cursor;
    };
    const polling = (async () => {
      for (let i = 0; i < 8; i += 1) {
        await poll();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    await Promise.all([...writers, polling]);
    const committed = await superuser(
      async (client) =>
        (
          await client.query(
            `select e.id::text as id from change_event e where e.entity_id = any($1::uuid[]) and 'notes' = any(e.columns) order by e.id`,
            [accounts],
          )
        ).rows,
    );
    const expected = committed.map((row: { id: string }) => row.id).slice(-64);
    // The feed serves an event once every older transaction of the cluster has ended: poll as a client would.
    for (const deadline = Date.now() + 30_000; ;) {
      await poll();
      if (expected.every((id) => seen.includes(id)) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => expected.includes(id)).sort()).toEqual([...expected].sort());
  });

  it('a reader who sees few events moves past the others a bounded stretch per page, and never reads a stretch twice', async () => {
    const { cursor: start } = await readAll('admin');
    // 6,000 events of Guangzhou's accounts (more than one page reads), then one of repHangzhou's.
    const { guangzhou } = t.baseline.regions;
    const owner = t.baseline.users.repGuangzhou.id;
    await superuser((client) =>
      client.query(
        `insert into change_event (type, entity, entity_id, customer_id, columns, owner_id, territory_id, old_owner_id, old_territory_id, actor_kind, actor_id, origin)
         select 'customer.updated', 'customer', gen_random_uuid(), gen_random_uuid(), '{notes}', $1, $2, $1, $2, 'SYSTEM', null, 'system'
         from generate_series(1, 6000)`,
        [owner, guangzhou.id],
      ),
    );
    const customer = t.baseline.customers[0]!;
    const [{ version }] = (await superuser((client) => client.query('select version from customer where id = $1', [customer.id]))).rows;
    const updated = await t.gqlAs(
      'repHangzhou',
      `mutation($id: ID!, $v: Int!) { updateCustomer(id: $id, input: { notes: "After the crowd", version: $v }) { id } }`,
      { id: customer.id, v: version },
    );
    expect(updated.errors).toBeUndefined();
    await readUntil('repHangzhou', start, (events) => events.some((event) => event.entityId === customer.id));
    const PAGE = `query($after: String) { changes(after: $after, first: 100) { edges { node { entityId } } pageInfo { endCursor hasNextPage } } }`;
    const pages: { ids: string[]; endCursor: string | null; hasNextPage: boolean }[] = [];
    let cursor = start;
    for (let guard = 0; guard < 10; guard += 1) {
      const { data, errors } = await t.gqlAs('repHangzhou', PAGE, { after: cursor });
      expect(errors).toBeUndefined();
      const { edges, pageInfo } = data!.changes as {
        edges: { node: { entityId: string } }[];
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      };
      pages.push({ ids: edges.map((edge) => edge.node.entityId), ...pageInfo });
      cursor = pageInfo.endCursor;
      if (!pageInfo.hasNextPage) break;
    }
    // The first page read 5,000 of the crowd and nothing of theirs: empty, but further on and not the end.
    expect(pages[0]).toMatchObject({ ids: [], hasNextPage: true });
    expect(pages[0]!.endCursor).not.toBe(start);
    expect(pages.flatMap((page) => page.ids)).toEqual([customer.id]);
    // At the end, a poll reads nothing again: the cursor it is given back is where it ended.
    const tail = await t.gqlAs('repHangzhou', PAGE, { after: cursor });
    expect(tail.data!.changes).toEqual({ edges: [], pageInfo: { endCursor: cursor, hasNextPage: false } });
  });

  it('a cursor older than what retention pruned fails with CURSOR_EXPIRED', async () => {
    const { events } = await readAll('admin');
    expect(events.length).toBeGreaterThan(2);
    const old = await readAll('admin', null);
    const firstCursor = (await t.gqlAs('admin', CHANGES, { first: 1 })).data!.changes.edges[0].cursor as string;
    // Everything so far becomes older than the retention, then the pruning job runs.
    await superuser((client) => client.query(`update change_event set occurred_at = now() - interval '8 days'`));
    const em = db();
    const pruned = await em.transactional((tx) => pruneChanges(tx as EntityManager, 7));
    expect(pruned).toBe(old.events.length);
    const expired = await t.gqlAs('admin', CHANGES, { after: firstCursor });
    expect(expired.errors?.[0]?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', field: 'after' });
    // The newest cursor is at the horizon: nothing after it was lost, so it still works.
    const current = await t.gqlAs('admin', CHANGES, { after: old.cursor });
    expect(current.errors).toBeUndefined();
    expect(current.data!.changes.edges).toEqual([]);
  });

  it('a cursor that is not one is a typed input error, out-of-range numbers included', async () => {
    const forged = (text: string) => Buffer.from(text).toString('base64url');
    for (const after of ['bm90IGEgY3Vyc29y', forged('99999999999999999999:1'), forged('1:9999999999999999999'), forged('1:-1')]) {
      const { errors } = await t.gqlAs('admin', CHANGES, { after });
      expect(errors?.[0]?.extensions, after).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
  });
});
