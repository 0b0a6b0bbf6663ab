import {
  AdminCreateRegionDocument,
  AdminDeleteRegionDocument,
  AdminRegionByIdDocument,
  AdminRegionsDocument,
  AdminUpdateRegionDocument,
  type AdminRegionFragment,
  type CreateRegionInput,
  type UpdateRegionInput,
} from '../../../schema/generated/graphql';
import {
  compact,
  deleteOperation,
  listOperation,
  pick,
  readOperation,
  sortBy,
  versionOf,
  writeOperation,
  type ResourceAdapter,
} from '../providers/resource';

export const regionResource: ResourceAdapter<AdminRegionFragment> = {
  list: listOperation(AdminRegionsDocument, (data) => data.regions, {
    filter: (filter) =>
      compact({
        search: filter.q?.trim(),
        kind: filter.kind,
        parentId: filter.parentId,
        withinId: filter.withinId,
        keyCity: typeof filter.keyCity === 'boolean' ? filter.keyCity : undefined,
      }),
    orderBy: sortBy({ path: 'PATH', name: 'NAME', code: 'CODE' }),
  }),
  one: readOperation(AdminRegionByIdDocument, (data) => data.region),
  create: writeOperation(
    AdminCreateRegionDocument,
    ({ data }) => ({
      input: {
        ...pick(data, ['code', 'name', 'nameZh', 'kind', 'keyCity'] as const),
        parentId: data.parentId || undefined,
      } as CreateRegionInput,
    }),
    (data) => data.createRegion,
  ),
  update: writeOperation(
    AdminUpdateRegionDocument,
    ({ id, data, previousData }) => ({
      id: id!,
      input: {
        ...pick(data, ['name', 'nameZh', 'keyCity', 'parentId'] as const),
        version: versionOf({ data, previousData }),
      } as UpdateRegionInput,
    }),
    (data) => data.updateRegion,
  ),
  delete: deleteOperation(AdminDeleteRegionDocument, ({ id, previousData }) => ({ id, version: versionOf({ data: {}, previousData }) })),
  toRecord: (node) => ({ ...node, parentId: node.parent?.id ?? null }),
  affects: ['customers', 'users'],
};
