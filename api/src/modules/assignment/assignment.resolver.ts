import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { BadUserInputError } from '../../common/errors/errors.js';
import { isUuid } from '../../common/graphql/ids.js';
import { readBack, type Row } from '../../common/orm/loaders.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import type { Context } from '../../context.js';
import { MANAGERS } from '../access/index.js';
import { Channel, Customer, SizeBand } from '../customer/customer.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { AssignmentRule, Realignment } from './assignment.entity.js';
import {
  ApplyRealignmentInput,
  CreateAssignmentRuleInput,
  MoveAssignmentRuleInput,
  UpdateAssignmentRuleInput,
} from './assignment.inputs.js';
import type { RealignmentGroupRow, RealignmentMoveRow, RealignmentPreviewRow, RuleRow } from './assignment.service.js';

const MAX_SAMPLE = 100;

@ObjectType({ simpleResolvers: true, description: 'Accounts a realignment would move to one territory and owner.' })
export class RealignmentGroup {
  @Field(() => Int)
  count!: number;

  territoryId!: string;
  ownerId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'One account a realignment would move, and the rule that moves it.' })
export class RealignmentMove {
  customerId!: string;
  ruleId!: string;
  fromTerritoryId!: string;
  fromOwnerId!: string;
  toTerritoryId!: string;
  toOwnerId!: string;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'Which of the accounts the viewer may reassign the current rules would move, and where. Apply it with applyRealignment(ruleSetVersion, digest).',
})
export class RealignmentPreview {
  @Field(() => Int, { description: 'The version of the rules this preview was computed under.' })
  ruleSetVersion!: number;

  @Field(() => String, { description: 'Names the exact moves of this preview; applyRealignment refuses another plan.' })
  digest!: string;

  @Field(() => Int, { description: 'Accounts that would move.' })
  total!: number;

  @Field(() => Int, { description: "Accounts of the viewer's regions whose rule sends them outside those regions: not moved." })
  outsideRegions!: number;

  @Field(() => Int, {
    description: 'Accounts whose rule sends them to a territory their owner (the rule’s, or else their own) does not work in: not moved.',
  })
  ownerMisfits!: number;

  @Field(() => [RealignmentGroup], { description: 'Counts per target territory and owner, largest first.' })
  groups!: RealignmentGroupRow[];

  @Field(() => [RealignmentMove], { description: 'The first moves by legal name.' })
  sample!: RealignmentMoveRow[];
}

@Authorized(MANAGERS)
@Resolver(() => AssignmentRule)
export class AssignmentRuleResolver {
  @Authorized(MANAGERS)
  @Query(() => [AssignmentRule], { description: 'Every territory assignment rule, in the order they are tried (the first match wins).' })
  assignmentRules(@Ctx() { services }: Context): Promise<RuleRow[]> {
    return services.assignment.list();
  }

  @Authorized(MANAGERS)
  @Mutation(() => AssignmentRule, {
    description: 'Appends a rule. Admins any territory; managers a territory of their regions, with an owner who works there.',
  })
  async createAssignmentRule(@Arg('input', () => CreateAssignmentRuleInput) input: CreateAssignmentRuleInput, @Ctx() context: Context) {
    const rule = await context.services.assignment.create(input);
    return readBack(context.loaders, AssignmentRule, rule.id);
  }

  @Authorized(MANAGERS)
  @Mutation(() => AssignmentRule, {
    description: 'Managers only rules within their regions, and only into them. A stale version: CONFLICT.',
  })
  async updateAssignmentRule(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateAssignmentRuleInput) input: UpdateAssignmentRuleInput,
    @Ctx() context: Context,
  ) {
    const rule = await context.services.assignment.update(id, input);
    return readBack(context.loaders, AssignmentRule, rule.id);
  }

  @Authorized(MANAGERS)
  @Mutation(() => AssignmentRule, {
    description: 'Moves a rule to a rank, shifting the rules between. Managers may pass only rules within their regions.',
  })
  async moveAssignmentRule(@Arg('input', () => MoveAssignmentRuleInput) input: MoveAssignmentRuleInput, @Ctx() context: Context) {
    const id = await context.services.assignment.move(input);
    return readBack(context.loaders, AssignmentRule, id);
  }

  @Authorized(MANAGERS)
  @Mutation(() => Boolean, { description: 'Managers only rules within their regions.' })
  deleteAssignmentRule(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() { services }: Context) {
    return services.assignment.remove(id, version);
  }

  @FieldResolver(() => [SizeBand])
  sizeBands(@Root() rule: RuleRow): SizeBand[] {
    return rule.sizeBands as SizeBand[];
  }

  @FieldResolver(() => [Channel])
  sourceChannels(@Root() rule: RuleRow): Channel[] {
    return rule.sourceChannels as Channel[];
  }

  @FieldResolver(() => Region)
  territory(@Root() rule: RuleRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Region).load(idOf(rule.territory as RelationValue)!);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Null: accounts get the creator’s default owner.' })
  owner(@Root() rule: RuleRow, @Ctx() { loaders }: Context) {
    const id = idOf(rule.owner as RelationValue);
    return id ? loaders.byId(User).load(id) : null;
  }
}

