import {
  AdminCreateUserDocument,
  AdminUpdateUserDocument,
  AdminUserByIdDocument,
  AdminUsersDocument,
  type AdminUserFragment,
  type CreateUserInput,
  type UpdateUserInput,
} from '../../../schema/generated/graphql';
import {
  compact,
  listOperation,
  pick,
  readOperation,
  sortBy,
  versionOf,
  writeOperation,
  type ResourceAdapter,
} from '../providers/resource';

export const userResource: ResourceAdapter<AdminUserFragment> = {
  list: listOperation(AdminUsersDocument, (data) => data.users, {
    filter: (filter) =>
      compact({
        search: filter.q?.trim(),
        role: filter.role,
        active: typeof filter.active === 'boolean' ? filter.active : undefined,
        territoryId: filter.territoryId,
      }),
    orderBy: sortBy({ name: 'NAME', email: 'EMAIL', createdAt: 'CREATED_AT' }),
  }),
  one: readOperation(AdminUserByIdDocument, (data) => data.user),
  create: writeOperation(
    AdminCreateUserDocument,
    ({ data }) => ({
      input: { ...pick(data, ['email', 'name', 'password', 'role', 'territoryIds', 'managedRegionIds'] as const) } as CreateUserInput,
    }),
    (data) => data.createUser,
  ),
  update: writeOperation(
    AdminUpdateUserDocument,
    ({ id, data, previousData }) => {
      const input = pick(data, ['name', 'role', 'active', 'territoryIds', 'managedRegionIds'] as const) as UpdateUserInput;
      if (typeof data.newPassword === 'string' && data.newPassword) input.password = data.newPassword;
      return { id: id!, input: { ...input, version: versionOf({ data, previousData }) } };
    },
    (data) => data.updateUser,
  ),
  toRecord: (node) => ({
    ...node,
    territoryIds: node.territories.map((region) => region.id),
    managedRegionIds: node.managedRegions.map((region) => region.id),
  }),
};
