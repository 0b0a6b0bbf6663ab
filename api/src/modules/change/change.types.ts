import { ArgsType, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../../common/graphql/connection.js';

/** What a change feed event is about. */
export enum ChangeEntity {
  CUSTOMER = 'customer',
  CONTACT = 'contact',
  INTERACTION = 'interaction',
  ORDER = 'order',
  TRANSFER = 'transfer',
  STAGE_CHANGE = 'stage_change',
  EVALUATION_CYCLE = 'evaluation_cycle',
}
registerEnumType(ChangeEntity, { name: 'ChangeEntity', description: 'The kind of record a change event is about.' });

export enum ActorKind {
  USER = 'USER',
  API_KEY = 'API_KEY',
  SYSTEM = 'SYSTEM',
}
registerEnumType(ActorKind, { name: 'ActorKind', description: 'Who made a change: a signed-in user, an API key, or the system.' });

@ObjectType({ simpleResolvers: true, description: 'Who made a change.' })
export class ChangeActor {
  @Field(() => ActorKind)
  kind!: ActorKind;

  @Field(() => ID, { nullable: true, description: 'The user or API key; null for the system.' })
  id!: string | null;
}

/**
 * One committed change, as the reader may see it. The record itself (customer, contact, …) is
 * read now, with the same masks as any read; a tombstone says the record left the reader's
 * reach or was deleted, so a mirror removes it.
 */
@ObjectType('ChangeEvent', { description: 'A committed change to a record the reader may see (or a tombstone when it left their reach).' })
export class ChangeEventNode {
  @Field(() => ID, { description: 'Unique and stable: receivers deduplicate by it.' })
  id!: string;

  @Field(() => String, { description: 'e.g. customer.created, customer.updated, customer.owner_changed, interaction.created.' })
  type!: string;

  @Field(() => ChangeEntity)
  entity!: ChangeEntity;

  @Field(() => ID)
  entityId!: string;

  @Field(() => ID, { nullable: true, description: 'The account the change belongs to; null for company-wide changes.' })
  customerId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'For customer.merged: the survivor, now, when the reader may know it (see Customer.mergedInto); null otherwise, as for a record that was only archived.',
  })
  mergedInto!: string | null;

  @Field(() => [String], { description: 'The fields that changed (all set fields for a creation), as the API names them.' })
  fields!: string[];

  @Field(() => Boolean, { description: 'The record left the reader’s reach, was archived or deleted: remove it from a mirror.' })
  tombstone!: boolean;

  @Field(() => ChangeActor)
  actor!: ChangeActor;

  @Field(() => String, { description: 'console, api_key, import or system.' })
  origin!: string;

  @Field(() => Date)
  occurredAt!: Date;
}

@ArgsType()
export class ChangesArgs extends PageArgs {
  @Field(() => [String], { nullable: true, description: 'Only these event types (e.g. ["customer.owner_changed"]).' })
  types?: string[];

  @Field(() => [ChangeEntity], { nullable: true, description: 'Only events about these kinds of record.' })
  entities?: ChangeEntity[];
}
