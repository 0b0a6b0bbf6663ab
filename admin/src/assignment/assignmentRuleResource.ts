import {
  AdminAssignmentRulesDocument,
  AdminCreateAssignmentRuleDocument,
  AdminDeleteAssignmentRuleDocument,
  AdminUpdateAssignmentRuleDocument,
  type AdminAssignmentRuleFragment,
  type AdminAssignmentRulesQuery,
  type CreateAssignmentRuleInput,
  type UpdateAssignmentRuleInput,
} from '../../../schema/generated/graphql';
import { deleteOperation, versionOf, writeOperation, type Connection, type ResourceAdapter } from '../providers/resource';

export type AssignmentRuleRecord = AdminAssignmentRuleFragment;

/** What the rule dialog edits: the conditions, and the target by id. */
export interface RuleValues {
  name: string;
  territoryId: string;
  ownerId: string | null;
  provinces: string[];
  cities: string[];
  industries: string[];
  sizeBands: AssignmentRuleRecord['sizeBands'];
  sourceChannels: AssignmentRuleRecord['sourceChannels'];
}

/** The API answers the whole ordered list at once (at most 200 rules): one page, in position order. */
function asConnection(rules: AssignmentRuleRecord[]): Connection<AssignmentRuleRecord> {
  return {
    totalCount: rules.length,
    edges: rules.map((rule) => ({ cursor: rule.id, node: rule })),
    pageInfo: { hasNextPage: false, endCursor: null },
  };
}

function conditions(data: Record<string, any>) {
  return {
    name: String(data.name ?? '').trim(),
    provinces: data.provinces ?? [],
    cities: data.cities ?? [],
    industries: data.industries ?? [],
    sizeBands: data.sizeBands ?? [],
    sourceChannels: data.sourceChannels ?? [],
  };
}

/**
 * Assignment rules, in the order they are tried. Writes send every condition (an emptied list
 * means "any") and the target; an update's `ownerId: null` clears the owner. Moves are a
 * document of the screen's own (moveAssignmentRule).
 */
export const assignmentRuleResource: ResourceAdapter<AssignmentRuleRecord> = {
  // Not a connection and without arguments: the list mapping is written out rather than typed by listOperation.
  list: {
    document: AdminAssignmentRulesDocument,
    connection: (data: AdminAssignmentRulesQuery) => asConnection(data.assignmentRules),
    filter: () => undefined,
    orderBy: () => undefined,
  },
  create: writeOperation(
    AdminCreateAssignmentRuleDocument,
    ({ data }) => ({
      input: { ...conditions(data), territoryId: data.territoryId, ownerId: data.ownerId || undefined } as CreateAssignmentRuleInput,
    }),
    (data) => data.createAssignmentRule,
  ),
  update: writeOperation(
    AdminUpdateAssignmentRuleDocument,
    ({ id, data, previousData }) => ({
      id: id!,
      input: {
        ...conditions(data),
        territoryId: data.territoryId,
        ownerId: data.ownerId || null,
        version: versionOf({ data, previousData }),
      } as UpdateAssignmentRuleInput,
    }),
    (data) => data.updateAssignmentRule,
  ),
  delete: deleteOperation(AdminDeleteAssignmentRuleDocument, ({ id, previousData }) => ({
    id,
    version: versionOf({ data: {}, previousData }),
  })),
};
