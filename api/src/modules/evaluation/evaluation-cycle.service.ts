import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
// The package's ESM entry has only a default export while its types describe the CommonJS module.
import decimal from 'decimal.js/decimal.js';
import type { Viewer } from '../../common/access/index.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../common/errors/errors.js';
import {
  DEFAULT_PAGE_SIZE,
  SortDirection,
  connectionOf,
  decodeCursor,
  encodeCursor,
  type Connection,
} from '../../common/graphql/connection.js';
import { isUuid, requireId } from '../../common/graphql/ids.js';
import { selectList } from '../../common/orm/columns.js';
import { Conditions, lazyCount, type SortKey } from '../../common/orm/keyset.js';
import type { Row } from '../../common/orm/loaders.js';
import { executePrepared } from '../../common/orm/prepared.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import { mayOpenCycle } from '../access/index.js';
import { scopeToReadableAccounts } from '../contact/index.js';
import { REGION_SUBTREE_SQL } from '../region/index.js';
import type { RequestScope } from '../../context.js';
import { GradeMovement, Quadrant, RunStatus, ValueTier } from './evaluation-cycle.enums.js';
import type {
  CreateEvaluationCycleInput,
  DistributionArgs,
  EvaluationFeedArgs,
  EvaluationWeightsInput,
  GradeThresholdInput,
  UpdateEvaluationCycleInput,
  ValueModelInput,
} from './evaluation-cycle.inputs.js';
import type { CycleSettings, EvaluationDistribution, GradeThreshold, ValueModel } from './evaluation-cycle.types.js';
import { EvaluationRun } from './evaluation-run.entity.js';
import { Evaluation, EvaluationCycle, CycleStatus } from './evaluation.entity.js';

const Money = decimal.Decimal.clone({ precision: 64, rounding: decimal.Decimal.ROUND_HALF_UP });

export const DEFAULT_VALUE_MODEL: ValueModel = { marginRate: 0.2, costPerInteraction: '50.00' };

/**
 * The healthy quadrant shares sales managers use: I loyal and profitable 60–70% of customers,
 * II profitable but short-lived 20–30%, III loyal but low profit 10–20%, IV neither under 5%.
 */
export const QUADRANT_TARGETS: Record<Quadrant, [number, number]> = {
  [Quadrant.I]: [0.6, 0.7],
  [Quadrant.II]: [0.2, 0.3],
  [Quadrant.III]: [0.1, 0.2],
  [Quadrant.IV]: [0, 0.05],
};

/**
 * The feed's order: last change, then id. Its cursors print the time in UTC to the microsecond,
 * so rows written in one statement never repeat.
 */
