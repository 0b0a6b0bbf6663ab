import { Entity, Enum, Index, ManyToOne, PrimaryKey, type Ref } from '@mikro-orm/core';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { Customer } from './customer.entity.js';

/** The keys that identify a company: two live customers never share one. */
export enum IdentityKind {
  NAME = 'NAME',
  REGISTRATION = 'REGISTRATION',
  DOMAIN = 'DOMAIN',
}

/**
 * One identity key of a live (not archived) customer. The primary key (kind, key) is the
 * invariant "one company, one record, one owner": whichever request, process or replica writes
 * a customer, PostgreSQL refuses a second holder of the same key. Written only by the triggers on
 * `customer` (migration Migration20261202000000), never by requests; requests cannot read it and
 * learn of a match only through `app_identity_holders`, which answers with the holder's id, owner
 * and territory alone. Owner and territory are copied here so that lookup needs no row-level
 * security exemption on `customer`.
 */
@Entity({ tableName: 'customer_identity' })
export class CustomerIdentity {
  @Enum({ items: () => IdentityKind, nativeEnumName: 'identity_kind', primary: true })
  kind!: IdentityKind;

  @PrimaryKey({ type: 'text' })
  key!: string;

  @ManyToOne(() => Customer, { ref: true, deleteRule: 'cascade' })
  @Index()
  customer!: Ref<Customer>;

  @ManyToOne(() => User, { ref: true, deleteRule: 'no action' })
  owner!: Ref<User>;

  @ManyToOne(() => Region, { ref: true, deleteRule: 'no action' })
  territory!: Ref<Region>;
}
