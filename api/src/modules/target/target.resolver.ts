import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ANY_USER, MANAGERS } from '../access/index.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { type Context } from '../../context.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { SalesTarget } from './target.entity.js';
import { SetTargetInput, TargetsReportArgs } from './target.inputs.js';
import { TargetsReport } from './target.types.js';

@Resolver(() => SalesTarget)
export class TargetResolver {
  @Authorized(MANAGERS)
  @Mutation(() => SalesTarget, {
    description: 'Admins for any node or rep; managers within their regions. Replaces the plan of the same node and period.',
  })
  setTarget(@Arg('input', () => SetTargetInput) input: SetTargetInput, @Ctx() context: Context) {
    return context.services.targets.set(input);
  }

  @Authorized(ANY_USER)
  @Query(() => TargetsReport, {
    description: 'Plan against actual per node of the region tree (rolled up by path) and per user, within what the viewer may see.',
  })
  targetsReport(@Args(() => TargetsReportArgs) args: TargetsReportArgs, @Ctx() context: Context) {
    return context.services.targets.report(args);
  }

  @FieldResolver(() => Region, { nullable: true, description: 'The region, province or territory planned for.' })
  region(@Root() target: SalesTarget, @Ctx() { loaders }: Context) {
    const id = idOf(target.region as RelationValue);
    return id ? loaders.byId(Region).load(id) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The rep planned for.' })
  user(@Root() target: SalesTarget, @Ctx() { loaders }: Context) {
    const id = idOf(target.user as RelationValue);
    return id ? loaders.byId(User).load(id) : null;
  }
}
