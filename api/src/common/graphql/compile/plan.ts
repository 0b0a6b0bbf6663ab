import {
  locatedError,
  visit,
  type ASTNode,
  type FieldNode,
  type GraphQLError,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from 'graphql';
import type { Scope } from '../../access/index.js';
import { executePrepared, finalStatement } from '../../orm/prepared.js';
import { requestStateOf } from '../../http/request-state.js';
import type { Context } from '../../../context.js';
import { NotCompiled, finish, holdsMissing, type PostNode } from './json-sql.js';
import { JsonText, compactJson, failCompiled, jsonTextWanted, missCompiled } from './json-text.js';
import { withheldError, type CompiledObject } from './passthrough.js';

/** A compiled read of one root field: its statement, and how its JSON becomes the answer. */
export interface Plan {
  sql: string;
  post: PostNode;
  /** A page's totalCount subqueries, each taking the filter's parameters before the rows' own. */
  counts: number;
  /** Scopes an API key needs for this selection (users are governed by the level alone). */
  requires: readonly Scope[];
  /**
   * The statement's JSON text is the response's (`JsonCompiler.textSafe`, and nothing to
   * transform), compacted — or, where `withheldKeys` has any, once its withheld fields are nulled.
   */
  textSafe: boolean;
  /**
   * The keys of fields the viewer may not read, as the JSON text writes them (`"score"`): the text
   * answer nulls them and reports each, as graphql-js would. Empty where the plan withholds nothing.
   */
  withheldKeys: readonly string[];
}

/** Whether finishing the JSON would change a value (a transform, or WITHHELD unless `withheldToo` is false). */
export function transforms(post: PostNode, withheldToo = true): boolean {
  for (const field of post.values()) {
    if (field.kind === 'value' || (field.kind === 'withheld' && withheldToo)) return true;
    if ((field.kind === 'object' || field.kind === 'list') && transforms(field.node, withheldToo)) return true;
  }
  return false;
}

/** The keys of the withheld fields anywhere under `post`, each as JSON text writes it. */
function keysWithheld(post: PostNode, found = new Set<string>()): Set<string> {
  for (const [key, field] of post) {
    if (field.kind === 'withheld') found.add(JSON.stringify(key));
    else if (field.kind === 'object' || field.kind === 'list') keysWithheld(field.node, found);
  }
  return found;
}

/** How a plan's JSON text may answer: as it is, after withholding, or not at all (the compiler's `textSafe` and the plan's transforms). */
export function textOf(textSafe: boolean, post: PostNode): Pick<Plan, 'textSafe' | 'withheldKeys'> {
  const exact = !transforms(post);
  const withholds = !exact && !transforms(post, false);
  return { textSafe: textSafe && (exact || withholds), withheldKeys: withholds ? [...keysWithheld(post)] : [] };
}

interface Plans {
  /** Variables the selection under the field reads (directives, page arguments); a root's own arguments are not among them. */
  variables: string[];
  byKey: Map<string, Plan | null>;
}

/**
 * Plans by operation, then by the root field's first node: one node (in a fragment) may stand
 * under different operations with different siblings, merged into different selections.
 */
const plans = new WeakMap<OperationDefinitionNode, WeakMap<FieldNode, Plans>>();
const PLANS_PER_FIELD = 64;

function variablesUnder(info: GraphQLResolveInfo): string[] {
  const names = new Set<string>();
  const fragments = new Set<string>();
  const walk = (node: ASTNode) =>
    visit(node, {
      Variable: (variable) => void names.add(variable.name.value),
      FragmentSpread: (spread) => {
        const fragment = info.fragments[spread.name.value];
        if (fragment && !fragments.has(spread.name.value)) {
          fragments.add(spread.name.value);
          walk(fragment);
        }
      },
    });
  for (const node of info.fieldNodes) {
    if (node.selectionSet) walk(node.selectionSet);
    for (const directive of node.directives ?? []) walk(directive);
  }
  return [...names].sort();
}

/**
 * The plan of this selection under these variables, compiled once per document (Apollo keeps
 * parsed documents) and shape: `flavour` (what of the viewer the compiler read) and `root` (the
 * condition text, sort and page size of a list, never its values, which travel as parameters of
 * the prepared statement). Null where the selection holds something the compiler does not handle.
 */
export function cachedPlan(info: GraphQLResolveInfo, flavour: string, root: unknown, compile: () => Plan): Plan | null {
  const node = info.fieldNodes[0]!;
  let byNode = plans.get(info.operation);
  if (!byNode) plans.set(info.operation, (byNode = new WeakMap()));
  let cached = byNode.get(node);
  if (!cached) byNode.set(node, (cached = { variables: variablesUnder(info), byKey: new Map() }));
  const byVariables = cached.byKey;
  const key = `${flavour}:${info.fieldNodes.length}:${JSON.stringify(root)}:${JSON.stringify(cached.variables.map((name) => info.variableValues[name] ?? null))}`;
  if (byVariables.has(key)) return byVariables.get(key)!;
  let plan: Plan | null;
  try {
    plan = compile();
  } catch (error) {
    if (!(error instanceof NotCompiled)) throw error;
    plan = null;
  }
  if (byVariables.size >= PLANS_PER_FIELD) byVariables.clear();
  byVariables.set(key, plan);
  return plan;
}

export type Parameter = string | number | boolean | null;

export function parameter(value: unknown): Parameter {
  if (value instanceof Date) return value.toISOString();
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new NotCompiled(`parameter of type ${typeof value}`);
}

/**
 * The statement's one row; in the text attempt a failure is kept for graphql-js's run of the field.
 * A query answered as text by this one statement sends it with its COMMIT, in one round trip
 * (`RequestState.lastRead`); should the answer then need more, the request runs again without that.
 */
export async function runPlan<T>(context: Context, sql: string, params: readonly Parameter[]): Promise<T | undefined> {
  try {
    const state = requestStateOf(context);
    const last = jsonTextWanted(context) && state?.lastRead && !state.lastReadSent ? await finalStatement(context.em, sql, params) : null;
    if (last && state?.lastRead) {
      state.lastReadSent = true;
      let results: Record<string, unknown>[][];
      try {
        results = await state.lastRead(last.text);
      } catch (error) {
        last.settle(false);
        throw context.em.getDriver().convertException(error as Error);
      }
      last.settle(true);
      return results[last.before]?.[0] as T | undefined;
    }
    const [row] = await executePrepared<T>(context.em, sql, params);
    return row;
  } catch (error) {
    if (jsonTextWanted(context)) failCompiled(context, error);
    throw error;
  }
}

/**
 * Nulls the withheld fields of a parsed answer and reports each as graphql-js reports a field
 * whose resolver threw: in the order it runs them (depth first, in response order), located at
 * the field's nodes and path. Only nullable fields are withheld, so no null reaches a parent.
 */
function withhold(value: Record<string, unknown>, post: PostNode, path: readonly (string | number)[], errors: GraphQLError[]): void {
  for (const key of Object.keys(value)) {
    const field = post.get(key);
    const child = value[key];
    if (field?.kind === 'withheld') {
      value[key] = null;
      errors.push(locatedError(withheldError(), field.nodes, [...path, key]));
    } else if (field?.kind === 'object' && child !== null && typeof child === 'object') {
      withhold(child as Record<string, unknown>, field.node, [...path, key], errors);
    } else if (field?.kind === 'list' && Array.isArray(child)) {
      child.forEach((item: Record<string, unknown>, index) => withhold(item, field.node, [...path, key, index], errors));
    }
  }
}

/**
 * Whether the text may hold a withheld field. A key the text holds is written `"key"`; the same
 * characters inside a string value only make this true where nothing is withheld, which costs
 * the parse and nothing else.
 */
function mayHoldWithheld(data: string, plan: Plan): boolean {
  return plan.withheldKeys.some((key) => data.includes(key));
}

/**
 * The answer from the statement's JSON text: the text itself when asked for it, or the objects
 * graphql-js walks. `root` is the root field's response name; `keyed` when the plan's fields
 * start from it (a page's connection), not from the value's own.
 */
export function answerOf(context: Context, data: string, plan: Plan, root: string, keyed: boolean): CompiledObject | JsonText | null {
  if (jsonTextWanted(context)) {
    if (holdsMissing(data)) return missCompiled(context);
    // No withheld field in this answer (an account with no evaluations, say): the text as it is.
    if (!mayHoldWithheld(data, plan)) return new JsonText(compactJson(data));
    const value = JSON.parse(data) as Record<string, unknown>;
    const errors: GraphQLError[] = [];
    if (keyed) withhold({ [root]: value }, plan.post, [], errors);
    else withhold(value, plan.post, [root], errors);
    // graphql-js would serialise these same parsed values: the plan is text-safe but for what it withholds.
    return new JsonText(JSON.stringify(value), errors);
  }
  return objectAnswer(data, plan, root, keyed);
}

/** The answer graphql-js walks from the statement's JSON text (`answerOf`'s), or null where the resolvers must answer. */
export function objectAnswer(data: string, plan: Plan, root: string, keyed: boolean): CompiledObject | null {
  const value = JSON.parse(data) as Record<string, unknown>;
  const finished = keyed ? finish({ [root]: value }, plan.post) : finish(value, plan.post);
  return finished ? (value as CompiledObject) : null;
}
