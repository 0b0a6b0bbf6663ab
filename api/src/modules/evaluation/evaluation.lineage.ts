/**
 * Evaluation snapshots of merged records (docs/merge.md, "Evaluations"). A merge does not move a
 * record's results (published cycles are immutable): it links them to the survivor in
 * `customer_merge_child` (kind EVALUATION). While the merge stands, the survivor's `evaluations`
 * list them beside its own, each marked with the record it was taken of; row-level security
 * (`evaluation_read`) lets the survivor's readers read them when they may also know the merged
 * record, the rule of the merge's lineage.
 */

/** Over evaluation alias `alias`: the results listed under account `parent`, its own and those linked by a standing merge into it. */
// One scan of evaluation, each result found by an index: its own by customer_id, the linked by
// the primary key from one array of ids (an InitPlan where the parent is an outer row, as in the
// compiled read), so the planner ORs two index scans. Not `id in (select own.id … union all …)`,
// which scanned evaluation a second time under its own copy of evaluation_read, set up on every
// customer-360 (docs/benchmarks.md §1); nor `or id in (select …)`, which cannot use an index and
// scanned every evaluation (the mixed load fell from 145 to 87 req/s).
export const EVALUATIONS_OF_SQL = (alias: string, parent: string) =>
  `(${alias}."customer_id" = ${parent} or ${alias}."id" = any (array(select mc."child_id" from "customer_merge_child" mc
     join "customer_merge" m on m."id" = mc."merge_id"
     where m."survivor_id" = ${parent} and m."undone_at" is null and mc."kind" = 'EVALUATION')))`;

/** Over evaluation alias `alias`: the merged record the result was taken of, when a standing merge the viewer may see links it; else null. */
export const EVALUATION_MERGED_FROM_SQL = (alias: string) =>
  `(select mc."from_customer_id" from "customer_merge_child" mc join "customer_merge" m on m."id" = mc."merge_id"
     where mc."child_id" = ${alias}."id" and mc."kind" = 'EVALUATION' and m."undone_at" is null limit 1)`;

/**
 * Over evaluation alias `alias`: the account the result is read through (evaluation.resolver
 * `customer`): the survivor of the standing merge that links it from the record it was taken of
 * (EVALUATION_MERGED_FROM_SQL), else its own account.
 */
export const EVALUATION_ACCOUNT_SQL = (alias: string) =>
  `coalesce((select ms."survivor_id" from "customer_merge_child" ml join "customer_merge" ms on ms."id" = ml."merge_id"
     where ml."child_id" = ${alias}."id" and ml."kind" = 'EVALUATION' and ms."undone_at" is null
       and ml."from_customer_id" = ${EVALUATION_MERGED_FROM_SQL(alias)} limit 1), ${alias}."customer_id")`;
