import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { JsonText } from './compile/json-text.js';

type Path = readonly (string | number)[];

/**
 * Where a path lies in the response: per step, an object key's index among its object's keys
 * (response order) or a list index; -1 past where the data ends (a parent nulled by the error).
 */
function positionOf(data: unknown, path: Path): number[] {
  const at: number[] = [];
  let node: unknown = data;
  for (const step of path) {
    if (node === null || typeof node !== 'object') {
      at.push(-1);
      node = undefined;
    } else if (Array.isArray(node)) {
      at.push(typeof step === 'number' ? step : -1);
      node = typeof step === 'number' ? node[step] : undefined;
    } else {
      at.push(Object.keys(node).indexOf(String(step)));
      node = (node as Record<string, unknown>)[String(step)];
    }
  }
  return at;
}

function compare(a: number[], b: number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) if (a[index] !== b[index]) return a[index]! - b[index]!;
  return a.length - b.length;
}

/**
 * The errors in the order their fields stand in the response (depth first, in response order),
 * those without a path first as they came; ties by path text, then message. graphql-js lists a
 * field's error when its resolver settles, so relations loaded asynchronously (DataLoaders)
 * interleave their errors with their parents'; this order depends on the answer only, so every
 * read path of the same request lists them alike.
 */
export function inResponseOrder(errors: readonly GraphQLFormattedError[], data: unknown): GraphQLFormattedError[] {
  const keyed = errors.map((error, index) => ({ error, index, at: error.path ? positionOf(data, error.path) : null }));
  keyed.sort((a, b) => {
    if (!a.at || !b.at) return a.at ? 1 : b.at ? -1 : a.index - b.index;
    const byPosition = compare(a.at, b.at);
    if (byPosition !== 0) return byPosition;
    const [pathA, pathB] = [JSON.stringify(a.error.path), JSON.stringify(b.error.path)];
    if (pathA !== pathB) return pathA < pathB ? -1 : 1;
    if (a.error.message !== b.error.message) return a.error.message < b.error.message ? -1 : 1;
    return a.index - b.index;
  });
  return keyed.map(({ error }) => error);
}

/** Puts a response's errors in response order (`inResponseOrder`), except a compiled read's text answer, which is written in that order. */
export function errorOrderPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors || result.errors.length < 2) return;
          const data = result.data as Record<string, unknown> | null | undefined;
          if (data && Object.values(data).some((value) => value instanceof JsonText)) return;
          result.errors = inResponseOrder(result.errors, data);
        },
      };
    },
  };
}
