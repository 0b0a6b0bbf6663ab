import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';
import type { Principal } from '../fixtures/baseline.js';

/**
 * Canary leak tests: unique markers are planted in every protected field of an account outside
 * the viewer's reach; a broad set of queries and mutations runs as that viewer, and no marker
 * may appear in any response body or log line.
 */
let t: TestApp;
let canaryId: string;
let contactId: string;
let interactionId: string;
let orderId: string;
const MARK = 'ZQXCANARY';
const PHONE_MARK = '13987654321';
const MONEY_MARK = '987654.32';

const CUSTOMER_FIELDS = `id legalName access version registrationId industry products industryStanding sizeBand ownershipType creditStanding
  websiteDomain lifecycleStage relationshipLevel tags sourceChannel notes archivedAt createdAt updatedAt
  address { line city province postalCode country } territory { id name } region { id name } owner { id name }
  contacts { id name title email phone mobile imHandles { network handle } consent }
  interactions(first: 10) { totalCount edges { cursor node { id summary outcome nextStep occurredAt } } }
  orders(first: 10) { totalCount edges { cursor node { id number contractRef total lines { product amount } payments { amount } } } }
  evaluations { score grade }`;

beforeAll(async () => {
  t = await createTestApp({}, { captureLogs: true });
  const canary = t.baseline.customers.find((customer) => customer.owner.id === t.baseline.users.repGuangzhou.id)!;
  canaryId = canary.id;
  const sql = t.orm.em.fork().getConnection();
  await sql.execute(
    `update customer set notes = ?, registration_id = ?, industry = ?, products = ?, website_domain = ?, address_line = ?, tags = ? where id = ?`,
    [
      `${MARK} notes`,
      `${MARK}REG`,
      `${MARK} industry`,
      `${MARK} products`,
      `${MARK.toLowerCase()}.example`,
      `${MARK} street`,
      `{${MARK}tag}`,
      canaryId,
    ],
  );
  [{ id: contactId }] = await sql.execute<{ id: string }[]>(
    `update contact set name = ?, email = ?, mobile = ?, phone = ?, im_handles = ? where customer_id = ? returning id`,
    [`${MARK} Contact`, `${MARK.toLowerCase()}@mail.example`, PHONE_MARK, PHONE_MARK, JSON.stringify({ wechat: `${MARK}wx` }), canaryId],
  );
  [{ id: interactionId }] = await sql.execute<{ id: string }[]>(
    `update interaction set summary = ?, outcome = ? where customer_id = ? returning id`,
    [`${MARK} summary`, `${MARK} outcome`, canaryId],
  );
  [{ id: orderId }] = await sql.execute<{ id: string }[]>(
    `update sales_order set contract_ref = ?, total = ? where customer_id = ? returning id`,
    [`${MARK}-CONTRACT`, MONEY_MARK, canaryId],
  );
  await sql.execute(`update order_line set product = ? where order_id in (select id from sales_order where customer_id = ?)`, [
    `${MARK} product`,
    canaryId,
  ]);
});

afterAll(async () => {
  await t?.close();
});

