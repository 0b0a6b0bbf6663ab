import { GraphQLError } from 'graphql';

/**
 * Domain errors. Each maps to one `extensions.code`; anything else reaching the client becomes
 * a generic INTERNAL_SERVER_ERROR with no message, SQL or stack (see format-error.ts).
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  readonly extensions: Record<string, unknown>;

  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.extensions = extensions;
  }
}

export class BadUserInputError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  /** `details`: what the client needs to name the fault (never a field or code of its own). */
  constructor(field: string, message: string, details: Record<string, unknown> = {}) {
    super(message, { ...details, field });
  }
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  constructor(type: string, id?: string) {
    super(`${type} not found`, id === undefined ? { type } : { type, id });
  }
}

export class ConflictError extends AppError {
  readonly code: string = 'CONFLICT';
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, extensions);
  }
}

/** A write based on a stale version: nothing was written; the client re-reads and retries. */
export class VersionConflictError extends ConflictError {
  constructor(type: string, id: string, currentVersion: number) {
    super(`${type} was changed by someone else; reload it (current version ${currentVersion})`, { type, id, currentVersion });
  }
}

/** A write to (or under) a record merged into another one: nothing was written; the client opens the survivor. */
export class CustomerMergedError extends ConflictError {
  constructor(id?: string) {
    super('This account was merged into another one; open it again and write there', {
      reason: 'CUSTOMER_MERGED',
      type: 'Customer',
      ...(id ? { id } : {}),
    });
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'Not allowed', extensions: Record<string, unknown> = {}) {
    super(message, extensions);
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Sign in first') {
    super(message);
  }
}

/**
 * A request refused before it runs (limits, rate limits, idempotency): a GraphQLError so Apollo
 * answers with its HTTP status and headers. The message never names a configured limit.
 */
export class RequestRejectedError extends GraphQLError {
  /** The input at fault, when one is (sent as `extensions.field`). */
  readonly field: string | undefined;
  constructor(message: string, code: string, status: number, headers: Record<string, string> = {}, field?: string) {
    super(message, { extensions: { code, http: { status, headers: new Map(Object.entries(headers)) } } });
    this.field = field;
    this.name = 'RequestRejectedError';
  }
}

/** SQLSTATEs after which the whole request transaction may simply run again. */
export const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
/** statement_timeout, a cancelled query, lock_timeout. */
export const TIMEOUT_SQLSTATES = new Set(['57014', '55P03']);

/** The SQLSTATE of a database error, however deeply it was wrapped. */
export function sqlStateOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const { code, originalError, cause } = current as { code?: unknown; originalError?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = originalError ?? cause;
  }
  return undefined;
}

/** The connection went away (terminated backend, restart, network): the transaction is lost, committed only if it was mid-COMMIT. */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const CONNECTION_ERRORS =
  /Connection terminated|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|Client has encountered a connection error|Knex: Timeout acquiring a connection|terminating connection/i;

export type Failure = 'retry' | 'unavailable' | null;

/** Whether a failure is one after which the whole request may run again from the start. */
export function classifyFailure(error: unknown): Failure {
  const state = sqlStateOf(error);
  if (state && RETRYABLE_SQLSTATES.has(state)) return 'retry';
  if (state && CONNECTION_SQLSTATES.has(state)) return 'unavailable';
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (CONNECTION_ERRORS.test(current.message) || CONNECTION_ERRORS.test(String((current as { code?: unknown }).code ?? '')))
      return 'unavailable';
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return null;
}
