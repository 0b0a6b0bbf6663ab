import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { systemTransaction } from '../../common/orm/system-transaction.js';
import { transactional } from '../../common/orm/transaction.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { PURCHASED_SQL } from '../lifecycle/index.js';
import { periodBounds } from '../target/index.js';
import { RunStatus } from './evaluation-cycle.enums.js';
import { assertNotPublished, assertNotRunning, lockedCycle, settingsOf } from './evaluation-cycle.service.js';
import type { CycleSettings } from './evaluation-cycle.types.js';
import { EvaluationRun } from './evaluation-run.entity.js';
import { CycleStatus } from './evaluation.entity.js';

export interface RunOptions {
  /** Customers measured per transaction. */
  batchSize?: number;
  logger?: Logger;
  /** Aborted when the server shuts down: the run stops before its next step and says so. */
  signal?: AbortSignal;
}

/** Customers measured per transaction: short enough that the one embedded connection is shared fairly. */
export const DEFAULT_RUN_BATCH = 5000;
/** The scoring step counts as this share of the customers in the progress units. */
const SCORING_WEIGHT = 0.25;

/**
 * `:name` placeholders (never `::casts`) to the driver's positional `?`, so long statements read
 * by name. Every name must be given.
 */
export function named(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const params: unknown[] = [];
  const text = sql.replace(/(?<![:\w]):([a-zA-Z]\w*)/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`missing SQL parameter :${name}`);
    params.push(values[name]);
    return '?';
  });
  return [text, params];
}

interface Period {
  cycle: string;
  start: string;
  end: string;
  from: string;
  mid: string;
  until: string;
}

function periodOf(cycle: { id: string; periodStart: string; periodEnd: string }): Period {
  const { from, until } = periodBounds(cycle.periodStart, cycle.periodEnd);
  // The trend compares the two halves of the period.
  const mid = new Date((Date.parse(from) + Date.parse(until)) / 2).toISOString();
  return { cycle: cycle.id, start: cycle.periodStart, end: cycle.periodEnd, from, mid, until };
}

/** Customers evaluated: those that existed at the end of the period and were not archived before it began. */
const ELIGIBLE = `c.created_at < :until and (c.archived_at is null or c.archived_at >= :from)`;

/**
 * Measures one batch of customers (the next `:limit` by id after `:after`) and upserts their
 * results: purchases, payments and timeliness, interactions, the open pipeline and the trend,
 * and territory, region and owner at the end of the period from the ownership history. Scores,
 * grades and ranks need every customer and come in the scoring step.
 */
