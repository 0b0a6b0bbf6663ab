// The package's ESM entry has only a default export while its types describe the CommonJS module.
import decimal from 'decimal.js/decimal.js';
import { Role } from '../../common/access/index.js';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../common/errors/errors.js';
import { requireId } from '../../common/graphql/ids.js';
import type { Row } from '../../common/orm/loaders.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { transactional } from '../../common/orm/transaction.js';
import { readableCustomers } from '../access/index.js';
import { PURCHASED_SQL } from '../lifecycle/index.js';
import type { RequestScope } from '../../context.js';
import { Region, RegionKind } from '../region/region.entity.js';
import { REGION_SUBTREE_SQL } from '../region/index.js';
import { User } from '../user/user.entity.js';
import { SalesTarget } from './target.entity.js';
import type { SetTargetInput, TargetsReportArgs } from './target.inputs.js';
import type { CountAttainment, RevenueAttainment, TargetNodeReport, TargetsReport, TargetUserReport } from './target.types.js';

const Money = decimal.Decimal.clone({ precision: 64, rounding: decimal.Decimal.ROUND_HALF_UP });
type Money = decimal.Decimal;
const MONEY_LIMIT = new Money('1e16');

/** The instants a period of whole days covers, read in UTC: [start 00:00, day after end 00:00). */
export function periodBounds(periodStart: string, periodEnd: string): { from: string; until: string } {
  const until = new Date(`${periodEnd}T00:00:00Z`);
  until.setUTCDate(until.getUTCDate() + 1);
  return { from: `${periodStart}T00:00:00Z`, until: until.toISOString() };
}

function assertPeriod(periodStart: string, periodEnd: string): void {
  if (periodEnd < periodStart) throw new BadUserInputError('periodEnd', 'periodEnd must not be before periodStart');
}

function revenueOf(value: string): string {
  const amount = new Money(value);
  if (amount.decimalPlaces() > 2) throw new BadUserInputError('revenue', 'revenue has at most 2 decimal places');
  if (amount.isNegative() || amount.gte(MONEY_LIMIT))
    throw new BadUserInputError('revenue', 'revenue must be at least 0 and less than 10000000000000000');
  return amount.toFixed(2);
}

function ratio(actual: Money, plan: Money | null): number | null {
  return plan && plan.gt(0) ? actual.dividedBy(plan).toNumber() : null;
}

function countFigure(plan: number | null, actual: number): CountAttainment {
  return { plan, actual, attainment: ratio(new Money(actual), plan === null ? null : new Money(plan)) };
}

function revenueFigure(plan: Money | null, actual: Money): RevenueAttainment {
  return { plan: plan?.toFixed(2) ?? null, actual: actual.toFixed(2), attainment: ratio(actual, plan) };
}

interface Plan {
  newCustomers: number;
  revenue: Money;
}

export class TargetService {
  constructor(private readonly scope: RequestScope) {}

