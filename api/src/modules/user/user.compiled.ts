import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import type { FieldCompiler } from '../../common/graphql/compile/json-sql.js';
import { allowJsonText, type JsonText } from '../../common/graphql/compile/json-text.js';
import { OPEN_ROW, compiledPage, openPagePlan } from '../../common/graphql/compile/page.js';
import type { CompiledObject } from '../../common/graphql/compile/passthrough.js';
import { compiledRecord, openRecordPlan } from '../../common/graphql/compile/record.js';
import { viewerOf, type Context } from '../../context.js';
import { REGION_FIELDS } from '../region/index.js';
import type { UsersArgs } from './user.inputs.js';

/** user.resolver's pivot lists, in its order (paths are unique). */
const REGIONS_THROUGH: Record<string, string> = { managedRegions: 'user_managed_region', territories: 'user_territory' };
export const USER_REGIONS_ORDER_BY = 't.path';

const USER_FIELDS = new Map<string, FieldCompiler>([
  ...REGION_FIELDS,
  ...Object.entries(REGIONS_THROUGH).map(([name, pivot]): [string, FieldCompiler] => [
    `User.${name}`,
    (compiler, field, source, post) =>
      compiler.throughPivot(
        field,
        {
          entity: 'Region',
          pivot,
          ownerColumn: 'user_id',
          targetColumn: 'region_id',
          ownerId: `${source.alias}."id"`,
          orderBy: USER_REGIONS_ORDER_BY,
          type: compiler.scope.schema.getType('Region') as GraphQLObjectType,
        },
        post,
      ),
  ]),
]);

/**
 * A `users` page as the compiled statement builds it: the same rows, order, cursors and count as
 * `UserService.list`, with their territories and managed regions, or null where the resolvers
 * must answer. The operation is for managers and admins, who see every user in full.
 */
export async function compiledUsers(
  context: Context,
  info: GraphQLResolveInfo,
  args: UsersArgs,
): Promise<CompiledObject | JsonText | null> {
  return compiledPage(
    context,
    info,
    args,
    () => ({ ...context.services.users.listQuery(args), entity: 'User', alias: 'u', level: OPEN_ROW }),
    (root) => openPagePlan(context, info, root, USER_FIELDS),
  );
}

/** `user(id)` as the compiled statement builds it, with the relations a `users` page compiles; or null where the resolvers must answer (they answer null where there is no such user). */
export function compiledUser(context: Context, info: GraphQLResolveInfo, id: string): Promise<CompiledObject | JsonText | null> {
  return compiledRecord(context, info, id, () =>
    openRecordPlan(context, info, { entity: 'User', alias: 'u', level: OPEN_ROW }, USER_FIELDS),
  );
}

/** `me` as the compiled statement builds it: `user(id)` of the signed-in user, whose row is there for the session to exist. */
export function compiledMe(context: Context, info: GraphQLResolveInfo): Promise<CompiledObject | JsonText | null> {
  return compiledUser(context, info, viewerOf(context).id);
}

allowJsonText('users');
allowJsonText('user');
allowJsonText('me');