/** Every probe a viewer might try; variables carry the ids, never string interpolation. */
function probes(): { name: string; query: string; variables?: Record<string, unknown> }[] {
  const id = canaryId;
  return [
    { name: 'get by id, every field', query: `query ($id: ID!) { customer(id: $id) { ${CUSTOMER_FIELDS} } }`, variables: { id } },
    {
      name: 'directory list, every field',
      query: `{ customers(scope: DIRECTORY, first: 20) { totalCount edges { cursor node { ${CUSTOMER_FIELDS} } } } }`,
    },
    { name: 'accessible list, every field', query: `{ customers(first: 20) { totalCount edges { cursor node { ${CUSTOMER_FIELDS} } } } }` },
    {
      name: 'aliases',
      query: `query ($id: ID!) { a: customer(id: $id) { n: notes r: registrationId } b: customer(id: $id) { x: contacts { e: email m: mobile } } }`,
      variables: { id },
    },
    {
      name: 'fragments',
      query: `fragment F on Customer { notes contacts { email ...C } } fragment C on Contact { phone imHandles { handle } } query ($id: ID!) { customer(id: $id) { ...F } }`,
      variables: { id },
    },
    { name: 'inline fragments', query: `query ($id: ID!) { customer(id: $id) { ... on Customer { notes industry } } }`, variables: { id } },
    {
      name: 'deep nesting',
      query: `query ($id: ID!) { customer(id: $id) { contacts { customer { contacts { customer { notes contacts { email } } } } } } }`,
      variables: { id },
    },
    {
      name: 'search over hidden contact fields',
      query: `query ($s: String) { customers(first: 100, filter: { search: $s }) { totalCount edges { node { id notes } } } }`,
      variables: { s: MARK },
    },
    {
      name: 'search by hidden email',
      query: `query ($s: String) { customers(first: 100, filter: { search: $s }) { totalCount } }`,
      variables: { s: `${MARK.toLowerCase()}@mail` },
    },
    {
      name: 'directory search by name only',
      query: `query ($s: String) { customers(scope: DIRECTORY, first: 100, filter: { search: $s }) { totalCount edges { node { id legalName notes } } } }`,
      variables: { s: MARK },
    },
    {
      name: 'filter on a hidden field in the directory',
      query: `query ($i: String) { customers(scope: DIRECTORY, filter: { industry: $i }) { totalCount } }`,
      variables: { i: `${MARK} industry` },
    },
    {
      name: 'filter by hidden industry',
      query: `query ($i: String) { customers(filter: { industry: $i }) { totalCount edges { node { id } } } }`,
      variables: { i: `${MARK} industry` },
    },
    {
      name: 'filter by hidden tag',
      query: `query ($g: String) { customers(filter: { tag: $g }) { totalCount } }`,
      variables: { g: `${MARK}tag` },
    },
    {
      name: 'sort the directory by a hidden field',
      query: `{ customers(scope: DIRECTORY, orderBy: { field: UPDATED_AT }) { totalCount edges { node { id } } } }`,
    },
    {
      name: 'contacts list',
      query: `query ($id: ID) { contacts(first: 100, filter: { customerId: $id }) { totalCount edges { node { name email mobile phone } } } }`,
      variables: { id },
    },
    {
      name: 'contacts search',
      query: `query ($s: String) { contacts(first: 100, filter: { search: $s }) { totalCount edges { node { name email } } } }`,
      variables: { s: MARK },
    },
    {
      name: 'contact by id',
      query: `query ($id: ID!) { contact(id: $id) { name email mobile customer { notes } } }`,
      variables: { id: contactId },
    },
    {
      name: 'interactions list',
      query: `query ($id: ID) { interactions(first: 100, filter: { customerId: $id }) { totalCount edges { node { summary outcome } } } }`,
      variables: { id },
    },
    {
      name: 'interaction by id',
      query: `query ($id: ID!) { interaction(id: $id) { summary outcome customer { notes } } }`,
      variables: { id: interactionId },
    },
    {
      name: 'orders list',
      query: `query ($id: ID) { orders(first: 100, filter: { customerId: $id }) { totalCount edges { node { number contractRef total lines { product } } } } }`,
      variables: { id },
    },
    {
      name: 'order by id',
      query: `query ($id: ID!) { order(id: $id) { contractRef total lines { product } payments { amount } customer { notes } } }`,
      variables: { id: orderId },
    },
    {
      name: 'update the account',
      query: `mutation ($id: ID!) { updateCustomer(id: $id, input: { version: 1, notes: "mine now" }) { id notes } }`,
      variables: { id },
    },
    { name: 'archive the account', query: `mutation ($id: ID!) { archiveCustomer(id: $id, version: 1) { id notes } }`, variables: { id } },
    {
      name: 'add a contact to it',
      query: `mutation ($id: ID!) { createContact(input: { customerId: $id, name: "x" }) { id customer { notes } } }`,
      variables: { id },
    },
    {
      name: 'update its contact',
      query: `mutation ($id: ID!) { updateContact(id: $id, input: { version: 1, title: "x" }) { email } }`,
      variables: { id: contactId },
    },
    {
      name: 'log a visit on it',
      query: `mutation ($id: ID!) { logInteraction(input: { customerId: $id, kind: VISIT, channel: FIELD, summary: "x" }) { id customer { notes } } }`,
      variables: { id },
    },
    {
      name: 'order for it',
      query: `mutation ($id: ID!) { createOrder(input: { customerId: $id, lines: [{ product: "x", quantity: "1", unitPrice: "1" }] }) { id customer { notes } } }`,
      variables: { id },
    },
    {
      name: 'cancel its order',
      query: `mutation ($id: ID!) { updateOrder(id: $id, input: { version: 1, status: CANCELLED }) { contractRef } }`,
      variables: { id: orderId },
    },
    {
      name: 'create the same customer again',
      query: `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id notes } }`,
    },
    {
      name: 'a malformed cursor',
      query: `query ($a: String) { customers(after: $a) { totalCount } }`,
      variables: { a: Buffer.from(JSON.stringify([MARK, canaryId])).toString('base64url') },
    },
  ];
}

