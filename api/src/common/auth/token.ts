import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** User id. */
  sub: string;
  /** The user's session version when the token was issued (app_user.session_version). */
  sv: number;
  /** Issued at / expires, in seconds since the epoch. */
  iat: number;
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function sign(data: string, secret: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

/** A compact HS256 JWT for a user at their current session version. */
export function issueToken(
  user: { id: string; sessionVersion: number },
  secret: string,
  ttlSeconds: number,
  now = Date.now(),
): { token: string; expiresAt: Date } {
  const iat = Math.floor(now / 1000);
  const claims: TokenClaims = { sub: user.id, sv: user.sessionVersion, iat, exp: iat + ttlSeconds };
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return { token: `${body}.${sign(body, secret)}`, expiresAt: new Date(claims.exp * 1000) };
}

/**
 * Tokens whose signature and claims were checked, by secret and token: a client sends the same
 * token with every request, and the HMAC was a tenth of a cached read's CPU. Only the signature's
 * verdict is kept; expiry is checked on every use, and the session version in SQL as always.
 */
const verified = new Map<string, Map<string, TokenClaims>>();
const VERIFIED_MAX = 10_000;
const SECRETS_MAX = 16;

/** The claims of a valid, unexpired token; null for anything else (including tokens from before session versions). */
export function verifyToken(token: string, secret: string, now = Date.now()): TokenClaims | null {
  let bySecret = verified.get(secret);
  if (!bySecret) {
    // One secret per running app; a handful where tests start several.
    if (verified.size >= SECRETS_MAX) verified.clear();
    verified.set(secret, (bySecret = new Map()));
  }
  let claims = bySecret.get(token);
  if (!claims) {
    const checked = checkedClaims(token, secret);
    if (!checked) return null;
    if (bySecret.size >= VERIFIED_MAX) bySecret.clear();
    bySecret.set(token, Object.freeze(checked));
    claims = checked;
  }
  return claims.exp * 1000 > now ? claims : null;
}

/** The claims of a token signed with `secret` and well formed, expired or not; null for anything else. */
function checkedClaims(token: string, secret: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`, secret));
  const actual = Buffer.from(parts[2]!);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    if (
      typeof claims.sub !== 'string' ||
      !Number.isSafeInteger(claims.sv) ||
      typeof claims.exp !== 'number' ||
      !Number.isFinite(claims.exp)
    )
      return null;
    return claims as TokenClaims;
  } catch {
    return null;
  }
}
