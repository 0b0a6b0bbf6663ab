import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_PAGE_SIZE, SortDirection, connectionOf, decodeCursor, encodeCursor, type Connection } from '../graphql/connection.js';
import { NotFoundError } from '../errors/errors.js';
import { lazy } from '../graphql/thenable.js';
import { selectList, tableOf } from './columns.js';
import { pgArray } from './pg-array.js';

export type Row = { id: string } & Record<string, unknown>;

/** A timestamp of a loaded row: the text a raw read returns, or the Date a flushed entity holds (`rowOf`). */
export type Timestamp = Date | string;

/** The columns every record has (BaseEntity), as a loaded row holds them. */
export type RecordColumns = {
  id: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: number;
};
type EntityRef = { name: string };

export interface ChildPage {
  /** Foreign-key property on the child pointing to the parent. */
  parent: string;
  /** Sort property on the child; ties break on id in the same direction. */
  sort: string;
  cast: 'timestamptz' | 'text';
  direction: SortDirection;
  first?: number | null;
  after?: string | null;
}

/** Decides, once per loaded row, what the viewer may see of it (null: not even that it exists). */
export type Guard = (row: Row) => Row | null;

/**
 * Per-request batching: every relation a resolver follows goes through one of these, so a
 * page of N parents costs one statement per relation, not N. Results come back in key order.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();

  constructor(
    readonly em: EntityManager,
    readonly guards: ReadonlyMap<string, Guard> = new Map(),
  ) {}

  /** Applies the entity's guard to loaded rows, dropping those the viewer may not know of. */
  guard<T extends Row>(entity: EntityRef, rows: T[]): T[] {
    const guard = this.guards.get(entity.name);
    if (!guard) return rows;
    const kept: T[] = [];
    for (const row of rows) {
      const masked = guard(row);
      if (masked) kept.push(masked as T);
    }
    return kept;
  }

  private guardOne<T extends Row>(entity: EntityRef, row: T | undefined): T | null {
    if (!row) return null;
    const guard = this.guards.get(entity.name);
    return guard ? (guard(row) as T | null) : row;
  }

  /** A request-scoped loader, created on first use under `key`. */
  memo<V>(key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.loaders.get(key) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(batch, { maxBatchSize: 1000 });
      this.loaders.set(key, loader as DataLoader<string, unknown>);
    }
    return loader;
  }

  private column(entity: EntityRef, property: string): string {
    const prop = this.em.getMetadata().get(entity.name).properties[property as never] as { fieldNames: string[] } | undefined;
    if (!prop) throw new Error(`${entity.name}.${property} is not a column`);
    return `"${prop.fieldNames[0]}"`;
  }

  /** A record by id, or null. */
  byId<T extends Row = Row>(entity: EntityRef): DataLoader<string, T | null> {
    return this.memo(`byId:${entity.name}`, async (ids) => {
      const meta = this.em.getMetadata();
      const rows = await this.em.execute<T[]>(
        `select ${selectList(meta, entity, 't')} from ${tableOf(meta, entity)} t where t.id = any(?::uuid[])`,
        [pgArray(ids)],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => this.guardOne(entity, byId.get(id)));
    });
  }

  /** All children of each parent, in `orderBy` order. */
  childrenOf<T extends Row = Row>(entity: EntityRef, parent: string, orderBy: string): DataLoader<string, T[]> {
    return this.memo(`children:${entity.name}:${parent}:${orderBy}`, async (ids) => {
      const meta = this.em.getMetadata();
      const fk = this.column(entity, parent);
      const rows = await this.em.execute<(T & { __parent: string })[]>(
        `select t.${fk} as "__parent", ${selectList(meta, entity, 't')} from ${tableOf(meta, entity)} t where t.${fk} = any(?::uuid[]) order by ${orderBy}`,
        [pgArray(ids)],
      );
      const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
      for (const { __parent, ...row } of rows) grouped.get(__parent)?.push(row as unknown as T);
      return ids.map((id) => this.guard(entity, grouped.get(id) ?? []));
    });
  }

  /** Records linked to each owner through a pivot table, in `orderBy` order. */
  throughPivot<T extends Row = Row>(
    entity: EntityRef,
    pivot: string,
    ownerColumn: string,
    targetColumn: string,
    orderBy: string,
  ): DataLoader<string, T[]> {
    return this.memo(`pivot:${pivot}:${ownerColumn}`, async (ids) => {
      const meta = this.em.getMetadata();
      const rows = await this.em.execute<(T & { __parent: string })[]>(
        `select p."${ownerColumn}" as "__parent", ${selectList(meta, entity, 't')} from "${pivot}" p join ${tableOf(meta, entity)} t on t.id = p."${targetColumn}" where p."${ownerColumn}" = any(?::uuid[]) order by ${orderBy}`,
        [pgArray(ids)],
      );
      const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
      for (const { __parent, ...row } of rows) grouped.get(__parent)?.push(row as unknown as T);
      return ids.map((id) => this.guard(entity, grouped.get(id) ?? []));
    });
  }

  /** How many children each parent has. */
  countOf(entity: EntityRef, parent: string): DataLoader<string, number> {
    return this.memo(`count:${entity.name}:${parent}`, async (ids) => {
      const fk = this.column(entity, parent);
      const rows = await this.em.execute<{ parent: string; count: number }[]>(
        `select t.${fk} as parent, count(*)::int as count from ${tableOf(this.em.getMetadata(), entity)} t where t.${fk} = any(?::uuid[]) group by t.${fk}`,
        [pgArray(ids)],
      );
      const counts = new Map(rows.map((row) => [row.parent, row.count]));
      return ids.map((id) => counts.get(id) ?? 0);
    });
  }

  /**
   * A keyset page of children for each parent, all parents in one statement: a LATERAL
   * subquery per parent walks the (parent, sort, id) index and stops after the page.
   */
  pageOf<T extends Row = Row>(entity: EntityRef, page: ChildPage): DataLoader<string, Connection<T>> {
    const first = page.first ?? DEFAULT_PAGE_SIZE;
    const after = page.after ? decodeCursor(page.after) : null;
    const key = `page:${entity.name}:${page.parent}:${page.sort}:${page.direction}:${first}:${page.after ?? ''}`;
    return this.memo(key, async (ids) => {
      const meta = this.em.getMetadata();
      const fk = this.column(entity, page.parent);
      const sort = this.column(entity, page.sort);
      const dir = page.direction === SortDirection.DESC ? 'desc' : 'asc';
      const params: unknown[] = [pgArray(ids)];
      let seek = '';
      if (after) {
        seek = `and (x.${sort}, x.id) ${dir === 'asc' ? '>' : '<'} (?::${page.cast}, ?::uuid)`;
        params.push(after[0], after[1]);
      }
      const rows = await this.em.execute<(T & { __parent: string })[]>(
        `select k.parent as "__parent", ${selectList(meta, entity, 't')} from unnest(?::uuid[]) as k(parent)
         cross join lateral (select x.* from ${tableOf(meta, entity)} x where x.${fk} = k.parent ${seek}
           order by x.${sort} ${dir}, x.id ${dir} limit ${first + 1}) t`,
        params,
      );
      const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
      for (const { __parent, ...row } of rows) grouped.get(__parent)?.push(row as unknown as T);
      return ids.map((id) => {
        const all = this.guard(entity, grouped.get(id) ?? []);
        const nodes = all.length > first ? all.slice(0, first) : all;
        const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node[page.sort], node.id) }));
        return connectionOf(edges, {
          hasNextPage: all.length > first,
          after: page.after,
          totalCount: lazy(() => this.countOf(entity, page.parent).load(id)),
        });
      });
    });
  }
}

