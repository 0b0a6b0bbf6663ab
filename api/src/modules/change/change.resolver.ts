import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '../../common/access/index.js';
import { ANY_USER, scope } from '../access/index.js';
import { connectionType } from '../../common/graphql/connection.js';
import { viewerOf, type Context } from '../../context.js';
import { Contact } from '../contact/contact.entity.js';
import { Customer } from '../customer/customer.entity.js';
import { EvaluationCycle } from '../evaluation/evaluation.entity.js';
import { Interaction } from '../interaction/interaction.entity.js';
import { LifecycleChangeRequest } from '../lifecycle/lifecycle.entity.js';
import { Order } from '../order/order.entity.js';
import { TransferRequest } from '../transfer/transfer.entity.js';
import type { ChangeEventView } from './change.service.js';
import { ChangeEntity, ChangeEventNode, ChangesArgs } from './change.types.js';

export const ChangeEventConnection = connectionType(ChangeEventNode, 'ChangeEvent');

/** Users, and API keys holding any read scope: each sees only the kinds of record its scopes cover. */
const FEED_READERS = [
  ...ANY_USER,
  scope(Scope.CUSTOMERS_READ),
  scope(Scope.CONTACTS_READ),
  scope(Scope.INTERACTIONS_READ),
  scope(Scope.ORDERS_READ),
  scope(Scope.EVALUATIONS_READ),
];

@Resolver(() => ChangeEventNode)
export class ChangeResolver {
  @Authorized(FEED_READERS)
  @Query(() => ChangeEventConnection, {
    description:
      'Committed changes in feed order, as the viewer may see them: pass the last cursor as `after` to continue. Events appear once every earlier transaction has ended, so a cursor never skips a late commit; a cursor older than the retention fails with CURSOR_EXPIRED (resync).',
  })
  changes(@Args(() => ChangesArgs) args: ChangesArgs, @Ctx() context: Context) {
    return context.services.changes.list(viewerOf(context), args);
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The account, now, as the viewer may see it; null for a tombstone.' })
  customer(@Root() event: ChangeEventView, @Ctx() { loaders }: Context) {
    return event.tombstone || !event.customerId ? null : loaders.byId(Customer).load(event.customerId);
  }

  @FieldResolver(() => Contact, { nullable: true, description: 'The contact, now, for contact events.' })
  contact(@Root() event: ChangeEventView, @Ctx() { loaders }: Context) {
    return recordOf(event, ChangeEntity.CONTACT) && loaders.byId(Contact).load(event.entityId);
  }

  @FieldResolver(() => Interaction, { nullable: true, description: 'The interaction, now, for interaction events.' })
  interaction(@Root() event: ChangeEventView, @Ctx() { loaders }: Context) {
    return recordOf(event, ChangeEntity.INTERACTION) && loaders.byId(Interaction).load(event.entityId);
  }

  @FieldResolver(() => Order, { nullable: true, description: 'The order, now, for order events.' })
  order(@Root() event: ChangeEventView, @Ctx() { loaders }: Context) {
    return recordOf(event, ChangeEntity.ORDER) && loaders.byId(Order).load(event.entityId);
  }

  @FieldResolver(() => TransferRequest, { nullable: true, description: 'The transfer request, now, for transfer events.' })
  transfer(@Root() event: ChangeEventView, @Ctx() { loaders }: Context) {
    return recordOf(event, ChangeEntity.TRANSFER) && loaders.byId(TransferRequest).load(event.entityId);
  }

  @FieldResolver(() => LifecycleChangeRequest, { nullable: true, description: 'The stage change request, now, for stage_change events.' })
  stageChange(@Root() event: ChangeEventView, @Ctx() { loaders }: Context) {
    return recordOf(event, ChangeEntity.STAGE_CHANGE) && loaders.byId(LifecycleChangeRequest).load(event.entityId);
  }

  @FieldResolver(() => EvaluationCycle, { nullable: true, description: 'The cycle, for evaluation_cycle events.' })
  evaluationCycle(@Root() event: ChangeEventView, @Ctx() { loaders }: Context) {
    return recordOf(event, ChangeEntity.EVALUATION_CYCLE) && loaders.byId(EvaluationCycle).load(event.entityId);
  }
}

/** Whether the event's record is of this kind and still the viewer's to read (null otherwise, as a field value). */
function recordOf(event: ChangeEventView, entity: ChangeEntity): true | null {
  return event.entity === entity && !event.tombstone ? true : null;
}
