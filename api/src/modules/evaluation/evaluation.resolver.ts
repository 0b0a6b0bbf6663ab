import { Arg, Args, ArgsType, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, SortDirection, connectionType } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import { Conditions, keysetPage } from '../../common/orm/keyset.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import type { Context } from '../../context.js';
import { Customer } from '../customer/customer.entity.js';
import { Evaluation, EvaluationCycle } from './evaluation.entity.js';

export const EvaluationCycleConnection = connectionType(EvaluationCycle, 'EvaluationCycle');
export const EvaluationConnection = connectionType(Evaluation, 'Evaluation');

@ArgsType()
class EvaluationPageArgs extends PageArgs {}

@Authorized()
@Resolver(() => EvaluationCycle)
export class EvaluationCycleResolver {
  @Query(() => EvaluationCycle, { nullable: true })
  evaluationCycle(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return isUuid(id) ? loaders.byId(EvaluationCycle).load(id) : null;
  }

  @Query(() => EvaluationCycleConnection, { description: 'Newest period first.' })
  evaluationCycles(@Args(() => EvaluationPageArgs) args: EvaluationPageArgs, @Ctx() { em }: Context) {
    // A date column compares with a timestamptz cursor in the session time zone, both sides alike.
    return keysetPage<EvaluationCycle>(em, EvaluationCycle, 'c', new Conditions(), {
      first: args.first,
      after: args.after,
      sort: { property: 'periodStart', cast: 'timestamptz' },
      direction: SortDirection.DESC,
    });
  }

  @FieldResolver(() => EvaluationConnection, {
    description: "The cycle's results, in order of last change (oldest first): a stable order for bulk pulls of a published snapshot.",
  })
  evaluations(@Root() cycle: EvaluationCycle, @Args(() => EvaluationPageArgs) args: EvaluationPageArgs, @Ctx() { loaders }: Context) {
    return loaders.pageOf(Evaluation, { parent: 'cycle', sort: 'updatedAt', cast: 'timestamptz', direction: SortDirection.ASC, first: args.first, after: args.after }).load(cycle.id);
  }
}

@Authorized()
@Resolver(() => Evaluation)
export class EvaluationResolver {
  @FieldResolver(() => EvaluationCycle)
  cycle(@Root() evaluation: Evaluation, @Ctx() { loaders }: Context) {
    return loaders.byId(EvaluationCycle).load(idOf(evaluation.cycle as RelationValue)!);
  }

  @FieldResolver(() => Customer)
  customer(@Root() evaluation: Evaluation, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(idOf(evaluation.customer as RelationValue)!);
  }
}
