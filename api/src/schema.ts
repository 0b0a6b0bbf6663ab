import { buildSchema } from 'type-graphql';
import { authChecker } from './common/auth/policy.js';
import type { GraphQLSchema } from 'graphql';
import { DateTime } from './common/graphql/datetime.scalar.js';
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
