import { buildSchema, type AuthChecker } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import type { Context } from './context.js';
import { AuthResolver } from './modules/auth/auth.resolver.js';
import { CustomerResolver } from './modules/customer/customer.resolver.js';
import { RegionResolver } from './modules/region/region.resolver.js';
import { UserResolver } from './modules/user/user.resolver.js';

/** Every resolver, registered explicitly. */
export const resolvers = [
  AuthResolver,
  RegionResolver,
  UserResolver,
  CustomerResolver,
] as const;

/** The one auth checker: a signed-in viewer, and one of the roles when the operation names any. */
export const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  const viewer = context.viewer;
  if (!viewer) return false;
  return roles.length === 0 || roles.includes(viewer.role);
};

export function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker,
    // Unauthenticated callers get UNAUTHENTICATED, signed-in callers without the role FORBIDDEN.
    authMode: 'error',
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  });
}
