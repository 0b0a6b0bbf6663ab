import { Entity, Enum, Index, ManyToOne, Property, type Ref, Unique, type Opt } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';

export enum RegionKind {
  REGION = 'REGION',
  PROVINCE = 'PROVINCE',
  TERRITORY = 'TERRITORY',
}
registerEnumType(RegionKind, {
  name: 'RegionKind',
  description: 'Level in the territory tree: region → province/area → territory (city).',
});

/**
 * A node of the territory tree. `path` is the materialised chain of codes from the root
 * (`EAST/ZJ/HZ`), so "this region and everything below it" is one indexed prefix match.
 */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'region' })
export class Region extends BaseEntity {
  @Field(() => String, { description: 'Stable code, unique across the tree.' })
  @Property({ type: 'text' })
  @Unique()
  code!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Name in Simplified Chinese.' })
  @Property({ type: 'text', nullable: true })
  nameZh?: string | null;

  @Field(() => RegionKind)
  @Enum({ items: () => RegionKind, nativeEnumName: 'region_kind' })
  kind!: RegionKind;

  @ManyToOne(() => Region, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  parent?: Ref<Region> | null;

  @Field(() => String, { description: 'Codes from the root down to this node, separated by "/".' })
  @Property({ type: 'text' })
  @Index({ name: 'region_path_prefix_idx', expression: 'create index "region_path_prefix_idx" on "region" ("path" text_pattern_ops)' })
  path!: string;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: false })
  keyCity: Opt<boolean> = false;
}
