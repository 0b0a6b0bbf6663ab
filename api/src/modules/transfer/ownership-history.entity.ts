import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Customer } from '../customer/customer.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';

/**
 * Effective-dated ownership: who owned an account, in which territory, from when until when.
 * Written only by a database trigger on customer, so no path can change an owner without it.
 */
@ObjectType({ simpleResolvers: true, description: 'One period of ownership of an account.' })
@Entity({ tableName: 'ownership_history' })
@Index({ properties: ['customer', 'validFrom'] })
export class OwnershipPeriod {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Customer, { ref: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  owner!: Ref<User>;

  @ManyToOne(() => Region, { ref: true, index: true, deleteRule: 'restrict' })
  territory!: Ref<Region>;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  validFrom!: Date;

  @Field(() => Date, { nullable: true, description: 'Null while current.' })
  @Property({ type: 'timestamptz', nullable: true })
  validTo?: Date | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @ManyToOne(() => User, { ref: true, nullable: true, index: true, deleteRule: 'set null' })
  changedBy?: Ref<User> | null;
}