describe('the probes themselves', () => {
  it('reveal the markers to an admin, so a clean response means something', async () => {
    let revealed = 0;
    for (const probe of probes().filter((p) => !p.query.startsWith('mutation'))) {
      const { body } = await t.gqlAs('admin', probe.query, probe.variables);
      const text = JSON.stringify(body);
      expect(text, probe.name).not.toMatch(/GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED|INTERNAL_SERVER_ERROR/);
      if (text.includes(MARK) || text.includes(MARK.toLowerCase()) || text.includes(PHONE_MARK) || text.includes(MONEY_MARK)) revealed += 1;
    }
    expect(revealed).toBeGreaterThanOrEqual(15);
  });
});

describe.each<Principal>(['repHangzhou', 'managerEast', 'repNingbo'])('as %s', (who) => {
  it("no protected value of another territory's account reaches a response or a log line", async () => {
    const canary = t.baseline.customers.find((customer) => customer.id === canaryId)!;
    for (const probe of probes()) {
      const variables =
        probe.name === 'create the same customer again'
          ? {
              input: {
                legalName: canary.legalName,
                territoryId: who === 'repNingbo' ? t.baseline.regions.ningbo.id : t.baseline.regions.hangzhou.id,
              },
            }
          : probe.variables;
      const { body } = await t.gqlAs(who, probe.query, variables);
      const text = JSON.stringify(body);
      // A probe that does not even validate would pass vacuously.
      expect(text, probe.name).not.toMatch(/GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED|INTERNAL_SERVER_ERROR/);
      expect(text, probe.name).not.toContain(MARK);
      expect(text, probe.name).not.toContain(MARK.toLowerCase());
      expect(text, probe.name).not.toContain(PHONE_MARK);
      expect(text, probe.name).not.toContain(MONEY_MARK);
    }
    const logText = t.logs.join('\n');
    expect(logText).not.toContain(MARK);
    expect(logText).not.toContain(MARK.toLowerCase());
    expect(logText).not.toContain(PHONE_MARK);
  });

  it('sees the account as a directory card: it exists, and whose it is', async () => {
    const { data, errors } = await t.gqlAs(
      who,
      `query ($id: ID!) { customer(id: $id) { id legalName access owner { name } territory { code } region { code } notes } }`,
      { id: canaryId },
    );
    expect(data!.customer).toMatchObject({
      id: canaryId,
      access: 'DIRECTORY',
      owner: { name: 'Guo Guangzhou' },
      territory: { code: 'GZ' },
      region: { code: 'SOUTH' },
      notes: null,
    });
    expect(errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['customer.notes', 'FORBIDDEN']]);
  });

  it('is told a duplicate exists, and whose it is, without its details', async () => {
    const canary = t.baseline.customers.find((customer) => customer.id === canaryId)!;
    const territoryId = who === 'repNingbo' ? t.baseline.regions.ningbo.id : t.baseline.regions.hangzhou.id;
    const ownerId = who === 'managerEast' ? t.baseline.users.repHangzhou.id : undefined;
    const { errors } = await t.gqlAs(who, `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
      input: { legalName: canary.legalName.toUpperCase(), territoryId, ownerId },
    });
    expect(errors?.[0]?.extensions).toMatchObject({
      code: 'DUPLICATE_OWNED',
      territory: { name: 'Guangzhou' },
      owner: { name: 'Guo Guangzhou' },
    });
  });
});
