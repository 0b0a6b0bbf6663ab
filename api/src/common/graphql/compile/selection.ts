import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  isAbstractType,
  typeFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** What a selection is read against: the parts of GraphQLResolveInfo the collection needs. */
export interface SelectionScope {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variableValues: Record<string, unknown>;
}

/** One response key of a selection set: every field node merged under it, with its argument values. */
export interface SelectedField {
  responseName: string;
  name: string;
  nodes: readonly FieldNode[];
  /** Absent for `__typename`, which graphql-js answers itself. */
  definition: GraphQLField<unknown, unknown> | null;
  args: Record<string, unknown>;
}

function included(scope: SelectionScope, node: { directives?: readonly unknown[] } & Parameters<typeof getDirectiveValues>[1]): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, scope.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, scope.variableValues)?.if !== false;
}

function applies(scope: SelectionScope, condition: FragmentDefinitionNode['typeCondition'] | undefined, type: GraphQLObjectType): boolean {
  if (!condition) return true;
  const conditionType = typeFromAST(scope.schema, condition);
  if (conditionType === type) return true;
  return conditionType !== undefined && isAbstractType(conditionType) && scope.schema.isSubType(conditionType, type);
}

/**
 * The fields a selection set asks of an object type, in response order, by graphql-js's own rules
 * (CollectFields of the spec): fragments spread and inlined where their type condition applies,
 * @skip/@include decided on the request's variables, nodes with one response name merged.
 */
export function collectFields(scope: SelectionScope, type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): SelectedField[] {
  const byName = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!included(scope, selection)) continue;
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.alias?.value ?? selection.name.value;
          const nodes = byName.get(name);
          if (nodes) nodes.push(selection);
          else byName.set(name, [selection]);
          break;
        }
        case Kind.INLINE_FRAGMENT:
          if (applies(scope, selection.typeCondition, type)) walk(selection.selectionSet);
          break;
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          if (visited.has(name)) break;
          visited.add(name);
          const fragment = scope.fragments[name];
          if (fragment && applies(scope, fragment.typeCondition, type)) walk(fragment.selectionSet);
          break;
        }
      }
    }
  };
  for (const set of selectionSets) walk(set);
  const fields = type.getFields();
  return [...byName].map(([responseName, nodes]) => {
    const name = nodes[0]!.name.value;
    const definition = name === '__typename' ? null : (fields[name] ?? null);
    return {
      responseName,
      name,
      nodes,
      definition,
      args: definition ? getArgumentValues(definition, nodes[0]!, scope.variableValues) : {},
    };
  });
}

/** The selection sets under a field, merged over every node of its response key. */
export function subSelections(field: SelectedField): SelectionSetNode[] {
  return field.nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}
