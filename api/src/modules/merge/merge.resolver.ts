import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '../../common/access/index.js';
import { connectionType } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import type { Context } from '../../context.js';
import { ANY_USER, assertReadable, scope, usersAndScope } from '../access/index.js';
import { Customer } from '../customer/customer.entity.js';
import { mergedFromByCustomer, mergedIntoByCustomer, wasMerged } from './merge.loaders.js';
import { CustomerMerge, DuplicateCandidate, DuplicateCandidatesArgs, MergeCustomersInput, MergeResult, MergesArgs } from './merge.types.js';
import type { MaskedCustomerRow } from '../customer/index.js';

export const DuplicateCandidateConnection = connectionType(DuplicateCandidate, 'DuplicateCandidate');
export const CustomerMergeConnection = connectionType(CustomerMerge, 'CustomerMerge');

/** Users of any role (each within what they may edit), and API keys holding customers:merge: deny by default. */
const MERGERS = [...ANY_USER, scope(Scope.CUSTOMERS_MERGE)];

@Resolver(() => DuplicateCandidate)
export class DuplicateCandidateResolver {
  @Authorized(MERGERS)
  @Query(() => DuplicateCandidateConnection, {
    description:
      'Pairs of live accounts the viewer may edit that look like the same company, in id order of the first; a page may hold fewer pairs than asked (it reads a bounded stretch of accounts): follow endCursor while hasNextPage.',
  })
  duplicateCandidates(@Args(() => DuplicateCandidatesArgs) args: DuplicateCandidatesArgs, @Ctx() context: Context) {
    return context.services.merges.candidates(args);
  }

  @FieldResolver(() => Customer)
  first(@Root() pair: DuplicateCandidate, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(pair.firstId);
  }

  @FieldResolver(() => Customer)
  second(@Root() pair: DuplicateCandidate, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(pair.secondId);
  }
}

@Resolver(() => CustomerMerge)
export class CustomerMergeResolver {
  @Authorized(MERGERS)
  @Mutation(() => MergeResult, {
    description:
      'Merge accounts into a survivor: children move, evaluations are linked, merged records are archived with mergedInto. With dryRun nothing is written. CONFLICT when a record changed since the versions given, or has a pending transfer or stage change.',
  })
  mergeCustomers(@Arg('input', () => MergeCustomersInput) input: MergeCustomersInput, @Ctx() context: Context) {
    return context.services.merges.merge(input);
  }

  @Authorized(MERGERS)
  @Mutation(() => CustomerMerge, {
    description:
      'Undo a merge within MERGE_UNDO_HOURS while nothing newer touched its records; else CONFLICT with extensions.reason (UndoRefusal).',
  })
  undoMerge(@Arg('mergeId', () => ID) mergeId: string, @Ctx() context: Context) {
    return context.services.merges.undo(mergeId);
  }

  @Authorized(MERGERS)
  @Query(() => CustomerMergeConnection, { description: 'Merges whose survivor the viewer may open, newest first.' })
  merges(@Args(() => MergesArgs) args: MergesArgs, @Ctx() context: Context) {
    return context.services.merges.history(args);
  }

  @Authorized(MERGERS)
  @Query(() => CustomerMerge, { nullable: true })
  merge(@Arg('id', () => ID) id: string, @Ctx() context: Context) {
    return isUuid(id) ? context.services.merges.one(id) : null;
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The survivor, as the viewer may see it now.' })
  survivor(@Root() merge: CustomerMerge, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(merge.survivorId);
  }
}

@Resolver(() => MergeResult)
export class MergeResultResolver {
  @FieldResolver(() => CustomerMerge, { nullable: true, description: 'The merge written; null for a dry run.' })
  merge(@Root() result: MergeResult) {
    return result.merge;
  }
}

/** Adds the lineage fields to Customer; type-graphql merges them with CustomerResolver's fields. */
@Authorized(usersAndScope(Scope.CUSTOMERS_READ))
@Resolver(() => Customer)
export class CustomerLineageResolver {
  @FieldResolver(() => ID, {
    nullable: true,
    description:
      'The survivor this archived record was merged into (at the end of its lineage), when the viewer may know it (at least its directory card); else null, as for a record that was only archived.',
  })
  mergedInto(@Root() customer: MaskedCustomerRow, @Ctx() { loaders }: Context) {
    assertReadable(customer, 'profile');
    return wasMerged(customer) ? mergedIntoByCustomer(loaders).load(customer.id) : null;
  }

  @FieldResolver(() => [ID], { nullable: true, description: 'The records merged into this one (and not undone) that the viewer may open.' })
  mergedFrom(@Root() customer: MaskedCustomerRow, @Ctx() { loaders }: Context) {
    assertReadable(customer, 'profile');
    return mergedFromByCustomer(loaders).load(customer.id);
  }
}
