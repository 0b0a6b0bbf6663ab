// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { createProviders } from '../../admin/src/providers';
import { canRoleAccess } from '../../admin/src/providers/permissions';
import { VIEWERS, fakeApi, signInAs } from './harness';

beforeEach(() => {
  localStorage.clear();
});

describe('auth provider', () => {
  it('signs in with the login mutation and keeps the token for later requests', async () => {
    const api = fakeApi({
      AdminLogin: (variables) =>
        variables.password === 'right'
          ? { login: { token: 'tok', expiresAt: new Date(Date.now() + 60_000).toISOString(), user: VIEWERS.MANAGER } }
          : { errors: [{ message: 'Wrong email or password', extensions: { code: 'UNAUTHENTICATED' } }] },
    });
    const { authProvider } = createProviders({ fetch: api.fetch });
    await expect(authProvider.login({ username: 'manager.east@test.local', password: 'wrong' })).rejects.toThrow(
      'app.serverErrors.UNAUTHENTICATED.default',
    );
    await expect(authProvider.checkAuth({})).rejects.toThrow();
    await authProvider.login({ username: ' manager.east@test.local ', password: 'right' });
    expect(api.calls[1]!.variables).toEqual({ email: 'manager.east@test.local', password: 'right' });
    await expect(authProvider.checkAuth({})).resolves.toBeUndefined();
    await expect(authProvider.getIdentity!()).resolves.toMatchObject({ fullName: 'Eve East' });
    await expect(authProvider.getPermissions!({})).resolves.toBe('MANAGER');
    expect(localStorage.getItem('accountable.token')).toBe('tok');
  });

  it('asks `me` for the role when it does not have it', async () => {
    localStorage.setItem('accountable.token', 'tok');
    const api = fakeApi({ AdminMe: () => ({ me: VIEWERS.REP }) });
    const { authProvider } = createProviders({ fetch: api.fetch });
    await expect(authProvider.getPermissions!({})).resolves.toBe('REP');
    await expect(authProvider.canAccess!({ resource: 'users', action: 'list' })).resolves.toBe(false);
    expect(api.operations()).toEqual(['AdminMe']);
  });

  it('signs out on UNAUTHENTICATED (401) and on an expired token, not on FORBIDDEN', async () => {
    signInAs('ADMIN');
    const { authProvider } = createProviders({ fetch: fakeApi({}).fetch });
    await expect(authProvider.checkError({ status: 403 })).resolves.toBeUndefined();
    expect(localStorage.getItem('accountable.token')).not.toBeNull();
    await expect(authProvider.checkError({ status: 401 })).rejects.toThrow();
    expect(localStorage.getItem('accountable.token')).toBeNull();

    localStorage.setItem('accountable.token', 'old');
    localStorage.setItem(
      'accountable.viewer',
      JSON.stringify({ expiresAt: new Date(Date.now() - 1000).toISOString(), viewer: VIEWERS.ADMIN }),
    );
    await expect(authProvider.checkAuth({})).rejects.toThrow();
    expect(localStorage.getItem('accountable.token')).toBeNull();
  });

  it('offers each role what the API allows it (the API still decides)', () => {
    expect(canRoleAccess('ADMIN', 'regions', 'create')).toBe(true);
    expect(canRoleAccess('MANAGER', 'regions', 'list')).toBe(true);
    expect(canRoleAccess('MANAGER', 'regions', 'edit')).toBe(false);
    expect(canRoleAccess('MANAGER', 'users', 'edit')).toBe(false);
    expect(canRoleAccess('REP', 'customers', 'edit')).toBe(true);
    expect(canRoleAccess('REP', 'customers', 'delete')).toBe(false);
    expect(canRoleAccess('REP', 'regions', 'list')).toBe(false);
    // Reps see the transfer requests they filed (and cancel them); managers and admins decide.
    expect(canRoleAccess('REP', 'transfers', 'list')).toBe(true);
    expect(canRoleAccess('REP', 'transfers', 'decide')).toBe(false);
    expect(canRoleAccess('MANAGER', 'transfers', 'decide')).toBe(true);
    expect(canRoleAccess('REP', 'customers', 'reassign')).toBe(false);
    expect(canRoleAccess('MANAGER', 'customers', 'reassign')).toBe(true);
    // Audit log: admins and managers; API keys and running evaluation cycles: admins only.
    expect(canRoleAccess('REP', 'auditEvents', 'list')).toBe(false);
    expect(canRoleAccess('MANAGER', 'auditEvents', 'list')).toBe(true);
    expect(canRoleAccess('MANAGER', 'apiKeys', 'list')).toBe(false);
    expect(canRoleAccess('ADMIN', 'apiKeys', 'create')).toBe(true);
    expect(canRoleAccess('MANAGER', 'evaluationCycles', 'show')).toBe(true);
    expect(canRoleAccess('MANAGER', 'evaluationCycles', 'run')).toBe(false);
    expect(canRoleAccess('REP', 'evaluationCycles', 'list')).toBe(false);
    expect(canRoleAccess(null, 'customers', 'list')).toBe(false);
  });
});