const MEASURE_SQL = `
with batch as (
  select c.id, c.territory_id, c.owner_id, c.legal_name, c.registration_id from customer c
  where c.id > :after::uuid and ${ELIGIBLE}
  order by c.id limit :limit
),
ownership as (
  select b.id, coalesce(h.territory_id, b.territory_id) as territory_id, coalesce(h.owner_id, b.owner_id) as owner_id
  from batch b left join lateral (
    select h.territory_id, h.owner_id from ownership_history h
    where h.customer_id = b.id and h.valid_from < :until order by h.valid_from desc, h.id desc limit 1
  ) h on true
),
orders as (
  select o.customer_id,
    count(*) filter (where o.status in ${PURCHASED_SQL} and o.ordered_at >= :from)::int as n,
    coalesce(sum(o.total) filter (where o.status in ${PURCHASED_SQL} and o.ordered_at >= :from), 0) as amount,
    coalesce(sum(o.total) filter (where o.status in ${PURCHASED_SQL} and o.ordered_at >= :from and o.ordered_at < :mid), 0) as h1,
    coalesce(sum(o.total) filter (where o.status in ${PURCHASED_SQL} and o.ordered_at >= :mid), 0) as h2,
    coalesce(sum(o.total) filter (where o.status in ${PURCHASED_SQL}), 0) as cumulative,
    coalesce(sum(o.total * o.win_probability / 100.0) filter (where o.status = 'QUOTE' and o.ordered_at >= :from), 0) as pipeline
  from sales_order o join batch b on b.id = o.customer_id
  where o.ordered_at < :until
  group by o.customer_id
),
payments as (
  select o.customer_id,
    coalesce(sum(p.amount) filter (where p.paid_at >= :from and p.paid_at < :until), 0) as paid,
    count(*) filter (where p.due_date between :start::date and :end::date)::int as due,
    count(*) filter (where p.due_date between :start::date and :end::date and p.paid_at < :until and (p.paid_at at time zone 'UTC')::date <= p.due_date)::int as on_time,
    avg(greatest(0, (case when p.paid_at < :until then (p.paid_at at time zone 'UTC')::date else :end::date end) - p.due_date))
      filter (where p.due_date between :start::date and :end::date) as days_late
  from payment p join sales_order o on o.id = p.order_id join batch b on b.id = o.customer_id
  where o.status <> 'CANCELLED' and (p.due_date between :start::date and :end::date or (p.paid_at >= :from and p.paid_at < :until))
  group by o.customer_id
),
touches as (
  select i.customer_id, count(*)::int as n from interaction i join batch b on b.id = i.customer_id
  where i.occurred_at >= :from and i.occurred_at < :until group by i.customer_id
),
measured as (
  select b.id as customer_id, w.territory_id, w.owner_id, top.id as region_id,
    b.legal_name, b.registration_id, tr.code as territory_code, top.code as region_code,
    coalesce(o.n, 0) as n, coalesce(o.amount, 0) as amount, coalesce(p.paid, 0) as paid,
    case when p.due > 0 then p.on_time::float8 / p.due end as on_time_share,
    case when p.due > 0 then p.days_late::float8 end as days_late,
    coalesce(p.due, 0) as due, coalesce(o.h1, 0) as h1, coalesce(o.h2, 0) as h2,
    coalesce(o.cumulative, 0) as cumulative, round(coalesce(o.pipeline, 0), 2) as pipeline,
    greatest(0, 2 * coalesce(o.h2, 0) + 3 * (coalesce(o.h2, 0) - coalesce(o.h1, 0))) as forecast,
    coalesce(t.n, 0) as touches
  from batch b
  join ownership w on w.id = b.id
  left join region tr on tr.id = w.territory_id
  left join region top on top.path = split_part(tr.path, '/', 1)
  left join orders o on o.customer_id = b.id
  left join payments p on p.customer_id = b.id
  left join touches t on t.customer_id = b.id
),
upserted as (
  insert into evaluation (id, created_at, updated_at, version, cycle_id, customer_id, purchase_count, purchase_amount, amount_paid,
    on_time_share, average_days_late, territory_id, region_id, owner_id, customer_value, metrics,
    customer_name, registration_id, territory_code, region_code)
  select gen_random_uuid(), date_trunc('milliseconds', now()), date_trunc('milliseconds', now()), 1, :cycle, m.customer_id, m.n, m.amount, m.paid,
    m.on_time_share, m.days_late, m.territory_id, m.region_id, m.owner_id,
    round(m.cumulative + m.pipeline + m.forecast, 2),
    jsonb_build_object('firstHalf', m.h1, 'secondHalf', m.h2, 'cumulativePurchases', m.cumulative, 'pipeline', m.pipeline, 'forecast', m.forecast,
      'paymentsDue', m.due, 'interactions', m.touches, 'margin', round(m.paid * :marginRate::numeric - m.touches * :cost::numeric, 2)),
    m.legal_name, m.registration_id, m.territory_code, m.region_code
  from measured m
  on conflict (cycle_id, customer_id) do update set
    updated_at = excluded.updated_at, version = evaluation.version + 1,
    purchase_count = excluded.purchase_count, purchase_amount = excluded.purchase_amount, amount_paid = excluded.amount_paid,
    on_time_share = excluded.on_time_share, average_days_late = excluded.average_days_late,
    territory_id = excluded.territory_id, region_id = excluded.region_id, owner_id = excluded.owner_id,
    customer_value = excluded.customer_value, metrics = excluded.metrics,
    customer_name = excluded.customer_name, registration_id = excluded.registration_id,
    territory_code = excluded.territory_code, region_code = excluded.region_code,
    contribution = null, score = null, grade = null, rank_in_region = null, rank_overall = null,
    previous_grade = null, movement = null, quadrant = null, value_tier = null
  returning 1
)
select (select count(*)::int from upserted) as count, (select b.id from batch b order by b.id desc limit 1) as last`;

/**
 * Scores every result of the cycle at once, since normalisation, ranks, medians and the Pareto
 * cut need all customers: window functions over the cycle's rows, one UPDATE. See
 * docs/evaluation.md for each definition.
 */
