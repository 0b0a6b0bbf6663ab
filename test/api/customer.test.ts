import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer } from '../../api/src/modules/customer/customer.entity.js';
import {
  ArchiveCustomerDocument,
  CreateCustomerDocument,
  Customer360Document,
  Customer360PageDocument,
  CustomerListDocument,
  UpdateCustomerDocument,
} from '../../schema/generated/graphql.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('customer-360', () => {
  it('returns profile, contacts, newest interactions, orders with lines and payments in one request', async () => {
    const target = t.baseline.customers[0]!;
    const { data, errors } = await t.gqlAs('admin', Customer360Document, { id: target.id });
    expect(errors).toBeUndefined();
    const customer = data!.customer!;
    expect(customer.legalName).toBe(target.legalName);
    expect(customer.territory.code).toBe('HZ');
    expect(customer.owner.name).toBe('Hu Hangzhou');
    expect(customer.contacts).toHaveLength(1);
    expect(customer.interactions!.totalCount).toBe(3);
    const occurred = customer.interactions!.edges.map((edge) => edge.node.occurredAt);
    expect([...occurred].sort().reverse()).toEqual(occurred);
    expect(customer.orders!.edges).toHaveLength(2);
    expect(customer.orders!.edges[0]!.node.lines[0]).toMatchObject({
      product: 'Widget',
      quantity: '2.000',
      unitPrice: '100.00',
      amount: '200.00',
    });
    expect(customer.orders!.edges[0]!.node.payments[0]!.amount).toBe('200.00');
  });

  it('returns null for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const { data, errors } = await t.gqlAs('admin', Customer360Document, { id });
      expect(errors).toBeUndefined();
      expect(data!.customer).toBeNull();
    }
  });

  it('costs the same number of SQL statements for 5 and for 20 customers', async () => {
    const page = (first: number, compiled: boolean) =>
      t.countSql(async () => {
        t.app.config.compiledReads = compiled;
        try {
          const { data, errors } = await t.gqlAs('admin', Customer360PageDocument, { first });
          expect(errors).toBeUndefined();
          expect(data!.customers.edges.length).toBe(Math.min(first, 12));
        } finally {
          t.app.config.compiledReads = true;
        }
      });
    // Compiled: begin with the viewer and session settings (one round trip), then the page as one
    // statement sent with COMMIT (answered as JSON text: last-read.test.ts).
    expect(await page(5, true)).toBe(2);
    expect(await page(20, true)).toBe(2);
    // The resolvers, where the compiled path declines: begin, page, count, territory, owner, contacts,
    // interactions and their count, orders, lines, payments, evaluations, commit.
    expect(await page(5, false)).toBe(13);
    expect(await page(20, false)).toBe(13);
  });
});

