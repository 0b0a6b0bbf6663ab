import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer, Reach, TerritoryAccess } from '../../common/access/index.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/errors.js';
import { requireId } from '../../common/graphql/ids.js';
import { Conditions } from '../../common/orm/keyset.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { Customer } from '../customer/customer.entity.js';
import { customerAccess, writeOutcome } from './access.rules.js';

/**
 * SQL (over alias `c` of customer) matching the accounts the viewer may open (READ or EDIT):
 * the read half of `accessOf`, the same formula as the row-level security read policy.
 */
export function readableCustomers(reach: Reach, alias = 'c'): Conditions {
  const where = new Conditions();
  if (reach.all) return where;
  where.add(
    `(${alias}.territory_id = any(?::uuid[]) or (${alias}.owner_id = ? and ${alias}.territory_id = any(?::uuid[])))`,
    pgArray(reach.read),
    reach.ownerId ?? '00000000-0000-0000-0000-000000000000',
    pgArray(reach.member),
  );
  return where;
}

/** Who writes, and the deployment's TERRITORY_ACCESS: what every write decision on an account reads. */
export interface Actor {
  readonly viewer: Viewer;
  readonly territoryAccess: TerritoryAccess;
}

/**
 * The account a mutation is about to change. An account the viewer may not open does not
 * exist for them (NOT_FOUND); one they may open but not change is FORBIDDEN.
 */
export async function customerForWrite(em: EntityManager, actor: Actor, id: string, field = 'id'): Promise<Customer> {
  const customer = await em.findOne(Customer, { id: requireId(id, field) });
  if (!customer) throw new NotFoundError('Customer', id);
  switch (
    writeOutcome(customerAccess(actor.viewer, { owner: customer.owner.id, territory: customer.territory.id }, actor.territoryAccess))
  ) {
    case 'ALLOWED':
      return customer;
    case 'FORBIDDEN':
      throw new ForbiddenError('You may read this account but not change it', { field });
    case 'NOT_FOUND':
      throw new NotFoundError('Customer', id);
  }
}
