import { Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Customer } from '../customer/customer.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';

export enum TransferStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(TransferStatus, { name: 'TransferStatus' });

@ObjectType({
  simpleResolvers: true,
  description: 'A request to move an account to another owner or territory, decided by a manager or an admin.',
})
@Entity({ tableName: 'transfer_request' })
@Index({ properties: ['status', 'createdAt'] })
export class TransferRequest extends BaseEntity {
  @ManyToOne(() => Customer, { ref: true, index: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  fromOwner!: Ref<User>;

  @ManyToOne(() => Region, { ref: true, index: true, deleteRule: 'restrict' })
  fromTerritory!: Ref<Region>;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  toOwner!: Ref<User>;

  @ManyToOne(() => Region, { ref: true, index: true, deleteRule: 'restrict' })
  toTerritory!: Ref<Region>;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  requestedBy!: Ref<User>;

  @Field(() => String)
  @Property({ type: 'text' })
  reason!: string;

  @Field(() => TransferStatus)
  @Enum({ items: () => TransferStatus, nativeEnumName: 'transfer_status' })
  status!: TransferStatus;

  @ManyToOne(() => User, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  decidedBy?: Ref<User> | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  decisionComment?: string | null;
}
