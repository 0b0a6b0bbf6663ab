import { BadUserInputError } from '../errors/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** An id given in input: anything but a UUID is the client's mistake, named by field. */
export function requireId(value: string, field: string): string {
  if (!isUuid(value)) throw new BadUserInputError(field, `${field} is not a valid id`);
  return value.toLowerCase();
}

const BIGINT_MAX = 2n ** 63n - 1n;

/** A bigint id given in input (a change event, an attempt): digits within PostgreSQL's bigint, else the client's mistake. */
export function isBigintId(value: string): boolean {
  return /^\d{1,19}$/.test(value) && BigInt(value) <= BIGINT_MAX;
}
