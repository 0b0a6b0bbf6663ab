import {
  AdminContactByIdDocument,
  AdminContactsDocument,
  AdminCreateContactDocument,
  AdminDeleteContactDocument,
  AdminUpdateContactDocument,
  type AdminContactFragment,
  type CreateContactInput,
  type UpdateContactInput,
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

const FIELDS = ['name', 'title', 'decisionRole', 'email', 'mobile', 'phone', 'preferredChannel', 'preferredFrequency', 'consent'] as const;

function imHandlesOf(data: Record<string, any>) {
  if (!Array.isArray(data.imHandles)) return undefined;
  return data.imHandles
    .filter((h: { network?: string; handle?: string } | null) => h?.network?.trim() && h.handle?.trim())
    .map((h: { network: string; handle: string }) => ({ network: h.network.trim(), handle: h.handle.trim() }));
}

export const contactResource: ResourceAdapter<AdminContactFragment> = {
  list: listOperation(AdminContactsDocument, (data) => data.contacts, {
    filter: (filter) =>
      compact({
        search: filter.q?.trim(),
        customerId: filter.customerId,
        decisionRole: filter.decisionRole,
        consent: typeof filter.consent === 'boolean' ? filter.consent : undefined,
      }),
    orderBy: sortBy({ name: 'NAME', createdAt: 'CREATED_AT', updatedAt: 'UPDATED_AT' }),
  }),
  one: readOperation(AdminContactByIdDocument, (data) => data.contact),
  create: writeOperation(
    AdminCreateContactDocument,
    ({ data }) => ({ input: { ...pick(data, FIELDS), customerId: data.customerId, imHandles: imHandlesOf(data) } as CreateContactInput }),
    (data) => data.createContact,
  ),
  update: writeOperation(
    AdminUpdateContactDocument,
    ({ id, data, previousData }) => ({
      id: id!,
      input: { ...pick(data, FIELDS), imHandles: imHandlesOf(data), version: versionOf({ data, previousData }) } as UpdateContactInput,
    }),
    (data) => data.updateContact,
  ),
  delete: deleteOperation(AdminDeleteContactDocument, ({ id, previousData }) => ({ id, version: versionOf({ data: {}, previousData }) })),
  toRecord: (node) => ({ ...node, customerId: node.customer.id }),
  affects: ['customers'],
};
