import { GraphQLError, GraphQLScalarType } from 'graphql';

/** A JSON object, for audit before/after snapshots. Output only. */
export const GraphQLJSONObject = new GraphQLScalarType<unknown, Record<string, unknown>>({
  name: 'JSONObject',
  description: 'A JSON object.',
  serialize: (value) => (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>,
  parseValue() {
    throw new GraphQLError('JSONObject is output only.', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
