import type { AuthProvider } from 'react-admin';
import { AdminMeDocument, type AdminViewerFragment } from '../../../schema/generated/graphql';
import type { GraphQLClient } from './graphqlClient';
import { canRoleAccess } from './permissions';
import { session } from './session';
import { requestSignIn } from './signIn';

/**
 * Signs in with the `login` mutation (requestSignIn, as the sign-in form before the console loads)
 * and keeps the token in localStorage; the role for the UI
 * comes from `me { role }` (the login payload carries the same user). Any UNAUTHENTICATED
 * answer from the API (HTTP-like status 401) ends the session and returns to the login page.
 */
export function createAuthProvider(
  client: GraphQLClient,
  onSignOut: () => void = () => undefined,
  transport: { url?: string; fetch?: typeof fetch } = {},
): AuthProvider {
  let viewerRequest: Promise<AdminViewerFragment> | null = null;

  const viewer = async (): Promise<AdminViewerFragment> => {
    const current = session.read();
    if (!current) throw new Error('ra.auth.auth_check_error');
    if (current.viewer) return current.viewer;
    viewerRequest ??= client
      .request(AdminMeDocument, {})
      .then(({ me }) => {
        session.saveViewer(me);
        return me;
      })
      .finally(() => {
        viewerRequest = null;
      });
    return viewerRequest;
  };

  const signOut = () => {
    session.clear();
    onSignOut();
  };

  return {
    async login({ username, email, password }: { username?: string; email?: string; password: string }) {
      const signedIn = await requestSignIn(email ?? username ?? '', password, transport);
      signOut();
      session.save(signedIn);
    },
    async logout() {
      signOut();
    },
    async checkAuth() {
      const current = session.read();
      if (!current || session.isExpired(current)) {
        if (current) signOut();
        throw new Error('ra.auth.auth_check_error');
      }
    },
    async checkError(error: { status?: number }) {
      if (error?.status === 401) {
        signOut();
        throw new Error('ra.notification.logged_out');
      }
    },
    async getIdentity() {
      const me = await viewer();
      return { id: me.id, fullName: me.name, email: me.email, role: me.role };
    },
    async getPermissions() {
      return (await viewer()).role;
    },
    async canAccess({ resource, action }: { resource: string; action: string }) {
      const current = session.read();
      if (!current) return false;
      return canRoleAccess((await viewer()).role, resource, action);
    },
  };
}
