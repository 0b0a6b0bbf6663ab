import type { DocumentNode, FieldNode, OperationDefinitionNode, SelectionNode, VariableDefinitionNode } from 'graphql';
import { Kind, visit } from 'graphql';

function operationOf(document: DocumentNode): OperationDefinitionNode {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) throw new Error('Expected exactly one operation');
  return operations[0]!;
}

function rootField(operation: OperationDefinitionNode): FieldNode {
  const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (fields.length !== 1 || operation.selectionSet.selections.length !== 1) throw new Error('Expected exactly one root field');
  return fields[0]!;
}

export interface Batch {
  document: DocumentNode;
  variables: Record<string, unknown>;
  /** The alias under which item i's root field answers. */
  alias(index: number): string;
}

/**
 * One request for many runs of a one-root-field operation (getMany, counts per region, bulk
 * deletes): each run's root field gets an alias `b<i>` and its variables a suffix `_<i>`.
 * Fragments are shared; the result of run i is `data[alias(i)]`.
 */
export function batchOperation(document: DocumentNode, variablesList: Record<string, unknown>[]): Batch {
  const operation = operationOf(document);
  const field = rootField(operation);
  const selections: SelectionNode[] = [];
  const variableDefinitions: VariableDefinitionNode[] = [];
  const variables: Record<string, unknown> = {};
  variablesList.forEach((vars, index) => {
    const rename = (name: string) => `${name}_${index}`;
    const aliased = visit(field, {
      Variable: (node) => ({ ...node, name: { ...node.name, value: rename(node.name.value) } }),
    });
    selections.push({ ...aliased, alias: { kind: Kind.NAME, value: `b${index}` } });
    for (const definition of operation.variableDefinitions ?? []) {
      const name = definition.variable.name.value;
      variableDefinitions.push({
        ...definition,
        variable: { ...definition.variable, name: { ...definition.variable.name, value: rename(name) } },
      });
      if (name in vars) variables[rename(name)] = vars[name];
    }
  });
  const batched: OperationDefinitionNode = {
    ...operation,
    name: operation.name ? { ...operation.name, value: `${operation.name.value}Batch` } : undefined,
    variableDefinitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  return {
    document: { kind: Kind.DOCUMENT, definitions: document.definitions.map((d) => (d === operation ? batched : d)) },
    variables,
    alias: (index) => `b${index}`,
  };
}

/**
 * The same connection query reduced to `pageInfo { endCursor hasNextPage }`: the cheap way to
 * walk forward to a page whose cursor is not known yet.
 */
export function cursorsOnly(document: DocumentNode): DocumentNode {
  const operation = operationOf(document);
  const field = rootField(operation);
  const reduced: FieldNode = {
    ...field,
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          kind: Kind.FIELD,
          name: { kind: Kind.NAME, value: 'pageInfo' },
          selectionSet: {
            kind: Kind.SELECTION_SET,
            selections: ['endCursor', 'hasNextPage'].map((name): FieldNode => ({
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: name },
            })),
          },
        },
      ],
    },
  };
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        ...operation,
        name: operation.name ? { ...operation.name, value: `${operation.name.value}Cursors` } : undefined,
        selectionSet: { kind: Kind.SELECTION_SET, selections: [reduced] },
      },
    ],
  };
}

/** The response key of a one-root-field operation (`customer` for `customer(id: $id) {…}`). */
export function rootFieldName(document: DocumentNode): string {
  const field = rootField(operationOf(document));
  return field.alias?.value ?? field.name.value;
}
