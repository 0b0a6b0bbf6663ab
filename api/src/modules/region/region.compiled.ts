import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import type { FieldCompiler } from '../../common/graphql/compile/json-sql.js';
import { allowJsonText, type JsonText } from '../../common/graphql/compile/json-text.js';
import { OPEN_ROW, compiledPage, openPagePlan } from '../../common/graphql/compile/page.js';
import type { CompiledObject } from '../../common/graphql/compile/passthrough.js';
import { compiledRecord, openRecordPlan } from '../../common/graphql/compile/record.js';
import type { Context } from '../../context.js';
import type { RegionsArgs } from './region.inputs.js';

/** region.resolver `children`'s order (codes are unique across the tree). */
export const REGION_CHILDREN_ORDER_BY = 't.code';

/** The relations of a region as region.resolver answers them: its parent by id, its children in code order. */
export const REGION_FIELDS: ReadonlyMap<string, FieldCompiler> = new Map<string, FieldCompiler>([
  [
    'Region.parent',
    (compiler, field, source, post) => compiler.toOne(field, 'Region', `${source.alias}."${compiler.column('Region', 'parent')}"`, post),
  ],
  [
    'Region.children',
    (compiler, field, source, post) =>
      compiler.children(
        field,
        {
          entity: 'Region',
          parent: 'parent',
          parentId: `${source.alias}."id"`,
          orderBy: REGION_CHILDREN_ORDER_BY,
          type: compiler.scope.schema.getType('Region') as GraphQLObjectType,
        },
        post,
      ),
  ],
]);

/**
 * A `regions` page as the compiled statement builds it: the same rows, order, cursors and count
 * as `RegionService.list`, with parents and children, or null where the resolvers must answer (a
 * field the compiler does not know, a cursor they would refuse). Nothing of a region is masked.
 */
export async function compiledRegions(
  context: Context,
  info: GraphQLResolveInfo,
  args: RegionsArgs,
): Promise<CompiledObject | JsonText | null> {
  return compiledPage(
    context,
    info,
    args,
    () => ({ ...context.services.regions.listQuery(args), entity: 'Region', alias: 'r', level: OPEN_ROW }),
    (root) => openPagePlan(context, info, root, REGION_FIELDS),
  );
}

/** `region(id)` as the compiled statement builds it, with the relations a `regions` page compiles; null where there is no such region, as the resolvers answer. */
export function compiledRegion(context: Context, info: GraphQLResolveInfo, id: string): Promise<CompiledObject | JsonText | null> {
  return compiledRecord(context, info, id, () =>
    openRecordPlan(context, info, { entity: 'Region', alias: 'r', level: OPEN_ROW }, REGION_FIELDS),
  );
}

allowJsonText('regions');
allowJsonText('region');
