import type DataLoader from 'dataloader';
import type { Loaders } from '../../common/orm/loaders.js';
import { pgArray } from '../../common/orm/pg-array.js';

/** Whether a loaded customer row was merged into another (whoever may know the survivor). */
export function wasMerged(customer: { mergedInto?: string | null }): boolean {
  return customer.mergedInto != null;
}

/**
 * The survivor at the end of each merged record's lineage, when the viewer may know both ends
 * (`app_merge_lineage`: at least a directory card of each), else null: the lineage told to no one
 * who could not open the survivor's card anyway.
 */
export function mergedIntoByCustomer(loaders: Loaders): DataLoader<string, string | null> {
  return loaders.memo('customer:mergedInto', async (ids) => {
    const rows = await loaders.em.execute<{ id: string; survivor: string | null }[]>(
      `select p.id, app_merge_lineage(p.id) as survivor from unnest(?::uuid[]) as p(id)`,
      [pgArray(ids)],
    );
    const byId = new Map(rows.map((row) => [row.id, row.survivor]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * The records merged into each customer that the viewer may open (row-level security decides,
 * as in the compiled read: customer.compiled.ts `Customer.mergedFrom`), in id order.
 */
export const MERGED_FROM_SQL = (parent: string) =>
  `(select coalesce(json_agg(m."id" order by m."id"), '[]'::json) from "customer" m where m."merged_into_id" = ${parent})`;

export function mergedFromByCustomer(loaders: Loaders): DataLoader<string, string[]> {
  return loaders.memo('customer:mergedFrom', async (ids) => {
    const rows = await loaders.em.execute<{ id: string; merged: string[] }[]>(
      `select p.id, ${MERGED_FROM_SQL('p.id')} as merged from unnest(?::uuid[]) as p(id)`,
      [pgArray(ids)],
    );
    const byId = new Map(rows.map((row) => [row.id, row.merged]));
    return ids.map((id) => byId.get(id) ?? []);
  });
}
