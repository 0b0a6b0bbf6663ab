import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../../common/access/index.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../common/errors/errors.js';
import {
  DEFAULT_PAGE_SIZE,
  SortDirection,
  connectionOf,
  decodeCursor,
  encodeCursor,
  type Connection,
} from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { Conditions, keysetPage, lazyCount } from '../../common/orm/keyset.js';
import type { Row } from '../../common/orm/loaders.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { transactional } from '../../common/orm/transaction.js';
import { customerForWrite, readableCustomers } from '../access/index.js';
import { scopeToReadableAccounts } from '../contact/index.js';
import type { RequestScope } from '../../context.js';
import { Customer, LifecycleStage } from '../customer/customer.entity.js';
import { OrderStatus } from '../order/order.entity.js';
import { REGION_SUBTREE_SQL } from '../region/index.js';
import { inSubtree } from '../../common/orm/subtree.js';
import { User } from '../user/user.entity.js';
import {
  LifecycleAlert,
  LifecycleChangeRequest,
  LifecycleSetting,
  LifecycleTransition,
  LifecycleTrigger,
  STAGE_ORDER,
  StageChangeStatus,
  StageSla,
} from './lifecycle.entity.js';
import {
  BreakdownBy,
  type ChangeLifecycleStageInput,
  type FunnelArgs,
  type LifecycleBreakdownArgs,
  type OverdueCustomersArgs,
  type StageChangeRequestsArgs,
} from './lifecycle.inputs.js';
import { assertMayApprove, manualChangeMode } from './lifecycle.permissions.js';
import type {
  FunnelStage,
  LifecycleBreakdownGroup,
  LifecycleCheckResult,
  LifecycleFunnel,
  OverdueCustomer,
  StageChangeResult,
} from './lifecycle.types.js';

/** Orders that count as purchases: confirmed or further along, never quotes or cancelled ones. */
const PURCHASED: ReadonlySet<OrderStatus> = new Set([OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED]);
export const PURCHASED_SQL = `('CONFIRMED', 'SHIPPED', 'DELIVERED')`;

/** The forward chain the funnel converts along. */
const CHAIN = [LifecycleStage.POTENTIAL, LifecycleStage.INTENTION, LifecycleStage.FIRST_PURCHASE, LifecycleStage.REPEAT] as const;
/** Stages inactivity can end. */
const ACTIVE_STAGES = [LifecycleStage.POTENTIAL, LifecycleStage.INTENTION, LifecycleStage.FIRST_PURCHASE, LifecycleStage.REPEAT] as const;

export const DEFAULT_INACTIVITY_BATCH = 5000;

