import { defaultFieldResolver, isObjectType, type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { isPlainField } from '../../common/graphql/compile/passthrough.js';
import { CONTACT_PII_FIELDS, CUSTOMER_GROUP_OF, HIDDEN, type CustomerGroup } from './access.masks.js';

type Readable = (source: object) => boolean;

/** Whether the masked row may show a field, per object type; fields not listed always may. */
function readableFieldsOf(typeName: string): ReadonlyMap<string, Readable> | undefined {
  if (typeName === 'Customer') {
    return new Map(
      [...CUSTOMER_GROUP_OF].flatMap(([field, group]) => (group === 'directory' ? [] : [[field, groupReadable(group)] as const])),
    );
  }
  if (typeName === 'Contact') return new Map(CONTACT_PII_FIELDS.map((field) => [field, piiReadable] as const));
  return undefined;
}

function groupReadable(group: CustomerGroup): Readable {
  return (source) => (source as { readable?: ReadonlySet<CustomerGroup> }).readable?.has(group) === true;
}

const piiReadable: Readable = (source) => (source as { piiReadable?: boolean }).piiReadable === true;

/**
 * Makes each field that answers a masked row's property (no field resolver: those check the group
 * themselves, `assertReadable`) refuse when the row does not have that field's group: null, with
 * the FORBIDDEN error `HIDDEN` for its path. Only Customer's non-directory fields and Contact's
 * personal data are wrapped; compiled objects never reach the check (passthrough.ts answers them
 * first). Applied once, to the built schema, before `passThroughCompiled`.
 */
export function refuseHiddenFields(schema: GraphQLSchema): GraphQLSchema {
  for (const typeName of ['Customer', 'Contact']) {
    const type = schema.getType(typeName);
    const readable = readableFieldsOf(typeName);
    if (!isObjectType(type) || !readable) throw new Error(`refuseHiddenFields: no object type ${typeName}`);
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const mayRead = readable.get(field.name);
      if (!mayRead || !isPlainField(type, field)) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        if (!mayRead(source as object)) throw HIDDEN;
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