function scoreSql(grades: CycleSettings['grades']): string {
  const gradeCase = grades.length
    ? `case ${grades.map((_grade, index) => `when s.score >= :min${index}::float8 then :grade${index}::text`).join(' ')} end`
    : 'null::text';
  return `
with stats as (
  select coalesce(sum(purchase_amount), 0) as total, coalesce(max(purchase_amount), 0) as top,
    percentile_cont(0.5) within group (order by amount_paid) filter (where amount_paid > 0) as paid_median
  from evaluation where cycle_id = :cycle
),
previous as (
  select id from evaluation_cycle where status = 'PUBLISHED' and period_end < :start::date and id <> :cycle order by period_end desc limit 1
),
measures as materialized (
  -- Only what the windows need, so the sorts below stay narrow.
  select e.id, e.customer_id, e.region_id, e.customer_value, e.purchase_count, e.purchase_amount, e.amount_paid,
    case when e.on_time_share is null then case when e.purchase_count > 0 then 1 else 0 end
      else 0.7 * e.on_time_share + 0.3 * (1 - least(coalesce(e.average_days_late, 0), 90) / 90) end as n_time,
    case when st.total > 0 then (e.purchase_amount / st.total)::float8 else 0 end as contribution,
    case when st.top > 0 then (e.purchase_amount / st.top)::float8 else 0 end as n_contribution,
    e.purchase_count >= 2 and coalesce(e.on_time_share, 1) >= 0.5 as loyal,
    e.amount_paid > 0 and e.amount_paid >= st.paid_median as profitable,
    (e.metrics->>'margin')::numeric < 0 as below_zero,
    ((e.metrics->>'secondHalf')::numeric > (e.metrics->>'firstHalf')::numeric or (e.metrics->>'pipeline')::numeric > 0) as growing
  from evaluation e cross join stats st where e.cycle_id = :cycle
),
base as (
  select m.*,
    percent_rank() over (order by m.purchase_count) as n_count,
    percent_rank() over (order by m.purchase_amount) as n_amount,
    percent_rank() over (order by m.amount_paid) as n_paid
  from measures m
),
scored as (
  select b.*, round((100 * (:wCount::float8 * b.n_count + :wAmount::float8 * b.n_amount + :wPaid::float8 * b.n_paid + :wTime::float8 * b.n_time + :wContribution::float8 * b.n_contribution))::numeric, 2)::float8 as score
  from base b
),
graded as (
  select s.*, ${gradeCase} as grade,
    percent_rank() over (partition by (not s.below_zero and s.customer_value > 0) order by s.customer_value desc) as value_rank
  from scored s
),
ranked as (
  select g.*, rank() over (partition by g.region_id order by g.score desc) as rank_in_region, rank() over (order by g.score desc) as rank_overall
  from graded g
),
compared as (
  select r.*, pe.id as previous_id, pe.grade as previous_grade,
    coalesce(array_position(:names::text[], r.grade), :ungraded) as position,
    coalesce(array_position(:names::text[], pe.grade), :ungraded) as previous_position
  from ranked r left join evaluation pe on pe.cycle_id = (select id from previous) and pe.customer_id = r.customer_id
)
update evaluation e set
  contribution = c.contribution, score = c.score, grade = c.grade, rank_in_region = c.rank_in_region, rank_overall = c.rank_overall,
  previous_grade = c.previous_grade,
  movement = (case when c.previous_id is null then 'NEW' when c.position < c.previous_position then 'UP' when c.position > c.previous_position then 'DOWN' else 'SAME' end)::grade_movement,
  quadrant = (case when c.loyal and c.profitable then 'I' when c.profitable then 'II' when c.loyal then 'III' else 'IV' end)::evaluation_quadrant,
  value_tier = (case when c.below_zero then 'BELOW_ZERO' when c.customer_value > 0 and c.value_rank < 0.2 then 'MVC' when c.growing then 'MGC' end)::value_tier,
  metrics = e.metrics || jsonb_build_object('loyal', c.loyal, 'profitable', c.profitable, 'normalized', jsonb_build_object(
    'purchaseCount', c.n_count, 'purchaseAmount', c.n_amount, 'amountPaid', c.n_paid, 'paymentTimeliness', c.n_time, 'contribution', c.n_contribution)),
  updated_at = date_trunc('milliseconds', now()), version = e.version + 1
from compared c
where e.id = c.id`;
}

