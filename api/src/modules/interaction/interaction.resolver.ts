import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isUuid } from '../../common/graphql/ids.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { viewerOf, type Context } from '../../context.js';
import { Contact } from '../contact/contact.entity.js';
import { Customer } from '../customer/customer.entity.js';
import { InteractionConnection } from '../customer/customer.resolver.js';
import { User } from '../user/user.entity.js';
import { Interaction } from './interaction.entity.js';
import { InteractionsArgs, LogInteractionInput, UpdateInteractionInput } from './interaction.inputs.js';
import { InteractionService } from './interaction.service.js';

@Authorized()
@Resolver(() => Interaction)
export class InteractionResolver {
  private readonly service = new InteractionService();

  @Query(() => Interaction, { nullable: true })
  interaction(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return isUuid(id) ? loaders.byId(Interaction).load(id) : null;
  }

  @Query(() => InteractionConnection, { description: 'Newest first unless ordered otherwise.' })
  interactions(@Args(() => InteractionsArgs) args: InteractionsArgs, @Ctx() { em }: Context) {
    return this.service.list(em, args);
  }

  @FieldResolver(() => Customer)
  customer(@Root() interaction: Interaction, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(idOf(interaction.customer as RelationValue)!);
  }

  @FieldResolver(() => Contact, { nullable: true })
  contact(@Root() interaction: Interaction, @Ctx() { loaders }: Context) {
    const id = idOf(interaction.contact as RelationValue);
    return id ? loaders.byId(Contact).load(id) : null;
  }

  @FieldResolver(() => User, { description: 'Who logged it.' })
  author(@Root() interaction: Interaction, @Ctx() { loaders }: Context) {
    return loaders.byId(User).load(idOf(interaction.author as RelationValue)!);
  }

  @Mutation(() => Interaction, { description: 'Record a visit, call or after-sales event; the signed-in user is the author.' })
  logInteraction(@Arg('input', () => LogInteractionInput) input: LogInteractionInput, @Ctx() context: Context) {
    return this.service.log(context.em, viewerOf(context), input);
  }

  @Mutation(() => Interaction)
  updateInteraction(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateInteractionInput) input: UpdateInteractionInput, @Ctx() { em }: Context) {
    return this.service.update(em, id, input);
  }

  @Mutation(() => Boolean)
  deleteInteraction(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() { em }: Context) {
    return this.service.remove(em, id, version);
  }
}
