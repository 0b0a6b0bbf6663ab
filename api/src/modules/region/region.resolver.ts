import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ADMINS, usersAndScope } from '../access/index.js';
import { connectionType } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import { rowOf } from '../../common/orm/columns.js';
import type { Context } from '../../context.js';
import { Scope } from '../../common/access/index.js';
import { Region } from './region.entity.js';
import type { RegionRow } from './region.rows.js';
import { REGION_CHILDREN_ORDER_BY, compiledRegion, compiledRegions } from './region.compiled.js';
import { CreateRegionInput, RegionsArgs, UpdateRegionInput } from './region.inputs.js';

export const RegionConnection = connectionType(Region, 'Region');

@Resolver(() => Region)
export class RegionResolver {
  @Authorized(usersAndScope(Scope.CUSTOMERS_READ))
  @Query(() => Region, { nullable: true })
  async region(@Arg('id', () => ID) id: string, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    const compiled = context.config.compiledReads ? await compiledRegion(context, info, id) : null;
    if (compiled) return compiled;
    return isUuid(id) ? context.loaders.byId(Region).load(id) : null;
  }

  @Authorized(usersAndScope(Scope.CUSTOMERS_READ))
  @Query(() => RegionConnection, { description: 'The territory tree, flat; filter by parent or subtree.' })
  async regions(@Args(() => RegionsArgs) args: RegionsArgs, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    // One statement for the page and its relations; the resolvers below answer what it does not compile.
    const compiled = context.config.compiledReads ? await compiledRegions(context, info, args) : null;
    if (compiled) return compiled;
    return context.services.regions.list(args);
  }

  @FieldResolver(() => Region, { nullable: true })
  parent(@Root() region: RegionRow, @Ctx() { loaders }: Context) {
    return region.parent ? loaders.byId(Region).load(region.parent) : null;
  }

  @FieldResolver(() => [Region])
  children(@Root() region: RegionRow, @Ctx() { loaders }: Context) {
    return loaders.childrenOf(Region, 'parent', REGION_CHILDREN_ORDER_BY).load(region.id);
  }

  @Authorized(ADMINS)
  @Mutation(() => Region)
  async createRegion(@Arg('input', () => CreateRegionInput) input: CreateRegionInput, @Ctx() { em, services }: Context) {
    // The payload is the row the flush wrote, as the field resolvers read every region (relations as ids).
    return rowOf(em.getMetadata(), Region, await services.regions.create(input));
  }

  @Authorized(ADMINS)
  @Mutation(() => Region, { description: 'Rename, flag or move a node; moving carries everything below it.' })
  async updateRegion(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateRegionInput) input: UpdateRegionInput,
    @Ctx() { em, services }: Context,
  ) {
    return rowOf(em.getMetadata(), Region, await services.regions.update(id, input));
  }

  @Authorized(ADMINS)
  @Mutation(() => Boolean, { description: 'Only an empty node (no sub-regions, no customers) can be deleted.' })
  deleteRegion(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() { services }: Context) {
    return services.regions.remove(id, version);
  }
}