const FEED_SORT: SortKey = {
  property: 'updatedAt',
  cast: 'timestamptz',
  text: (alias) => `to_char(${alias}.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

/** A RUNNING run whose heartbeat is older than this died with its server. */
export const STALE_RUN_SECONDS = 300;

const WEIGHT_KEYS = ['purchaseCount', 'purchaseAmount', 'amountPaid', 'paymentTimeliness', 'contribution'] as const;

function weightsOf(input: EvaluationWeightsInput): CycleSettings['weights'] {
  const weights = Object.fromEntries(WEIGHT_KEYS.map((key) => [key, input[key]])) as unknown as CycleSettings['weights'];
  const sum = WEIGHT_KEYS.reduce((total, key) => total + weights[key], 0);
  if (Math.abs(sum - 1) > 0.0001)
    throw new BadUserInputError('weights', `The weights must add up to 1; they add up to ${Number(sum.toFixed(6))}`);
  return weights;
}

function gradesOf(input: GradeThresholdInput[]): GradeThreshold[] {
  const seen = new Set<string>();
  return input.map((grade, index) => {
    const name = grade.name.trim();
    if (!name) throw new BadUserInputError(`grades.${index}.name`, 'name must not be blank');
    if (seen.has(name.toLowerCase())) throw new BadUserInputError(`grades.${index}.name`, `The grade ${name} is listed twice`);
    seen.add(name.toLowerCase());
    const previous = input[index - 1];
    if (previous && !(grade.minScore < previous.minScore)) {
      throw new BadUserInputError(
        `grades.${index}.minScore`,
        'Grades go from best to worst: each minScore must be lower than the one before',
      );
    }
    return { name, minScore: grade.minScore };
  });
}

function valueModelOf(input: ValueModelInput | null | undefined): ValueModel {
  if (!input) return DEFAULT_VALUE_MODEL;
  const cost = new Money(input.costPerInteraction);
  if (cost.isNegative() || cost.decimalPlaces() > 2 || cost.gte('1e12')) {
    throw new BadUserInputError(
      'valueModel.costPerInteraction',
      'valueModel.costPerInteraction must be at least 0 with at most 2 decimal places',
    );
  }
  return { marginRate: input.marginRate, costPerInteraction: cost.toFixed(2) };
}

export function settingsOf(cycle: { settings: unknown }): CycleSettings {
  const settings = (typeof cycle.settings === 'string' ? JSON.parse(cycle.settings) : cycle.settings) as Partial<CycleSettings> | null;
  return {
    weights: settings?.weights ?? { purchaseCount: 0.2, purchaseAmount: 0.2, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.2 },
    grades: settings?.grades ?? [],
    valueModel: settings?.valueModel ?? DEFAULT_VALUE_MODEL,
  };
}

function assertPeriod(periodStart: string, periodEnd: string): void {
  if (periodEnd < periodStart) throw new BadUserInputError('periodEnd', 'periodEnd must not be before periodStart');
}

/** Another cycle sharing a day with the period, named in the error. */
async function assertNoOverlap(em: EntityManager, periodStart: string, periodEnd: string, exceptId: string | null): Promise<void> {
  const [other] = await em.execute<{ name: string }[]>(
    `select name from evaluation_cycle where daterange(period_start, period_end, '[]') && daterange(?::date, ?::date, '[]') and id <> ?::uuid limit 1`,
    [periodStart, periodEnd, exceptId ?? '00000000-0000-0000-0000-000000000000'],
  );
  if (other) throw new BadUserInputError('periodStart', `The period overlaps the cycle "${other.name}"`);
}

/** The exclusion constraint catches a concurrent overlapping insert the check above could not see. */
async function withOverlapGuard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (/23P01/.test(String((error as { code?: string }).code ?? '')))
      throw new BadUserInputError('periodStart', 'The period overlaps another cycle');
    throw error;
  }
}

export function assertNotPublished(cycle: EvaluationCycle, action: string): void {
  if (cycle.status === CycleStatus.PUBLISHED)
    throw new ConflictError(`A published cycle is a snapshot; it cannot be ${action}`, { status: cycle.status });
}

/** A run under way (with a live heartbeat) blocks edits, publishing and another run. */
export async function assertNotRunning(em: EntityManager, cycleId: string): Promise<void> {
  const [run] = await em.execute<{ live: boolean }[]>(
    `select heartbeat_at > now() - make_interval(secs => ?) as live from evaluation_run where cycle_id = ? and status = 'RUNNING'`,
    [STALE_RUN_SECONDS, cycleId],
  );
  if (run?.live) throw new ConflictError('The cycle is being computed; wait for the run to finish', { status: RunStatus.RUNNING });
}

export async function lockedCycle(em: EntityManager, id: string, field = 'id'): Promise<EvaluationCycle> {
  const cycle = await em.findOne(EvaluationCycle, { id: requireId(id, field) }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!cycle) throw new NotFoundError('EvaluationCycle', id);
  return cycle;
}

/** API keys read published snapshots only; to them other cycles do not exist. */
export async function readableCycle(em: EntityManager, viewer: Viewer, id: string, field = 'cycleId'): Promise<EvaluationCycle> {
  const cycle = await em.findOne(EvaluationCycle, { id: requireId(id, field) });
  if (!cycle || !mayOpenCycle(viewer, cycle.status === CycleStatus.PUBLISHED)) throw new NotFoundError('EvaluationCycle', id);
  return cycle;
}

export class EvaluationCycleService {
  constructor(private readonly scope: Pick<RequestScope, 'em'>) {}

  create(input: CreateEvaluationCycleInput): Promise<EvaluationCycle> {
    const { em } = this.scope;
    assertPeriod(input.periodStart, input.periodEnd);
    const settings: CycleSettings = {
      weights: weightsOf(input.weights),
      grades: gradesOf(input.grades),
      valueModel: valueModelOf(input.valueModel),
    };
    return withOverlapGuard(() =>
      transactional(em, async (tx) => {
        await assertNoOverlap(tx, input.periodStart, input.periodEnd, null);
        const cycle = tx.create(EvaluationCycle, {
          name: input.name.trim(),
          periodStart: input.periodStart,
          periodEnd: input.periodEnd,
          settings: settings as unknown as Record<string, unknown>,
        });
        await tx.flush();
        return cycle;
      }),
    );
  }

  update(id: string, input: UpdateEvaluationCycleInput): Promise<EvaluationCycle> {
    const { em } = this.scope;
    return withOverlapGuard(() =>
      transactional(em, async (tx) => {
        const cycle = await loadForUpdate(tx, EvaluationCycle, requireId(id, 'id'), input.version, { lock: true });
        assertNotPublished(cycle, 'edited');
        await assertNotRunning(tx, cycle.id);
        const current = settingsOf(cycle);
        const settings: CycleSettings = {
          weights: input.weights ? weightsOf(input.weights) : current.weights,
          grades: input.grades ? gradesOf(input.grades) : current.grades,
          valueModel: input.valueModel ? valueModelOf(input.valueModel) : current.valueModel,
        };
        const periodStart = input.periodStart ?? cycle.periodStart;
        const periodEnd = input.periodEnd ?? cycle.periodEnd;
        assertPeriod(periodStart, periodEnd);
        if (periodStart !== cycle.periodStart || periodEnd !== cycle.periodEnd) await assertNoOverlap(tx, periodStart, periodEnd, cycle.id);
        const redefined =
          periodStart !== cycle.periodStart || periodEnd !== cycle.periodEnd || JSON.stringify(settings) !== JSON.stringify(current);
        if (input.name != null) cycle.name = input.name.trim();
        cycle.periodStart = periodStart;
        cycle.periodEnd = periodEnd;
        cycle.settings = settings as unknown as Record<string, unknown>;
        // Results of another definition are stale: they must be computed again before publishing.
        if (redefined && cycle.status === CycleStatus.COMPUTED) cycle.status = CycleStatus.DRAFT;
        await tx.flush();
        return cycle;
      }),
    );
  }

  publish(id: string): Promise<EvaluationCycle> {
    const { em } = this.scope;
    return transactional(em, async (tx) => {
      const cycle = await lockedCycle(tx, id);
      assertNotPublished(cycle, 'published again');
      await assertNotRunning(tx, cycle.id);
      if (cycle.status !== CycleStatus.COMPUTED)
        throw new ConflictError('Compute the cycle (runEvaluationCycle) before publishing it', { status: cycle.status });
      cycle.status = CycleStatus.PUBLISHED;
      cycle.publishedAt = new Date();
      await tx.flush();
      return cycle;
    });
  }

  run(id: string): Promise<EvaluationRun | null> {
    const { em } = this.scope;
    return em.findOne(EvaluationRun, { cycle: requireId(id, 'cycleId') }, { refresh: true });
  }
}

/** The results of cycles, as the viewer may see them. */
export class EvaluationResultService {
  constructor(private readonly scope: RequestScope) {}

  /**
   * A keyset page of a cycle's results on accounts the viewer may open, in (updatedAt, id) order,
   * optionally only those changed since an instant: what a BI tool needs for incremental pulls.
   * Cursors carry the timestamp to the microsecond, so rows written in one statement never repeat.
   */
  async feed(args: EvaluationFeedArgs): Promise<Connection<Row>> {
    const { em, viewer } = this.scope;
    const cycle = await readableCycle(em, viewer, args.cycleId);
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const { where: scope } = this.feedQuery({ ...args, cycleId: cycle.id });
    const where = new Conditions();
    where.parts.push(...scope.parts);
    where.params.push(...scope.params);
    if (args.after) {
      const [updatedAt, id] = decodeCursor(args.after);
      where.add('(e.updated_at, e.id) > (?::timestamptz, ?::uuid)', updatedAt, id);
    }
    const rows = await em.execute<(Row & { __key: string })[]>(
      `select ${selectList(em.getMetadata(), Evaluation, 'e')}, ${FEED_SORT.text!('e')} as "__key"
       from evaluation e ${where.sql()} order by e.updated_at, e.id limit ${first + 1}`,
      where.params,
    );
    const edges = rows.slice(0, first).map(({ __key, ...node }) => ({ node: node as Row, cursor: encodeCursor(__key, node.id as string) }));
    return connectionOf(edges, {
      hasNextPage: rows.length > first,
      after: args.after,
      totalCount: lazyCount(em, `select count(*)::int as count from evaluation e ${scope.sql()}`, scope.params),
    });
  }

  /**
   * The feed's rows over alias `e` (the cycle's results on accounts the viewer may open, changed
   * since `updatedSince`), its order, and the gate the compiled read checks in its statement where
   * `feed` reads the cycle first: the cycle exists and the viewer may open it (`mayOpenCycle`).
   */
  feedQuery(args: EvaluationFeedArgs): {
    where: Conditions;
    sort: SortKey;
    direction: SortDirection;
    gate: { sql: string; params: unknown[] };
  } {
    const { reach, viewer } = this.scope;
    const cycleId = requireId(args.cycleId, 'cycleId');
    const where = scopeToReadableAccounts(new Conditions().add('e.cycle_id = ?', cycleId), reach, 'e.customer_id');
    if (args.updatedSince) where.add('e.updated_at >= ?', args.updatedSince);
    const published = mayOpenCycle(viewer, false) ? '' : ` and y.status = '${CycleStatus.PUBLISHED}'`;
    return {
      where,
      sort: FEED_SORT,
      direction: SortDirection.ASC,
      gate: { sql: `exists (select 1 from evaluation_cycle y where y.id = ?::uuid${published})`, params: [cycleId] },
    };
  }

  /** Quadrant, grade, value-tier and movement shares, grade transitions and the Pareto view. */
  async distribution(args: DistributionArgs): Promise<EvaluationDistribution> {
    const { em, reach, viewer } = this.scope;
    const cycle = await readableCycle(em, viewer, args.cycleId);
    const where = scopeToReadableAccounts(new Conditions().add('e.cycle_id = ?', cycle.id), reach, 'e.customer_id');
    if (args.regionId) where.add(`e.territory_id in (${REGION_SUBTREE_SQL})`, requireId(args.regionId, 'regionId'));
    const scoped = `scoped as (select e.* from evaluation e ${where.sql()})`;
    const [groups, transitions, [pareto]] = [
      await em.execute<DistributionGroup[]>(`with ${scoped} ${DISTRIBUTION_GROUPS_SQL}`, where.params),
      await em.execute<GradeTransitionRow[]>(`with ${scoped} ${DISTRIBUTION_TRANSITIONS_SQL} order by 3 desc`, where.params),
      await em.execute<ParetoRow[]>(`with ${scoped}, ${DISTRIBUTION_RANKED_SQL} ${DISTRIBUTION_PARETO_SQL}`, where.params),
    ];
    return distributionOf(cycle, groups, transitions, pareto);
  }

  /**
   * `distribution` in one statement: the cycle and the three aggregates of its results, the same
   * SQL over the same scope, and the same arithmetic after. A region id that is not an id is
   * `distribution`'s to refuse (its error depends on whether the cycle is there).
   */
  async distributionInOne(args: DistributionArgs): Promise<EvaluationDistribution> {
    const { em, reach, viewer } = this.scope;
    const cycleId = requireId(args.cycleId, 'cycleId');
    if (args.regionId && !isUuid(args.regionId)) return this.distribution(args);
    const where = scopeToReadableAccounts(new Conditions().add('e.cycle_id = ?::uuid', cycleId), reach, 'e.customer_id');
    if (args.regionId) where.add(`e.territory_id in (${REGION_SUBTREE_SQL})`, args.regionId);
    const [row] = await executePrepared<{
      cycle: { status: CycleStatus; settings: unknown } | null;
      groups: DistributionGroup[];
      transitions: GradeTransitionRow[];
      pareto: ParetoRow | null;
    }>(
      em,
      `with scoped as (select e.* from evaluation e ${where.sql()}), ${DISTRIBUTION_RANKED_SQL}
       select (select json_build_object('status', c.status, 'settings', c.settings) from evaluation_cycle c where c.id = ?::uuid) as "cycle",
         (select coalesce(json_agg(g), '[]'::json) from (${DISTRIBUTION_GROUPS_SQL}) g) as "groups",
         (select coalesce(json_agg(t order by t.count desc), '[]'::json) from (${DISTRIBUTION_TRANSITIONS_SQL}) t) as "transitions",
         (select row_to_json(p) from (${DISTRIBUTION_PARETO_SQL}) p) as "pareto"`,
      [...where.params.map((value) => value as string), cycleId],
    );
    const cycle = row?.cycle;
    if (!cycle || !mayOpenCycle(viewer, cycle.status === CycleStatus.PUBLISHED)) throw new NotFoundError('EvaluationCycle', args.cycleId);
    return distributionOf(cycle, row.groups, row.transitions, row.pareto ?? undefined);
  }
}

type DistributionGroup = { dimension: string; key: string | null; count: number };
type GradeTransitionRow = { from: string | null; to: string | null; count: number };
type ParetoRow = { top: number; topRevenue: string; totalRevenue: string };

/** Each dimension's groups over `scoped` (quadrant, grade, value tier, movement). */
const DISTRIBUTION_GROUPS_SQL = `select 'quadrant' as dimension, quadrant::text as key, count(*)::int as count from scoped group by quadrant
  union all select 'grade', grade, count(*)::int from scoped group by grade
  union all select 'tier', value_tier::text, count(*)::int from scoped group by value_tier
  union all select 'movement', movement::text, count(*)::int from scoped group by movement`;
const DISTRIBUTION_TRANSITIONS_SQL = `select previous_grade as "from", grade as "to", count(*)::int as count from scoped where movement <> 'NEW' group by 1, 2`;
const DISTRIBUTION_RANKED_SQL = `ranked as (select purchase_amount, row_number() over (order by purchase_amount desc, customer_id) as rn, count(*) over () as n from scoped)`;
const DISTRIBUTION_PARETO_SQL = `select coalesce(max(ceil(n * 0.2)), 0)::int as top, coalesce(sum(purchase_amount) filter (where rn <= ceil(n * 0.2)), 0)::text as "topRevenue",
  coalesce(sum(purchase_amount), 0)::text as "totalRevenue" from ranked`;

/** The distribution from the cycle and the aggregates of its results in scope. */
function distributionOf(
  cycle: { settings: unknown },
  groups: DistributionGroup[],
  transitions: GradeTransitionRow[],
  pareto: ParetoRow | undefined,
): EvaluationDistribution {
  const of = (dimension: string) => new Map(groups.filter((row) => row.dimension === dimension).map((row) => [row.key, row.count]));
  const quadrants = of('quadrant');
  // Every result falls in one quadrant group (null before scoring), so the groups add up to all.
  const total = [...quadrants.values()].reduce((sum, count) => sum + count, 0);
  const share = (count: number) => (total ? count / total : 0);
  const grades = of('grade');
  const tiers = of('tier');
  const movements = of('movement');
  const topRevenue = new Money(pareto?.topRevenue ?? 0);
  const totalRevenue = new Money(pareto?.totalRevenue ?? 0);
  return {
    total,
    quadrants: Object.values(Quadrant).map((quadrant) => {
      const count = quadrants.get(quadrant) ?? 0;
      const [targetMin, targetMax] = QUADRANT_TARGETS[quadrant];
      const value = share(count);
      return {
        quadrant,
        count,
        share: value,
        targetMin,
        targetMax,
        withinTarget: quadrant === Quadrant.IV ? value < targetMax : value >= targetMin && value <= targetMax,
      };
    }),
    grades: [...settingsOf(cycle).grades.map((grade) => grade.name), null].map((grade) => ({
      grade,
      count: grades.get(grade) ?? 0,
      share: share(grades.get(grade) ?? 0),
    })),
    valueTiers: [...Object.values(ValueTier), null].map((tier) => ({
      tier,
      count: tiers.get(tier) ?? 0,
      share: share(tiers.get(tier) ?? 0),
    })),
    movements: Object.values(GradeMovement).map((movement) => ({
      movement,
      count: movements.get(movement) ?? 0,
      share: share(movements.get(movement) ?? 0),
    })),
    gradeTransitions: transitions,
    pareto: {
      topCustomers: pareto?.top ?? 0,
      topRevenue: topRevenue.toFixed(2),
      totalRevenue: totalRevenue.toFixed(2),
      revenueShare: totalRevenue.gt(0) ? topRevenue.dividedBy(totalRevenue).toNumber() : null,
    },
  };
}
