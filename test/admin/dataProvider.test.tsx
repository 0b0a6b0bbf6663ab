// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import CUSTOMER_LIST from '../../schema/documents/admin/customer-list.graphql?raw';
import { customerListDefaults, customerListFirstPage } from '../../admin/src/customers/customerListDefaults';
import { createProviders } from '../../admin/src/providers';
import { sendEarly } from '../../admin/src/providers/earlyRequest';
import { session } from '../../admin/src/providers/session';
import { GraphQLRequestError, isConflict } from '../../admin/src/providers/graphqlClient';
import { connection, customerRow, fakeApi, ids, signInAs } from './harness';

const rows = Array.from({ length: 60 }, (_, i) => customerRow(i + 1));

/** A keyset-paged customers query over `rows`, like the API's. */
function customersHandler(variables: Record<string, any>) {
  const start = variables.after ? rows.findIndex((row) => `c-${row.id}` === variables.after) + 1 : 0;
  const page = rows.slice(start, start + (variables.first ?? 25));
  return { customers: connection(page, rows.length, start + page.length < rows.length) };
}

function setup(extra: Record<string, (variables: Record<string, any>) => unknown> = {}) {
  const api = fakeApi({ AdminCustomers: customersHandler, AdminCustomersCursors: customersHandler, ...extra });
  const { dataProvider } = createProviders({ fetch: api.fetch });
  return { api, dataProvider };
}

beforeEach(() => {
  localStorage.clear();
  signInAs('ADMIN');
});

