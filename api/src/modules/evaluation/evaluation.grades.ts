/**
 * The grade a customer list shows: the customer's result in the latest published cycle (periods
 * never overlap, so the latest period names one cycle). Published cycles never change, and every
 * viewer who may read evaluations may open them (API keys published ones only), so the grade is
 * the same answer whoever asks: who may see it is decided by the account's evaluations group.
 */
export const LATEST_PUBLISHED_CYCLE_SQL = `(select y.id from evaluation_cycle y where y.status = 'PUBLISHED' order by y.period_end desc limit 1)`;

/** The rank a customer without a grade sorts by: below every grade (grade lists hold at most 20). */
export const UNGRADED_RANK = 1000;

/**
 * `left join`s over a customer alias giving its latest published result (`<alias>_ge`) and the
 * grade's position in that cycle's grade list, best first (`<alias>_gr.rank`, 1 = best).
 */
export function latestGradeJoins(customer: string): string {
  return `left join evaluation ${customer}_ge on ${customer}_ge.customer_id = ${customer}.id and ${customer}_ge.cycle_id = ${LATEST_PUBLISHED_CYCLE_SQL}
    left join lateral (select g.o::int as rank from evaluation_cycle y cross join jsonb_array_elements(y.settings -> 'grades') with ordinality g(v, o)
      where y.id = ${customer}_ge.cycle_id and g.v ->> 'name' = ${customer}_ge.grade) ${customer}_gr on true`;
}

/** The sort key of `latestGradeJoins`: never null, ungraded after the worst grade. */
export function latestGradeRankSql(customer: string): string {
  return `coalesce(${customer}_gr.rank, ${UNGRADED_RANK})`;
}

/** Whether the customer's latest published grade is one of `?` (a text[] of lower-cased names). */
export function latestGradeInSql(customer: string): string {
  return `exists (select 1 from evaluation e where e.customer_id = ${customer}.id and e.cycle_id = ${LATEST_PUBLISHED_CYCLE_SQL} and lower(e.grade) = any(?::text[]))`;
}
