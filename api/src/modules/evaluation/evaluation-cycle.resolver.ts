import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, Float, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { compiledRead } from '../../common/graphql/compile/passthrough.js';
import { ADMINS, usersAndScope } from '../access/index.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { type Context } from '../../context.js';
import { Scope } from '../../common/access/index.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { CreateEvaluationCycleInput, DistributionArgs, EvaluationFeedArgs, UpdateEvaluationCycleInput } from './evaluation-cycle.inputs.js';
import { settingsOf } from './evaluation-cycle.service.js';
import { EvaluationDistribution, EvaluationWeights, GradeThreshold, ValueModel } from './evaluation-cycle.types.js';
import { RunStatus } from './evaluation-cycle.enums.js';
import { EvaluationRun } from './evaluation-run.entity.js';
import { beginRun, etaSeconds, executeRun } from './evaluation-run.service.js';
import { Evaluation, EvaluationCycle } from './evaluation.entity.js';
import { EvaluationConnection } from './evaluation.resolver.js';
import type { EvaluationRow } from './evaluation.rows.js';

/** Defining, computing and publishing cycles (admins), and the cycle's definition and progress. */
@Resolver(() => EvaluationCycle)
export class EvaluationCycleAdminResolver {
  @Authorized(ADMINS)
  @Mutation(() => EvaluationCycle, {
    description: 'A new DRAFT cycle. Bad periods, weights or thresholds fail with BAD_USER_INPUT naming the field.',
  })
  createEvaluationCycle(@Arg('input', () => CreateEvaluationCycleInput) input: CreateEvaluationCycleInput, @Ctx() { services }: Context) {
    return services.evaluationCycles.create(input);
  }

  @Authorized(ADMINS)
  @Mutation(() => EvaluationCycle, {
    description:
      'DRAFT and COMPUTED cycles only (a PUBLISHED one fails with CONFLICT); a changed definition sends a COMPUTED cycle back to DRAFT.',
  })
  updateEvaluationCycle(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateEvaluationCycleInput) input: UpdateEvaluationCycleInput,
    @Ctx() { services }: Context,
  ) {
    return services.evaluationCycles.update(id, input);
  }

  @Authorized(ADMINS)
  @Mutation(() => EvaluationRun, {
    description:
      'Computes every customer of the cycle in the background; follow it with evaluationRun. Not for PUBLISHED cycles (CONFLICT).',
  })
  async runEvaluationCycle(@Arg('id', () => ID) id: string, @Ctx() { em, logger, background }: Context) {
    const { run, token } = await beginRun(em, id);
    // The run uses connections of its own and starts once this request has committed.
    const own = em.fork();
    background.start((signal) => executeRun(own, run.cycle.id, token, { logger, signal }));
    return run;
  }

  @Authorized(ADMINS)
  @Mutation(() => EvaluationCycle, { description: 'COMPUTED → PUBLISHED. A published cycle never changes again.' })
  publishEvaluationCycle(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return services.evaluationCycles.publish(id);
  }

  @Authorized(ADMINS)
  @Query(() => EvaluationRun, { nullable: true, description: 'Progress of the latest computation of a cycle; null if it was never run.' })
  evaluationRun(@Arg('cycleId', () => ID) cycleId: string, @Ctx() { services }: Context) {
    return services.evaluationCycles.run(cycleId);
  }

  @Authorized(usersAndScope(Scope.EVALUATIONS_READ))
  @Query(() => EvaluationDistribution, {
    description:
      'Quadrant shares against the healthy targets, grades, value tiers, movement and Pareto, over the accounts the viewer may open.',
  })
  evaluationDistribution(@Args(() => DistributionArgs) args: DistributionArgs, @Ctx() context: Context) {
    // One statement for the cycle and its aggregates where reads are compiled; the resolvers' three otherwise.
    if (context.config.compiledReads) return context.services.evaluationResults.distributionInOne(args);
    return context.services.evaluationResults.distribution(args);
  }

  @FieldResolver(() => EvaluationWeights)
  weights(@Root() cycle: EvaluationCycle): EvaluationWeights {
    return settingsOf(cycle).weights;
  }

  @FieldResolver(() => [GradeThreshold], { description: 'Best grade first.' })
  grades(@Root() cycle: EvaluationCycle): GradeThreshold[] {
    return settingsOf(cycle).grades;
  }

  @FieldResolver(() => ValueModel)
  valueModel(@Root() cycle: EvaluationCycle): ValueModel {
    return settingsOf(cycle).valueModel;
  }
}

@Resolver(() => EvaluationRun)
export class EvaluationRunResolver {
  @FieldResolver(() => ID)
  cycleId(@Root() run: EvaluationRun): string {
    return idOf(run.cycle as RelationValue)!;
  }

  @FieldResolver(() => Float, { description: 'Share done, 0–1.' })
  share(@Root() run: EvaluationRun): number {
    if (run.status === RunStatus.DONE) return 1;
    return run.total > 0 ? Math.min(1, run.done / run.total) : 0;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Seconds left at the pace so far; null when not running or before the first batch.',
  })
  etaSeconds(@Root() run: EvaluationRun): number | null {
    return etaSeconds(run);
  }
}

/** Bulk, incremental reads of results for BI tools, and the period-end placement of each result. */
@Resolver(() => Evaluation)
export class EvaluationFeedResolver {
  @Authorized(usersAndScope(Scope.EVALUATIONS_READ))
  @Query(() => EvaluationConnection, {
    description:
      "A cycle's results on the accounts the viewer may open, in (updatedAt, id) order with keyset cursors; pass updatedSince for incremental pulls. API keys see published cycles only.",
  })
  async evaluations(@Args(() => EvaluationFeedArgs) args: EvaluationFeedArgs, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    // One statement where the page needs no masking beyond the company-wide figures; the resolvers below answer the rest.
    const compiled = context.config.compiledReads ? await compiledRead<EvaluationFeedArgs>('evaluations')?.(context, info, args) : null;
    if (compiled) return compiled;
    return context.services.evaluationResults.feed(args);
  }

  @FieldResolver(() => Region, { nullable: true, description: 'Territory at the end of the period.' })
  territory(@Root() evaluation: EvaluationRow, @Ctx() { loaders }: Context) {
    return evaluation.territoryId ? loaders.byId(Region).load(evaluation.territoryId) : null;
  }

  @FieldResolver(() => Region, { nullable: true, description: 'Top-level region of the territory at the end of the period.' })
  region(@Root() evaluation: EvaluationRow, @Ctx() { loaders }: Context) {
    return evaluation.regionId ? loaders.byId(Region).load(evaluation.regionId) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Owner at the end of the period.' })
  owner(@Root() evaluation: EvaluationRow, @Ctx() { loaders }: Context) {
    return evaluation.ownerId ? loaders.byId(User).load(evaluation.ownerId) : null;
  }
}
