import type { QueryClient } from '@tanstack/react-query';
import { KNOWN_ACTIONS, canRoleAccess } from './permissions';
import { session } from './session';

/**
 * react-admin asks the auth provider, through react-query, whether the session is valid and
 * what the role may do: the menu once per resource, the page, its buttons. Each answer is a
 * promise, and each promise that settles is one more render of what waited for it: a fresh tab
 * drew the customer list after 46 commits. The answers are already known before the first
 * render (the token's expiry and the viewer's role are in the stored session, and
 * authProvider.canAccess computes from nothing else), so they go into the query cache first,
 * under the keys ra-core's useAuthState, useCanAccess and useIsAuthPending read.
 *
 * canAccess answers never go stale: they follow from the session's role, which changes only by
 * signing in again, and signing out clears the cache. checkAuth keeps react-query's default and
 * is asked again as pages mount (the token's expiry is time-dependent).
 */
export function seedAuthAnswers(queryClient: QueryClient, resourceNames: readonly string[], now = Date.now()): void {
  queryClient.setQueryDefaults(['auth', 'canAccess'], { staleTime: Infinity });
  const current = session.read();
  if (!current || session.isExpired(current, now) || !current.viewer) return;
  const { role } = current.viewer;
  queryClient.setQueryData(['auth', 'checkAuth', {}], true);
  for (const resource of resourceNames)
    for (const action of KNOWN_ACTIONS)
      queryClient.setQueryData(['auth', 'canAccess', { action, resource }], canRoleAccess(role, resource, action));
}
