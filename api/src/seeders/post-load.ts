/** Set-based statements run once the rows are in: what follows from them rather than being generated. */
import { LifecycleStage } from '../modules/customer/customer.entity.js';
import { PURCHASED_SQL } from '../modules/lifecycle/lifecycle.service.js';

/** Each year's order number counter at the largest sequence the orders already use (never lowered). */
export const ORDER_NUMBER_COUNTERS_SQL = `
  insert into order_number_counter as c (prefix, last_value)
  select substring(number from '^(SO-[0-9]+-)'), max(substring(number from '^SO-[0-9]+-([0-9]+)$')::bigint)
  from sales_order where number ~ '^SO-[0-9]{1,10}-[0-9]{1,18}$'
  group by 1 having max(substring(number from '^SO-[0-9]+-([0-9]+)$')::bigint) > 0
  on conflict (prefix) do update set last_value = greatest(c.last_value, excluded.last_value)`;

/**
 * Each customer's way to its stage, set-based from what the dataset holds: qualified by its owner
 * (POTENTIAL → INTENTION) some time after creation, FIRST_PURCHASE and REPEAT at its first and
 * second purchase (trigger ORDER), DORMANT after the configured days (lifecycle_setting) without
 * an order or interaction (INACTIVITY) and LOST by its owner a month after it. Times never go backwards, and no step
 * lies in the future. So the funnel, dwell times and SLAs have a history to work on.
 */
export const LIFECYCLE_HISTORY_SQL = `
insert into lifecycle_transition (id, customer_id, from_stage, to_stage, at, trigger, actor_id, reason)
with purchases as (
  select o.customer_id, min(o.ordered_at) as first_at, (array_agg(o.ordered_at order by o.ordered_at))[2] as second_at, max(o.ordered_at) as last_at
  from sales_order o where o.status in ${PURCHASED_SQL} group by o.customer_id
),
dormancy as (select coalesce((select dormant_after_days from lifecycle_setting where id = 1), 180) as days),
touches as (select i.customer_id, max(i.occurred_at) as last_at from interaction i group by i.customer_id),
base as (
  select c.id, c.owner_id, c.lifecycle_stage as stage, c.created_at, p.first_at, p.second_at,
    greatest(p.last_at, t.last_at, c.created_at) as last_activity,
    case c.lifecycle_stage when 'INTENTION' then 1 when 'FIRST_PURCHASE' then 2 when 'REPEAT' then 3
      else case when p.second_at is not null then 3 when p.first_at is not null then 2 else 1 end end as reached
  from customer c left join purchases p on p.customer_id = c.id left join touches t on t.customer_id = c.id
  where c.lifecycle_stage <> 'POTENTIAL'
),
step1 as (select b.*, b.created_at + (least(coalesce(b.first_at, $1::timestamptz), $1::timestamptz) - b.created_at) * 0.4 as intention_at from base b),
step2 as (select s.*, greatest(s.intention_at + interval '1 hour', coalesce(s.first_at, s.created_at + ($1::timestamptz - s.created_at) * 0.6)) as first_purchase_at from step1 s),
step3 as (select s.*, greatest(s.first_purchase_at + interval '1 day', coalesce(s.second_at, s.created_at + ($1::timestamptz - s.created_at) * 0.8)) as repeat_at from step2 s),
step4 as (
  select s.*, greatest(case s.reached when 1 then s.intention_at when 2 then s.first_purchase_at else s.repeat_at end + interval '1 hour',
    least(s.last_activity + case s.stage when 'LOST' then interval '30 days' else make_interval(days => d.days) end, $1::timestamptz - interval '1 hour')) as exit_at,
    d.days as dormant_days
  from step3 s cross join dormancy d
)
select gen_random_uuid(), s.id, x.from_stage::lifecycle_stage, x.to_stage::lifecycle_stage, least(x.at, $1::timestamptz), x.trigger::lifecycle_trigger, x.actor, x.reason
from step4 s cross join lateral (values
  (1, 'POTENTIAL', 'INTENTION', s.intention_at, 'MANUAL', s.owner_id, 'Qualified: need and budget confirmed'),
  (2, 'INTENTION', 'FIRST_PURCHASE', s.first_purchase_at, 'ORDER', null::uuid, null::text),
  (3, 'FIRST_PURCHASE', 'REPEAT', s.repeat_at, 'ORDER', null::uuid, null::text),
  (4, case s.reached when 1 then 'INTENTION' when 2 then 'FIRST_PURCHASE' else 'REPEAT' end, s.stage::text, s.exit_at,
    case s.stage when 'LOST' then 'MANUAL' else 'INACTIVITY' end, case s.stage when 'LOST' then s.owner_id end,
    case s.stage when 'LOST' then 'Lost to a competitor' else 'No order or interaction for ' || s.dormant_days || ' days' end)
) x(step, from_stage, to_stage, at, trigger, actor, reason)
where (x.step <= 3 and x.step <= s.reached) or (x.step = 4 and s.stage in ('DORMANT', 'LOST'))`;

