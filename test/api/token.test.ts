import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueToken, verifyToken } from '../../api/src/common/auth/token.js';

// verifyToken remembers the tokens it has checked; what it answers must not depend on that.
const SECRET = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const USER = { id: '6f1c1d5e-6a7b-4c8d-9e0f-112233445566', sessionVersion: 3 };

/** A token written by hand: header, claims and an HS256 signature over both. */
function handMade(claims: object, secret: string): string {
  const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('verifyToken', () => {
  it('reads the claims of a token signed with the secret, the second time as the first', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const token = handMade({ sub: USER.id, sv: 3, iat: now / 1000, exp: now / 1000 + 60 }, SECRET);
    const expected = { sub: USER.id, sv: 3, iat: now / 1000, exp: now / 1000 + 60 };
    expect(verifyToken(token, SECRET, now)).toEqual(expected);
    expect(verifyToken(token, SECRET, now + 1_000)).toEqual(expected);
  });

  it('refuses a token once it has expired, though it was accepted before', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const { token } = issueToken(USER, SECRET, 60, now);
    expect(verifyToken(token, SECRET, now)?.sub).toBe(USER.id);
    expect(verifyToken(token, SECRET, now + 59_999)?.sub).toBe(USER.id);
    expect(verifyToken(token, SECRET, now + 60_000)).toBeNull();
    expect(verifyToken(token, SECRET, now + 3_600_000)).toBeNull();
  });

  it('refuses under another secret a token it accepted under its own', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const { token } = issueToken(USER, SECRET, 60, now);
    expect(verifyToken(token, SECRET, now)).not.toBeNull();
    expect(verifyToken(token, OTHER, now)).toBeNull();
  });

  it('refuses a changed signature or changed claims after the genuine token was accepted', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const { token } = issueToken(USER, SECRET, 60, now);
    expect(verifyToken(token, SECRET, now)).not.toBeNull();
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: USER.id, sv: 4, iat: now / 1000, exp: now / 1000 + 60 })).toString('base64url')}.${signature}`;
    expect(verifyToken(forged, SECRET, now)).toBeNull();
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(verifyToken(flipped, SECRET, now)).toBeNull();
  });

  it('gives each caller claims it cannot change for the next one', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const { token } = issueToken(USER, SECRET, 60, now);
    const first = verifyToken(token, SECRET, now)!;
    expect(() => Object.assign(first, { sv: 99 })).toThrow();
    expect(verifyToken(token, SECRET, now)?.sv).toBe(3);
  });

  it('refuses tokens without a session version or expiry, and foreign algorithms', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    expect(verifyToken(handMade({ sub: USER.id, iat: now / 1000, exp: now / 1000 + 60 }, SECRET), SECRET, now)).toBeNull();
    expect(verifyToken(handMade({ sub: USER.id, sv: 1, iat: now / 1000 }, SECRET), SECRET, now)).toBeNull();
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: USER.id, sv: 1, exp: now / 1000 + 60 })).toString('base64url')}.`;
    expect(verifyToken(none, SECRET, now)).toBeNull();
  });
});
