import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Decimal } from '../../common/graphql/decimal.scalar.js';
import type { Row } from '../../common/orm/loaders.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';

@ObjectType({ simpleResolvers: true, description: 'New customers: plan against actual.' })
export class CountAttainment {
  @Field(() => Int, { nullable: true, description: 'Null when nothing is planned here or below.' })
  plan!: number | null;

  @Field(() => Int, { description: 'Customers created in the period.' })
  actual!: number;

  @Field(() => Float, { nullable: true, description: 'actual / plan; null without a plan above 0.' })
  attainment!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'Revenue: plan against actual.' })
export class RevenueAttainment {
  @Field(() => Decimal, { nullable: true, description: 'Null when nothing is planned here or below.' })
  plan!: string | null;

  @Field(() => Decimal, { description: 'Totals of orders confirmed or later, ordered in the period.' })
  actual!: string;

  @Field(() => Float, { nullable: true, description: 'actual / plan; null without a plan above 0.' })
  attainment!: number | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "One node of the region tree: its own plan, or the sum of its children's, against the actuals of everything below it.",
})
export class TargetNodeReport {
  @Field(() => Region)
  region!: Row;

  @Field(() => ID, { nullable: true })
  parentId!: string | null;

  @Field(() => Boolean, { description: "True when the node has no plan of its own and shows the sum of its children's plans." })
  planRolledUp!: boolean;

  @Field(() => CountAttainment)
  newCustomers!: CountAttainment;

  @Field(() => RevenueAttainment)
  revenue!: RevenueAttainment;
}

@ObjectType({ simpleResolvers: true, description: "One user's plan against the accounts they own." })
export class TargetUserReport {
  @Field(() => User)
  user!: Row;

  @Field(() => CountAttainment)
  newCustomers!: CountAttainment;

  @Field(() => RevenueAttainment)
  revenue!: RevenueAttainment;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Plan against actual per node of the region tree and per user, within what the viewer may see.',
})
export class TargetsReport {
  @Field(() => String)
  periodStart!: string;

  @Field(() => String)
  periodEnd!: string;

  @Field(() => [TargetNodeReport], { description: 'In tree order (by path).' })
  nodes!: TargetNodeReport[];

  @Field(() => [TargetUserReport])
  users!: TargetUserReport[];
}
