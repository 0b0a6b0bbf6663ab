import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getNamedType,
  getNullableType,
  getVariableValues,
  isLeafType,
  isListType,
  validate,
  visit,
  BREAK,
  type ASTVisitor,
  type DocumentNode,
  type OperationDefinitionNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { createRequire } from 'node:module';
import type { ComplexityEstimator, getComplexity as GetComplexity } from 'graphql-query-complexity';
import type { Viewer } from '../access/index.js';
import { RequestRejectedError } from '../errors/errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../graphql/connection.js';
import type { CostRole, Limits } from '../../config.js';
import type { Context } from '../../context.js';

// Loaded as CommonJS like graphql itself: a bundler-resolved ESM build would bring a second graphql.
const { getComplexity } = createRequire(import.meta.url)('graphql-query-complexity') as { getComplexity: typeof GetComplexity };

/** What one selection set amounts to once every fragment is expanded where it is spread. */
interface Shape {
  depth: number;
  aliases: number;
  directives: number;
  /** How often each response key is selected at this level. */
  keys: Map<string, number>;
  /** The most times any one response key is selected in any selection set below. */
  repeats: number;
}

const EMPTY: Shape = { depth: 0, aliases: 0, directives: 0, keys: new Map(), repeats: 0 };

/** Introspection is bounded by graphql-js's MaxIntrospectionDepthRule and the introspection gate, not by depth. */
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

function measure(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  memo: Map<string, Shape>,
  visiting: Set<string>,
): Shape {
  const shape: Shape = { depth: 0, aliases: 0, directives: 0, keys: new Map(), repeats: 0 };
  const add = (inner: Shape, multiplier = 1) => {
    shape.depth = Math.max(shape.depth, inner.depth);
    shape.aliases += inner.aliases * multiplier;
    shape.directives += inner.directives * multiplier;
    shape.repeats = Math.max(shape.repeats, inner.repeats);
    for (const [key, count] of inner.keys) shape.keys.set(key, (shape.keys.get(key) ?? 0) + count * multiplier);
  };
  for (const selection of set.selections) {
    shape.directives += selection.directives?.length ?? 0;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      shape.keys.set(key, (shape.keys.get(key) ?? 0) + 1);
      if (selection.alias) shape.aliases += 1;
      const child = selection.selectionSet ? measure(selection.selectionSet, fragments, memo, visiting) : EMPTY;
      shape.aliases += child.aliases;
      shape.directives += child.directives;
      shape.repeats = Math.max(shape.repeats, child.repeats, ...child.keys.values());
      if (!INTROSPECTION_ROOTS.has(selection.name.value)) shape.depth = Math.max(shape.depth, 1 + child.depth);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      add(measure(selection.selectionSet, fragments, memo, visiting));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A cycle is reported by NoFragmentCyclesRule; here it just ends the walk.
      if (!fragment || visiting.has(name)) continue;
      let inner = memo.get(name);
      if (!inner) {
        visiting.add(name);
        inner = measure(fragment.selectionSet, fragments, memo, visiting);
        visiting.delete(name);
        memo.set(name, inner);
      }
      add(inner);
    }
  }
  return shape;
}

/**
 * Depth, aliases, directives and repeated fields per operation, with fragments expanded where
 * they are spread (so a fragment used ten times counts ten times). Reported on entering the
 * document, before other rules add their own errors, and without naming the limits.
 */
export function structuralLimitsRule(limits: Pick<Limits, 'depth' | 'aliases' | 'directives' | 'fieldRepeats'>): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      const memo = new Map<string, Shape>();
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const shape = measure(definition.selectionSet, fragments, memo, new Set());
        const directives = shape.directives + (definition.directives?.length ?? 0);
        const repeats = Math.max(shape.repeats, ...shape.keys.values());
        if (shape.depth > limits.depth) context.reportError(new GraphQLError('The query is nested too deeply', { nodes: [definition] }));
        if (shape.aliases > limits.aliases)
          context.reportError(new GraphQLError('The query uses too many aliases', { nodes: [definition] }));
        if (directives > limits.directives)
          context.reportError(new GraphQLError('The query uses too many directives', { nodes: [definition] }));
        if (repeats > limits.fieldRepeats)
          context.reportError(new GraphQLError('The query selects the same field too many times', { nodes: [definition] }));
      }
      return false;
    },
  });
}

/** Assumed length of a list that has no page size (contacts, order lines, payments…). */
export const ASSUMED_LIST_LENGTH = 5;

/**
 * Cost ≈ the number of objects the response may hold (as GitHub's and Shopify's APIs count):
 * an object field costs 1 and scalars nothing; a connection multiplies what it selects by its
 * page size (`first`, default 25, capped at 100), a plain list by ASSUMED_LIST_LENGTH.
 * Introspection costs nothing here (it is bounded by its own rules). Wide selections of scalars
 * are bounded by the token, alias and repeated-field limits instead.
 */
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (field.name.startsWith('__')) return 0;
  const named = getNamedType(field.type);
  if (isLeafType(named)) return 0;
  if (named.name.endsWith('Connection')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + Math.min(Math.max(first, 1), MAX_PAGE_SIZE) * childComplexity;
  }
  // A connection's edges are already multiplied by its page size.
  if (type.name.endsWith('Connection')) return 1 + childComplexity;
  if (isListType(getNullableType(field.type))) return 1 + ASSUMED_LIST_LENGTH * childComplexity;
  return 1 + childComplexity;
};

