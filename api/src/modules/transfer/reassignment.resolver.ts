import { Arg, Authorized, Ctx, Field, FieldResolver, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { MANAGERS } from '../access/index.js';
import { BadUserInputError } from '../../common/errors/errors.js';
import { MAX_PAGE_SIZE } from '../../common/graphql/connection.js';
import type { Row } from '../../common/orm/loaders.js';
import { type Context } from '../../context.js';
import { Customer } from '../customer/customer.entity.js';
import { ReassignCustomersInput } from './transfer.inputs.js';
import { type Reassignment } from './reassignment.service.js';

@ObjectType({ simpleResolvers: true, description: 'The outcome of a bulk reassignment: one transaction, all or nothing.' })
export class ReassignmentResult {
  @Field(() => Int, { description: 'Accounts that changed owner or territory.' })
  count!: number;

  @Field(() => Int, { description: 'Accounts selected that already had this owner and territory.' })
  skipped!: number;

  @Field(() => Int, { description: 'Server time spent, in milliseconds.' })
  elapsedMs!: number;

  customerIds!: string[];
}

@Authorized(MANAGERS)
@Resolver(() => ReassignmentResult)
export class ReassignmentResolver {
  @Authorized(MANAGERS)
  @Mutation(() => ReassignmentResult, {
    description:
      'Moves many accounts to one owner (and optionally one territory) in one set-based transaction, audited per account. Admins anywhere; managers only accounts in their regions, into their regions. Fast enough to await: 10 000 accounts take a few seconds, and elapsedMs reports the time spent. A refusal over some of the accounts (FORBIDDEN: outside your regions; BAD_USER_INPUT on toOwnerId: the new owner does not work where they go) names them in its extensions: count, customers { id legalName } (the first 50 by name) and territories { id name }.',
  })
  async reassignCustomers(
    @Arg('input', () => ReassignCustomersInput) input: ReassignCustomersInput,
    @Ctx() context: Context,
  ): Promise<Reassignment> {
    return context.services.reassignments.reassign(input);
  }

  @FieldResolver(() => [Customer], { description: 'The first accounts moved, in id order.' })
  async customers(
    @Root() result: Reassignment,
    @Arg('first', () => Int, { defaultValue: 25 }) first: number,
    @Ctx() { loaders }: Context,
  ): Promise<Row[]> {
    if (first < 0 || first > MAX_PAGE_SIZE) throw new BadUserInputError('first', `first must be 0–${MAX_PAGE_SIZE}`);
    const rows = await loaders.byId(Customer).loadMany(result.customerIds.slice(0, first));
    return rows.filter((row): row is Row => row !== null && !(row instanceof Error));
  }
}
