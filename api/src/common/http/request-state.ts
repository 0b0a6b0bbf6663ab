import type { Viewer } from '../access/index.js';

/** What the HTTP layer and its Apollo plugins share about one request (not part of the resolvers' context). */
export interface RequestState {
  requestId: string;
  /** The client address, as trusted per TRUST_PROXY_HOPS. */
  address: string;
  viewer: Viewer | null;
  operationName: string | null;
  /** The transaction failed in a way that makes running the whole request again safe. */
  retryable: boolean;
  /**
   * A well-formed GraphQL-over-HTTP request (it carried a query) answered with GraphQL request
   * errors only: parse, validation, operation selection, variable coercion or our own limits.
   */
  requestError: boolean;
  /** The request's Idempotency-Key row, when one was claimed; `replayed` when its response was sent again. */
  idempotency: { id: string; replayed: boolean } | null;
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