/**
 * Starts (or restarts) the computation of a cycle, inside the caller's transaction: checks it may
 * run, marks it RUNNING with a fresh token and the cycle DRAFT (its results are being replaced).
 * The caller starts `executeRun` once this has committed.
 */
export async function beginRun(em: EntityManager, cycleId: string): Promise<{ run: EvaluationRun; token: string }> {
  return transactional(em, async (tx) => {
    const cycle = await lockedCycle(tx, cycleId);
    assertNotPublished(cycle, 'computed again');
    await assertNotRunning(tx, cycle.id);
    const token = randomUUID();
    await tx.execute(
      `insert into evaluation_run (cycle_id, token, status, phase, done, total, customers, started_at, heartbeat_at, finished_at, error)
       values (?, ?, 'RUNNING', 'METRICS', 0, 0, 0, date_trunc('milliseconds', now()), now(), null, null)
       on conflict (cycle_id) do update set token = excluded.token, status = excluded.status, phase = excluded.phase, done = 0, total = 0, customers = 0,
         started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, finished_at = null, error = null`,
      [cycle.id, token],
    );
    if (cycle.status !== CycleStatus.DRAFT) {
      cycle.status = CycleStatus.DRAFT;
      await tx.flush();
    }
    return { run: await tx.findOneOrFail(EvaluationRun, { cycle: cycle.id }, { refresh: true }), token };
  });
}

/** Progress is written with the work; a run whose token was replaced stops. */
async function advance(tx: EntityManager, cycleId: string, token: string, set: string, params: unknown[] = []): Promise<void> {
  const rows = await tx.execute(
    `update evaluation_run set ${set}, heartbeat_at = now() where cycle_id = ? and token = ? and status = 'RUNNING' returning 1`,
    [...params, cycleId, token],
  );
  if (!rows.length) throw new RunSuperseded();
}

class RunSuperseded extends Error {}

class RunInterrupted extends Error {}

function checkNotInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunInterrupted();
}

/** Waits for the transaction that began the run to commit (the run row carries the token then). */
async function awaitStart(em: EntityManager, cycleId: string, token: string, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; Date.now() < deadline; delay = Math.min(delay * 2, 200)) {
    const [row] = await em.fork().execute<{ token: string }[]>('select token from evaluation_run where cycle_id = ?', [cycleId]);
    if (row?.token === token) return true;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return false;
}

/**
 * Computes a cycle in the background, in short transactions: a count, then batches of customers
 * by id (measure and upsert), then one scoring statement that also drops results of customers no
 * longer evaluated and marks the cycle COMPUTED. Progress and a heartbeat are written with every
 * batch. Never throws: a failure is recorded on the run and logged.
 */
