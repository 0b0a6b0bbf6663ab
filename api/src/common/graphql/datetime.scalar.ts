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

function parse(value: unknown): Date {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new GraphQLError('DateTime must be an ISO 8601 date-time with a time zone, e.g. "2026-01-31T09:30:00Z".', {
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