  /** Sets the plan of one node or user for a period, replacing an earlier one for the same period. */
  set(input: SetTargetInput): Promise<SalesTarget> {
    const { em, viewer } = this.scope;
    const given = (['regionId', 'territoryId', 'userId'] as const).filter((key) => input[key]);
    if (given.length !== 1) throw new BadUserInputError(given[1] ?? 'regionId', 'Give exactly one of regionId, territoryId or userId');
    assertPeriod(input.periodStart, input.periodEnd);
    const revenue = revenueOf(input.revenue);
    return transactional(em, async (tx) => {
      let regionId: string | null = null;
      let userId: string | null = null;
      if (input.userId) {
        const user = await tx.findOne(User, { id: requireId(input.userId, 'userId') }, { populate: ['territories'] });
        if (!user) throw new NotFoundError('User', input.userId);
        if (user.role !== Role.REP) throw new BadUserInputError('userId', "Targets are set for reps; regions carry the managers' plans");
        if (
          viewer.role === Role.MANAGER &&
          !user.territories.getItems().some((territory) => viewer.managedTerritories.includes(territory.id))
        ) {
          throw new ForbiddenError('The rep works outside your regions', { field: 'userId' });
        }
        userId = user.id;
      } else {
        const field = input.regionId ? 'regionId' : 'territoryId';
        const region = await tx.findOne(Region, { id: requireId((input.regionId ?? input.territoryId)!, field) });
        if (!region) throw new NotFoundError('Region', (input.regionId ?? input.territoryId)!);
        if ((field === 'territoryId') !== (region.kind === RegionKind.TERRITORY)) {
          throw new BadUserInputError(
            field,
            field === 'territoryId'
              ? 'territoryId must name a territory'
              : 'regionId must name a region or a province; use territoryId for a territory',
          );
        }
        if (viewer.role === Role.MANAGER && !viewer.managedTerritories.includes(region.id))
          throw new ForbiddenError('The node is outside your regions', { field });
        regionId = region.id;
      }
      const [row] = await tx.execute<{ id: string }[]>(
        `insert into sales_target (id, region_id, user_id, period_start, period_end, new_customers, revenue, set_by_id)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?)
         on conflict on constraint sales_target_node_period_unique do update
           set new_customers = excluded.new_customers, revenue = excluded.revenue, set_by_id = excluded.set_by_id,
               updated_at = date_trunc('milliseconds', now()), version = sales_target.version + 1
         returning id`,
        [regionId, userId, input.periodStart, input.periodEnd, input.newCustomers, revenue, viewer.id],
      );
      return tx.findOneOrFail(SalesTarget, { id: row!.id }, { refresh: true });
    });
  }