export async function executeRun(em: EntityManager, cycleId: string, token: string, options: RunOptions = {}): Promise<RunStatus> {
  const batchSize = options.batchSize ?? DEFAULT_RUN_BATCH;
  try {
    if (!(await awaitStart(em, cycleId, token))) return RunStatus.FAILED;
    const { period, settings } = await systemTransaction(em, async (tx) => {
      const [cycle] = await tx.execute<{ id: string; periodStart: string; periodEnd: string; settings: unknown }[]>(
        `select id, to_char(period_start, 'YYYY-MM-DD') as "periodStart", to_char(period_end, 'YYYY-MM-DD') as "periodEnd", settings from evaluation_cycle where id = ?`,
        [cycleId],
      );
      const period = periodOf(cycle!);
      const [sql, params] = named(`select count(*)::int as count from customer c where ${ELIGIBLE}`, { ...period });
      const [{ count }] = (await tx.execute<{ count: number }[]>(sql, params)) as [{ count: number }];
      await advance(tx, cycleId, token, 'customers = ?, total = ?', [count, count + Math.ceil(count * SCORING_WEIGHT)]);
      return { period, settings: settingsOf(cycle!) };
    });

    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      checkNotInterrupted(options.signal);
      const last = await systemTransaction(em, async (tx) => {
        const [sql, params] = named(MEASURE_SQL, {
          ...period,
          after,
          limit: batchSize,
          marginRate: settings.valueModel.marginRate,
          cost: settings.valueModel.costPerInteraction,
        });
        const [row] = await tx.execute<{ count: number; last: string | null }[]>(sql, params);
        await advance(tx, cycleId, token, 'done = done + ?', [row?.count ?? 0]);
        return row?.last ?? null;
      });
      if (!last) break;
      after = last;
      // Let requests waiting for the (possibly single) connection in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }

    checkNotInterrupted(options.signal);
    await systemTransaction(em, (tx) => advance(tx, cycleId, token, `phase = 'SCORING'`));
    // Statistics of the rows just written, or the planner may join them as if there were none.
    await em
      .fork()
      .execute('analyze evaluation')
      .catch(() => undefined);
    await systemTransaction(em, async (tx) => {
      // Window sorts over every result: in memory, and never a nested loop over them.
      await tx.execute(`select set_config('work_mem', '128MB', true), set_config('enable_nestloop', 'off', true)`);
      // Results not written by this run belong to customers no longer evaluated.
      await tx.execute(
        'delete from evaluation e using evaluation_run r where e.cycle_id = ? and r.cycle_id = e.cycle_id and e.updated_at < r.started_at',
        [cycleId],
      );
      const names = settings.grades.map((grade) => grade.name);
      const values: Record<string, unknown> = {
        cycle: cycleId,
        start: period.start,
        wCount: settings.weights.purchaseCount,
        wAmount: settings.weights.purchaseAmount,
        wPaid: settings.weights.amountPaid,
        wTime: settings.weights.paymentTimeliness,
        wContribution: settings.weights.contribution,
        names: pgArray(names),
        ungraded: names.length + 1,
      };
      settings.grades.forEach((grade, index) => {
        values[`min${index}`] = grade.minScore;
        values[`grade${index}`] = grade.name;
      });
      const [sql, params] = named(scoreSql(settings.grades), values);
      await tx.execute(sql, params);
      await tx.execute(
        `update evaluation_cycle set status = 'COMPUTED', computed_at = now(), updated_at = date_trunc('milliseconds', now()), version = version + 1 where id = ?`,
        [cycleId],
      );
      await advance(tx, cycleId, token, `status = 'DONE', phase = 'FINISHED', done = total, finished_at = now()`);
    });
    // Fresh statistics for the feeds and exports that follow, and the new export lines marked
    // visible to all (so the first export does not pay for it); best effort (it needs the table's owner).
    await em
      .fork()
      .execute('analyze evaluation')
      .catch(() => undefined);
    await em
      .fork()
      .execute('vacuum (analyze) evaluation_export')
      .catch(() => undefined);
    return RunStatus.DONE;
  } catch (error) {
    if (error instanceof RunSuperseded) return RunStatus.FAILED;
    const interrupted = error instanceof RunInterrupted;
    const { name, code } = (error ?? {}) as { name?: string; code?: string };
    if (interrupted) options.logger?.warn({ cycleId }, 'evaluation run interrupted by shutdown');
    else options.logger?.error({ err: { type: name, code }, cycleId }, 'evaluation run failed');
    await em
      .fork()
      .execute(
        `update evaluation_run set status = 'FAILED', error = ?, heartbeat_at = now(), finished_at = now() where cycle_id = ? and token = ?`,
        [
          interrupted
            ? 'Interrupted: the server shut down before the run finished; run the cycle again'
            : `The computation failed${code ? ` (${code})` : ''}; see the server log`,
          cycleId,
          token,
        ],
      )
      .catch(() => undefined);
    return RunStatus.FAILED;
  }
}

/** Computes a cycle and waits for it (beginRun, then executeRun): for the demo seed and benchmarks, which need the results before going on. */
export async function computeNow(em: EntityManager, cycleId: string, options: RunOptions = {}): Promise<RunStatus> {
  const { token } = await beginRun(em.fork(), cycleId);
  return executeRun(em.fork(), cycleId, token, options);
}

/** Seconds left, from the pace so far; null before the first batch or after the run. */
export function etaSeconds(run: Pick<EvaluationRun, 'status' | 'done' | 'total' | 'startedAt'>, now = Date.now()): number | null {
  if (run.status !== RunStatus.RUNNING || run.done <= 0 || run.total <= 0) return null;
  const elapsed = (now - new Date(run.startedAt).getTime()) / 1000;
  return Math.max(0, Math.round((elapsed / run.done) * (run.total - run.done)));
}
