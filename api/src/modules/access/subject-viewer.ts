import type { EntityManager } from '@mikro-orm/postgresql';
import { type Viewer, Role } from '../../common/access/index.js';
import { inSubtree } from '../../common/orm/subtree.js';

interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  memberTerritories: string[];
  managedTerritories: string[];
}

export interface Subject {
  viewer: Viewer;
  /** Inactive users cannot sign in: they have no access at all. */
  active: boolean;
}

/**
 * The Viewer a user would be if they signed in now: the same SQL as `userViewer` in
 * common/auth/session.ts (memberships, and every region node at or below a managed region),
 * without the token — so an admin can ask what another user may see.
 */
export async function subjectForUser(em: EntityManager, userId: string): Promise<Subject | null> {
  const [row] = await em.execute<UserRow[]>(
    `select u.id, u.name, u.email, u.role, u.active,
       coalesce((select array_agg(t.region_id::text) from user_territory t where t.user_id = u.id), '{}') as "memberTerritories",
       coalesce((select array_agg(distinct d.id::text) from user_managed_region m
         join region a on a.id = m.region_id join region d on ${inSubtree('d.path', 'a.path')}
         where m.user_id = u.id), '{}') as "managedTerritories"
     from app_user u where u.id = ?`,
    [userId],
  );
  if (!row) return null;
  return {
    active: row.active,
    viewer: {
      kind: 'USER',
      id: row.id,
      name: row.name,
      email: row.email,
      role: row.role,
      memberTerritories: row.memberTerritories,
      managedTerritories: row.role === Role.MANAGER ? row.managedTerritories : [],
      keyTerritories: [],
      scopes: [],
    },
  };
}
