import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope, TerritoryAccess } from '../../api/src/common/access/index.js';
import { type Region } from '../../api/src/modules/region/region.entity.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { bothPaths, keyCaller } from '../support/both-paths.js';

let t: TestApp;
const db = () => t.orm.em.fork() as EntityManager;
const paths = bothPaths(() => t);

/** Both paths, the same bytes: the resolvers' body, whether the compiled path took ≤ 3 round trips, and whether it went as text. */
async function compare(caller: Caller, query: string, variables: Record<string, unknown>) {
  const { resolvers, compiled } = await paths.compare(caller, query, variables);
  return {
    body: JSON.parse(resolvers.body) as { data: Record<string, unknown>; errors?: unknown[] },
    compiled: compiled.statements <= 3,
    text: compiled.asText,
  };
}
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => db().getConnection().execute<T[]>(query, params);

type Caller = { name: string; user: Principal } | { name: string; key: string; territories: string[] };
const keys: Record<'full' | 'noPii' | 'listsOnly' | 'contactsOnly', Caller> = {} as never;

const keyFor = (name: string, scopes: Scope[], territories: Region[]): Promise<Caller> => keyCaller(t, { name, scopes, territories });

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  // Values a careless JSON mapping would change: quotes and backslashes, no contact, a follow-up, an unpaid payment.
  const [first] = t.baseline.customers;
  await sql(
    `insert into interaction (id, customer_id, author_id, kind, channel, occurred_at, summary, outcome, follow_up_on)
     values (?, ?, ?, 'CALL', 'PHONE', '2025-01-01T00:00:00.007Z', 'Called "back" about C:\\orders', 'Wants a quote ✓', '2025-01-09')`,
    [randomUUID(), first!.id, first!.owner.id],
  );
  await sql(`update contact set im_handles = '{"qq": "1\\"2", "wechat": "w"}' where customer_id = ?`, [first!.id]);
  await sql(`update payment set paid_at = null where order_id = (select id from sales_order where customer_id = ? order by id limit 1)`, [
    first!.id,
  ]);
  const { hangzhou, guangzhou } = t.baseline.regions;
  const read = [Scope.CUSTOMERS_READ, Scope.CONTACTS_READ, Scope.INTERACTIONS_READ, Scope.ORDERS_READ];
  keys.full = await keyFor('full', [...read, Scope.PII_READ, Scope.EVALUATIONS_READ], [hangzhou, guangzhou]);
  keys.noPii = await keyFor('no pii', read, [hangzhou]);
  keys.listsOnly = await keyFor('lists only', [Scope.INTERACTIONS_READ, Scope.ORDERS_READ], [hangzhou]);
  keys.contactsOnly = await keyFor('contacts only', [Scope.CONTACTS_READ], [hangzhou]);
});

afterAll(async () => {
  if (t) {
    t.app.config.compiledReads = true;
    t.app.config.territoryAccess = TerritoryAccess.NONE;
  }
  await t?.close();
});

/** Both paths on one request: the same status and bytes; whether the compiled one took one statement and was sent as text. */
type Root = 'interaction' | 'order' | 'contact' | 'user';
const DOCUMENTS: Record<Root, Record<string, string>> = {
  interaction: {
    plain: 'id kind channel occurredAt summary outcome nextStep followUpOn createdAt updatedAt version __typename',
    relations:
      'id customer { id legalName access industry owner { id name } territory { name } region { name } } contact { id name title } author { id name email role active }',
    pii: 'id contact { id name email phone mobile }',
    deep: 'id customer { id grade contacts { id name } orders(first: 1) { totalCount edges { node { id number } } } evaluations { id grade } }',
  },
  order: {
    plain:
      'id number status orderedAt winProbability currency contractRef subtotal discountTotal total createdAt updatedAt version __typename',
    relations:
      'id amountPaid balance customer { id legalName access lastOrderAt owner { name } } lines { id position product quantity unitPrice discountPercent amount } payments { id amount dueDate paidAt }',
  },
  contact: {
    plain: 'id name title decisionRole consent createdAt updatedAt version __typename',
    pii: 'id name email phone mobile',
    imHandles: 'id imHandles { network handle }',
    relations: 'id name customer { id legalName access industry grade owner { name } territory { code } }',
  },
  user: {
    plain: 'id name email role active createdAt __typename',
    relations: 'id name territories { code parent { code } } managedRegions { code children { code } }',
  },
};

