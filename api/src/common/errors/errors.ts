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
  constructor(field: string, message: string) {
    super(message, { field });
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