/** `timestamptz` as ISO text with microseconds, for keyset cursors on computed or database-written times. */
const isoMicros = (expr: string) => `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A PostgreSQL array literal whose empty strings are NULL elements. */
function pgArrayOrNull(values: readonly (string | null | undefined)[]): string {
  return `{${values.map((value) => (value ? `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"` : 'NULL')).join(',')}}`;
}

/** True when an order just became a purchase: created confirmed or later, or moved there from a quote. */
export function becameConfirmed(from: OrderStatus | null, to: OrderStatus): boolean {
  return PURCHASED.has(to) && (from === null || !PURCHASED.has(from));
}

/** One customer's move: from the stage it must still be in, through one or more stages. */
export interface StageMove {
  customerId: string;
  from: LifecycleStage;
  path: LifecycleStage[];
  trigger: LifecycleTrigger;
  actorId: string | null;
  approverId: string | null;
  reason: string | null;
}

/**
 * Applies moves in one statement: each customer changes only if it is still in `from` (a
 * conditional UPDATE, so a concurrent change cannot be overwritten or recorded twice), and one
 * transition is recorded per step for exactly the customers that changed. A transition is dated
 * when it is made (clock time, not the transaction's start: a transaction that waited for a lock
 * changes the stage after the one it waited for), steps of one move a microsecond apart, so
 * history keeps their order. Returns the ids of the customers moved.
 */
export async function applyMoves(em: EntityManager, moves: readonly StageMove[]): Promise<Set<string>> {
  if (!moves.length) return new Set();
  const steps = moves.flatMap((move) =>
    move.path.map((to, index) => ({ move, ord: index, from: index === 0 ? move.from : move.path[index - 1]!, to })),
  );
  const rows = await em.execute<{ customerId: string }[]>(
    `with m as (select * from unnest(?::uuid[], ?::lifecycle_stage[], ?::lifecycle_stage[]) as m(customer_id, from_stage, to_stage)),
     moved as (
       update customer c set lifecycle_stage = m.to_stage, updated_at = date_trunc('milliseconds', now()), version = c.version + 1
       from m where c.id = m.customer_id and c.lifecycle_stage = m.from_stage
       returning c.id
     ),
     s as (select * from unnest(?::uuid[], ?::int[], ?::lifecycle_stage[], ?::lifecycle_stage[], ?::lifecycle_trigger[], ?::uuid[], ?::uuid[], ?::text[])
             as s(customer_id, ord, from_stage, to_stage, trigger, actor_id, approver_id, reason)),
     recorded as (
       insert into lifecycle_transition (id, customer_id, from_stage, to_stage, at, trigger, actor_id, approver_id, reason)
       select gen_random_uuid(), s.customer_id, s.from_stage, s.to_stage, clock_timestamp() + s.ord * interval '1 microsecond', s.trigger, s.actor_id, s.approver_id, s.reason
       from s join moved on moved.id = s.customer_id
       returning customer_id
     )
     select distinct customer_id as "customerId" from recorded`,
    [
      pgArray(moves.map((move) => move.customerId)),
      pgArray(moves.map((move) => move.from)),
      pgArray(moves.map((move) => move.path.at(-1)!)),
      pgArray(steps.map((step) => step.move.customerId)),
      `{${steps.map((step) => step.ord).join(',')}}`,
      pgArray(steps.map((step) => step.from)),
      pgArray(steps.map((step) => step.to)),
      pgArray(steps.map((step) => step.move.trigger)),
      pgArrayOrNull(steps.map((step) => step.move.actorId)),
      pgArrayOrNull(steps.map((step) => step.move.approverId)),
      pgArrayOrNull(steps.map((step) => step.move.reason)),
    ],
  );
  return new Set(rows.map((row) => row.customerId));
}

/** Where confirmed orders take a customer: the first to FIRST_PURCHASE, the second to REPEAT; an order ends dormancy or loss. */
export function orderPath(stage: LifecycleStage, purchases: number): LifecycleStage[] {
  if (purchases < 1) return [];
  switch (stage) {
    case LifecycleStage.POTENTIAL:
    case LifecycleStage.INTENTION:
      return purchases >= 2 ? [LifecycleStage.FIRST_PURCHASE, LifecycleStage.REPEAT] : [LifecycleStage.FIRST_PURCHASE];
    case LifecycleStage.FIRST_PURCHASE:
      return purchases >= 2 ? [LifecycleStage.REPEAT] : [];
    case LifecycleStage.DORMANT:
    case LifecycleStage.LOST:
      return [purchases >= 2 ? LifecycleStage.REPEAT : LifecycleStage.FIRST_PURCHASE];
    case LifecycleStage.REPEAT:
      return [];
  }
}

const ORDER_REASONS: Partial<Record<LifecycleStage, string>> = {
  [LifecycleStage.FIRST_PURCHASE]: 'First confirmed order',
  [LifecycleStage.REPEAT]: 'Repeat confirmed order',
};

/**
 * Call inside the transaction that confirmed orders (created CONFIRMED or later, or moved there
 * from QUOTE), after the flush. The customers are locked first and their purchases counted after
 * the lock is granted: under READ COMMITTED that count sees every confirmation committed before,
 * so two orders confirmed at the same moment yield one transition to FIRST_PURCHASE and one to
 * REPEAT, never two of either. FOR NO KEY UPDATE does not conflict with the key-share locks the
 * orders' foreign keys hold, so the two transactions queue instead of deadlocking.
 */
export async function onOrdersConfirmed(em: EntityManager, customerIds: readonly string[]): Promise<void> {
  const ids = [...new Set(customerIds)].sort();
  if (!ids.length) return;
  await em.execute(`select id from customer where id = any(?::uuid[]) order by id for no key update`, [pgArray(ids)]);
  const rows = await em.execute<{ id: string; stage: LifecycleStage; purchases: number; viewer: string | null }[]>(
    `select c.id, c.lifecycle_stage as stage, app_viewer() as viewer,
       (select count(*)::int from sales_order o where o.customer_id = c.id and o.status in ${PURCHASED_SQL}) as purchases
     from customer c where c.id = any(?::uuid[])`,
    [pgArray(ids)],
  );
  const moves = rows.flatMap((row): StageMove[] => {
    const path = orderPath(row.stage, row.purchases);
    if (!path.length) return [];
    const reason =
      row.stage === LifecycleStage.DORMANT || row.stage === LifecycleStage.LOST
        ? `Confirmed order after ${row.stage.toLowerCase()}`
        : ORDER_REASONS[path.at(-1)!]!;
    return [{ customerId: row.id, from: row.stage, path, trigger: LifecycleTrigger.ORDER, actorId: row.viewer, approverId: null, reason }];
  });
  await applyMoves(em, moves);
}

export async function dormancyDays(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ days: number }[]>('select dormant_after_days as days from lifecycle_setting where id = 1');
  return row?.days ?? 180;
}

/**
 * Moves up to `batchSize` customers without an order or an interaction (and without a stage
 * change) for the dormancy period to DORMANT. Rows locked by a concurrent order are skipped: the
 * order is activity, and the next run sees it. Returns how many moved.
 */
export async function moveInactiveBatch(em: EntityManager, batchSize = DEFAULT_INACTIVITY_BATCH): Promise<number> {
  const days = await dormancyDays(em);
  const [row] = await em.execute<{ count: number }[]>(
    `with cutoff as (select now() - make_interval(days => ?) as at),
     due as (
       select c.id, c.lifecycle_stage as from_stage from customer c, cutoff
       where c.lifecycle_stage = any(?::lifecycle_stage[]) and c.archived_at is null and c.created_at < cutoff.at
         and not exists (select 1 from sales_order o where o.customer_id = c.id and o.status <> 'CANCELLED' and o.ordered_at >= cutoff.at)
         and not exists (select 1 from interaction i where i.customer_id = c.id and i.occurred_at >= cutoff.at)
         and not exists (select 1 from lifecycle_transition t where t.customer_id = c.id and t.at >= cutoff.at)
       order by c.id limit ?
       for no key update of c skip locked
     ),
     moved as (
       update customer c set lifecycle_stage = 'DORMANT', updated_at = date_trunc('milliseconds', now()), version = c.version + 1 from due where c.id = due.id
       returning c.id, due.from_stage
     ),
     recorded as (
       insert into lifecycle_transition (id, customer_id, from_stage, to_stage, at, trigger, reason)
       select gen_random_uuid(), id, from_stage, 'DORMANT', clock_timestamp(), 'INACTIVITY', ? from moved
       returning 1
     )
     select count(*)::int as count from recorded`,
    [days, pgArray(ACTIVE_STAGES), batchSize, `No order or interaction for ${days} days`],
  );
  return row?.count ?? 0;
}

/** Every inactive customer to DORMANT, batch after batch in the caller's transaction. */
export async function moveInactiveToDormant(em: EntityManager, batchSize = DEFAULT_INACTIVITY_BATCH): Promise<number> {
  let moved = 0;
  for (;;) {
    const count = await moveInactiveBatch(em, batchSize);
    moved += count;
    if (count < batchSize) return moved;
  }
}

/** Customers with an SLA on their stage, when they entered it and when the SLA runs out (over alias `c`). */
const STAGE_ENTRY_SQL = `select c.id, c.owner_id, c.lifecycle_stage as stage, e.entered_at, e.entered_at + make_interval(days => s.max_days) as due_at
  from customer c
  join lifecycle_stage_sla s on s.stage = c.lifecycle_stage
  cross join lateral (select coalesce((select max(t.at) from lifecycle_transition t where t.customer_id = c.id), c.created_at) as entered_at) e
  where c.archived_at is null`;

/** Raises one alert per customer and stage entry past its SLA; entries already alerted are left alone. */
export async function raiseSlaAlerts(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ count: number }[]>(
    `with due as (${STAGE_ENTRY_SQL}),
     raised as (
       insert into lifecycle_alert (id, customer_id, stage, entered_at, due_at, raised_at, owner_id)
       select gen_random_uuid(), id, stage, entered_at, due_at, date_trunc('milliseconds', now()), owner_id from due where due_at < now()
       on conflict on constraint lifecycle_alert_entry_unique do nothing
       returning 1
     )
     select count(*)::int as count from raised`,
  );
  return row?.count ?? 0;
}

/** Inactivity and SLA checks, in the caller's transaction. */
export async function runLifecycleChecks(em: EntityManager, batchSize = DEFAULT_INACTIVITY_BATCH): Promise<LifecycleCheckResult> {
  const dormant = await moveInactiveToDormant(em, batchSize);
  const alertsRaised = await raiseSlaAlerts(em);
  return { dormant, alertsRaised };
}

function requiredReason(value: string): string {
  const reason = value.trim();
  if (!reason) throw new BadUserInputError('reason', 'reason must not be blank');
  return reason;
}

const PENDING_CONSTRAINTS = {
  lifecycle_change_request_one_pending: new ConflictError('A stage change for this customer is already waiting for approval', {
    field: 'customerId',
  }),
};

export class LifecycleService {
  constructor(private readonly scope: RequestScope) {}

  /**
   * A manual stage change. The owner moves one stage forward at once; a manager of the region or
   * an admin moves anywhere at once, as the approver; anything else becomes a pending request.
   */
  changeStage(input: ChangeLifecycleStageInput): Promise<StageChangeResult> {
    const { em, viewer } = this.scope;
    const reason = requiredReason(input.reason);
    return transactional(
      em,
      async (tx) => {
        const { id } = await customerForWrite(tx, this.scope, input.customerId, 'customerId');
        const customer = await tx.findOneOrFail(Customer, { id }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, refresh: true });
        const from = customer.lifecycleStage;
        if (from === input.toStage) throw new BadUserInputError('toStage', `The customer is already ${from}`);
        const mode = manualChangeMode(viewer, { ownerId: customer.owner.id, territoryId: customer.territory.id }, from, input.toStage);
        if (mode === 'REQUEST') {
          const request = tx.create(LifecycleChangeRequest, {
            customer,
            fromStage: from,
            toStage: input.toStage,
            reason,
            status: StageChangeStatus.PENDING,
            requestedBy: viewer.id,
          });
          await tx.flush();
          return { applied: false, transition: null, request };
        }
        await applyMoves(tx, [
          {
            customerId: customer.id,
            from,
            path: [input.toStage],
            trigger: LifecycleTrigger.MANUAL,
            actorId: viewer.id,
            approverId: mode === 'APPLY_AS_APPROVER' ? viewer.id : null,
            reason,
          },
        ]);
        return { applied: true, transition: await latestTransition(tx, customer.id), request: null };
      },
      PENDING_CONSTRAINTS,
    );
  }

  decide(requestId: string, approve: boolean, comment: string | null | undefined): Promise<LifecycleChangeRequest> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const request = await tx.findOne(
        LifecycleChangeRequest,
        { id: requireId(requestId, 'requestId') },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!request) throw new NotFoundError('LifecycleChangeRequest', requestId);
      const customer = await tx.findOne(
        Customer,
        { id: request.customer.id },
        { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, refresh: true },
      );
      if (!customer) throw new NotFoundError('LifecycleChangeRequest', requestId);
      assertMayApprove(viewer, customer.territory.id);
      if (request.status !== StageChangeStatus.PENDING)
        throw new ConflictError(`The request was already ${request.status.toLowerCase()}`, { status: request.status });
      if (approve) {
        if (customer.lifecycleStage !== request.fromStage) {
          throw new ConflictError(`The customer moved to ${customer.lifecycleStage} since the request; reject it and ask again`, {
            currentStage: customer.lifecycleStage,
          });
        }
        await applyMoves(tx, [
          {
            customerId: customer.id,
            from: request.fromStage,
            path: [request.toStage],
            trigger: LifecycleTrigger.MANUAL,
            actorId: request.requestedBy.id,
            approverId: viewer.id,
            reason: request.reason,
          },
        ]);
      }
      request.status = approve ? StageChangeStatus.APPROVED : StageChangeStatus.REJECTED;
      request.decidedBy = tx.getReference(User, viewer.id, { wrapped: true });
      request.decidedAt = new Date();
      request.decisionComment = comment?.trim() || null;
      await tx.flush();
      return request;
    });
  }

  requests(args: StageChangeRequestsArgs) {
    const { em, reach, viewer } = this.scope;
    const where = scopeToReadableAccounts(new Conditions(), reach, 'r.customer_id');
    if (args.status) where.add('r.status = ?', args.status);
    if (viewer.role === Role.REP)
      where.add('(r.requested_by_id = ? or r.customer_id in (select o.id from customer o where o.owner_id = ?))', viewer.id, viewer.id);
    return keysetPage<LifecycleChangeRequest>(em, LifecycleChangeRequest, 'r', where, {
      first: args.first,
      after: args.after,
      sort: { property: 'createdAt', cast: 'timestamptz' },
      direction: SortDirection.DESC,
    });
  }

  /** Alerts on accounts the viewer may open; reps see those of accounts they own. */
  alerts(page: { first?: number | null; after?: string | null }) {
    const { em, reach, viewer } = this.scope;
    const where = scopeToReadableAccounts(new Conditions(), reach, 'a.customer_id');
    if (viewer.role === Role.REP) where.add('a.customer_id in (select o.id from customer o where o.owner_id = ?)', viewer.id);
    return keysetPage<LifecycleAlert>(em, LifecycleAlert, 'a', where, {
      first: page.first,
      after: page.after,
      sort: { property: 'raisedAt', cast: 'timestamptz' },
      direction: SortDirection.DESC,
    });
  }

  /** Customers past their stage's SLA, longest overdue first, among accounts the viewer may open. */
  async overdue(page: OverdueCustomersArgs): Promise<Connection<OverdueCustomer>> {
    const { em, reach, loaders } = this.scope;
    const first = page.first ?? DEFAULT_PAGE_SIZE;
    const scope = readableCustomers(reach);
    if (page.ownerId) scope.add('c.owner_id = ?', requireId(page.ownerId, 'ownerId'));
    const where = new Conditions().add('o.due_at < now()');
    const count = new Conditions().add('o.due_at < now()');
    if (page.after) {
      const [dueAt, id] = decodeCursor(page.after);
      where.add('(o.due_at, o.id) > (?::timestamptz, ?::uuid)', dueAt, id);
    }
    const base = `with o as (${STAGE_ENTRY_SQL}${scope.parts.length ? ` and ${scope.parts.join(' and ')}` : ''})`;
    const rows = await em.execute<{ id: string; stage: LifecycleStage; enteredAt: Date; dueAt: Date; key: string; daysOverdue: number }[]>(
      `${base} select o.id, o.stage, o.entered_at as "enteredAt", o.due_at as "dueAt", ${isoMicros('o.due_at')} as key,
         extract(epoch from now() - o.due_at)::float8 / 86400 as "daysOverdue"
       from o ${where.sql()} order by o.due_at, o.id limit ${first + 1}`,
      [...scope.params, ...where.params],
    );
    const nodes = rows.slice(0, first);
    const customers = await loaders.byId<Row>(Customer).loadMany(nodes.map((row) => row.id));
    const edges = nodes.flatMap((row, index) => {
      const customer = customers[index];
      if (!customer || customer instanceof Error) return [];
      return [
        {
          cursor: encodeCursor(row.key, row.id),
          node: { customer, stage: row.stage, enteredAt: row.enteredAt, dueAt: row.dueAt, daysOverdue: row.daysOverdue },
        },
      ];
    });
    return connectionOf(edges, {
      hasNextPage: rows.length > first,
      after: page.after,
      totalCount: lazyCount(em, `${base} select count(*)::int as count from o ${count.sql()}`, scope.params),
    });
  }

  /**
   * Counts per stage now, conversion along the chain and median dwell time, over the accounts
   * the viewer may open, narrowed by region, territory or owner.
   */
  async funnel(args: FunnelArgs): Promise<LifecycleFunnel> {
    const { em, reach } = this.scope;
    const where = readableCustomers(reach);
    where.add('c.archived_at is null');
    if (args.regionId) where.add(`c.territory_id in (${REGION_SUBTREE_SQL})`, requireId(args.regionId, 'regionId'));
    if (args.territoryId) where.add('c.territory_id = ?', requireId(args.territoryId, 'territoryId'));
    if (args.ownerId) where.add('c.owner_id = ?', requireId(args.ownerId, 'ownerId'));
    const scoped = `scoped as (select c.id, c.lifecycle_stage, c.created_at from customer c ${where.sql()})`;
    const [counts, conversions, dwell] = [
      await em.execute<{ stage: LifecycleStage; count: number }[]>(
        `with ${scoped} select lifecycle_stage as stage, count(*)::int as count from scoped group by 1`,
        where.params,
      ),
      await em.execute<{ stage: LifecycleStage; entered: number; converted: number }[]>(
        `with ${scoped},
         touched as (
           select s.id, s.lifecycle_stage as stage from scoped s
           union select t.customer_id, t.from_stage from lifecycle_transition t join scoped s on s.id = t.customer_id where t.from_stage is not null
           union select t.customer_id, t.to_stage from lifecycle_transition t join scoped s on s.id = t.customer_id
         ),
         furthest as (select id, max(array_position(?::lifecycle_stage[], stage)) as top from touched group by id)
         select t.stage, count(*)::int as entered, count(*) filter (where f.top > array_position(?::lifecycle_stage[], t.stage))::int as converted
         from touched t join furthest f on f.id = t.id group by t.stage`,
        [...where.params, pgArray(CHAIN), pgArray(CHAIN)],
      ),
      await em.execute<{ stage: LifecycleStage; days: number | null }[]>(
        `with ${scoped},
         stays as (
           select t.from_stage as stage,
             extract(epoch from t.at - coalesce(lag(t.at) over (partition by t.customer_id order by t.at, t.id), s.created_at)) / 86400 as days
           from lifecycle_transition t join scoped s on s.id = t.customer_id
         )
         select stage, percentile_cont(0.5) within group (order by days) as days from stays where stage is not null group by stage`,
        where.params,
      ),
    ];
    const countOf = new Map(counts.map((row) => [row.stage, row.count]));
    const conversionOf = new Map(conversions.map((row) => [row.stage, row]));
    const dwellOf = new Map(dwell.map((row) => [row.stage, row.days]));
    const stages = STAGE_ORDER.map((stage): FunnelStage => {
      const conversion = conversionOf.get(stage);
      const inChain = (CHAIN as readonly LifecycleStage[]).includes(stage) && stage !== LifecycleStage.REPEAT;
      return {
        stage,
        count: countOf.get(stage) ?? 0,
        entered: conversion?.entered ?? 0,
        conversionToNext: inChain && conversion && conversion.entered > 0 ? conversion.converted / conversion.entered : null,
        medianDwellDays: dwellOf.get(stage) ?? null,
      };
    });
    return { total: stages.reduce((sum, stage) => sum + stage.count, 0), stages };
  }

  /**
   * Customers per stage now, grouped by province or by owner, over the accounts the viewer may
   * open: a manager's groups are those of their regions. Groups with the most customers first.
   */
  async breakdown(args: LifecycleBreakdownArgs): Promise<LifecycleBreakdownGroup[]> {
    const { em, reach } = this.scope;
    const where = readableCustomers(reach);
    where.add('c.archived_at is null');
    if (args.regionId) where.add(`c.territory_id in (${REGION_SUBTREE_SQL})`, requireId(args.regionId, 'regionId'));
    const scoped = `scoped as (select c.lifecycle_stage, c.territory_id, c.owner_id from customer c ${where.sql()})`;
    // An account placed above province level counts under the node it sits on.
    const grouped =
      args.by === BreakdownBy.PROVINCE
        ? `from scoped s join region t on t.id = s.territory_id
           cross join lateral (select coalesce(
             (select p.id from region p where p.kind = 'PROVINCE' and ${inSubtree('t.path', 'p.path')} limit 1), t.id) as id) k
           join region g on g.id = k.id
           group by g.id, g.name, g.name_zh, s.lifecycle_stage`
        : `from scoped s join app_user g on g.id = s.owner_id
           group by g.id, g.name, s.lifecycle_stage`;
    const nameZh = args.by === BreakdownBy.PROVINCE ? 'g.name_zh' : 'null::text';
    const rows = await em.execute<{ id: string; name: string; nameZh: string | null; stage: LifecycleStage; count: number }[]>(
      `with ${scoped} select g.id, g.name, ${nameZh} as "nameZh", s.lifecycle_stage as stage, count(*)::int as count ${grouped}`,
      where.params,
    );
    const groups = new Map<string, { name: string; nameZh: string | null; counts: Map<LifecycleStage, number> }>();
    for (const row of rows) {
      const group = groups.get(row.id) ?? { name: row.name, nameZh: row.nameZh, counts: new Map() };
      group.counts.set(row.stage, row.count);
      groups.set(row.id, group);
    }
    return [...groups.entries()]
      .map(([id, group]) => {
        const stages = STAGE_ORDER.map((stage) => ({ stage, count: group.counts.get(stage) ?? 0 }));
        return { id, name: group.name, nameZh: group.nameZh, total: stages.reduce((sum, s) => sum + s.count, 0), stages };
      })
      .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async setStageSla(stage: LifecycleStage, maxDays: number | null | undefined): Promise<StageSla | null> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      if (maxDays == null) {
        await tx.nativeDelete(StageSla, { stage });
        return null;
      }
      await tx.execute(
        `insert into lifecycle_stage_sla (stage, max_days, updated_at, updated_by_id) values (?, ?, now(), ?)
         on conflict (stage) do update set max_days = excluded.max_days, updated_at = excluded.updated_at, updated_by_id = excluded.updated_by_id`,
        [stage, maxDays, viewer.id],
      );
      return tx.findOneOrFail(StageSla, { stage }, { refresh: true });
    });
  }

  setDormancyPeriod(days: number): Promise<number> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      await tx.nativeUpdate(LifecycleSetting, { id: 1 }, { dormantAfterDays: days, updatedAt: new Date(), updatedBy: viewer.id });
      return days;
    });
  }
}

async function latestTransition(em: EntityManager, customerId: string): Promise<LifecycleTransition | null> {
  return em.findOne(LifecycleTransition, { customer: customerId }, { orderBy: { at: 'desc', id: 'desc' }, refresh: true });
}
