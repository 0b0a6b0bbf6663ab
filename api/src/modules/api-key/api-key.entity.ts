import { Collection, Entity, Enum, ManyToMany, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';

export enum ApiKeyKind {
  /** A third-party system: reads customer-360s, pushes interactions and orders. */
  INTEGRATOR = 'INTEGRATOR',
  /** A BI tool: read-only bulk pulls. */
  BI = 'BI',
}
registerEnumType(ApiKeyKind, { name: 'ApiKeyKind' });

export enum Scope {
  CUSTOMERS_READ = 'customers:read',
  CUSTOMERS_WRITE = 'customers:write',
  CONTACTS_READ = 'contacts:read',
  CONTACTS_WRITE = 'contacts:write',
  PII_READ = 'pii:read',
  INTERACTIONS_READ = 'interactions:read',
  INTERACTIONS_WRITE = 'interactions:write',
  ORDERS_READ = 'orders:read',
  ORDERS_WRITE = 'orders:write',
  EVALUATIONS_READ = 'evaluations:read',
}
registerEnumType(Scope, {
  name: 'Scope',
  description: 'What an API key may do. Write scopes are for integrators; BI keys are read-only.',
});

export const READ_SCOPES: readonly Scope[] = [
  Scope.CUSTOMERS_READ,
  Scope.CONTACTS_READ,
  Scope.PII_READ,
  Scope.INTERACTIONS_READ,
  Scope.ORDERS_READ,
  Scope.EVALUATIONS_READ,
];

@ObjectType({ simpleResolvers: true, description: 'A credential for an integration or a BI tool. The secret is shown once, at creation.' })
@Entity({ tableName: 'api_key' })
export class ApiKey extends BaseEntity {
  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { description: 'Readable, non-secret part of the key (`acc_<prefix>_…`).' })
  @Property({ type: 'text', unique: 'api_key_prefix_unique' })
  prefix!: string;

  /** SHA-256 of the secret: the secret is random and long, so a slow hash adds nothing. */
  @Property({ type: 'text', hidden: true })
  secretHash!: string;

  @Field(() => ApiKeyKind)
  @Enum({ items: () => ApiKeyKind, nativeEnumName: 'api_key_kind' })
  kind!: ApiKeyKind;

  @Field(() => [Scope])
  @Property({ type: 'text[]' })
  scopes!: Scope[];

  @ManyToMany(() => Region, undefined, { pivotTable: 'api_key_territory', joinColumn: 'api_key_id', inverseJoinColumn: 'region_id' })
  territories = new Collection<Region>(this);

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  createdBy!: Ref<User>;

  @Field(() => Boolean)
  @Property({ type: 'boolean', persist: false })
  get active(): Opt<boolean> {
    return !this.revokedAt && (!this.expiresAt || new Date(this.expiresAt).getTime() > Date.now());
  }
}
