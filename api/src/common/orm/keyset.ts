import type { MetadataStorage } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_PAGE_SIZE, SortDirection, connectionOf, decodeCursor, encodeCursor, type Connection } from '../graphql/connection.js';
import { lazy } from '../graphql/thenable.js';
import { selectList, tableOf } from './columns.js';

/**
 * What a list may be sorted by: a column of the entity, or an SQL expression over the list's
 * alias and `joins`. Never null (coalesce a nullable value to a sentinel), so (key, id) is a total
 * order, and the cursor compares exactly what ORDER BY sorts.
 */
export interface SortKey {
  /** Property name in the selected row (for a column key), or a name for the expression. */
  property: string;
  /** SQL type the cursor value is cast to. */
  cast: 'text' | 'date' | 'timestamptz' | 'numeric' | 'integer' | 'lifecycle_stage';
  /** An expression over `alias` (and the joins' aliases) instead of the property's column. */
  expression?: (alias: string) => string;
  /** `left join …` clauses the expression reads; to-one joins only, so a row stays one row. */
  joins?: (alias: string) => string;
  /** How the cursor prints the key, as SQL text over `alias`, where a list prints it otherwise than keysetPage's `to_json`. */
  text?: (alias: string) => string;
}

/** WHERE fragments (joined with AND) with their `?` parameters. */
export class Conditions {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  sql(): string {
    return this.parts.length ? `where ${this.parts.join(' and ')}` : '';
  }
}

const CURSOR_KEY = '__cursorKey';

export interface PageRequest {
  first?: number | null;
  after?: string | null;
  sort: SortKey;
  direction: SortDirection;
}

function columnOf(alias: string, property: string, metadata: MetadataStorage, entity: { name: string }): string {
  const prop = metadata.get(entity.name).properties[property as never] as { fieldNames: string[] } | undefined;
  if (!prop) throw new Error(`unknown sort property ${property}`);
  return `${alias}."${prop.fieldNames[0]}"`;
}

/** Escapes LIKE wildcards so a search term matches literally. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of a keyset-paginated list, and a lazily counted total. Cursors hold the sort key
 * and id of the last row, so pages stay stable while rows are inserted before them.
 */
export async function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: { name: string },
  alias: string,
  conditions: Conditions,
  page: PageRequest,
): Promise<Connection<T>> {
  const metadata = em.getMetadata();
  const table = tableOf(metadata, entity);
  const first = page.first ?? DEFAULT_PAGE_SIZE;
  const dir = page.direction === SortDirection.DESC ? 'desc' : 'asc';
  const key = page.sort.expression ? page.sort.expression(alias) : columnOf(alias, page.sort.property, metadata, entity);
  const joins = page.sort.joins?.(alias) ?? '';
  const where = new Conditions();
  where.parts.push(...conditions.parts);
  where.params.push(...conditions.params);
  if (page.after) {
    const [value, id] = decodeCursor(page.after);
    where.add(`(${key}, ${alias}.id) ${dir === 'asc' ? '>' : '<'} (?::${page.sort.cast}, ?::uuid)`, value, id);
  }
  // The cursor keeps the key as PostgreSQL prints it (to_json: ISO 8601 with microseconds and
  // offset, `-infinity` for a sentinel), never as a JS Date (milliseconds): a key written by now()
  // would otherwise compare below itself and its row be repeated or skipped.
  const rows = await em.execute<(T & { [CURSOR_KEY]?: string })[]>(
    `select ${selectList(metadata, entity, alias)}, to_json(${key}) #>> '{}' as "${CURSOR_KEY}" from ${table} ${alias} ${joins} ${where.sql()} order by ${key} ${dir}, ${alias}.id ${dir} limit ${first + 1}`,
    where.params,
  );
  const hasNextPage = rows.length > first;
  const nodes = hasNextPage ? rows.slice(0, first) : rows;
  const edges = nodes.map((row) => {
    const { [CURSOR_KEY]: value, ...node } = row;
    return { node: node as unknown as T, cursor: encodeCursor(value, row.id) };
  });
  return connectionOf(edges, {
    hasNextPage,
    after: page.after,
    totalCount: lazyCount(em, `select count(*)::int as count from ${table} ${alias} ${conditions.sql()}`, conditions.params),
  });
}

/** A connection's `totalCount`, run only when selected: `sql` selects one row, `count`. */
export function lazyCount(em: EntityManager, sql: string, params: unknown[]): PromiseLike<number> {
  return lazy(async () => {
    const [row] = await em.execute<{ count: number }[]>(sql, params);
    return row?.count ?? 0;
  });
}