const TABLES: Record<Root, string> = { interaction: 'interaction', order: 'sales_order', contact: 'contact', user: 'app_user' };
const document = (root: Root, selection: string) => `query ($id: ID!) { ${root}(id: $id) { ${selection} } }`;

/** Accounts each caller may open, by the documented rule, from the tables: admins all; a manager their regions' subtrees; a rep their own in a territory they work in (and that territory's with TERRITORY_ACCESS=READ); a key its territories. */
async function readableAccounts(caller: Caller, territoryRead = false): Promise<Set<string>> {
  const ids = (rows: { id: string }[]) => new Set(rows.map((row) => row.id));
  if (!('user' in caller))
    return ids(await sql(`select id from customer where territory_id = any(?::uuid[])`, [`{${caller.territories.join(',')}}`]));
  if (caller.user === 'admin') return ids(await sql('select id from customer'));
  const user = t.baseline.users[caller.user];
  if (caller.user.startsWith('manager'))
    return ids(
      await sql(
        `select c.id from customer c where c.territory_id in (select r.id from region r join region m on r.path = m.path or r.path like m.path || '/%' join user_managed_region um on um.region_id = m.id where um.user_id = ?)`,
        [user.id],
      ),
    );
  return ids(
    await sql(
      `select c.id from customer c where c.territory_id in (select region_id from user_territory where user_id = ?) and (c.owner_id = ? or ?)`,
      [user.id, user.id, territoryRead],
    ),
  );
}

const users: Principal[] = ['admin', 'managerEast', 'managerSouth', 'repHangzhou', 'repHangzhou2', 'repNingbo'];
const callers = (): Caller[] => [...users.map((user) => ({ name: user, user })), keys.full, keys.noPii, keys.listsOnly, keys.contactsOnly];
const ACCOUNT_ROOTS: Root[] = ['interaction', 'order', 'contact'];

