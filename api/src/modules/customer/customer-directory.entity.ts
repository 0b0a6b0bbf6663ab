import { Entity, Index, ManyToOne, OneToOne, Property, type Ref } from '@mikro-orm/core';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { Customer } from './customer.entity.js';

/**
 * What every signed-in user may know of any account: that it exists, its name, territory and
 * owner — plus the keys duplicate detection matches on, which are never returned. Kept by
 * triggers on customer and contact, so it cannot drift; row-level security lets everyone read
 * it while `customer` itself is scoped to the accounts a viewer may open.
 */
@Entity({ tableName: 'customer_directory' })
export class CustomerDirectoryEntry {
  @OneToOne(() => Customer, { ref: true, primary: true, deleteRule: 'cascade', fieldName: 'customer_id', owner: true })
  customer!: Ref<Customer>;

  @Property({ type: 'text' })
  legalName!: string;

  @Property({ type: 'text' })
  @Index()
  normalizedName!: string;

  @Property({ type: 'text', nullable: true })
  @Index()
  registrationId?: string | null;

  @Property({ type: 'text', nullable: true })
  @Index()
  websiteDomain?: string | null;

  /** Contacts' phone numbers, digits only. */
  @Property({ type: 'text[]' })
  phones!: string[];

  /** Domains of contacts' email addresses. */
  @Property({ type: 'text[]' })
  emailDomains!: string[];

  @ManyToOne(() => Region, { ref: true, index: true, deleteRule: 'no action' })
  territory!: Ref<Region>;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'no action' })
  owner!: Ref<User>;

  @Property({ type: 'timestamptz', nullable: true })
  archivedAt?: Date | null;
}
