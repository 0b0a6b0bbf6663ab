import type { AdminViewerFragment } from '../../../schema/generated/graphql';

const TOKEN_KEY = 'accountable.token';
const VIEWER_KEY = 'accountable.viewer';

export interface Session {
  token: string;
  expiresAt: string;
  viewer: AdminViewerFragment | null;
}

/** The signed-in session, kept in localStorage so a reload stays signed in until the token expires. */
export const session = {
  read(): Session | null {
    try {
      const token = localStorage.getItem(TOKEN_KEY);
      if (!token) return null;
      const stored = JSON.parse(localStorage.getItem(VIEWER_KEY) ?? 'null') as { expiresAt?: string; viewer?: AdminViewerFragment } | null;
      return { token, expiresAt: stored?.expiresAt ?? '', viewer: stored?.viewer ?? null };
    } catch {
      return null;
    }
  },
  token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  save(value: Session): void {
    localStorage.setItem(TOKEN_KEY, value.token);
    localStorage.setItem(VIEWER_KEY, JSON.stringify({ expiresAt: value.expiresAt, viewer: value.viewer }));
  },
  saveViewer(viewer: AdminViewerFragment): void {
    const current = session.read();
    if (current) session.save({ ...current, viewer });
  },
  clear(): void {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(VIEWER_KEY);
  },
  isExpired(value: Session, now = Date.now()): boolean {
    return value.expiresAt !== '' && Date.parse(value.expiresAt) <= now;
  },
};
