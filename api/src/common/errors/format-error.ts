import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { ArgumentValidationError, AuthenticationError, AuthorizationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { AppError, RETRYABLE_SQLSTATES, RequestRejectedError, TIMEOUT_SQLSTATES, sqlStateOf } from './errors.js';

/** invalid_byte_sequence_for_encoding, untranslatable_character. */
const UNSTORABLE_TEXT_SQLSTATES = new Set(['22021', '22P05']);

/** Codes Apollo and graphql-js produce from the request itself; their messages are safe to return. */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

function firstViolation(errors: ValidationError[], prefix = ''): { field: string; message: string } | null {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const message = error.constraints ? Object.values(error.constraints)[0] : undefined;
    if (message) return { field, message };
    const nested = firstViolation(error.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

function unwrap(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? unwrap(error.originalError) : error;
}

export interface FormatOptions {
  /** Strip "Did you mean …?" hints, which reveal field and type names (outside demo mode). */
  hideSuggestions: boolean;
}

/** graphql-js's token limit names the limit; the client learns only that the document is too large. */
const TOKEN_LIMIT = /contains more tha[nt] \d+ tokens/;

function requestMessage(message: string, options: FormatOptions): string {
  if (TOKEN_LIMIT.test(message)) return 'Syntax Error: the document is too large.';
  return options.hideSuggestions ? message.replace(/ ?Did you mean .*$/s, '') : message;
}

/**
 * The one place errors become client-visible. Known domain errors keep their message and
 * code; validation errors name the field; anything else is reported server-side and reaches
 * the client as a bare INTERNAL_SERVER_ERROR, to which `requestIdPlugin` adds the request id.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  report: (error: unknown) => void,
  options: FormatOptions = { hideSuggestions: true },
): GraphQLFormattedError {
  const base = { locations: formatted.locations, path: formatted.path };
  const original = unwrap(error);
  if (original instanceof RequestRejectedError) {
    const field = original.field === undefined ? {} : { field: original.field };
    return { ...base, message: original.message, extensions: { code: original.extensions.code, ...field } };
  }
  if (original instanceof AppError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.extensions } };
  }
  if (original instanceof AuthenticationError) {
    return { ...base, message: 'Sign in first', extensions: { code: 'UNAUTHENTICATED' } };
  }
  if (original instanceof AuthorizationError) {
    return { ...base, message: 'Not allowed', extensions: { code: 'FORBIDDEN' } };
  }
  if (original instanceof ArgumentValidationError) {
    const violation = firstViolation(original.extensions.validationErrors as ValidationError[]) ?? {
      field: 'input',
      message: 'Invalid input',
    };
    return { ...base, message: violation.message, extensions: { code: 'BAD_USER_INPUT', field: violation.field } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && REQUEST_CODES.has(code)) {
    return { ...base, message: requestMessage(formatted.message, options), extensions: { code } };
  }
  const sqlState = sqlStateOf(original);
  // Text PostgreSQL cannot store (a NUL character): the input is at fault, whichever field held it.
  if (sqlState && UNSTORABLE_TEXT_SQLSTATES.has(sqlState)) {
    return { ...base, message: 'Text may not contain the NUL character', extensions: { code: 'BAD_USER_INPUT', field: 'input' } };
  }
  if (sqlState && TIMEOUT_SQLSTATES.has(sqlState)) {
    return {
      ...base,
      message: 'The database did not answer in time; retry later',
      extensions: { code: 'TIMEOUT' },
    };
  }
  if (sqlState && RETRYABLE_SQLSTATES.has(sqlState)) {
    return {
      ...base,
      message: 'The request collided with a concurrent one; retry it',
      extensions: { code: 'CONFLICT' },
    };
  }
  report(original);
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Apollo formats errors without the request at hand (`formatError` gets the error only), so the
 * request id joins each INTERNAL_SERVER_ERROR as the response leaves: it lets an operator find
 * the server-side report of that error.
 */
export function requestIdPlugin(): ApolloServerPlugin<{ requestId: string }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code === 'INTERNAL_SERVER_ERROR')
              (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
}
