import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../../common/auth/password.js';
import { normalizeEmail } from '../../common/email.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../common/errors/errors.js';
import { SortDirection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { Conditions, keysetPage, likePattern, type SortKey } from '../../common/orm/keyset.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import type { RequestScope } from '../../context.js';
import { Region, RegionKind } from '../region/region.entity.js';
import { Role } from '../../common/access/index.js';
import { User } from './user.entity.js';
import { UserSortField, type CreateUserInput, type UpdateUserInput, type UsersArgs } from './user.inputs.js';

const SORT: Record<UserSortField, SortKey> = {
  [UserSortField.NAME]: { property: 'name', cast: 'text' },
  [UserSortField.EMAIL]: { property: 'email', cast: 'text' },
  [UserSortField.CREATED_AT]: { property: 'createdAt', cast: 'timestamptz' },
};

const CONSTRAINTS = { app_user_email_unique: new ConflictError('A user with this email already exists', { field: 'email' }) };

async function regions(em: EntityManager, ids: string[], field: string, kind?: RegionKind): Promise<Region[]> {
  const unique = [...new Set(ids.map((id) => requireId(id, field)))];
  const found = await em.find(Region, { id: { $in: unique } });
  if (found.length !== unique.length) throw new BadUserInputError(field, `${field} names a region that does not exist`);
  if (kind && found.some((region) => region.kind !== kind)) throw new BadUserInputError(field, `${field} must name territories`);
  return found;
}

export class UserService {
  constructor(private readonly scope: Pick<RequestScope, 'em'>) {}

  /** The conditions, sort and direction of a users page, over alias `u` (the compiled read uses them too). */
  listQuery(args: UsersArgs): { where: Conditions; sort: SortKey; direction: SortDirection } {
    const where = new Conditions();
    const filter = args.filter;
    if (filter?.role) where.add('u.role = ?', filter.role);
    if (filter?.active !== undefined && filter.active !== null) where.add('u.active = ?', filter.active);
    if (filter?.territoryId)
      where.add(
        'exists (select 1 from user_territory ut where ut.user_id = u.id and ut.region_id = ?)',
        requireId(filter.territoryId, 'filter.territoryId'),
      );
    if (filter?.search) {
      const pattern = likePattern(filter.search);
      where.add('(u.name ilike ? or u.email ilike ?)', pattern, pattern);
    }
    return { where, sort: SORT[args.orderBy?.field ?? UserSortField.NAME], direction: args.orderBy?.direction ?? SortDirection.ASC };
  }

  list(args: UsersArgs) {
    const { where, sort, direction } = this.listQuery(args);
    return keysetPage<User>(this.scope.em, User, 'u', where, { first: args.first, after: args.after, sort, direction });
  }

  create(input: CreateUserInput): Promise<User> {
    const { em } = this.scope;
    return transactional(
      em,
      async (tx) => {
        const user = tx.create(User, {
          email: normalizeEmail(input.email),
          name: input.name,
          role: input.role,
          passwordHash: await hashPassword(input.password),
        });
        if (input.managedRegionIds?.length) {
          if (input.role !== Role.MANAGER) throw new BadUserInputError('managedRegionIds', 'Only managers manage regions');
          user.managedRegions.set(await regions(tx, input.managedRegionIds, 'managedRegionIds'));
        }
        if (input.territoryIds?.length) user.territories.set(await regions(tx, input.territoryIds, 'territoryIds', RegionKind.TERRITORY));
        await tx.flush();
        return user;
      },
      CONSTRAINTS,
    );
  }

  update(id: string, input: UpdateUserInput): Promise<User> {
    const { em } = this.scope;
    return transactional(
      em,
      async (tx) => {
        const user = await loadForUpdate(tx, User, requireId(id, 'id'), input.version);
        // A new password, a new role or a deactivation ends every session the user has.
        const endsSessions = input.password != null || (input.role != null && input.role !== user.role) || input.active === false;
        if (input.name != null) user.name = input.name;
        if (input.role != null) user.role = input.role;
        if (input.active != null) user.active = input.active;
        if (input.password != null) user.passwordHash = await hashPassword(input.password);
        if (input.managedRegionIds != null) {
          if (user.role !== Role.MANAGER && input.managedRegionIds.length)
            throw new BadUserInputError('managedRegionIds', 'Only managers manage regions');
          await user.managedRegions.init();
          user.managedRegions.set(await regions(tx, input.managedRegionIds, 'managedRegionIds'));
        }
        if (input.territoryIds != null) {
          await user.territories.init();
          user.territories.set(await regions(tx, input.territoryIds, 'territoryIds', RegionKind.TERRITORY));
        }
        // Membership changes alone touch only pivot tables; bump the version so they count as an edit.
        user.updatedAt = new Date();
        await tx.flush();
        if (endsSessions) await endSessionsIn(tx, user.id);
        return user;
      },
      CONSTRAINTS,
    );
  }

  /** Every token issued to the user so far stops working. */
  endSessions(userId: string): Promise<void> {
    return endSessionsIn(this.scope.em, userId);
  }
}

/**
 * Every token issued to the user so far stops working (their session version moves on). One
 * increment in SQL, never a value computed in the app: concurrent bumps add up, none is lost.
 */
async function endSessionsIn(em: EntityManager, userId: string): Promise<void> {
  const rows = await em.execute<{ id: string }[]>('update app_user set session_version = session_version + 1 where id = ? returning id', [
    requireId(userId, 'userId'),
  ]);
  if (rows.length === 0) throw new NotFoundError('User', userId);
}
