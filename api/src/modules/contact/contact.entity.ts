import { Entity, Enum, Index, ManyToOne, Property, type Ref, type Opt } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Channel, Customer } from '../customer/customer.entity.js';

export enum DecisionRole {
  DECISION_MAKER = 'DECISION_MAKER',
  INFLUENCER = 'INFLUENCER',
  BUYER = 'BUYER',
  USER = 'USER',
  GATEKEEPER = 'GATEKEEPER',
  OTHER = 'OTHER',
}
export enum ContactFrequency {
  WEEKLY = 'WEEKLY',
  BIWEEKLY = 'BIWEEKLY',
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  YEARLY = 'YEARLY',
  ON_DEMAND = 'ON_DEMAND',
}
registerEnumType(DecisionRole, { name: 'DecisionRole' });
registerEnumType(ContactFrequency, { name: 'ContactFrequency', description: 'How often the contact wants to be contacted.' });

/** IM handles by network, e.g. `{ "wechat": "zhang_wei", "qq": "123456" }`. */
export type ImHandles = Record<string, string>;

@ObjectType({ simpleResolvers: true, description: 'A decision maker or responsible person at a customer.' })
@Entity({ tableName: 'contact' })
export class Contact extends BaseEntity {
  @ManyToOne(() => Customer, { ref: true, index: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  title?: string | null;

  @Field(() => DecisionRole, { nullable: true })
  @Enum({ items: () => DecisionRole, nativeEnumName: 'decision_role', nullable: true })
  decisionRole?: DecisionRole | null;

  @Field(() => String, { nullable: true, description: 'Direct line.' })
  @Property({ type: 'text', nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  @Index()
  mobile?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  @Index()
  email?: string | null;

  @Property({ type: 'jsonb', default: '{}' })
  imHandles: Opt<ImHandles> = {};

  @Field(() => Channel, { nullable: true })
  @Enum({ items: () => Channel, nativeEnumName: 'channel', nullable: true })
  preferredChannel?: Channel | null;

  @Field(() => ContactFrequency, { nullable: true })
  @Enum({ items: () => ContactFrequency, nativeEnumName: 'contact_frequency', nullable: true })
  preferredFrequency?: ContactFrequency | null;

  @Field(() => Boolean, { description: 'The contact agreed to be contacted for marketing.' })
  @Property({ type: 'boolean', default: false })
  consent: Opt<boolean> = false;
}
