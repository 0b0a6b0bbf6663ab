import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isUuid } from '../../common/graphql/ids.js';
import { readBack } from '../../common/orm/loaders.js';
import { viewerOf, type Context } from '../../context.js';
import { HIDDEN, usersAndScope } from '../access/index.js';
import { hasScope } from '../access/index.js';
import { Scope } from '../../common/access/index.js';
import { Contact } from '../contact/contact.entity.js';
import { readableById } from '../contact/index.js';
import { Customer } from '../customer/customer.entity.js';
import { InteractionConnection, compiledFollowUps, compiledInteraction, compiledInteractions } from '../customer/index.js';
import { User } from '../user/user.entity.js';
import { Interaction } from './interaction.entity.js';
import type { InteractionRow } from './interaction.rows.js';
import { FollowUpsArgs, InteractionsArgs, LogInteractionInput, UpdateInteractionInput } from './interaction.inputs.js';

@Resolver(() => Interaction)
export class InteractionResolver {
  @Authorized(usersAndScope(Scope.INTERACTIONS_READ))
  @Query(() => Interaction, { nullable: true, description: 'Null unless the viewer may open the account.' })
  async interaction(@Arg('id', () => ID) id: string, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    const compiled = context.config.compiledReads ? await compiledInteraction(context, info, id) : null;
    if (compiled) return compiled;
    return isUuid(id) ? readableById(context.loaders, context.reach, Interaction).load(id) : null;
  }

  @Authorized(usersAndScope(Scope.INTERACTIONS_READ))
  @Query(() => InteractionConnection, {
    description: 'Interactions on the accounts the viewer may open; newest first unless ordered otherwise.',
  })
  async interactions(@Args(() => InteractionsArgs) args: InteractionsArgs, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    // One statement where the page needs no masking; the resolvers below answer the rest.
    const compiled = context.config.compiledReads ? await compiledInteractions(context, info, args) : null;
    if (compiled) return compiled;
    return context.services.interactions.list(args);
  }

  @Authorized(usersAndScope(Scope.INTERACTIONS_READ))
  @Query(() => InteractionConnection, {
    description:
      "Follow-ups (followUpOn) due before a date, overdue ones included, soonest first: a user's on the accounts they own; an API key's on the accounts it may open.",
  })
  async followUps(@Args(() => FollowUpsArgs) args: FollowUpsArgs, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    const compiled = context.config.compiledReads ? await compiledFollowUps(context, info, args) : null;
    if (compiled) return compiled;
    return context.services.interactions.followUps(args);
  }

  @FieldResolver(() => Customer)
  customer(@Root() interaction: InteractionRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(interaction.customer);
  }

  @FieldResolver(() => Contact, { nullable: true, description: 'Hidden from API keys without contacts:read.' })
  contact(@Root() interaction: InteractionRow, @Ctx() context: Context) {
    // Hidden before it is known whether there is one: a null would tell a key without the scope
    // that the interaction has no contact.
    if (!hasScope(viewerOf(context), Scope.CONTACTS_READ)) throw HIDDEN;
    return interaction.contact ? context.loaders.byId(Contact).load(interaction.contact) : null;
  }

  @FieldResolver(() => User, {
    description:
      "Who logged it. An interaction an integration pushed with an API key is attributed to the account's owner at the time; the key is not a user.",
  })
  author(@Root() interaction: InteractionRow, @Ctx() { loaders }: Context) {
    return loaders.byId(User).load(interaction.author);
  }

  @Authorized(usersAndScope(Scope.INTERACTIONS_WRITE))
  @Mutation(() => Interaction, {
    description: "Record a visit, call or after-sales event. The signed-in user is the author; with an API key, the account's owner is.",
  })
  async logInteraction(@Arg('input', () => LogInteractionInput) input: LogInteractionInput, @Ctx() context: Context) {
    return context.services.interactions.log(input);
  }

  @Authorized(usersAndScope(Scope.INTERACTIONS_WRITE))
  @Mutation(() => Interaction)
  async updateInteraction(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateInteractionInput) input: UpdateInteractionInput,
    @Ctx() context: Context,
  ) {
    await context.services.interactions.update(id, input);
    return readBack(context.loaders, Interaction, id, (fresh) => readableById(fresh, context.reach, Interaction));
  }

  @Authorized(usersAndScope(Scope.INTERACTIONS_WRITE))
  @Mutation(() => Boolean)
  deleteInteraction(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() context: Context) {
    return context.services.interactions.remove(id, version);
  }
}
