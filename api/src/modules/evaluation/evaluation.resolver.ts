import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Authorized, Ctx, FieldResolver, Float, ID, Info, Query, Resolver, Root } from 'type-graphql';
import {
  DEFAULT_PAGE_SIZE,
  PageArgs,
  SortDirection,
  connectionOf,
  connectionType,
  decodeCursor,
  encodeCursor,
  type Connection,
} from '../../common/graphql/connection.js';
import { GraphQLJSONObject } from '../../common/graphql/json.scalar.js';
import { lazy } from '../../common/graphql/thenable.js';
import { isUuid } from '../../common/graphql/ids.js';
import { selectList } from '../../common/orm/columns.js';
import { Conditions, keysetPage } from '../../common/orm/keyset.js';
import type { Loaders, Row } from '../../common/orm/loaders.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { viewerOf, type Context } from '../../context.js';
import { HIDDEN, usersAndScope } from '../access/index.js';
import { type Reach, Scope } from '../../common/access/index.js';
import { mayOpenCycle } from '../access/index.js';
import { scopeToReadableAccounts } from '../contact/index.js';
import { Customer } from '../customer/customer.entity.js';
import { compiledEvaluationCycle, compiledEvaluationCycles } from './evaluation-cycle.compiled.js';
import { CycleStatus, Evaluation, EvaluationCycle } from './evaluation.entity.js';
import { EVALUATION_MERGED_FROM_SQL } from './evaluation.lineage.js';
import type { EvaluationRow } from './evaluation.rows.js';
import { seesCompanyTotals } from './evaluation.permissions.js';

