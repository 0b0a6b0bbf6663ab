import { buildSchema, type AuthChecker } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { DateTime } from './common/graphql/datetime.scalar.js';
import type { Context } from './context.js';
import { AuthResolver } from './modules/auth/auth.resolver.js';
import { ContactResolver } from './modules/contact/contact.resolver.js';
import { CustomerResolver } from './modules/customer/customer.resolver.js';
import { EvaluationCycleResolver, EvaluationResolver } from './modules/evaluation/evaluation.resolver.js';
import { InteractionResolver } from './modules/interaction/interaction.resolver.js';
import { OrderResolver, PaymentResolver } from './modules/order/order.resolver.js';
import { RegionResolver } from './modules/region/region.resolver.js';
import { UserResolver } from './modules/user/user.resolver.js';

/** Every resolver, registered explicitly. */
export const resolvers = [
  AuthResolver,
  RegionResolver,
  UserResolver,
  CustomerResolver,
  ContactResolver,
  InteractionResolver,
  OrderResolver,
  PaymentResolver,
  EvaluationCycleResolver,
  EvaluationResolver,
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
    scalarsMap: [{ type: Date, scalar: DateTime }],
  });
}
