import type { RequestHandler } from 'express';

const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key, apollo-require-preflight, x-apollo-operation-name';

/**
 * CORS for the configured console origins only. With none configured, no CORS header is ever
 * sent and browsers keep the API same-origin. Credentials are bearer tokens, never cookies, so
 * `Access-Control-Allow-Credentials` is not needed.
 */
export function cors(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'x-request-id, retry-after, idempotent-replayed');
    }
    res.vary('origin');
    if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return next();
    if (!origin || !allowed.has(origin)) {
      res.status(403).end();
      return;
    }
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', '600');
    res.status(204).end();
  };
}
