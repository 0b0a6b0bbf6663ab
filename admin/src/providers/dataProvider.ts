import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DataProvider, GetListResult, Identifier, RaRecord, SortPayload } from 'react-admin';
import { HttpError } from 'react-admin';
import { batchOperation, cursorsOnly, rootFieldName } from './batch';
import { CursorCache } from './cursorCache';
import type { GraphQLClient } from './graphqlClient';
import type { ListOperation, RaFilter, ResourceAdapter } from './resource';

/** The API's largest page (`first` ≤ 100). */
export const MAX_PAGE_SIZE = 100;

export interface ConsoleDataProvider extends DataProvider {
  /** Every row of a list, 100 per request (the region tree, choice lists). */
  getAll<R extends RaRecord = RaRecord>(
    resource: string,
    params?: { filter?: RaFilter; sort?: SortPayload; signal?: AbortSignal },
  ): Promise<R[]>;
  /**
   * A document of a screen's own (archive, dashboard counts). Going through the data provider
   * keeps react-admin's error handling: UNAUTHENTICATED still signs out.
   */
  execute<R, V>(document: TypedDocumentNode<R, V>, variables: V, options?: { affects?: string[]; signal?: AbortSignal }): Promise<R>;
  /** Many runs of a one-root-field document in one request (aliased); results in input order. */
  batch<R, V>(document: TypedDocumentNode<R, V>, variablesList: V[], options?: { signal?: AbortSignal }): Promise<R[]>;
  client: GraphQLClient;
  cursors: CursorCache;
}

function unsupported(resource: string, operation: string): never {
  throw new HttpError(`${resource}: ${operation} is not supported by the API`, 405);
}

function notFound(resource: string, id: Identifier): never {
  throw new HttpError('ra.notification.item_doesnt_exist', 404, { code: 'NOT_FOUND', extensions: { type: resource, id } });
}

/**
 * react-admin's data provider over the API's typed documents. Lists are Relay connections with
 * keyset cursors; react-admin asks for numbered pages, so a CursorCache maps offsets to cursors
 * and a page whose cursor is unknown is reached by walking forward with pageInfo-only requests.
 */
