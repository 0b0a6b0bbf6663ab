// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { createProviders } from '../../admin/src/providers';
import { session } from '../../admin/src/providers/session';
import { VIEWERS, fakeLiveInbox, signInAs } from './harness';

beforeEach(() => {
  localStorage.clear();
});

const canAccess = (providers: ReturnType<typeof createProviders>, resource: string, action: string) =>
  providers.queryClient.getQueryData(['auth', 'canAccess', { action, resource }]);

describe('auth answers known before the first render', () => {
  it('are in the query cache for a signed-in viewer, as the role rules give them', () => {
    signInAs('REP');
    const rep = createProviders({ live: fakeLiveInbox().inbox });
    expect(rep.queryClient.getQueryData(['auth', 'checkAuth', {}])).toBe(true);
    // A rep lists and edits customers, files transfers, and has no user, API key or audit screens.
    expect(canAccess(rep, 'customers', 'list')).toBe(true);
    expect(canAccess(rep, 'customers', 'edit')).toBe(true);
    expect(canAccess(rep, 'customers', 'reassign')).toBe(false);
    expect(canAccess(rep, 'transfers', 'create')).toBe(true);
    expect(canAccess(rep, 'transfers', 'decide')).toBe(false);
    expect(canAccess(rep, 'users', 'list')).toBe(false);
    expect(canAccess(rep, 'apiKeys', 'list')).toBe(false);
    expect(canAccess(rep, 'auditEvents', 'list')).toBe(false);

    localStorage.clear();
    signInAs('MANAGER');
    const manager = createProviders({ live: fakeLiveInbox().inbox });
    expect(canAccess(manager, 'customers', 'reassign')).toBe(true);
    expect(canAccess(manager, 'transfers', 'decide')).toBe(true);
    expect(canAccess(manager, 'users', 'list')).toBe(true);
    expect(canAccess(manager, 'users', 'create')).toBe(false);
    expect(canAccess(manager, 'apiKeys', 'list')).toBe(false);
  });

  it('are not guessed without a session, with an expired one or before the viewer is known', () => {
    const signedOut = createProviders({ live: fakeLiveInbox().inbox });
    expect(signedOut.queryClient.getQueryData(['auth', 'checkAuth', {}])).toBeUndefined();
    expect(canAccess(signedOut, 'customers', 'list')).toBeUndefined();

    session.save({ token: 't', expiresAt: new Date(Date.now() - 1000).toISOString(), viewer: VIEWERS.ADMIN });
    const expired = createProviders({ live: fakeLiveInbox().inbox });
    expect(expired.queryClient.getQueryData(['auth', 'checkAuth', {}])).toBeUndefined();
    expect(canAccess(expired, 'users', 'list')).toBeUndefined();

    session.save({ token: 't', expiresAt: new Date(Date.now() + 60_000).toISOString(), viewer: null });
    const unknownViewer = createProviders({ live: fakeLiveInbox().inbox });
    expect(canAccess(unknownViewer, 'customers', 'list')).toBeUndefined();
  });
});
