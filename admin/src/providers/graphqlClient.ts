import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { HttpError } from 'react-admin';
import { serverErrorKey } from '../i18n/serverErrors';
import { graphqlHeaders, takeEarly } from './earlyRequest';

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; currentVersion?: number; [key: string]: unknown };
}

/** HTTP-like statuses for the API's error codes, so react-admin's auth and error handling apply. */
const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  // The customer exists under another owner; extensions name its territory and owner.
  DUPLICATE_OWNED: 409,
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
};

export interface GraphQLErrorBody {
  code: string;
  extensions: Record<string, unknown>;
  /** Server-side validation: react-admin shows these next to the form inputs. */
  errors?: Record<string, string>;
}

/** A failed GraphQL request, as react-admin expects a data provider error (status, body). */
export class GraphQLRequestError extends HttpError {
  readonly code: string;
  readonly extensions: Record<string, unknown>;
  readonly errors: GraphQLErrorEntry[];
  /** The API's own (English) wording, for logs and developers; users see `message`. */
  readonly serverMessage: string;

  constructor(errors: GraphQLErrorEntry[], httpStatus = 200) {
    const first = errors[0] ?? { message: 'Server communication error' };
    const code = first.extensions?.code ?? (httpStatus >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_RESPONSE');
    const extensions = { ...(first.extensions ?? {}) };
    const body: GraphQLErrorBody = { code, extensions };
    const field = typeof extensions.field === 'string' ? extensions.field : null;
    // The message is a catalogue key (code and field), so the user reads it in their language;
    // the console's own keys (ra.…) pass through.
    const reason = typeof extensions.reason === 'string' ? extensions.reason : null;
    const message = first.message.startsWith('ra.') ? first.message : serverErrorKey(code, field, reason);
    // `input.legalName` → `legalName`: the form's input names.
    if (code === 'BAD_USER_INPUT' && field) body.errors = { [field.replace(/^(input|filter)\./, '')]: message };
    super(message, STATUS_BY_CODE[code] ?? (httpStatus >= 400 ? httpStatus : 500), body);
    // HttpError pins its own prototype; restore the subclass's so instanceof works.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'GraphQLRequestError';
    this.code = code;
    this.extensions = extensions;
    this.errors = errors;
    this.serverMessage = first.message;
  }
}

export function isConflict(error: unknown): error is GraphQLRequestError {
  return error instanceof GraphQLRequestError && error.code === 'CONFLICT' && typeof error.extensions.currentVersion === 'number';
}

/** The API does not know a field the console asked for: an older server; the screen hides it. */
export function isUnknownApi(error: unknown): boolean {
  return error instanceof GraphQLRequestError && error.code === 'GRAPHQL_VALIDATION_FAILED';
}

export function isDuplicateOwned(error: unknown): error is GraphQLRequestError {
  return error instanceof GraphQLRequestError && error.code === 'DUPLICATE_OWNED';
}

export interface GraphQLClientOptions {
  url?: string;
  getToken: () => string | null;
  fetch?: typeof fetch;
}

export interface GraphQLClient {
  request<R, V>(document: TypedDocumentNode<R, V>, variables: V, options?: { signal?: AbortSignal }): Promise<R>;
  /** For documents built at run time (aliased batches); the caller knows the result shape. */
  requestUntyped(
    document: DocumentNode,
    variables: Record<string, unknown>,
    options?: { signal?: AbortSignal },
  ): Promise<Record<string, unknown>>;
}

/**
 * A FORBIDDEN error below a root field leaves that field null and the rest usable: the API
 * answers a directory card (a customer the viewer may only know exists) this way. Anything else
 * fails the request.
 */
function isFieldRedaction(error: GraphQLErrorEntry): boolean {
  return error.extensions?.code === 'FORBIDDEN' && (error.path?.length ?? 0) >= 2;
}

const printed = new WeakMap<DocumentNode, string>();

function printOnce(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

function operationName(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition') return definition.name?.value;
  }
  return undefined;
}

/** The console's only way to the API: POST /graphql with the signed-in user's bearer token. */
export function createGraphQLClient({ url = '/graphql', getToken, fetch: fetchImpl }: GraphQLClientOptions): GraphQLClient {
  const send = async (
    document: DocumentNode,
    variables: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> => {
    const token = getToken();
    const name = operationName(document);
    let response: Response;
    try {
      response = await (takeEarly(name, variables, token) ??
        (fetchImpl ?? globalThis.fetch)(url, {
          method: 'POST',
          headers: graphqlHeaders(token),
          body: JSON.stringify({ operationName: name, query: printOnce(document), variables }),
          signal,
        }));
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new GraphQLRequestError([{ message: 'The server cannot be reached', extensions: { code: 'NETWORK_ERROR' } }], 503);
    }
    let payload: { data?: Record<string, unknown> | null; errors?: GraphQLErrorEntry[] } | null = null;
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
    if (payload?.errors?.length && !(payload.data && payload.errors.every(isFieldRedaction))) {
      throw new GraphQLRequestError(payload.errors, response.status);
    }
    if (!response.ok || !payload?.data) {
      throw new GraphQLRequestError([{ message: `HTTP ${response.status}` }], response.status >= 400 ? response.status : 500);
    }
    return payload.data;
  };
  return {
    request: (document, variables, options) =>
      send(document, (variables ?? {}) as Record<string, unknown>, options?.signal) as Promise<never>,
    requestUntyped: (document, variables, options) => send(document, variables, options?.signal),
  };
}
