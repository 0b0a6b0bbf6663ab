import type DataLoader from 'dataloader';
import type { Loaders, Row } from '../../common/orm/loaders.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { selectList, tableOf } from '../../common/orm/columns.js';
import { Evaluation } from '../evaluation/evaluation.entity.js';
import { EVALUATIONS_OF_SQL, LATEST_PUBLISHED_CYCLE_SQL } from '../evaluation/index.js';
import { Region } from '../region/region.entity.js';
import { Customer } from './customer.entity.js';
import type { EvaluationRow } from '../evaluation/index.js';
import type { DirectoryCard } from '../access/index.js';
import type { MaskedCustomerRow } from './customer.rows.js';

/** Orders of a customer's children (over alias `t`), shared by the loaders and the compiled read. */
export const CONTACTS_ORDER_BY = 't.name, t.id';
export const EVALUATIONS_ORDER_BY = 't.created_at desc, t.id';

/** Each account's evaluations, its own and those of records merged into it (EVALUATIONS_OF_SQL), as the compiled read lists them. */
export function evaluationsOfCustomer(loaders: Loaders): DataLoader<string, EvaluationRow[]> {
  return loaders.memo('customer:evaluations', async (ids) => {
    // Per account (a lateral subquery kept apart by offset 0), so its id is a parameter there and
    // the linked ids one InitPlan: two index scans ORed. A plain join on the OR scanned every
    // evaluation under the policy (0.9–1.5 s with 60k results, docs/benchmarks.md §1).
    const meta = loaders.em.getMetadata();
    const rows = await loaders.em.execute<(EvaluationRow & { __parent: string })[]>(
      `select p.id as "__parent", ${selectList(meta, Evaluation, 't')} from unnest(?::uuid[]) as p(id)
         cross join lateral (select * from ${tableOf(meta, Evaluation)} t where ${EVALUATIONS_OF_SQL('t', 'p.id')} offset 0) t
         order by p.id, ${EVALUATIONS_ORDER_BY}`,
      [pgArray(ids)],
    );
    const grouped = new Map<string, EvaluationRow[]>(ids.map((id) => [id, []]));
    for (const { __parent, ...row } of rows) grouped.get(__parent)?.push(row);
    return ids.map((id) => loaders.guard(Evaluation, grouped.get(id) ?? []));
  });
}

/** Directory cards by customer id, for accounts the viewer may know of but not open. */
export function directoryCardById(loaders: Loaders): DataLoader<string, MaskedCustomerRow | null> {
  return loaders.memo('customer:directoryCard', async (ids) => {
    const rows = await loaders.em.execute<DirectoryCard[]>(
      `select d.customer_id as id, d.legal_name as "legalName", d.territory_id as territory, d.owner_id as owner from customer_directory d where d.customer_id = any(?::uuid[])`,
      [pgArray(ids)],
    );
    // The guard (maskCustomer) turns each card into a masked row.
    const byId = new Map(loaders.guard(Customer, rows).map((row) => [row.id, row as MaskedCustomerRow]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** The top-level region of each territory. */
export function regionOfTerritory(loaders: Loaders): DataLoader<string, Row | null> {
  return loaders.memo('region:ofTerritory', async (ids) => {
    const rows = await loaders.em.execute<(Row & { __territory: string })[]>(
      `select t.id as "__territory", r.id from region t join region r on r.path = split_part(t.path, '/', 1) where t.id = any(?::uuid[])`,
      [pgArray(ids)],
    );
    const regions = await loaders.byId(Region).loadMany(rows.map((row) => row.id));
    const byTerritory = new Map(
      rows.map((row, index) => [row.__territory, regions[index] instanceof Error ? null : (regions[index] as Row | null)]),
    );
    return ids.map((id) => byTerritory.get(id) ?? null);
  });
}

/** Each customer's grade in the latest published evaluation cycle (null: not evaluated in it, or ungraded). */
export function latestGradeByCustomer(loaders: Loaders): DataLoader<string, string | null> {
  return loaders.memo('customer:latestGrade', async (ids) => {
    const rows = await loaders.em.execute<{ id: string; grade: string | null }[]>(
      `select e.customer_id as id, e.grade from evaluation e where e.customer_id = any(?::uuid[]) and e.cycle_id = ${LATEST_PUBLISHED_CYCLE_SQL}`,
      [pgArray(ids)],
    );
    const byId = new Map(rows.map((row) => [row.id, row.grade]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
