import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const PG_TIMESTAMPTZ = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * Raw reads return `timestamptz` as PostgreSQL text (microseconds kept, which keyset cursors
 * rely on); hydrated entities hold Dates. Both serialise as ISO 8601 in UTC.
 */
export function toIsoString(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') {
    const match = PG_TIMESTAMPTZ.exec(value);
    if (match) {
      let zone = match[3]!;
      if (zone !== 'Z') zone = zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
      const date = new Date(`${match[1]}T${match[2]}${zone}`);
      if (!Number.isNaN(date.getTime())) return date.toISOString();
    }
  }
  throw new TypeError('not a timestamp');
}

/**
 * Years 1–9999 in UTC only: PostgreSQL writes an earlier time with a " BC" suffix and a later one
 * with a five-digit year, which neither a raw read's text (`toIsoString`) nor a compiled read's
 * `to_char` writes as Date#toISOString would; an offset can carry a date of year 1 or 9999 over.
 */
const FIRST = Date.parse('0001-01-01T00:00:00Z');
const AFTER_LAST = Date.parse('+010000-01-01T00:00:00Z');

function parse(value: unknown): Date {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    const date = new Date(value);
    const time = date.getTime();
    if (!Number.isNaN(time) && time >= FIRST && time < AFTER_LAST) return date;
  }
  throw new GraphQLError('DateTime must be an ISO 8601 date-time with a time zone, in the years 1–9999, e.g. "2026-01-31T09:30:00Z".', {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'A point in time, ISO 8601 with a time zone (always UTC on output).',
  serialize: toIsoString,
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING) return parse(ast.value);
    throw new GraphQLError('DateTime must be a string.', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