  /**
   * Plan against actual for every node the viewer may see (everything for admins, their regions
   * for managers, their territories for reps) and for users. Actuals count the accounts the viewer
   * may open: customers created in the period, and orders confirmed or later ordered in it, by the
   * account's current territory and owner. A node's plan is its own (the sum of its targets lying
   * within the period) or, without one, the sum of its children's.
   */
  async report(args: TargetsReportArgs): Promise<TargetsReport> {
    const { em, reach, viewer, loaders } = this.scope;
    assertPeriod(args.periodStart, args.periodEnd);
    const { from, until } = periodBounds(args.periodStart, args.periodEnd);
    const nodeScope: string[] = [];
    const nodeParams: unknown[] = [];
    if (!reach.all) {
      nodeScope.push('r.id = any(?::uuid[])');
      nodeParams.push(pgArray([...new Set([...reach.read, ...reach.member])]));
    }
    if (args.regionId) {
      nodeScope.push(`r.id in (${REGION_SUBTREE_SQL})`);
      nodeParams.push(requireId(args.regionId, 'regionId'));
    }
    const readable = readableCustomers(reach);
    const scoped = readable.parts.length ? `and ${readable.parts.join(' and ')}` : '';
    const [nodes, actuals, targets] = [
      await em.execute<{ id: string; parentId: string | null; path: string }[]>(
        `select r.id, r.parent_id as "parentId", r.path from region r ${nodeScope.length ? `where ${nodeScope.join(' and ')}` : ''} order by r.path`,
        nodeParams,
      ),
      await em.execute<{ path: string; ownerId: string; created: number; revenue: string }[]>(
        `with created as (
           select c.territory_id, c.owner_id, count(*)::int as n from customer c
           where c.created_at >= ? and c.created_at < ? ${scoped} group by 1, 2
         ), sold as (
           select c.territory_id, c.owner_id, sum(o.total) as amount from sales_order o join customer c on c.id = o.customer_id
           where o.status in ${PURCHASED_SQL} and o.ordered_at >= ? and o.ordered_at < ? ${scoped} group by 1, 2
         )
         select t.path, x.owner_id as "ownerId", coalesce(created.n, 0) as created, coalesce(sold.amount, 0)::text as revenue
         from (select territory_id, owner_id from created union select territory_id, owner_id from sold) x
         join region t on t.id = x.territory_id
         left join created on created.territory_id = x.territory_id and created.owner_id = x.owner_id
         left join sold on sold.territory_id = x.territory_id and sold.owner_id = x.owner_id`,
        [from, until, ...readable.params, from, until, ...readable.params],
      ),
      await em.execute<{ regionId: string | null; userId: string | null; newCustomers: number; revenue: string }[]>(
        `select region_id as "regionId", user_id as "userId", sum(new_customers)::int as "newCustomers", sum(revenue)::text as revenue
         from sales_target where period_start >= ? and period_end <= ? group by 1, 2`,
        [args.periodStart, args.periodEnd],
      ),
    ];

    const own = new Map<string, Plan>(
      targets.map((row) => [(row.regionId ?? row.userId)!, { newCustomers: row.newCustomers, revenue: new Money(row.revenue) }]),
    );
    const children = new Map<string, string[]>();
    for (const node of nodes) if (node.parentId) children.set(node.parentId, [...(children.get(node.parentId) ?? []), node.id]);
    const plans = new Map<string, { plan: Plan | null; rolledUp: boolean }>();
    const planOf = (id: string): { plan: Plan | null; rolledUp: boolean } => {
      const known = plans.get(id);
      if (known) return known;
      let result: { plan: Plan | null; rolledUp: boolean } = { plan: own.get(id) ?? null, rolledUp: false };
      if (!result.plan) {
        const below = (children.get(id) ?? []).map((child) => planOf(child).plan).filter((plan): plan is Plan => plan !== null);
        if (below.length) {
          result = {
            plan: {
              newCustomers: below.reduce((sum, plan) => sum + plan.newCustomers, 0),
              revenue: below.reduce((sum, plan) => sum.plus(plan.revenue), new Money(0)),
            },
            rolledUp: true,
          };
        }
      }
      plans.set(id, result);
      return result;
    };

    const regions = await loaders.byId(Region).loadMany(nodes.map((node) => node.id));
    const nodeReports = nodes.flatMap((node, index): TargetNodeReport[] => {
      const region = regions[index];
      if (!region || region instanceof Error) return [];
      let created = 0;
      let revenue = new Money(0);
      for (const row of actuals) {
        if (row.path === node.path || row.path.startsWith(`${node.path}/`)) {
          created += row.created;
          revenue = revenue.plus(row.revenue);
        }
      }
      const { plan, rolledUp } = planOf(node.id);
      return [
        {
          region: region as Row,
          parentId: node.parentId,
          planRolledUp: rolledUp,
          newCustomers: countFigure(plan?.newCustomers ?? null, created),
          revenue: revenueFigure(plan?.revenue ?? null, revenue),
        },
      ];
    });

    const byUser = new Map<string, { created: number; revenue: Money }>();
    for (const row of actuals) {
      const total = byUser.get(row.ownerId) ?? { created: 0, revenue: new Money(0) };
      byUser.set(row.ownerId, { created: total.created + row.created, revenue: total.revenue.plus(row.revenue) });
    }
    const userIds = [...new Set([...byUser.keys(), ...targets.flatMap((row) => (row.userId ? [row.userId] : []))])]
      .filter((id) => viewer.role !== Role.REP || id === viewer.id)
      .sort();
    const users = await loaders.byId(User).loadMany(userIds);
    const userReports = userIds.flatMap((id, index): TargetUserReport[] => {
      const user = users[index];
      if (!user || user instanceof Error) return [];
      const actual = byUser.get(id) ?? { created: 0, revenue: new Money(0) };
      const plan = own.get(id) ?? null;
      return [
        {
          user: user as Row,
          newCustomers: countFigure(plan?.newCustomers ?? null, actual.created),
          revenue: revenueFigure(plan?.revenue ?? null, actual.revenue),
        },
      ];
    });
    return { periodStart: args.periodStart, periodEnd: args.periodEnd, nodes: nodeReports, users: userReports };
  }
}