describe('interaction(id), order(id), contact(id) and user(id) compiled to one statement', () => {
  it(
    'answers every caller and record with the same bytes as the resolvers, and only the records the rule opens',
    { timeout: 900_000 },
    async () => {
      for (const root of ACCOUNT_ROOTS) {
        const records = await sql<{ id: string; customer_id: string }>(`select id, customer_id from ${TABLES[root]} order by id`);
        for (const caller of callers()) {
          const readable = await readableAccounts(caller);
          for (const record of records) {
            const { body, compiled, text } = await compare(caller, document(root, DOCUMENTS[root].plain!), { id: record.id });
            const label = `${root} ${caller.name} ${record.id}`;
            if (body.errors) continue; // the operation's gate refused the key (FORBIDDEN on both paths)
            const open = readable.has(record.customer_id);
            expect(body.data[root] !== null, label).toBe(open);
            // Nothing of these fields is masked: what the viewer may open is one statement, sent as text.
            if (open) expect(compiled && text, label).toBe(true);
          }
        }
      }
      const people = await sql<{ id: string }>('select id from app_user order by id');
      for (const user of users)
        for (const person of people) {
          const { body, compiled, text } = await compare({ name: user, user }, document('user', DOCUMENTS.user.plain!), { id: person.id });
          expect(body.data!.user, `${user} ${person.id}`).not.toBeNull();
          expect(compiled && text, `${user} ${person.id}`).toBe(true);
        }
    },
  );

  it('answers relations, personal data, keys with narrow scopes and territory colleagues the same', { timeout: 900_000 }, async () => {
    const sample = async (root: Root) => (await sql<{ id: string }>(`select id from ${TABLES[root]} order by id`)).map((row) => row.id);
    for (const root of [...ACCOUNT_ROOTS, 'user' as const]) {
      const ids = await sample(root);
      for (const caller of root === 'user' ? users.map((user): Caller => ({ name: user, user })) : callers())
        for (const selection of Object.values(DOCUMENTS[root]))
          for (const id of ids.slice(0, 12)) await compare(caller, document(root, selection), { id });
    }
    // A territory colleague's accounts are READ: their records answer in full, compiled and sent as text.
    t.app.config.territoryAccess = TerritoryAccess.READ;
    for (const user of ['repHangzhou', 'repHangzhou2'] as const) {
      const caller: Caller = { name: user, user };
      const readable = await readableAccounts(caller, true);
      for (const root of ACCOUNT_ROOTS) {
        const records = await sql<{ id: string; customer_id: string }>(`select id, customer_id from ${TABLES[root]} order by id`);
        for (const record of records.filter((row) => readable.has(row.customer_id))) {
          const relations = DOCUMENTS[root].relations ?? DOCUMENTS[root].plain!;
          const { body, compiled, text } = await compare(caller, document(root, relations), { id: record.id });
          expect(body.data![root], `${user} ${root} ${record.id}`).not.toBeNull();
          expect(compiled && text, `${user} ${root}`).toBe(true);
        }
      }
    }
    t.app.config.territoryAccess = TerritoryAccess.NONE;

    // Not vacuous: which path answered.
    const [first] = t.baseline.customers;
    const one = async (root: Root) =>
      (await sql<{ id: string }>(`select id from ${TABLES[root]} where customer_id = ? order by id limit 1`, [first!.id]))[0]!.id;
    const admin: Caller = { name: 'admin', user: 'admin' };
    const rep: Caller = { name: 'repHangzhou', user: 'repHangzhou' };
    for (const caller of [admin, rep, keys.full]) {
      expect(
        (await compare(caller, document('interaction', DOCUMENTS.interaction.relations!), { id: await one('interaction') })).text,
        caller.name,
      ).toBe(true);
      expect(
        (await compare(caller, document('interaction', DOCUMENTS.interaction.pii!), { id: await one('interaction') })).text,
        caller.name,
      ).toBe(true);
      expect((await compare(caller, document('order', DOCUMENTS.order.relations!), { id: await one('order') })).text, caller.name).toBe(
        true,
      );
      expect((await compare(caller, document('contact', DOCUMENTS.contact.pii!), { id: await one('contact') })).text, caller.name).toBe(
        true,
      );
    }
    // Keys missing a scope the selection needs: the resolvers mask it (errors, never text).
    expect((await compare(keys.noPii, document('contact', DOCUMENTS.contact.pii!), { id: await one('contact') })).text).toBe(false);
    expect((await compare(keys.noPii, document('interaction', DOCUMENTS.interaction.pii!), { id: await one('interaction') })).text).toBe(
      false,
    );
    expect(
      (await compare(keys.listsOnly, document('interaction', DOCUMENTS.interaction.relations!), { id: await one('interaction') })).text,
    ).toBe(false);
    expect((await compare(keys.listsOnly, document('order', DOCUMENTS.order.relations!), { id: await one('order') })).text).toBe(false);
    // IM handles are transformed (walked, compiled); a key's account evaluations are the resolvers'.
    const handles = await compare(admin, document('contact', DOCUMENTS.contact.imHandles!), { id: await one('contact') });
    expect(handles.text).toBe(false);
    expect(handles.compiled).toBe(true);
    expect(
      (await compare(keys.full, document('interaction', DOCUMENTS.interaction.deep!), { id: await one('interaction') })).compiled,
    ).toBe(false);
    expect((await compare(admin, document('interaction', DOCUMENTS.interaction.deep!), { id: await one('interaction') })).compiled).toBe(
      true,
    );
  });

  it(
    'answers ids it does not find, upper-case ids and ids that are not ids exactly as the resolvers do',
    { timeout: 300_000 },
    async () => {
      for (const root of [...ACCOUNT_ROOTS, 'user' as const]) {
        const [row] = await sql<{ id: string }>(`select id from ${TABLES[root]} order by id limit 1`);
        for (const caller of [{ name: 'admin', user: 'admin' } as Caller, { name: 'repNingbo', user: 'repNingbo' } as Caller, keys.full])
          for (const id of [randomUUID(), row!.id.toUpperCase(), 'not-an-id', ''])
            for (const selection of Object.values(DOCUMENTS[root])) await compare(caller, document(root, selection), { id });
      }
    },
  );
});
