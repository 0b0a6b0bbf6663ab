import { ArgsType, Field, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { BadUserInputError } from '../errors/errors.js';

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'True when the page was fetched with `after`.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted only when selected. */
  totalCount: PromiseLike<number>;
}

/**
 * A page in Relay's shape, the one place `pageInfo` is derived. A list fetches one row more than
 * `first` and says whether it came (`hasNextPage`); `hasPreviousPage` says only that the page was
 * fetched with `after`, since a keyset list never counts backwards.
 */
export function connectionOf<T>(
  edges: Edge<T>[],
  page: {
    hasNextPage: boolean;
    after: string | null | undefined;
    totalCount: PromiseLike<number>;
    /**
     * A feed's page hands back how far it read when that is past its last edge (events the
     * reader may not see), or the cursor it was read after when it read nothing: a poller keeps
     * its place and never reads the same stretch twice.
     */
    readTo?: string | null;
  },
): Connection<T> {
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: Boolean(page.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: page.readTo !== undefined ? page.readTo : (edges.at(-1)?.cursor ?? null),
    },
    totalCount: page.totalCount,
  };
}

/** `<Name>Connection` and `<Name>Edge` for a node type. */
export function connectionType<T extends object>(node: ClassType<T>, name: string): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field(() => String, { description: 'Opaque; pass as `after` to continue after this edge.' })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many records match the filter, across all pages.' })
    totalCount!: PromiseLike<number>;
  }
  return ConnectionType;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

/** A keyset cursor: the sort key and id of a row. It carries nothing the sort field does not show. */
export function encodeCursor(key: unknown, id: string): string {
  const value = key instanceof Date ? key.toISOString() : key;
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): [string | number, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      typeof parsed[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(parsed[1])
    ) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through
  }
  throw new BadUserInputError(field, 'Invalid cursor');
}