@Authorized(MANAGERS)
@Resolver(() => RealignmentPreview)
export class RealignmentResolver {
  @Authorized(MANAGERS)
  @Query(() => RealignmentPreview, {
    description: 'Which accounts the viewer may reassign would move under the current rules (admins: all; managers: their regions).',
  })
  realignmentPreview(
    @Arg('sampleSize', () => Int, { defaultValue: 20 }) sampleSize: number,
    @Ctx() { services }: Context,
  ): Promise<RealignmentPreviewRow> {
    if (sampleSize < 0 || sampleSize > MAX_SAMPLE) throw new BadUserInputError('sampleSize', `sampleSize must be 0–${MAX_SAMPLE}`);
    return services.assignment.preview(sampleSize);
  }

  @Authorized(MANAGERS)
  @Mutation(() => Realignment, {
    description:
      'Applies the previewed realignment as bulk reassignments in one transaction (audited per account, with ownership history, notifications and change events). CONFLICT when the rules or the accounts to move changed since the preview.',
  })
  async applyRealignment(@Arg('input', () => ApplyRealignmentInput) input: ApplyRealignmentInput, @Ctx() { services }: Context) {
    const id = await services.assignment.apply(input);
    return services.assignment.job(id);
  }

  @Authorized(MANAGERS)
  @Query(() => Realignment, { nullable: true, description: 'A realignment’s progress: its starter’s and the admins’.' })
  realignment(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return isUuid(id) ? services.assignment.job(id) : null;
  }
}

@Authorized(MANAGERS)
@Resolver(() => Realignment)
export class RealignmentJobResolver {
  @FieldResolver(() => User)
  startedBy(@Root() job: Row, @Ctx() { loaders }: Context) {
    return loaders.byId(User).load(idOf(job.startedBy as RelationValue)!);
  }
}

@Authorized(MANAGERS)
@Resolver(() => RealignmentGroup)
export class RealignmentGroupResolver {
  @FieldResolver(() => Region)
  territory(@Root() group: RealignmentGroupRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Region).load(group.territoryId);
  }

  @FieldResolver(() => User)
  owner(@Root() group: RealignmentGroupRow, @Ctx() { loaders }: Context) {
    return loaders.byId(User).load(group.ownerId);
  }
}

@Authorized(MANAGERS)
@Resolver(() => RealignmentMove)
export class RealignmentMoveResolver {
  @FieldResolver(() => Customer, {
    nullable: true,
    description: 'The account, as the viewer may see it (every account of a preview is theirs to reassign).',
  })
  customer(@Root() move: RealignmentMoveRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(move.customerId);
  }

  @FieldResolver(() => AssignmentRule)
  rule(@Root() move: RealignmentMoveRow, @Ctx() { loaders }: Context) {
    return loaders.byId(AssignmentRule).load(move.ruleId);
  }

  @FieldResolver(() => Region)
  fromTerritory(@Root() move: RealignmentMoveRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Region).load(move.fromTerritoryId);
  }

  @FieldResolver(() => User)
  fromOwner(@Root() move: RealignmentMoveRow, @Ctx() { loaders }: Context) {
    return loaders.byId(User).load(move.fromOwnerId);
  }

  @FieldResolver(() => Region)
  toTerritory(@Root() move: RealignmentMoveRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Region).load(move.toTerritoryId);
  }

  @FieldResolver(() => User)
  toOwner(@Root() move: RealignmentMoveRow, @Ctx() { loaders }: Context) {
    return loaders.byId(User).load(move.toOwnerId);
  }
}