describe('data provider: lists over Relay connections', () => {
  it('maps filters and sort onto CustomerFilter and CustomerOrder, one request per page', async () => {
    const { api, dataProvider } = setup();
    const result = await dataProvider.getList('customers', {
      pagination: { page: 1, perPage: 25 },
      sort: { field: 'legalName', order: 'DESC' },
      filter: { q: ' acme ', regionId: ids.east, lifecycleStage: 'REPEAT', ownerId: 'u1', industry: '' },
    });
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]!.variables).toEqual({
      first: 25,
      after: null,
      filter: { search: 'acme', regionId: ids.east, ownerId: 'u1', stages: ['REPEAT'] },
      orderBy: { field: 'LEGAL_NAME', direction: 'DESC' },
    });
    expect(result.total).toBe(60);
    expect(result.data).toHaveLength(25);
    expect(result.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
  });

  it("starts page N+1 from page N's endCursor", async () => {
    const { api, dataProvider } = setup();
    const params = { pagination: { page: 1, perPage: 25 }, sort: { field: 'legalName', order: 'ASC' as const }, filter: {} };
    await dataProvider.getList('customers', params);
    const page2 = await dataProvider.getList('customers', { ...params, pagination: { page: 2, perPage: 25 } });
    expect(api.operations()).toEqual(['AdminCustomers', 'AdminCustomers']);
    expect(api.calls[1]!.variables.after).toBe(`c-${rows[24]!.id}`);
    expect(page2.data[0]!.id).toBe(rows[25]!.id);
  });

  it('walks forward with pageInfo-only requests to a page whose cursor it does not know', async () => {
    const { api, dataProvider } = setup();
    const page3 = await dataProvider.getList('customers', {
      pagination: { page: 3, perPage: 25 },
      sort: { field: 'legalName', order: 'ASC' },
      filter: {},
    });
    expect(api.operations()).toEqual(['AdminCustomersCursors', 'AdminCustomers']);
    expect(api.calls[0]!.query).not.toContain('edges');
    expect(api.calls[0]!.variables).toMatchObject({ first: 50, after: null });
    expect(page3.data.map((row) => row.id)).toEqual(rows.slice(50).map((row) => row.id));
    // Page 3's rows left their cursors: the next page costs one request.
    await dataProvider.getList('customers', {
      pagination: { page: 2, perPage: 10 },
      sort: { field: 'legalName', order: 'ASC' },
      filter: {},
    });
    expect(api.operations()).toEqual(['AdminCustomersCursors', 'AdminCustomers', 'AdminCustomersCursors', 'AdminCustomers']);
    await dataProvider.getList('customers', {
      pagination: { page: 6, perPage: 10 },
      sort: { field: 'legalName', order: 'ASC' },
      filter: {},
    });
    expect(api.operations().slice(4)).toEqual(['AdminCustomers']);
    expect(api.calls[4]!.variables.after).toBe(`c-${rows[49]!.id}`);
  });

  it('keeps separate cursors per filter and forgets them after a write', async () => {
    const { api, dataProvider } = setup({
      AdminCreateCustomer: () => ({ createCustomer: { ...customerRow(99), registrationId: null } }),
    });
    const list = (filter: Record<string, unknown>, page: number) =>
      dataProvider.getList('customers', { pagination: { page, perPage: 25 }, sort: { field: 'legalName', order: 'ASC' }, filter });
    await list({}, 1);
    await list({ q: 'x' }, 2);
    expect(api.operations()).toEqual(['AdminCustomers', 'AdminCustomersCursors', 'AdminCustomers']);
    await dataProvider.create('customers', { data: { legalName: 'New', territoryId: ids.hangzhou } });
    await list({}, 2);
    expect(api.operations().slice(-2)).toEqual(['AdminCustomersCursors', 'AdminCustomers']);
  });

  it('hands the customer page the entry asked for early to the first list that asks the same, once, and asks anew for anything else', async () => {
    const { api, dataProvider } = setup();
    const early = () => sendEarly('AdminCustomers', CUSTOMER_LIST, customerListFirstPage, session.token()!, { fetch: api.fetch });
    const defaults = { pagination: { page: 1, perPage: customerListDefaults.perPage }, sort: customerListDefaults.sort, filter: {} };
    early();
    // The entry's request is the list's own: no filter, legal name ascending, the first 25.
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]!.variables).toEqual({ orderBy: { field: 'LEGAL_NAME', direction: 'ASC' }, first: 25, after: null });
    const first = await dataProvider.getList('customers', defaults);
    expect(api.calls).toHaveLength(1);
    expect(first.data.map((row) => row.id)).toEqual(rows.slice(0, 25).map((row) => row.id));
    expect(first.total).toBe(60);
    // Taken once: a refetch of the same page asks the API.
    await dataProvider.getList('customers', defaults);
    expect(api.calls).toHaveLength(2);

    // A list opened with another sort (a stored one) or page does not get the early answer.
    early();
    await dataProvider.getList('customers', { ...defaults, sort: { field: 'legalName', order: 'DESC' } });
    expect(api.calls).toHaveLength(4);
    expect(api.calls[3]!.variables.orderBy).toEqual({ field: 'LEGAL_NAME', direction: 'DESC' });
    early();
    await dataProvider.getList('customers', { ...defaults, filter: { q: 'acme' } });
    expect(api.calls).toHaveLength(6);
    // Nor does a request under another token (signed out and in as someone else meanwhile).
    early();
    signInAs('REP');
    await dataProvider.getList('customers', defaults);
    expect(api.calls).toHaveLength(8);
  });

  it('fetches many records in one request with aliases', async () => {
    const { api, dataProvider } = setup({
      AdminCustomerBatch: (variables) =>
        Object.fromEntries(
          Object.keys(variables).map((key, index) => [
            `b${index}`,
            key === 'id_1' ? null : { ...customerRow(index + 1), id: variables[key] },
          ]),
        ),
    });
    const { data } = await dataProvider.getMany('customers', { ids: [ids.customer(1), ids.customer(2), ids.customer(3)] });
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]!.query).toMatch(/b0: customer\(id: \$id_0\)[\s\S]*b2: customer\(id: \$id_2\)/);
    expect(data.map((record) => record.id)).toEqual([ids.customer(1), ids.customer(3)]);
  });

  it('maps getManyReference onto the target filter', async () => {
    const api = fakeApi({ AdminContacts: () => ({ contacts: connection([], 0) }) });
    const { dataProvider } = createProviders({ fetch: api.fetch });
    await dataProvider.getManyReference('contacts', {
      target: 'customerId',
      id: ids.customer(1),
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'name', order: 'ASC' },
      filter: {},
    });
    expect(api.calls[0]!.variables).toMatchObject({
      first: 10,
      filter: { customerId: ids.customer(1) },
      orderBy: { field: 'NAME', direction: 'ASC' },
    });
  });
});

