import type { RequestHandler } from 'express';
import type { InFlight } from './in-flight.js';

export interface ConcurrencyLimit {
  /** At most this many at once; beyond it, 429 with Retry-After. */
  max: number;
  /** Counted like any request, so a graceful shutdown waits for them. */
  inFlight: InFlight;
  /** True once the server drains: new ones are refused with 503. */
  isDraining: () => boolean;
  /** The 429's message. */
  busy: string;
}

/**
 * Runs `handler` for at most `max` requests at once. A request counts until the handler's promise
 * settles (its transaction ended), not merely until the response is sent.
 */
export function limitConcurrency({ max, inFlight, isDraining, busy }: ConcurrencyLimit, handler: RequestHandler): RequestHandler {
  let running = 0;
  return (req, res, next) => {
    if (isDraining()) {
      res.status(503).setHeader('retry-after', '5').json({ error: 'The server is shutting down; try again' });
      return;
    }
    if (running >= max) {
      res.status(429).setHeader('retry-after', '5').json({ error: busy });
      return;
    }
    running += 1;
    inFlight.start();
    void Promise.resolve(handler(req, res, next))
      .catch(next)
      .finally(() => {
        running -= 1;
        inFlight.end();
      });
  };
}