export function createDataProvider(client: GraphQLClient, adapters: Record<string, ResourceAdapter>): ConsoleDataProvider {
  const cursors = new CursorCache();

  const adapterFor = (resource: string): ResourceAdapter => {
    const adapter = adapters[resource];
    if (!adapter) throw new HttpError(`Unknown resource ${resource}`, 404);
    return adapter;
  };
  const toRecord = (adapter: ResourceAdapter, node: any): RaRecord => (adapter.toRecord ? adapter.toRecord(node) : node);
  const forget = (resource: string) => {
    cursors.forgetResource(resource);
    for (const other of adapters[resource]?.affects ?? []) cursors.forgetResource(other);
  };

  /** The `after` cursor for row `offset`, walking forward from the nearest known one if needed. */
  const afterFor = async (
    key: string,
    list: ListOperation,
    vars: Record<string, unknown>,
    offset: number,
    signal?: AbortSignal,
  ): Promise<string | null> => {
    const known = cursors.cursorAt(key, offset);
    if (known !== undefined) return known;
    let { offset: at, cursor } = cursors.nearest(key, offset);
    const walker = cursorsOnly(list.document);
    while (at < offset) {
      const step = Math.min(MAX_PAGE_SIZE, offset - at);
      const data = await client.requestUntyped(walker, { ...vars, first: step, after: cursor }, { signal });
      const pageInfo = (data[rootFieldName(walker)] as { pageInfo: { endCursor: string | null; hasNextPage: boolean } }).pageInfo;
      if (!pageInfo.endCursor) break;
      cursor = pageInfo.endCursor;
      if (!pageInfo.hasNextPage) break; // past the end: the page comes back empty
      at += step;
      cursors.record(key, at - 1, [cursor]);
    }
    return cursor;
  };

  const fetchPage = async (
    resource: string,
    params: { page: number; perPage: number; filter?: RaFilter; sort?: SortPayload; signal?: AbortSignal },
  ): Promise<GetListResult> => {
    const adapter = adapterFor(resource);
    const list = adapter.list ?? unsupported(resource, 'list');
    const filter = params.filter ?? {};
    const vars = { ...list.arguments?.(filter), filter: list.filter(filter), orderBy: list.orderBy(params.sort, filter) };
    const key = CursorCache.key(resource, vars, undefined);
    const offset = (params.page - 1) * params.perPage;
    let after = await afterFor(key, list, vars, offset, params.signal);
    const rows: RaRecord[] = [];
    let total = 0;
    let hasNextPage = false;
    // react-admin may ask for more than the API's page size (choice lists); fetch in chunks.
    do {
      const first = Math.min(MAX_PAGE_SIZE, params.perPage - rows.length);
      const data = await client.request(list.document, { ...vars, first, after }, { signal: params.signal });
      const connection = list.connection(data);
      cursors.record(
        key,
        offset + rows.length,
        connection.edges.map((edge) => edge.cursor),
      );
      rows.push(...connection.edges.map((edge) => toRecord(adapter, edge.node)));
      total = connection.totalCount;
      hasNextPage = connection.pageInfo.hasNextPage;
      after = connection.pageInfo.endCursor ?? null;
    } while (hasNextPage && rows.length < params.perPage);
    return { data: rows, total, pageInfo: { hasNextPage, hasPreviousPage: params.page > 1 } };
  };

  const getMany = async (resource: string, ids: Identifier[], signal?: AbortSignal): Promise<RaRecord[]> => {
    const adapter = adapterFor(resource);
    const one = adapter.one ?? unsupported(resource, 'getOne');
    if (ids.length === 0) return [];
    const field = rootFieldName(one.document);
    // One request for all ids: the getOne document, aliased once per id.
    const batch = batchOperation(
      one.document,
      ids.map((id) => ({ id: String(id) })),
    );
    const data = await client.requestUntyped(batch.document, batch.variables, { signal });
    return ids
      .map((_id, index) => one.select({ [field]: data[batch.alias(index)] }))
      .filter((node): node is NonNullable<typeof node> => node !== null && node !== undefined)
      .map((node) => toRecord(adapter, node));
  };

  const dataProvider: ConsoleDataProvider = {
    client,
    cursors,
    supportAbortSignal: true,

    getList: (resource, params) =>
      fetchPage(resource, {
        page: params.pagination?.page ?? 1,
        perPage: params.pagination?.perPage ?? 25,
        filter: params.filter,
        sort: params.sort,
        signal: params.signal,
      }) as never,

    getManyReference: (resource, params) =>
      fetchPage(resource, {
        page: params.pagination?.page ?? 1,
        perPage: params.pagination?.perPage ?? 25,
        filter: { ...params.filter, [params.target]: params.id },
        sort: params.sort,
        signal: params.signal,
      }) as never,

    async getOne(resource, params) {
      const adapter = adapterFor(resource);
      const view = typeof params.meta?.view === 'string' ? adapter.views?.[params.meta.view] : undefined;
      const read = view ?? adapter.one ?? unsupported(resource, 'getOne');
      const data = await client.request(read.document, { id: String(params.id) }, { signal: params.signal });
      const node = read.select(data);
      if (!node) notFound(resource, params.id);
      return { data: toRecord(adapter, node) as never };
    },

    async getMany(resource, params) {
      return { data: (await getMany(resource, params.ids, params.signal)) as never };
    },

    async create(resource, params) {
      const adapter = adapterFor(resource);
      const create = adapter.create ?? unsupported(resource, 'create');
      const data = await client.request(create.document, create.variables({ data: params.data }));
      forget(resource);
      return { data: toRecord(adapter, create.select(data)) as never };
    },

    async update(resource, params) {
      const adapter = adapterFor(resource);
      const update = adapter.update ?? unsupported(resource, 'update');
      const data = await client.request(
        update.document,
        update.variables({ id: String(params.id), data: params.data, previousData: params.previousData }),
      );
      forget(resource);
      return { data: toRecord(adapter, update.select(data)) as never };
    },

    async updateMany(resource) {
      return unsupported(resource, 'updateMany');
    },

    async delete(resource, params) {
      const adapter = adapterFor(resource);
      const remove = adapter.delete ?? unsupported(resource, 'delete');
      await client.request(remove.document, remove.variables({ id: String(params.id), previousData: params.previousData }));
      forget(resource);
      return { data: (params.previousData ?? { id: params.id }) as never };
    },

    async deleteMany(resource, params) {
      const adapter = adapterFor(resource);
      const remove = adapter.delete ?? unsupported(resource, 'delete');
      // Deletes need each record's version: read them all, then delete them all, one request each.
      const records = await getMany(resource, params.ids);
      const batch = batchOperation(
        remove.document,
        records.map((record) => remove.variables({ id: String(record.id), previousData: record })),
      );
      await client.requestUntyped(batch.document, batch.variables);
      forget(resource);
      return { data: records.map((record) => record.id) };
    },

    async execute(document, variables, options = {}) {
      const data = await client.request(document, variables, { signal: options.signal });
      for (const resource of options.affects ?? []) forget(resource);
      return data;
    },

    async batch(document, variablesList, options = {}) {
      if (variablesList.length === 0) return [];
      const field = rootFieldName(document);
      const batch = batchOperation(document, variablesList as Record<string, unknown>[]);
      const data = await client.requestUntyped(batch.document, batch.variables, { signal: options.signal });
      return variablesList.map((_vars, index) => ({ [field]: data[batch.alias(index)] }) as never);
    },

    async getAll(resource, params = {}) {
      const rows: RaRecord[] = [];
      let page = 1;
      for (;;) {
        const result = await fetchPage(resource, {
          page,
          perPage: MAX_PAGE_SIZE,
          filter: params.filter,
          sort: params.sort,
          signal: params.signal,
        });
        rows.push(...result.data);
        if (!result.pageInfo?.hasNextPage) return rows as never;
        page += 1;
      }
    },
  };
  return dataProvider;
}
