import type { ApolloServerPlugin } from '@apollo/server';
import type { Viewer } from '../access/index.js';
import { classifyFailure } from '../errors/errors.js';
import type { Context } from '../../context.js';
import type { Preclaimed } from './idempotency.js';

/** What the HTTP layer and its Apollo plugins share about one request (not part of the resolvers' context). */
export interface RequestState {
  requestId: string;
  /** The client address, as trusted per TRUST_PROXY_HOPS. */
  address: string;
  viewer: Viewer | null;
  operationName: string | null;
  /** The operation is a mutation (its commit may have written the change feed). */
  mutation: boolean;
  /** The transaction failed in a way that makes running the whole request again safe. */
  retryable: boolean;
  /**
   * A well-formed GraphQL-over-HTTP request (it carried a query) answered with GraphQL request
   * errors only: parse, validation, operation selection, variable coercion or our own limits.
   */
  requestError: boolean;
  /** The request's Idempotency-Key row, when one was claimed; `replayed` when its response was sent again. */
  idempotency: { id: string; replayed: boolean } | null;
  /**
   * The Idempotency-Key claimed by the opening round trip (see `preclaimFor`): its fingerprint, and
   * the new row's id, or null when a row for the key existed already (then the row, when the
   * opening could see it).
   */
  preclaim: ({ fingerprint: string } & Preclaimed) | null;
  /** A statement (values inlined) to send with COMMIT, in its round trip: what must commit with the work or not at all. */
  withCommit: string | null;
  /**
   * For a query: sends its one statement with COMMIT, in one round trip, and resolves to the rows
   * of each statement in it. Null where the request may need its transaction after that statement
   * (a mutation; a query run again because the first answer needed more than it).
   */
  lastRead: ((statement: string) => Promise<Record<string, unknown>[][]>) | null;
  /** `lastRead` was used: the transaction is over. */
  lastReadSent: boolean;
  /** The answer needed more statements after `lastRead` committed: the handler runs the request again without it. */
  redo: boolean;
  /** This run is that second one: the compiled read is known to leave the answer to the resolvers, and is not sent again. */
  redoing: boolean;
}

/**
 * Kept under a symbol on the context object: Apollo shallow-copies the context per operation
 * (Object.assign, which copies enumerable symbol keys), so identity-keyed maps would lose it.
 */
const STATE = Symbol('accountable.requestState');

export function bindRequestState(context: object, state: RequestState): void {
  Object.defineProperty(context, STATE, { value: state, enumerable: true });
}

export function requestStateOf(context: object): RequestState | undefined {
  return (context as { [STATE]?: RequestState })[STATE];
}

/**
 * Marks the request retryable when execution met a serialization failure, a deadlock or a lost
 * connection (resolvers turn those into GraphQL errors, so the handler would not see them),
 * records the operation name for the request log, and tells the handler when a 400 is a GraphQL
 * request error (see `httpStatus` in graphql-handler.ts).
 */
export function requestStatePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let sourceResolved = false;
      return {
        async didResolveSource() {
          sourceResolved = true;
        },
        async didResolveOperation({ operationName, operation, contextValue }) {
          const state = requestStateOf(contextValue);
          if (!state) return;
          state.operationName = operationName ?? null;
          state.mutation = operation?.operation === 'mutation';
        },
        async didEncounterErrors({ errors, contextValue }) {
          const state = requestStateOf(contextValue);
          if (state && errors.some((error) => classifyFailure(error) !== null)) state.retryable = true;
        },
        async willSendResponse({ response, contextValue }) {
          const state = requestStateOf(contextValue);
          if (!state || response.body.kind !== 'single') return;
          const { data, errors = [] } = response.body.singleResult;
          // BAD_REQUEST is about the HTTP request (a malformed header), not the GraphQL one.
          state.requestError =
            sourceResolved &&
            response.http.status === 400 &&
            data === undefined &&
            errors.every((error) => error.extensions?.code !== 'BAD_REQUEST');
        },
      };
    },
  };
}
