import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Contact } from '../contact/contact.entity.js';
import { Channel, Customer } from '../customer/customer.entity.js';
import { User } from '../user/user.entity.js';

export enum InteractionKind {
  VISIT = 'VISIT',
  CALL = 'CALL',
  EMAIL = 'EMAIL',
  MEETING = 'MEETING',
  DEMO = 'DEMO',
  SERVICE_REQUEST = 'SERVICE_REQUEST',
  INSTALLATION = 'INSTALLATION',
  REPAIR = 'REPAIR',
  COMPLAINT = 'COMPLAINT',
  SUGGESTION = 'SUGGESTION',
}
registerEnumType(InteractionKind, { name: 'InteractionKind' });

@ObjectType({ simpleResolvers: true, description: 'A follow-up, visit, call or after-sales event on a customer.' })
@Entity({ tableName: 'interaction' })
@Index({ name: 'interaction_customer_timeline_idx', properties: ['customer', 'occurredAt', 'id'] })
@Index({ properties: ['occurredAt', 'id'] })
export class Interaction extends BaseEntity {
  @ManyToOne(() => Customer, { ref: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @ManyToOne(() => Contact, { ref: true, nullable: true, index: true, deleteRule: 'set null' })
  contact?: Ref<Contact> | null;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  author!: Ref<User>;

  @Field(() => InteractionKind)
  @Enum({ items: () => InteractionKind, nativeEnumName: 'interaction_kind' })
  kind!: InteractionKind;

  @Field(() => Channel)
  @Enum({ items: () => Channel, nativeEnumName: 'channel' })
  channel!: Channel;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @Field(() => String)
  @Property({ type: 'text' })
  summary!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  outcome?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  nextStep?: string | null;

  @Field(() => String, { nullable: true, description: 'Follow-up date (YYYY-MM-DD).' })
  @Property({ type: 'date', nullable: true })
  @Index()
  followUpOn?: string | null;
}
