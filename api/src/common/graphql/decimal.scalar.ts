import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DECIMAL = /^-?\d{1,18}(\.\d{1,6})?$/;

function parse(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text.trim())) {
    throw new GraphQLError('Decimal must be a decimal number written as a string, e.g. "1234.50".', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return text.trim();
}

/** Exact decimal, as a string on the wire, so money never passes through a float. */
export const Decimal = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number, serialised as a string (e.g. "1234.50").',
  serialize: (value) => String(value),
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parse(ast.value);
    throw new GraphQLError('Decimal must be a string.', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