describe('data provider: writes', () => {
  it('sends the version the record was loaded with, and only the input fields', async () => {
    const api = fakeApi({
      AdminUpdateCustomer: (variables) => ({ updateCustomer: { ...customerRow(1), ...variables.input, version: 8 } }),
    });
    const { dataProvider } = createProviders({ fetch: api.fetch });
    const previousData = { ...customerRow(1), version: 7 };
    const { data } = await dataProvider.update('customers', {
      id: previousData.id,
      data: { ...previousData, industry: 'Wholesale', notes: '', territory: { id: 'x' }, address: { city: 'Hangzhou', line: '' } },
      previousData,
    });
    expect(api.calls[0]!.variables).toEqual({
      id: previousData.id,
      input: {
        legalName: previousData.legalName,
        industry: 'Wholesale',
        notes: null,
        address: { city: 'Hangzhou', line: null },
        version: 7,
      },
    });
    expect(data.version).toBe(8);
  });

  it('turns a stale version into a CONFLICT error carrying the current version', async () => {
    const api = fakeApi({
      AdminUpdateCustomer: () => ({
        data: null,
        errors: [
          {
            message: 'Customer was changed by someone else',
            path: ['updateCustomer'],
            extensions: { code: 'CONFLICT', currentVersion: 9 },
          },
        ],
      }),
    });
    const { dataProvider } = createProviders({ fetch: api.fetch });
    const error = await dataProvider
      .update('customers', { id: ids.customer(1), data: { industry: 'X' }, previousData: customerRow(1) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(isConflict(error)).toBe(true);
    expect(error).toMatchObject({ status: 409, code: 'CONFLICT', extensions: { currentVersion: 9 } });
  });

  it('reports UNAUTHENTICATED as status 401 and BAD_USER_INPUT on the input that caused it, as a catalogue key', async () => {
    const api = fakeApi({
      AdminCustomers: () => ({ errors: [{ message: 'Sign in first', extensions: { code: 'UNAUTHENTICATED' } }] }),
      AdminCreateCustomer: () => ({
        errors: [{ message: 'legalName must be 1–300 characters', extensions: { code: 'BAD_USER_INPUT', field: 'input.legalName' } }],
      }),
    });
    const { dataProvider } = createProviders({ fetch: api.fetch });
    await expect(
      dataProvider.getList('customers', { pagination: { page: 1, perPage: 25 }, sort: { field: 'id', order: 'ASC' }, filter: {} }),
    ).rejects.toMatchObject({ status: 401 });
    await expect(dataProvider.create('customers', { data: { legalName: '' } })).rejects.toMatchObject({
      status: 400,
      body: { errors: { legalName: 'app.serverErrors.BAD_USER_INPUT.legalName' } },
    });
  });

  it('keeps a directory card whose hidden fields come back null with FORBIDDEN errors', async () => {
    const card = {
      ...customerRow(5),
      access: 'DIRECTORY',
      version: null,
      industry: null,
      lifecycleStage: null,
      createdAt: null,
      updatedAt: null,
    };
    const api = fakeApi({
      AdminCustomer: () => ({
        data: { customer: card },
        errors: [{ message: 'Not allowed', path: ['customer', 'industry'], extensions: { code: 'FORBIDDEN' } }],
      }),
    });
    const { dataProvider } = createProviders({ fetch: api.fetch });
    const { data } = await dataProvider.getOne('customers', { id: card.id });
    expect(data).toMatchObject({ id: card.id, access: 'DIRECTORY', legalName: card.legalName });
  });

  it('sends Authorization: Bearer with the signed-in token', async () => {
    let authorization: string | null = null;
    const { dataProvider } = createProviders({
      fetch: async (_url, init) => {
        authorization = new Headers(init?.headers).get('authorization');
        return Response.json({ data: { regions: connection([], 0) } });
      },
    });
    await dataProvider.getList('regions', { pagination: { page: 1, perPage: 25 }, sort: { field: 'path', order: 'ASC' }, filter: {} });
    expect(authorization).toBe('Bearer token-ADMIN');
  });
});