describe('customer list', () => {
  it('pages with keyset cursors that stay stable when rows are inserted before the cursor', async () => {
    const first = await t.gqlAs('admin', CustomerListDocument, { first: 5, orderBy: { field: 'LEGAL_NAME', direction: 'ASC' } });
    expect(first.errors).toBeUndefined();
    const page1 = first.data!.customers;
    expect(page1.totalCount).toBe(12);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const names = page1.edges.map((edge) => edge.node.legalName);
    expect([...names].sort()).toEqual(names);

    const created = await t.gqlAs('admin', CreateCustomerDocument, {
      input: {
        legalName: 'AAA First Alphabetically Ltd',
        territoryId: t.baseline.regions.hangzhou.id,
        ownerId: t.baseline.users.repHangzhou.id,
      },
    });
    expect(created.errors).toBeUndefined();

    const second = await t.gqlAs('admin', CustomerListDocument, {
      first: 5,
      after: page1.pageInfo.endCursor,
      orderBy: { field: 'LEGAL_NAME', direction: 'ASC' },
    });
    const page2 = second.data!.customers;
    expect(page2.pageInfo.hasPreviousPage).toBe(true);
    expect(page2.edges[0]!.node.legalName > names.at(-1)!).toBe(true);
    expect(page2.edges.map((edge) => edge.node.id)).not.toContain(created.data!.createCustomer.id);
    await t.orm.em.fork().nativeDelete(Customer, { id: created.data!.createCustomer.id });
  });

  it('filters by region including descendants, territory, owner, stage, text over contacts, and dates', async () => {
    const count = async (filter: Record<string, unknown>) => {
      const { data, errors } = await t.gqlAs('admin', CustomerListDocument, { first: 100, filter });
      expect(errors).toBeUndefined();
      return data!.customers.totalCount;
    };
    const { regions, users } = t.baseline;
    expect(await count({ regionId: regions.east.id })).toBe(9);
    expect(await count({ regionId: regions.zhejiang.id })).toBe(9);
    expect(await count({ regionId: regions.south.id })).toBe(3);
    expect(await count({ territoryId: regions.ningbo.id })).toBe(3);
    expect(await count({ ownerId: users.repGuangzhou.id })).toBe(3);
    expect(await count({ stages: ['REPEAT'] })).toBe(4);
    expect(await count({ search: 'buyer5@customer' })).toBe(1);
    expect(await count({ search: '100%' })).toBe(0);
    expect(await count({ createdAfter: '2025-01-01T05:00:00Z', createdBefore: '2025-01-01T08:00:00Z' })).toBe(3);
  });

  it('rejects a tampered cursor and an id that is not one', async () => {
    const bad = await t.gqlAs('admin', CustomerListDocument, { first: 5, after: 'bm9wZQ' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const badId = await t.gqlAs('admin', CustomerListDocument, { first: 5, filter: { regionId: 'x' } });
    expect(badId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.regionId' });
  });

  it('caps the page size', async () => {
    const { errors } = await t.gqlAs('admin', CustomerListDocument, { first: 1000 });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('customer mutations', () => {
  it('creates with validation naming the field, and changes nothing on bad input', async () => {
    const before = await t.orm.em.fork().count(Customer);
    const empty = await t.gqlAs('admin', CreateCustomerDocument, {
      input: { legalName: '', territoryId: t.baseline.regions.hangzhou.id, ownerId: t.baseline.users.repHangzhou.id },
    });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'legalName' });
    const province = await t.gqlAs('admin', CreateCustomerDocument, {
      input: { legalName: 'Valid Name', territoryId: t.baseline.regions.zhejiang.id, ownerId: t.baseline.users.repHangzhou.id },
    });
    expect(province.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'territoryId' });
    const decimalTags = await t.gqlAs('admin', CreateCustomerDocument, {
      input: {
        legalName: 'Valid Name',
        territoryId: t.baseline.regions.hangzhou.id,
        ownerId: t.baseline.users.repHangzhou.id,
        tags: ['x'.repeat(51)],
      },
    });
    expect(decimalTags.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tags' });
    expect(await t.orm.em.fork().count(Customer)).toBe(before);
  });

  it('updates with the expected version and fails with CONFLICT on a stale one, overwriting nothing', async () => {
    const target = t.baseline.customers[1]!;
    const read = await t.gqlAs('admin', Customer360Document, { id: target.id });
    const version = read.data!.customer!.version!;
    const first = await t.gqlAs('admin', UpdateCustomerDocument, { id: target.id, input: { version, notes: 'first writer' } });
    expect(first.errors).toBeUndefined();
    expect(first.data!.updateCustomer.version).toBe(version + 1);
    const second = await t.gqlAs('admin', UpdateCustomerDocument, { id: target.id, input: { version, notes: 'second writer' } });
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: version + 1 });
    const after = await t.gqlAs('admin', Customer360Document, { id: target.id });
    expect(after.data!.customer!.notes).toBe('first writer');
  });

  it('lets exactly one of two concurrent writers with the same version win', async () => {
    const target = t.baseline.customers[2]!;
    const version = (await t.gqlAs('admin', Customer360Document, { id: target.id })).data!.customer!.version!;
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((notes) => t.gqlAs('admin', UpdateCustomerDocument, { id: target.id, input: { version, notes } })),
    );
    const won = results.filter((result) => !result.errors);
    const conflicts = results.filter((result) => result.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(won).toHaveLength(1);
    expect(conflicts).toHaveLength(3);
    const after = await t.gqlAs('admin', Customer360Document, { id: target.id });
    expect(after.data!.customer!.notes).toBe(won[0]!.data!.updateCustomer.notes);
    expect(after.data!.customer!.version).toBe(version + 1);
  });

  it('returns NOT_FOUND for an unknown id', async () => {
    const { errors } = await t.gqlAs('admin', UpdateCustomerDocument, {
      id: '00000000-0000-4000-8000-000000000000',
      input: { version: 1, notes: 'x' },
    });
    expect(errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('archives: hidden from lists unless asked for', async () => {
    const target = t.baseline.customers[11]!;
    const version = (await t.gqlAs('admin', Customer360Document, { id: target.id })).data!.customer!.version!;
    const archived = await t.gqlAs('admin', ArchiveCustomerDocument, { id: target.id, version });
    expect(archived.data!.archiveCustomer.archivedAt).toBeTruthy();
    const list = await t.gqlAs('admin', CustomerListDocument, { first: 100 });
    expect(list.data!.customers.edges.map((edge) => edge.node.id)).not.toContain(target.id);
    const all = await t.gqlAs('admin', CustomerListDocument, { first: 100, filter: { includeArchived: true } });
    expect(all.data!.customers.edges.map((edge) => edge.node.id)).toContain(target.id);
  });
});
