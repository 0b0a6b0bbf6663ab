import { Collection, Entity, Enum, ManyToMany, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ApiKeyKind, Scope } from '../../common/access/index.js';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';

registerEnumType(ApiKeyKind, { name: 'ApiKeyKind' });
registerEnumType(Scope, {
  name: 'Scope',
  description: 'What an API key may do. Write scopes are for integrators; BI keys are read-only.',
});

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
