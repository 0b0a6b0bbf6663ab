import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  getArgumentValues,
  getVariableValues,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLFormattedError,
  type GraphQLResolveInfo,
} from 'graphql';
import type { Context } from '../../../context.js';
import { requestStateOf } from '../../http/request-state.js';
import { collectFields } from './selection.js';

/**
 * A compiled read's answer as the JSON text PostgreSQL built, ready for the response body.
 * Serialised by `stringifyResult` as it is; anywhere else (a plugin reading the result) it
 * stands for the value it spells.
 */
export class JsonText {
  /** `errors`: the fields the text holds as null because the viewer may not read them, as graphql-js would raise them. */
  constructor(
    readonly text: string,
    readonly errors: readonly GraphQLError[] = [],
  ) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** Responses answered with JSON text since the process started (what the tests and the bench observe). */
export const jsonTextAnswers = { count: 0 };

/** Thrown by a compiled read asked for JSON text it cannot give: the operation runs through graphql-js instead. */
export class NotPassedThrough extends Error {}

interface Slot {
  /** The root field is being resolved for its JSON text (`jsonTextPlugin`). */
  wanted: boolean;
  /** The statement ran and its answer needs the resolvers: graphql-js's run of the field skips it. */
  missed: boolean;
  /** The statement failed: graphql-js's run of the field fails the same way, without running it again. */
  failure: unknown;
  /** The statement ran and its answer is not text: graphql-js's run of the field answers with it, without running it again. */
  kept?: { value: unknown };
}

/** On the context under a symbol: Apollo copies the context's enumerable own keys, symbols included. */
const SLOT = Symbol('accountable.jsonText');

function slotOf(context: object): Slot | undefined {
  return (context as { [SLOT]?: Slot })[SLOT];
}

/** Whether the compiled read runs for its JSON text (it must then answer with `JsonText` or throw `NotPassedThrough`). */
export function jsonTextWanted(context: object): boolean {
  return slotOf(context)?.wanted === true;
}

/**
 * What the text attempt left for graphql-js's run of the same field: `missed` when the statement
 * ran and the answer is the resolvers' to give; its failure, thrown again; null otherwise.
 */
export function earlierAttempt(context: object): 'missed' | null {
  const slot = slotOf(context);
  if (!slot || slot.wanted) return null;
  if (slot.failure !== undefined) throw slot.failure;
  return slot.missed ? 'missed' : null;
}

/** Notes that the statement ran and left the answer to the resolvers, and leaves the text path. */
export function missCompiled(context: object): never {
  const slot = slotOf(context);
  if (slot) slot.missed = true;
  throw new NotPassedThrough();
}

/** Keeps the statement's answer for graphql-js's run of the field (it is not JSON text as it is), and leaves the text path. */
export function keepCompiled(context: object, value: unknown): never {
  const slot = slotOf(context);
  if (slot) slot.kept = { value };
  throw new NotPassedThrough();
}

/** The answer the text attempt kept for graphql-js's run of the same field (`keepCompiled`), once. */
export function keptAnswer(context: object): { value: unknown } | undefined {
  const slot = slotOf(context);
  if (!slot || slot.wanted || !slot.kept) return undefined;
  const { kept } = slot;
  slot.kept = undefined;
  return kept;
}

/** Keeps the statement's failure for graphql-js's run of the field (the transaction is aborted now), and leaves the text path. */
export function failCompiled(context: object, error: unknown): never {
  const slot = slotOf(context);
  if (slot) slot.failure = error;
  throw new NotPassedThrough();
}

const isSpace = (code: number) => code === 32 || code === 10 || code === 9 || code === 13;

/**
 * PostgreSQL writes json with spaces (`{"a" : 1, "b" : 2}`); JSON.stringify writes none. Every
 * run of whitespace outside a string goes; strings (escapes included) are kept as they are. A
 * loop that jumps from quote to quote: about twice as fast as a regular expression here.
 */
export function compactJson(text: string): string {
  let out = '';
  let kept = 0;
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 34) {
      // The closing quote is the next one not escaped, i.e. preceded by an even run of backslashes.
      let close = index;
      for (;;) {
        close = text.indexOf('"', close + 1);
        if (close < 0) return out + text.slice(kept);
        let before = close - 1;
        while (text.charCodeAt(before) === 92) before -= 1;
        if ((close - 1 - before) % 2 === 0) break;
      }
      index = close + 1;
    } else if (isSpace(code)) {
      out += text.slice(kept, index);
      while (index < text.length && isSpace(text.charCodeAt(index))) index += 1;
      kept = index;
    } else index += 1;
  }
  return out + text.slice(kept);
}

/** Root fields whose resolver answers with `JsonText` when asked (`allowJsonText`). */
const roots = new Set<string>();