/** The standing merge link of each result the viewer may see: the record it was taken of (EVALUATION_MERGED_FROM_SQL, as the compiled read writes it) and the survivor. */
function linkByEvaluation(loaders: Loaders): DataLoader<string, { merged: string; survivor: string } | null> {
  return loaders.memo('evaluation:mergeLink', async (ids) => {
    const rows = await loaders.em.execute<{ id: string; merged: string; survivor: string }[]>(
      `select e.id, mc."from_customer_id" as merged, m."survivor_id" as survivor from unnest(?::uuid[]) as e(id)
         join "customer_merge_child" mc on mc."child_id" = e.id and mc."kind" = 'EVALUATION' join "customer_merge" m on m."id" = mc."merge_id"
        where m."undone_at" is null and mc."from_customer_id" = ${EVALUATION_MERGED_FROM_SQL('e')}`,
      [pgArray(ids)],
    );
    const byId = new Map(rows.map((row) => [row.id, { merged: row.merged, survivor: row.survivor }]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export const EvaluationCycleConnection = connectionType(EvaluationCycle, 'EvaluationCycle');
export const EvaluationConnection = connectionType(Evaluation, 'Evaluation');

@ArgsType()
class EvaluationPageArgs extends PageArgs {}

/** How many evaluations of each cycle the viewer may see. */
function visibleCount(loaders: Loaders, reach: Reach): DataLoader<string, number> {
  return loaders.memo('evaluation:visibleCount', async (ids) => {
    const where = scopeToReadableAccounts(new Conditions().add('x.cycle_id = any(?::uuid[])', pgArray(ids)), reach, 'x.customer_id');
    const rows = await loaders.em.execute<{ parent: string; count: number }[]>(
      `select x.cycle_id as parent, count(*)::int as count from evaluation x ${where.sql()} group by x.cycle_id`,
      where.params,
    );
    const counts = new Map(rows.map((row) => [row.parent, row.count]));
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

/**
 * A keyset page of each cycle's evaluations, limited to accounts the viewer may open (a rep
 * sees their own accounts' results only): all cycles in one statement, a LATERAL subquery each.
 */
function visibleEvaluations(loaders: Loaders, reach: Reach, args: EvaluationPageArgs): DataLoader<string, Connection<Row>> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  const after = args.after ? decodeCursor(args.after) : null;
  return loaders.memo(`evaluation:visiblePage:${first}:${args.after ?? ''}`, async (ids) => {
    const inner = scopeToReadableAccounts(new Conditions().add('x.cycle_id = k.parent'), reach, 'x.customer_id');
    if (after) inner.add('(x.updated_at, x.id) > (?::timestamptz, ?::uuid)', after[0], after[1]);
    const rows = await loaders.em.execute<(Row & { __parent: string })[]>(
      `select k.parent as "__parent", ${selectList(loaders.em.getMetadata(), Evaluation, 't')} from unnest(?::uuid[]) as k(parent)
       cross join lateral (select x.* from evaluation x ${inner.sql()} order by x.updated_at asc, x.id asc limit ${first + 1}) t`,
      [pgArray(ids), ...inner.params],
    );
    const grouped = new Map<string, Row[]>(ids.map((id) => [id, []]));
    for (const { __parent, ...row } of rows) grouped.get(__parent)?.push(row as Row);
    return ids.map((id) => {
      const all = grouped.get(id) ?? [];
      const nodes = all.slice(0, first);
      const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node.updatedAt, node.id) }));
      return connectionOf(edges, {
        hasNextPage: all.length > first,
        after: args.after,
        totalCount: lazy(() => visibleCount(loaders, reach).load(id)),
      });
    });
  });
}

@Resolver(() => EvaluationCycle)
export class EvaluationCycleResolver {
  @Authorized(usersAndScope(Scope.EVALUATIONS_READ))
  @Query(() => EvaluationCycle, { nullable: true })
  async evaluationCycle(@Arg('id', () => ID) id: string, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    if (!isUuid(id)) return null;
    const compiled = context.config.compiledReads ? await compiledEvaluationCycle(context, info, id) : null;
    if (compiled) return compiled;
    const cycle = await context.loaders.byId<Row & { status: CycleStatus }>(EvaluationCycle).load(id);
    return cycle && mayOpenCycle(viewerOf(context), cycle.status === CycleStatus.PUBLISHED) ? cycle : null;
  }

  @Authorized(usersAndScope(Scope.EVALUATIONS_READ))
  @Query(() => EvaluationCycleConnection, { description: 'Newest period first.' })
  async evaluationCycles(
    @Args(() => EvaluationPageArgs) args: EvaluationPageArgs,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const compiled = context.config.compiledReads ? await compiledEvaluationCycles(context, info, args) : null;
    if (compiled) return compiled;
    const where = mayOpenCycle(viewerOf(context), false) ? new Conditions() : new Conditions().add('c.status = ?', CycleStatus.PUBLISHED);
    // A date column compares with a timestamptz cursor in the session time zone, both sides alike.
    return keysetPage<EvaluationCycle>(context.em, EvaluationCycle, 'c', where, {
      first: args.first,
      after: args.after,
      sort: { property: 'periodStart', cast: 'timestamptz' },
      direction: SortDirection.DESC,
    });
  }

  @FieldResolver(() => EvaluationConnection, {
    description:
      "The cycle's results for the accounts the viewer may open, in order of last change (oldest first): a stable order for bulk pulls of a published snapshot.",
  })
  evaluations(
    @Root() cycle: EvaluationCycle,
    @Args(() => EvaluationPageArgs) args: EvaluationPageArgs,
    @Ctx() { loaders, reach }: Context,
  ) {
    return visibleEvaluations(loaders, reach, args).load(cycle.id);
  }
}

@Resolver(() => Evaluation)
export class EvaluationResolver {
  @FieldResolver(() => Float, { nullable: true })
  contribution(@Root() evaluation: EvaluationRow, @Ctx() { reach }: Context): number | null {
    if (!seesCompanyTotals(reach)) throw HIDDEN;
    return evaluation.contribution;
  }

  @FieldResolver(() => Float, { nullable: true })
  score(@Root() evaluation: EvaluationRow, @Ctx() { reach }: Context): number | null {
    if (!seesCompanyTotals(reach)) throw HIDDEN;
    return evaluation.score;
  }

  @FieldResolver(() => GraphQLJSONObject, { nullable: true })
  metrics(@Root() evaluation: EvaluationRow, @Ctx() { reach }: Context): Record<string, unknown> | null {
    const metrics = evaluation.metrics ?? null;
    if (seesCompanyTotals(reach) || metrics === null || !('normalized' in metrics)) return metrics;
    return { ...metrics, normalized: null };
  }

  @FieldResolver(() => EvaluationCycle)
  cycle(@Root() evaluation: EvaluationRow, @Ctx() { loaders }: Context) {
    return loaders.byId(EvaluationCycle).load(evaluation.cycle);
  }

  @FieldResolver(() => Customer, {
    description: 'The account the result belongs to: for a result of a record merged into another (mergedFrom), the survivor.',
  })
  async customer(@Root() evaluation: EvaluationRow, @Ctx() { loaders }: Context) {
    // A linked result is read through its survivor (evaluation_read): the merged record itself may be closed to the reader.
    const link = await linkByEvaluation(loaders).load(evaluation.id);
    return loaders.byId(Customer).load(link?.survivor ?? evaluation.customer);
  }

  @FieldResolver(() => ID, {
    nullable: true,
    description:
      'The record this result was taken of, when that record has since been merged into the account listing it (the result is linked, not moved: published cycles are immutable); null for the account’s own results.',
  })
  async mergedFrom(@Root() evaluation: EvaluationRow, @Ctx() { loaders }: Context) {
    return (await linkByEvaluation(loaders).load(evaluation.id))?.merged ?? null;
  }
}
