import { Check, Entity, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { Decimal } from '../../common/graphql/decimal.scalar.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';

/**
 * A plan for one node of the region tree (a region, province or territory) or one user, for one
 * period: how many new customers and how much revenue. Setting it again for the same node and
 * period replaces it.
 */
@ObjectType({ simpleResolvers: true, description: 'A plan for a region, territory or user over a period: new customers and revenue.' })
@Entity({ tableName: 'sales_target' })
@Check({ name: 'sales_target_one_node', expression: '(region_id is null) <> (user_id is null)' })
@Check({ name: 'sales_target_period', expression: 'period_end >= period_start' })
@Unique({
  name: 'sales_target_node_period_unique',
  expression:
    'alter table "sales_target" add constraint "sales_target_node_period_unique" unique nulls not distinct ("region_id", "user_id", "period_start", "period_end")',
})
@Index({ properties: ['periodStart', 'periodEnd'] })
export class SalesTarget extends BaseEntity {
  @ManyToOne(() => Region, { ref: true, nullable: true, index: true, deleteRule: 'cascade' })
  region?: Ref<Region> | null;

  @ManyToOne(() => User, { ref: true, nullable: true, index: true, deleteRule: 'cascade' })
  user?: Ref<User> | null;

  @Field(() => String, { description: 'First day (YYYY-MM-DD).' })
  @Property({ type: 'date' })
  periodStart!: string;

  @Field(() => String, { description: 'Last day (YYYY-MM-DD), inclusive.' })
  @Property({ type: 'date' })
  periodEnd!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  newCustomers!: number;

  @Field(() => Decimal)
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  revenue!: string;

  @ManyToOne(() => User, { ref: true, index: true, deleteRule: 'restrict' })
  setBy!: Ref<User>;
}