/**
 * A mutation's payload, read again after its write. The request's loaders may hold the record as
 * it was before the write (a field earlier in the operation, or the write's own checks, loaded it),
 * and the payload must show what the database now holds: so it is read through fresh loaders with
 * the same guards, and goes through the same scoping and mask as any read. NOT_FOUND when the
 * viewer may not read what they wrote.
 */
export async function readBack<T extends Row = Row>(
  loaders: Loaders,
  entity: EntityRef,
  id: string,
  read: (fresh: Loaders) => DataLoader<string, T | null> = (fresh) => fresh.byId<T>(entity),
): Promise<T> {
  const row = await read(new Loaders(loaders.em, loaders.guards)).load(id);
  if (!row) throw new NotFoundError(entity.name, id);
  return row;
}

/**
 * A mutation's payload from the row its write produced (an `insert … returning`, or `rowOf` a
 * flushed entity), instead of reading it again: it goes through the same guard as a read, and
 * replaces whatever the request's loaders held of the record, so later fields see the new state.
 * NOT_FOUND when the viewer may not read what they wrote.
 */
export function fromWrite<T extends Row = Row>(loaders: Loaders, entity: EntityRef, row: Row): T {
  const [guarded] = loaders.guard(entity, [row]);
  if (!guarded) throw new NotFoundError(entity.name, row.id);
  loaders
    .byId<T>(entity)
    .clear(row.id)
    .prime(row.id, guarded as T);
  return guarded as T;
}
