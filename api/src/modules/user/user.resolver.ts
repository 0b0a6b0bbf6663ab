import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ADMINS, ANY_USER, MANAGERS } from '../access/index.js';
import { connectionType } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import type { Context } from '../../context.js';
import { Region } from '../region/region.entity.js';
import { rowOf } from '../../common/orm/columns.js';
import { User } from './user.entity.js';
import type { UserRow } from './user.rows.js';
import { USER_REGIONS_ORDER_BY, compiledUser, compiledUsers } from './user.compiled.js';
import { CreateUserInput, UpdateUserInput, UsersArgs } from './user.inputs.js';

export const UserConnection = connectionType(User, 'User');

@Resolver(() => User)
export class UserResolver {
  @Authorized(ANY_USER)
  @Query(() => User, { nullable: true })
  async user(@Arg('id', () => ID) id: string, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    const compiled = context.config.compiledReads ? await compiledUser(context, info, id) : null;
    if (compiled) return compiled;
    return isUuid(id) ? context.loaders.byId(User).load(id) : null;
  }

  @Authorized(MANAGERS)
  @Query(() => UserConnection)
  async users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    // One statement for the page and its regions; the resolvers below answer what it does not compile.
    const compiled = context.config.compiledReads ? await compiledUsers(context, info, args) : null;
    if (compiled) return compiled;
    return context.services.users.list(args);
  }

  @FieldResolver(() => [Region], { description: 'Managers: the regions they oversee (with everything below).' })
  managedRegions(@Root() user: UserRow, @Ctx() { loaders }: Context) {
    return loaders.throughPivot(Region, 'user_managed_region', 'user_id', 'region_id', USER_REGIONS_ORDER_BY).load(user.id);
  }

  @FieldResolver(() => [Region], { description: 'Reps: the territories they work in.' })
  territories(@Root() user: UserRow, @Ctx() { loaders }: Context) {
    return loaders.throughPivot(Region, 'user_territory', 'user_id', 'region_id', USER_REGIONS_ORDER_BY).load(user.id);
  }

  @Authorized(ADMINS)
  @Mutation(() => User)
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() { em, services }: Context) {
    // The payload is the row the flush wrote, as the field resolvers read every user.
    return rowOf(em.getMetadata(), User, await services.users.create(input));
  }

  @Authorized(ADMINS)
  @Mutation(() => User, { description: 'Change role, memberships, password, or deactivate (active: false).' })
  async updateUser(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateUserInput) input: UpdateUserInput,
    @Ctx() { em, services }: Context,
  ) {
    return rowOf(em.getMetadata(), User, await services.users.update(id, input));
  }

  @Authorized(ADMINS)
  @Mutation(() => User, {
    description:
      'Signs the user out everywhere: every token issued to them so far stops working (a password change, a role change and deactivation do this too).',
  })
  async revokeUserSessions(@Arg('userId', () => ID) userId: string, @Ctx() { loaders, services }: Context) {
    await services.users.endSessions(userId);
    return loaders.byId(User).load(userId);
  }
}
