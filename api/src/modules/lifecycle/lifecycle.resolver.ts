import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { PageArgs } from '../../common/graphql/connection.js';
import { transactional } from '../../common/orm/transaction.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { type Context } from '../../context.js';
import { assertReadable, ADMINS, ANY_USER, MANAGERS, usersAndScope } from '../access/index.js';
import { Scope } from '../../common/access/index.js';
import { Customer } from '../customer/customer.entity.js';
import { User } from '../user/user.entity.js';
import { LifecycleAlert, LifecycleChangeRequest, LifecycleTransition, StageSla } from './lifecycle.entity.js';
import {
  ChangeLifecycleStageInput,
  DecideStageChangeArgs,
  FunnelArgs,
  LifecycleBreakdownArgs,
  OverdueCustomersArgs,
  SetStageSlaArgs,
  StageChangeRequestsArgs,
} from './lifecycle.inputs.js';
import { dormancyDays, runLifecycleChecks } from './lifecycle.service.js';
import type { MaskedCustomerRow } from '../customer/index.js';
import {
  LifecycleAlertConnection,
  LifecycleBreakdownGroup,
  LifecycleChangeRequestConnection,
  LifecycleCheckResult,
  LifecycleFunnel,
  LifecycleSettings,
  OverdueCustomerConnection,
  StageChangeResult,
} from './lifecycle.types.js';

@ArgsType()
class LifecyclePageArgs extends PageArgs {}

@ArgsType()
class DormancyArgs {
  @Field(() => Int)
  @Min(1, { message: 'days must be 1–3650' })
  @Max(3650, { message: 'days must be 1–3650' })
  days!: number;
}

const userOf = (context: Context, value: unknown) => {
  const id = idOf(value as RelationValue);
  return id ? context.loaders.byId(User).load(id) : null;
};

@Resolver()
export class LifecycleResolver {
  @Authorized(ANY_USER)
  @Mutation(() => StageChangeResult, {
    description:
      'The owner moves a customer one stage forward at once; managers of the region and admins move it anywhere at once. Anything else (backwards, skipping) becomes a request for a manager.',
  })
  changeLifecycleStage(@Arg('input', () => ChangeLifecycleStageInput) input: ChangeLifecycleStageInput, @Ctx() context: Context) {
    return context.services.lifecycle.changeStage(input);
  }

  @Authorized(MANAGERS)
  @Mutation(() => LifecycleChangeRequest, {
    description: 'A manager of the region or an admin approves a pending stage change; the stage changes now.',
  })
  approveStageChange(@Args(() => DecideStageChangeArgs) args: DecideStageChangeArgs, @Ctx() context: Context) {
    return context.services.lifecycle.decide(args.requestId, true, args.comment);
  }

  @Authorized(MANAGERS)
  @Mutation(() => LifecycleChangeRequest)
  rejectStageChange(@Args(() => DecideStageChangeArgs) args: DecideStageChangeArgs, @Ctx() context: Context) {
    return context.services.lifecycle.decide(args.requestId, false, args.comment);
  }

  @Authorized(ADMINS)
  @Mutation(() => LifecycleCheckResult, { description: 'Runs the scheduled check now: inactive customers to DORMANT, SLA alerts raised.' })
  runInactivityCheck(@Ctx() { em }: Context) {
    return transactional(em, (tx) => runLifecycleChecks(tx));
  }

  @Authorized(ADMINS)
  @Mutation(() => StageSla, { nullable: true, description: 'Sets the expected maximum dwell time of a stage; null maxDays removes it.' })
  setStageSla(@Args(() => SetStageSlaArgs) args: SetStageSlaArgs, @Ctx() context: Context) {
    return context.services.lifecycle.setStageSla(args.stage, args.maxDays);
  }

  @Authorized(ADMINS)
  @Mutation(() => LifecycleSettings, { description: 'Days without an order or an interaction after which a customer becomes DORMANT.' })
  async setDormancyPeriod(@Args(() => DormancyArgs) args: DormancyArgs, @Ctx() context: Context): Promise<LifecycleSettings> {
    return { dormantAfterDays: await context.services.lifecycle.setDormancyPeriod(args.days) };
  }

  @Authorized(ANY_USER)
  @Query(() => [StageSla])
  stageSlas(@Ctx() { em }: Context) {
    return em.find(StageSla, {}, { orderBy: { stage: 'asc' } });
  }

