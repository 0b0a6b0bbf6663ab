import { Collection, Entity, Enum, ManyToMany, Property, type Opt } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../../common/access/index.js';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Region } from '../region/region.entity.js';

registerEnumType(Role, { name: 'Role', description: 'What a console user is.' });

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'app_user' })
export class User extends BaseEntity {
  /** Stored lower-cased; uniqueness is case-insensitive by construction. */
  @Field(() => String)
  @Property({ type: 'text', unique: 'app_user_email_unique' })
  email!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Field(() => Role)
  @Enum({ items: () => Role, nativeEnumName: 'role' })
  role!: Role;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: true })
  active: Opt<boolean> = true;

  /**
   * Carried by every token (claim `sv`); a token whose version is not the current one is refused.
   * Bumped on a password change, deactivation, a role change and "sign out everywhere".
   */
  @Property({ type: 'integer', default: 1, hidden: true })
  sessionVersion: Opt<number> = 1;

  /** Managers: the regions they oversee, each with everything below it. */
  @ManyToMany(() => Region, undefined, { pivotTable: 'user_managed_region', joinColumn: 'user_id', inverseJoinColumn: 'region_id' })
  managedRegions = new Collection<Region>(this);

  /** Reps: the territories they work in. */
  @ManyToMany(() => Region, undefined, { pivotTable: 'user_territory', joinColumn: 'user_id', inverseJoinColumn: 'region_id' })
  territories = new Collection<Region>(this);
}
