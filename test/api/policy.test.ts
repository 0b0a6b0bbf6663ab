import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { createSchema } from '../../api/src/schema.js';
import { CUSTOMER_FIELD_GROUPS } from '../../api/src/modules/access/access.masks.js';
import { TYPE_POLICIES } from '../../api/src/modules/access/type.policy.js';

/** Operations anyone may call, each with the reason. Everything else must declare its callers. */
const PUBLIC_OPERATIONS: Record<string, string> = {
  'Mutation.login': 'signing in is how a client gets a token',
};

/** Plumbing types that carry no data of their own. */
const WRAPPER = /(Connection|Edge)$|^PageInfo$/;

function operationPolicies(schema: GraphQLSchema): Record<string, string[] | 'PUBLIC'> {
  const storage = getMetadataStorage();
  const declared = new Map<string, string[] | undefined>();
  for (const [kind, list] of [
    ['Query', storage.queries],
    ['Mutation', storage.mutations],
    ['Subscription', storage.subscriptions],
  ] as const) {
    for (const resolver of list) declared.set(`${kind}.${resolver.schemaName}`, resolver.roles);
  }
  const policies: Record<string, string[] | 'PUBLIC'> = {};
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const key = `${root!.name}.${field.name}`;
      const roles = declared.get(key);
      policies[key] = roles ? [...roles].sort() : 'PUBLIC';
    }
  }
  return policies;
}

describe('permission policy', () => {
  it('declares who may call every query, mutation and subscription; only the listed ones are public', async () => {
    const policies = operationPolicies(await createSchema());
    const undeclared = Object.entries(policies)
      .filter(([key, roles]) => roles === 'PUBLIC' && !PUBLIC_OPERATIONS[key])
      .map(([key]) => key);
    expect(undeclared).toEqual([]);
    // A diff of this snapshot is a permission change: review it as one.
    await expect(JSON.stringify(policies, null, 2)).toMatchFileSnapshot('./__snapshots__/operation-policies.json');
  });

  it('declares who may read every object type, and puts every customer field in a group', async () => {
    const schema = await createSchema();
    const types = Object.values(schema.getTypeMap()).filter(
      (type) =>
        isObjectType(type) &&
        !type.name.startsWith('__') &&
        !['Query', 'Mutation', 'Subscription'].includes(type.name) &&
        !WRAPPER.test(type.name),
    );
    const undeclared = types.map((type) => type.name).filter((name) => !TYPE_POLICIES[name]);
    expect(undeclared).toEqual([]);

    const customer = schema.getType('Customer');
    if (!isObjectType(customer)) throw new Error('Customer is not an object type');
    const grouped = new Set<string>(Object.values(CUSTOMER_FIELD_GROUPS).flat());
    const ungrouped = Object.keys(customer.getFields()).filter((field) => !grouped.has(field));
    expect(ungrouped).toEqual([]);
    // Everything but the directory card must be nullable, so it can be withheld.
    const directory = new Set<string>(CUSTOMER_FIELD_GROUPS.directory);
    const required = Object.values(customer.getFields())
      .filter((field) => !directory.has(field.name) && field.type.toString().endsWith('!'))
      .map((field) => field.name);
    expect(required).toEqual([]);

    const fields = Object.fromEntries(
      types.map((type) => [
        type.name,
        {
          policy: TYPE_POLICIES[type.name],
          fields: isObjectType(type)
            ? Object.values(type.getFields())
                .map((field) => `${field.name}: ${getNamedType(field.type).name}`)
                .sort()
            : [],
        },
      ]),
    );
    await expect(JSON.stringify(fields, null, 2)).toMatchFileSnapshot('./__snapshots__/type-policies.json');
  });
});
