import type { AuthChecker } from 'type-graphql';
import type { Context } from '../../context.js';
import { type Scope, Role } from '../../common/access/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../common/errors/errors.js';

/**
 * Who may call an operation, as declared with `@Authorized(...)`: user roles, and for API keys
 * the scopes that admit them (`scope:<name>`). A bare `@Authorized()` admits signed-in users
 * only — never an API key. Every Query and Mutation declares one; a test snapshots them all.
 */
export const ANY_USER = [Role.ADMIN, Role.MANAGER, Role.REP] as const;
export const MANAGERS = [Role.ADMIN, Role.MANAGER] as const;
export const ADMINS = [Role.ADMIN] as const;

export function scope(name: Scope): string {
  return `scope:${name}`;
}

/** Users of any role, and API keys holding the scope. */
export function usersAndScope(name: Scope): string[] {
  return [...ANY_USER, scope(name)];
}

/** Reads only the viewer, so it gates subscriptions (whose context has no transaction) like queries. */
export const authChecker: AuthChecker<Pick<Context, 'viewer'>> = ({ context }, roles) => {
  const viewer = context.viewer;
  if (!viewer) throw new UnauthenticatedError();
  if (viewer.kind === 'USER') return roles.length === 0 || roles.includes(viewer.role);
  const scopes = roles.filter((role) => role.startsWith('scope:')).map((role) => role.slice(6) as Scope);
  if (scopes.length === 0) throw new ForbiddenError('API keys cannot use this operation');
  if (scopes.some((required) => viewer.scopes.includes(required))) return true;
  throw new ForbiddenError(`This API key lacks the scope ${scopes.join(' or ')}`, { scope: scopes[0] });
};
