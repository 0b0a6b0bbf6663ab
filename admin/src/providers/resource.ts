import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { RaRecord, SortPayload } from 'react-admin';

/** What every Relay connection of the API looks like. */
export interface Connection<N> {
  totalCount: number;
  edges: { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** Every list document of the console takes these variables ($first, $after, $filter, $orderBy). */
export interface ListVariables {
  first?: number | null;
  after?: string | null;
  filter?: unknown;
  orderBy?: unknown;
}

export type RaFilter = Record<string, any>;

export interface ListOperation<N = any> {
  document: TypedDocumentNode<any, any>;
  connection(data: any): Connection<N>;
  /** react-admin's filter values (and a getManyReference target) → the API's filter input. */
  filter(filter: RaFilter): unknown;
  /** react-admin's sort → the API's orderBy input; undefined keeps the server's default order. */
  orderBy(sort: SortPayload | undefined, filter: RaFilter): unknown;
  /** Further list arguments some filters map to (e.g. the customers' `scope`). */
  arguments?(filter: RaFilter): Record<string, unknown>;
}

export interface ReadOperation<N = any> {
  document: TypedDocumentNode<any, { id: string }>;
  select(data: any): N | null | undefined;
}

export interface WriteOperation<N = any> {
  document: TypedDocumentNode<any, any>;
  variables(params: { id?: string; data: RaRecord | Record<string, any>; previousData?: RaRecord }): Record<string, unknown>;
  select(data: any): N;
}

export interface DeleteOperation {
  document: TypedDocumentNode<any, any>;
  variables(params: { id: string; previousData?: RaRecord }): Record<string, unknown>;
}

/**
 * How one react-admin resource maps onto the API. A new resource (transfers, API keys, audit
 * events, evaluation cycles) is one more adapter: documents under schema/documents/admin/, then
 * an object like this registered in App.tsx.
 */
export interface ResourceAdapter<N = any> {
  list?: ListOperation<N>;
  one?: ReadOperation<N>;
  /** Alternative reads chosen with `meta: { view }` (e.g. the customer-360). */
  views?: Record<string, ReadOperation<N>>;
  create?: WriteOperation<N>;
  update?: WriteOperation<N>;
  delete?: DeleteOperation;
  /** API node → react-admin record (e.g. `customer.id` copied to `customerId` for inputs). */
  toRecord?(node: N): RaRecord;
  /** Other resources whose lists a write here changes (a payment changes its order's balance). */
  affects?: string[];
}

/** Typed helper: ties a list document's result and variables to its mapping functions. */
export function listOperation<R, V extends ListVariables, N>(
  document: TypedDocumentNode<R, V>,
  connection: (data: R) => Connection<N>,
  mapping: {
    filter(filter: RaFilter): V['filter'];
    orderBy(sort: SortPayload | undefined, filter: RaFilter): V['orderBy'];
    arguments?(filter: RaFilter): Omit<Partial<V>, keyof ListVariables>;
  },
): ListOperation<N> {
  return {
    document,
    connection,
    filter: mapping.filter,
    orderBy: mapping.orderBy,
    arguments: mapping.arguments as ListOperation<N>['arguments'],
  };
}

export function readOperation<R, N>(
  document: TypedDocumentNode<R, { id: string }>,
  select: (data: R) => N | null | undefined,
): ReadOperation<N> {
  return { document, select };
}

export function writeOperation<R, V, N>(
  document: TypedDocumentNode<R, V>,
  variables: (params: { id?: string; data: Record<string, any>; previousData?: RaRecord }) => V,
  select: (data: R) => N,
): WriteOperation<N> {
  return { document, variables: variables as WriteOperation<N>['variables'], select };
}

export function deleteOperation<R, V>(
  document: TypedDocumentNode<R, V>,
  variables: (params: { id: string; previousData?: RaRecord }) => V,
): DeleteOperation {
  return { document, variables: variables as DeleteOperation['variables'] };
}

/** A sort mapping: react-admin field → API sort field; anything else keeps the server's order. */
export function sortBy<F extends string>(fields: Record<string, F>) {
  return (sort: SortPayload | undefined): { field: F; direction: 'ASC' | 'DESC' } | undefined => {
    const field = sort ? fields[sort.field] : undefined;
    return field ? { field, direction: sort?.order === 'DESC' ? 'DESC' : 'ASC' } : undefined;
  };
}

/** '' from an emptied input means "no value" to the API. */
export function blankToNull<T>(value: T): T | null {
  return value === '' ? null : value;
}

/** Only the keys the input type accepts, with emptied inputs sent as null. */
export function pick<K extends string>(data: Record<string, any>, keys: readonly K[]): { [P in K]?: any } {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key in data && data[key] !== undefined) out[key] = blankToNull(data[key]);
  }
  return out as { [P in K]?: any };
}

/** The version a write must carry: the one the form was loaded with. */
export function versionOf(params: { data: Record<string, any>; previousData?: RaRecord }): number {
  const version = params.previousData?.version ?? params.data.version;
  if (typeof version !== 'number') throw new Error('The record has no version; reload it');
  return version;
}

export function compact<T extends Record<string, unknown>>(value: T): T | undefined {
  const entries = Object.entries(value).filter(
    ([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0),
  );
  return entries.length ? (Object.fromEntries(entries) as T) : undefined;
}