export function roleOf(viewer: Viewer | null): CostRole {
  return viewer ? (viewer.role as CostRole) : 'ANONYMOUS';
}

export interface OperationToCheck {
  document: DocumentNode;
  operation: OperationDefinitionNode | null | undefined;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | null | undefined;
  viewer: Viewer | null;
}

/** What the limits decide from a document alone, kept with the document (Apollo reuses parsed documents). */
interface DocumentVerdicts {
  introspects: boolean;
  /** Cost by operation name and the variables it depends on (page sizes, @skip/@include conditions). */
  costs: Map<string, number>;
}

const verdicts = new WeakMap<DocumentNode, DocumentVerdicts>();
const COSTS_PER_DOCUMENT = 32;
const MAX_COST_KEY = 2_000;

function verdictsOf(schema: GraphQLSchema, document: DocumentNode): DocumentVerdicts {
  let known = verdicts.get(document);
  if (!known) {
    known = { introspects: validate(schema, document, [NoSchemaIntrospectionCustomRule]).length > 0, costs: new Map() };
    verdicts.set(document, known);
  }
  return known;
}

function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  coerced: Record<string, unknown>,
): number {
  const known = verdictsOf(schema, document);
  // The cost reads page sizes (Int variables) and @skip/@include conditions (Boolean ones) only:
  // the other values (ids, filters, inputs) do not change it, and keying on them would miss on
  // every new id. `coerced` holds the values as execution sees them, defaults applied, so an
  // explicit null and an omitted variable with a default are told apart.
  const deciding = Object.entries(coerced)
    .filter(([, value]) => value === null || typeof value === 'number' || typeof value === 'boolean')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const key = JSON.stringify([operationName ?? null, deciding]);
  // Many numeric variables are not worth keeping: their cost is worked out each time.
  const keep = key.length <= MAX_COST_KEY;
  const cached = keep ? known.costs.get(key) : undefined;
  if (cached !== undefined) return cached;
  let cost = Number.POSITIVE_INFINITY;
  try {
    cost = getComplexity({ schema, query: document, variables, operationName, estimators: [costEstimator] });
  } catch {
    // Too many nodes to even estimate.
  }
  if (!keep) return cost;
  if (known.costs.size >= COSTS_PER_DOCUMENT) known.costs.clear();
  known.costs.set(key, cost);
  return cost;
}

/**
 * Checks that need the viewer, after validation and before execution: introspection for the
 * roles allowed to (everyone in demo mode), and the role's cost budget. Throws RequestRejectedError.
 * HTTP runs it from `operationLimitsPlugin`, WebSocket subscriptions from the live server. Both
 * verdicts depend on the document (and the cost on its variables) only, so each is worked out
 * once per document.
 */
/**
 * The field whose value first holds U+0000 (which PostgreSQL's text cannot store), named as the
 * API's own input errors name one (`legalName`, `types`), or null.
 */
function nulField(value: unknown, field: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? field : null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = nulField(item, field);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return field;
      const found = nulField(item, key);
      if (found) return found;
    }
  }
  return null;
}

/** Whether a document writes U+0000 in a string, by document: Apollo hands the same parsed one back for the same text. */
const nulInDocument = new WeakMap<DocumentNode, boolean>();

function documentHoldsNul(document: DocumentNode): boolean {
  let holds = nulInDocument.get(document);
  if (holds === undefined) {
    holds = false;
    visit(document, {
      StringValue(node) {
        if (!node.value.includes('\u0000')) return undefined;
        holds = true;
        return BREAK;
      },
    });
    nulInDocument.set(document, holds);
  }
  return holds;
}

/** Text with U+0000, in variables or written in the query: BAD_USER_INPUT on the field, before anything runs. */
function refuseNul(document: DocumentNode, variables: Record<string, unknown>): void {
  const field = nulField(variables, 'variables') ?? (documentHoldsNul(document) ? 'query' : null);
  if (field) throw new RequestRejectedError('Text may not contain the NUL character (U+0000)', 'BAD_USER_INPUT', 400, {}, field);
}

export function checkOperationLimits(schema: GraphQLSchema, limits: Limits, demo: boolean, request: OperationToCheck): void {
  const { document, operation, operationName } = request;
  const variables = request.variables ?? {};
  refuseNul(document, variables);
  const role = roleOf(request.viewer);
  if (!demo && !limits.introspectionRoles.includes(role) && verdictsOf(schema, document).introspects) {
    throw new RequestRejectedError(
      'Introspection is not available to this principal; the schema is published as schema/schema.graphql',
      'GRAPHQL_VALIDATION_FAILED',
      400,
    );
  }
  // Variables that do not fit the operation: execution reports them and runs nothing.
  const values = getVariableValues(schema, operation?.variableDefinitions ?? [], variables, { maxErrors: 1 });
  if (values.errors) return;
  if (costOf(schema, document, operationName ?? undefined, variables, values.coerced) > limits.cost[role]) {
    throw new RequestRejectedError('The query asks for too much at once; request fewer records or fields', 'QUERY_TOO_COMPLEX', 400);
  }
}

/** `checkOperationLimits` for every HTTP request, once its operation is resolved. */
export function operationLimitsPlugin(schema: GraphQLSchema, limits: Limits, demo: boolean): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operation, operationName, contextValue }) {
          checkOperationLimits(schema, limits, demo, {
            document,
            operation,
            operationName,
            variables: request.variables,
            viewer: contextValue.viewer,
          });
        },
      };
    },
  };
}
