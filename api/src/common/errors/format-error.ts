import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { ArgumentValidationError, AuthenticationError, AuthorizationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { AppError } from './errors.js';

/** Codes Apollo and graphql-js produce from the request itself; their messages are safe to return. */
const REQUEST_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST']);

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


/**
 * The one place errors become client-visible. Known domain errors keep their message and
 * code; validation errors name the field; anything else is reported server-side and reaches
 * the client as a bare INTERNAL_SERVER_ERROR with the request id.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, requestId: string | undefined, report: (error: unknown) => void): GraphQLFormattedError {
  const base = { locations: formatted.locations, path: formatted.path };
  const original = unwrap(error);
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
    const violation = firstViolation(original.extensions.validationErrors as ValidationError[]) ?? { field: 'input', message: 'Invalid input' };
    return { ...base, message: violation.message, extensions: { code: 'BAD_USER_INPUT', field: violation.field } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && REQUEST_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  report(original);
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) } };
}
