/** Set-based statements run once the rows are in: what follows from them rather than being generated. */
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
