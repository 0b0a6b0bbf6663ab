import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * Gives every request an id (`res.locals.requestId`, and the `x-request-id` header), which its
 * log line and any error it is answered with carry.
 */
export function requestId(): RequestHandler {
  return (_req, res, next) => {
    res.locals.requestId = randomUUID();
    res.setHeader('x-request-id', res.locals.requestId as string);
    next();
  };
}
