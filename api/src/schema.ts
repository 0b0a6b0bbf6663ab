import { buildSchema } from 'type-graphql';
import { authChecker } from './modules/access/operation.policy.js';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { passThroughCompiled } from './common/graphql/compile/passthrough.js';
import { refuseHiddenFields } from './modules/access/access.fields.js';
import { DateTime } from './common/graphql/datetime.scalar.js';
import { TopicPubSub } from './common/graphql/pubsub.js';
import { ApiKeyResolver } from './modules/api-key/api-key.resolver.js';
import {
  AssignmentRuleResolver,
  RealignmentGroupResolver,
  RealignmentJobResolver,
  RealignmentMoveResolver,
  RealignmentResolver,
} from './modules/assignment/assignment.resolver.js';
import { AuditResolver } from './modules/audit/audit.resolver.js';
import { ExplainAccessResolver } from './modules/access/explain.resolver.js';
import { AuthResolver } from './modules/access/sign-in.resolver.js';
import { ChangeResolver } from './modules/change/change.resolver.js';
import {
  CustomerLineageResolver,
  CustomerMergeResolver,
  DuplicateCandidateResolver,
  MergeResultResolver,
} from './modules/merge/merge.resolver.js';
import { NotificationResolver } from './modules/notification/notification.resolver.js';
import { ContactResolver } from './modules/contact/contact.resolver.js';
import { CustomerResolver } from './modules/customer/customer.resolver.js';
import { EvaluationCycleResolver, EvaluationResolver } from './modules/evaluation/evaluation.resolver.js';
import {
  EvaluationCycleAdminResolver,
  EvaluationFeedResolver,
  EvaluationRunResolver,
} from './modules/evaluation/evaluation-cycle.resolver.js';
import { ImportResolver, ImportRowResolver, ImportTemplateResolver } from './modules/import/import.resolver.js';
import { InteractionResolver } from './modules/interaction/interaction.resolver.js';
import {
  CustomerLifecycleResolver,
  LifecycleAlertResolver,
  LifecycleChangeRequestResolver,
  LifecycleResolver,
  LifecycleTransitionResolver,
} from './modules/lifecycle/lifecycle.resolver.js';
import { OrderResolver, PaymentResolver } from './modules/order/order.resolver.js';
import { RegionResolver } from './modules/region/region.resolver.js';
import { TargetResolver } from './modules/target/target.resolver.js';
import { CustomerOwnershipResolver, OwnershipPeriodResolver } from './modules/transfer/ownership.resolver.js';
import { ReassignmentResolver } from './modules/transfer/reassignment.resolver.js';
import { TransferResolver } from './modules/transfer/transfer.resolver.js';
import { UserResolver } from './modules/user/user.resolver.js';
import { WebhookResolver } from './modules/webhook/webhook.resolver.js';

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
  CustomerOwnershipResolver,
  OwnershipPeriodResolver,
  TransferResolver,
  DuplicateCandidateResolver,
  CustomerMergeResolver,
  MergeResultResolver,
  CustomerLineageResolver,
  ReassignmentResolver,
  ApiKeyResolver,
  AuditResolver,
  ExplainAccessResolver,
  EvaluationCycleAdminResolver,
  EvaluationRunResolver,
  EvaluationFeedResolver,
  LifecycleResolver,
  CustomerLifecycleResolver,
  LifecycleTransitionResolver,
  LifecycleChangeRequestResolver,
  LifecycleAlertResolver,
  TargetResolver,
  ChangeResolver,
  NotificationResolver,
  WebhookResolver,
  AssignmentRuleResolver,
  RealignmentResolver,
  RealignmentJobResolver,
  RealignmentGroupResolver,
  RealignmentMoveResolver,
  ImportResolver,
  ImportRowResolver,
  ImportTemplateResolver,
] as const;

/**
 * Fields a masked row may not show refuse at the field (access.fields.ts); objects of compiled
 * reads pass through the field resolvers unchanged (common/graphql/compile).
 * `pubSub` carries the app's wake-ups to its subscriptions; the schema alone (emitted, tested)
 * needs none of its own.
 */
export async function createSchema(pubSub: TopicPubSub = new TopicPubSub()): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    authChecker,
    pubSub,
    // Unauthenticated callers get UNAUTHENTICATED, signed-in callers without the role FORBIDDEN.
    authMode: 'error',
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
    scalarsMap: [{ type: Date, scalar: DateTime }],
  });
  return passThroughCompiled(refuseHiddenFields(schema));
}

/** The published SDL: what `npm run schema:emit` commits as schema/schema.graphql and the server serves at /schema.graphql. */
export function schemaSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