  @Authorized(ANY_USER)
  @Query(() => LifecycleSettings)
  async lifecycleSettings(@Ctx() { em }: Context): Promise<LifecycleSettings> {
    return { dormantAfterDays: await dormancyDays(em) };
  }

  @Authorized(ANY_USER)
  @Query(() => OverdueCustomerConnection, {
    description: "Accounts the viewer may open that stay in their stage past its SLA, longest overdue first; optionally one owner's.",
  })
  overdueCustomers(@Args(() => OverdueCustomersArgs) args: OverdueCustomersArgs, @Ctx() { services }: Context) {
    return services.lifecycle.overdue(args);
  }

  @Authorized(ANY_USER)
  @Query(() => LifecycleAlertConnection, {
    description: 'SLA alerts, newest first: a rep sees those of the accounts they own, a manager those of their regions.',
  })
  lifecycleAlerts(@Args(() => LifecyclePageArgs) args: LifecyclePageArgs, @Ctx() context: Context) {
    return context.services.lifecycle.alerts(args);
  }

  @Authorized(ANY_USER)
  @Query(() => LifecycleChangeRequestConnection, {
    description: 'Stage change requests, newest first (default: pending), on accounts the viewer may open.',
  })
  lifecycleChangeRequests(@Args(() => StageChangeRequestsArgs) args: StageChangeRequestsArgs, @Ctx() context: Context) {
    return context.services.lifecycle.requests(args);
  }

  @Authorized(ANY_USER)
  @Query(() => LifecycleFunnel, {
    description: 'The funnel over the accounts the viewer may open, optionally narrowed to a region, a territory or an owner.',
  })
  lifecycleFunnel(@Args(() => FunnelArgs) args: FunnelArgs, @Ctx() { services }: Context) {
    return services.lifecycle.funnel(args);
  }

  @Authorized(ANY_USER)
  @Query(() => [LifecycleBreakdownGroup], {
    description:
      'Customers per stage now, by province or by owner, over the accounts the viewer may open (a manager: their regions); largest groups first.',
  })
  lifecycleBreakdown(@Args(() => LifecycleBreakdownArgs) args: LifecycleBreakdownArgs, @Ctx() { services }: Context) {
    return services.lifecycle.breakdown(args);
  }
}

@Resolver(() => Customer)
export class CustomerLifecycleResolver {
  @Authorized(usersAndScope(Scope.CUSTOMERS_READ))
  @FieldResolver(() => [LifecycleTransition], { nullable: true, description: 'Every stage change, oldest first (profile group).' })
  lifecycleHistory(@Root() customer: MaskedCustomerRow, @Ctx() { loaders }: Context) {
    assertReadable(customer, 'profile');
    return loaders.childrenOf(LifecycleTransition, 'customer', 't.at, t.id').load(customer.id);
  }
}

@Resolver(() => LifecycleTransition)
export class LifecycleTransitionResolver {
  @FieldResolver(() => User, { nullable: true, description: 'Who made the change; null for the inactivity job and API keys.' })
  actor(@Root() transition: LifecycleTransition, @Ctx() context: Context) {
    return userOf(context, transition.actor);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who approved a manual change that needed approval.' })
  approver(@Root() transition: LifecycleTransition, @Ctx() context: Context) {
    return userOf(context, transition.approver);
  }
}

@Resolver(() => LifecycleChangeRequest)
export class LifecycleChangeRequestResolver {
  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() request: LifecycleChangeRequest, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(idOf(request.customer as RelationValue)!);
  }

  @FieldResolver(() => User)
  requestedBy(@Root() request: LifecycleChangeRequest, @Ctx() context: Context) {
    return userOf(context, request.requestedBy);
  }

  @FieldResolver(() => User, { nullable: true })
  decidedBy(@Root() request: LifecycleChangeRequest, @Ctx() context: Context) {
    return userOf(context, request.decidedBy);
  }
}

@Resolver(() => LifecycleAlert)
export class LifecycleAlertResolver {
  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() alert: LifecycleAlert, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(idOf(alert.customer as RelationValue)!);
  }

  @FieldResolver(() => User, { description: 'The owner when the alert was raised.' })
  owner(@Root() alert: LifecycleAlert, @Ctx() context: Context) {
    return userOf(context, alert.owner);
  }
}