/**
 * Expected dwell times (docs/lifecycle.md: "a potential customer should show intention within 15 days"), so the
 * overdue-accounts view and the SLA alerts have rules to apply. REPEAT has none: an established
 * customer may stay one for ever; DORMANT and LOST are ends the owner decides on. Kept if an admin
 * already set them.
 */
export const DEMO_STAGE_SLAS: ReadonlyArray<readonly [LifecycleStage, number]> = [
  [LifecycleStage.POTENTIAL, 15],
  [LifecycleStage.INTENTION, 45],
  [LifecycleStage.FIRST_PURCHASE, 120],
];

export const STAGE_SLAS_SQL = `
  insert into lifecycle_stage_sla (stage, max_days, updated_at)
  select s.stage, s.max_days, $3::timestamptz from unnest($1::lifecycle_stage[], $2::int[]) as s(stage, max_days)
  on conflict (stage) do nothing`;

/**
 * This year's plans, set by the admin: for each top-level region and each active rep, last
 * year's actuals (new customers created, purchases confirmed or later, by the account's current
 * territory and owner, as the targets report counts them) raised by 10 % (customers) and 15 %
 * (revenue, rounded to 10,000), with a floor so a quiet node still has a plan. Years are UTC
 * calendar years, as the report reads periods. $1: now.
 */
export const DEMO_TARGETS_SQL = `
insert into sales_target (id, created_at, updated_at, region_id, user_id, period_start, period_end, new_customers, revenue, set_by_id)
with bounds as (
  select make_date(extract(year from $1::timestamptz at time zone 'UTC')::int, 1, 1) as this_year,
    make_date(extract(year from $1::timestamptz at time zone 'UTC')::int - 1, 1, 1) as last_year
),
admin as (select id from app_user where role = 'ADMIN' order by created_at, email limit 1),
accounts as (
  select c.id, c.owner_id, split_part(t.path, '/', 1) as region_code,
    (c.created_at >= b.last_year and c.created_at < b.this_year) as new_last_year,
    coalesce((select sum(o.total) from sales_order o where o.customer_id = c.id and o.status in ${PURCHASED_SQL}
      and o.ordered_at >= b.last_year and o.ordered_at < b.this_year), 0) as revenue
  from customer c join region t on t.id = c.territory_id cross join bounds b
),
nodes as (
  select r.id as region_id, null::uuid as user_id, count(*) filter (where a.new_last_year) as created, coalesce(sum(a.revenue), 0) as revenue
  from region r left join accounts a on a.region_code = r.code
  where r.kind = 'REGION' group by r.id
  union all
  select null, u.id, count(*) filter (where a.new_last_year), coalesce(sum(a.revenue), 0)
  from app_user u left join accounts a on a.owner_id = u.id
  where u.role = 'REP' and u.active group by u.id
)
select gen_random_uuid(), $1::timestamptz, $1::timestamptz, n.region_id, n.user_id, b.this_year, (b.this_year + interval '1 year - 1 day')::date,
  greatest(ceil(n.created * 1.1)::int, 1), greatest(round(n.revenue * 1.15, -4), 100000), (select id from admin)
from nodes n cross join bounds b
where exists (select 1 from admin)
on conflict on constraint sales_target_node_period_unique do nothing`;
