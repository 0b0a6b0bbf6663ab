import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { assertReadable, usersAndScope } from '../access/index.js';
import { Scope } from '../../common/access/index.js';
import { Customer } from '../customer/customer.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { OwnershipPeriod } from './ownership-history.entity.js';
import type { OwnershipPeriodRow } from './ownership.rows.js';
import type { MaskedCustomerRow } from '../customer/index.js';

/** Adds `ownershipHistory` to Customer; type-graphql merges it with CustomerResolver's fields. */
@Authorized(usersAndScope(Scope.CUSTOMERS_READ))
@Resolver(() => Customer)
export class CustomerOwnershipResolver {
  @FieldResolver(() => [OwnershipPeriod], {
    nullable: true,
    description: 'Who owned the account, where, from when to when; oldest first. Readable where the profile is.',
  })
  ownershipHistory(@Root() customer: MaskedCustomerRow, @Ctx() { loaders }: Context) {
    assertReadable(customer, 'ownership');
    return loaders.childrenOf(OwnershipPeriod, 'customer', 't.valid_from, t.id').load(customer.id);
  }
}

@Authorized(usersAndScope(Scope.CUSTOMERS_READ))
@Resolver(() => OwnershipPeriod)
export class OwnershipPeriodResolver {
  @FieldResolver(() => User)
  owner(@Root() period: OwnershipPeriodRow, @Ctx() { loaders }: Context) {
    return loaders.byId(User).load(period.owner);
  }

  @FieldResolver(() => Region)
  territory(@Root() period: OwnershipPeriodRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Region).load(period.territory);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who made the change; null for the initial assignment by a system process.' })
  changedBy(@Root() period: OwnershipPeriodRow, @Ctx() { loaders }: Context) {
    return period.changedBy ? loaders.byId(User).load(period.changedBy) : null;
  }
}