/** Declares that `Query.<field>`'s resolver honours `jsonTextWanted`. */
export function allowJsonText(field: string): void {
  roots.add(field);
}

/**
 * Apollo's serialiser, except that a result whose only content is one root field answered as
 * `JsonText` (and the errors of its withheld fields) is written around that text:
 * `{"errors":[…],"data":{"<response name>":<text>}}`, what JSON.stringify would write for the same value.
 */
export function stringifyResult(value: { data?: unknown; errors?: unknown; extensions?: unknown }): string {
  const data = value.data as Record<string, unknown> | null | undefined;
  if (value.extensions === undefined && data && typeof data === 'object') {
    const keys = Object.keys(data);
    const only = keys.length === 1 ? data[keys[0]!] : undefined;
    if (only instanceof JsonText) {
      const errors = value.errors === undefined ? '' : `"errors":${JSON.stringify(value.errors)},`;
      return `{${errors}"data":{${JSON.stringify(keys[0])}:${only.text}}}\n`;
    }
  }
  return `${JSON.stringify(value)}\n`;
}

/** The server's `formatError`, which the text answer's errors go through as Apollo's own would. */
export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** An error as Apollo hands it to `formatError` (its `enrichError`: a code, INTERNAL_SERVER_ERROR when none). */
function formatted(error: GraphQLError, format: ErrorFormatter): GraphQLFormattedError {
  const extensions = { ...error.extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' };
  return format({ ...error.toJSON(), extensions }, error);
}

/**
 * Answers a query of one compiled root field with the statement's JSON text, skipping
 * graphql-js's walk of the result: the field's own resolver runs (with its operation gate and
 * argument validation) as graphql-js would call it, and asks the compiled read for text.
 * Anything else — several root fields, introspection, a resolver that throws, a compiled read
 * that cannot give text (masks, errors, values graphql-js would transform) — returns null, and
 * Apollo executes the operation as always, with the same context.
 */
export function jsonTextPlugin(formatError: ErrorFormatter): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ operation, document, request, schema, contextValue }) {
          // Apollo asks even when the document has no operation of the name requested (its error follows).
          const chosen = operation as typeof operation | undefined;
          if (chosen?.operation !== 'query' || !contextValue.config.compiledReads) return null;
          const queryType = schema.getQueryType();
          if (!queryType) return null;
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
          if (coerced.errors) return null;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions)
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          const scope = { schema, fragments, variableValues: coerced.coerced };
          const fields = collectFields(scope, queryType, [operation.selectionSet]);
          if (fields.length !== 1) return null;
          const [field] = fields as [(typeof fields)[number]];
          if (!field.definition?.resolve || !roots.has(field.name)) return null;
          let args: Record<string, unknown>;
          try {
            args = getArgumentValues(field.definition, field.nodes[0]!, coerced.coerced);
          } catch {
            return null;
          }
          const info: GraphQLResolveInfo = {
            fieldName: field.name,
            fieldNodes: field.nodes,
            returnType: field.definition.type,
            parentType: queryType,
            path: { prev: undefined, key: field.responseName, typename: queryType.name },
            schema,
            fragments,
            rootValue: undefined,
            operation,
            variableValues: coerced.coerced,
          };
          if (requestStateOf(contextValue)?.redoing) {
            // The first run's statement left this field to the resolvers: graphql-js's run goes straight to them.
            Object.defineProperty(contextValue, SLOT, {
              value: { wanted: false, missed: true, failure: undefined } satisfies Slot,
              enumerable: true,
              configurable: true,
            });
            return null;
          }
          const slot: Slot = { wanted: true, missed: false, failure: undefined };
          Object.defineProperty(contextValue, SLOT, { value: slot, enumerable: true, configurable: true });
          let result: unknown;
          try {
            result = await (field.definition.resolve as GraphQLFieldResolver<unknown, Context>)(undefined, args, contextValue, info);
          } catch {
            result = null;
          } finally {
            slot.wanted = false;
          }
          if (!(result instanceof JsonText)) {
            const state = requestStateOf(contextValue);
            // The statement committed with the transaction, and the answer needs the resolvers: they
            // must not run without it. The handler runs the request again, keeping it open (this answer is not sent).
            // An answer kept for graphql-js's walk needs no statement: that walk answers.
            if (state?.lastReadSent && slot.failure === undefined && !slot.kept) {
              state.redo = true;
              return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: null } } };
            }
            return null;
          }
          jsonTextAnswers.count += 1;
          const data = { [field.responseName]: result };
          const errors = result.errors.map((error) => formatted(error, formatError));
          return {
            http: { status: undefined, headers: new HeaderMap() },
            // graphql-js's result with errors is { errors, data }: the same key order.
            body: { kind: 'single', singleResult: errors.length > 0 ? { errors, data } : { data } },
          };
        },
      };
    },
  };
}
