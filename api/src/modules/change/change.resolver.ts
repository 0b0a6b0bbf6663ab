import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Role, Scope } from '../../common/access/index.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { ANY_USER, scope } from '../access/index.js';
import { connectionType } from '../../common/graphql/connection.js';
import { viewerOf, type Context } from '../../context.js';
import { Contact } from '../contact/contact.entity.js';
import { Customer } from '../customer/customer.entity.js';
import { EvaluationCycle } from '../evaluation/evaluation.entity.js';
import { Interaction } from '../interaction/interaction.entity.js';
import { LifecycleChangeRequest } from '../lifecycle/lifecycle.entity.js';
import { Order } from '../order/order.entity.js';
import { canSeeTransfer, partiesOf } from '../transfer/index.js';
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

  @FieldResolver(() => TransferRequest, {
    nullable: true,
    description: 'The transfer request, now, for transfer events; null unless the viewer may see the request (`transferRequest(id)`).',
  })
  async transfer(@Root() event: ChangeEventView, @Ctx() context: Context) {
    if (!recordOf(event, ChangeEntity.TRANSFER)) return null;
    const row = await context.loaders.byId(TransferRequest).load(event.entityId);
    return row && canSeeTransfer(viewerOf(context), partiesOf(row as unknown as TransferRequest)) ? row : null;
  }

  @FieldResolver(() => LifecycleChangeRequest, {
    nullable: true,
    description:
      'The stage change request, now, for stage_change events; null unless the viewer may see the request (`stageChangeRequests`).',
  })
  async stageChange(@Root() event: ChangeEventView, @Ctx() context: Context) {
    if (!recordOf(event, ChangeEntity.STAGE_CHANGE)) return null;
    const row = await context.loaders.byId(LifecycleChangeRequest).load(event.entityId);
    const viewer = viewerOf(context);
    if (!row || viewer.kind !== 'USER') return null;
    // As stageChangeRequests: a rep sees the requests they filed and those on accounts they own.
    if (viewer.role !== Role.REP || idOf(row.requestedBy as RelationValue) === viewer.id) return row;
    const customer = await context.loaders.byId(Customer).load(idOf(row.customer as RelationValue)!);
    return customer && idOf(customer.owner as RelationValue) === viewer.id ? row : null;
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
