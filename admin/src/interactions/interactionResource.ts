import {
  AdminDeleteInteractionDocument,
  AdminInteractionByIdDocument,
  AdminInteractionsDocument,
  AdminLogInteractionDocument,
  AdminUpdateInteractionDocument,
  type AdminInteractionFragment,
  type LogInteractionInput,
  type UpdateInteractionInput,
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

const FIELDS = ['kind', 'channel', 'summary', 'outcome', 'nextStep', 'followUpOn', 'contactId'] as const;

function toIso(value: unknown): string | undefined {
  if (!value) return undefined;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function asList<T>(value: T | T[] | undefined): T[] | undefined {
  if (value === undefined || value === null || (value as unknown) === '') return undefined;
  return Array.isArray(value) ? value : [value];
}

export const interactionResource: ResourceAdapter<AdminInteractionFragment> = {
  list: listOperation(AdminInteractionsDocument, (data) => data.interactions, {
    filter: (filter) =>
      compact({
        customerId: filter.customerId,
        contactId: filter.contactId,
        authorId: filter.authorId,
        kinds: asList(filter.kind),
        channels: asList(filter.channel),
        occurredAfter: toIso(filter.occurredAfter),
        occurredBefore: toIso(filter.occurredBefore),
        followUpDueBy: filter.followUpDueBy || undefined,
      }),
    orderBy: sortBy({ occurredAt: 'OCCURRED_AT', createdAt: 'CREATED_AT' }),
  }),
  one: readOperation(AdminInteractionByIdDocument, (data) => data.interaction),
  create: writeOperation(
    AdminLogInteractionDocument,
    ({ data }) => ({
      input: { ...pick(data, FIELDS), customerId: data.customerId, occurredAt: toIso(data.occurredAt) } as LogInteractionInput,
    }),
    (data) => data.logInteraction,
  ),
  update: writeOperation(
    AdminUpdateInteractionDocument,
    ({ id, data, previousData }) => ({
      id: id!,
      input: {
        ...pick(data, FIELDS),
        occurredAt: toIso(data.occurredAt),
        version: versionOf({ data, previousData }),
      } as UpdateInteractionInput,
    }),
    (data) => data.updateInteraction,
  ),
  delete: deleteOperation(AdminDeleteInteractionDocument, ({ id, previousData }) => ({
    id,
    version: versionOf({ data: {}, previousData }),
  })),
  toRecord: (node) => ({ ...node, customerId: node.customer.id, contactId: node.contact?.id ?? null, authorId: node.author.id }),
};
