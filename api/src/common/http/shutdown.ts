import type { Server } from 'node:http';
import type { Express, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { InFlight } from './in-flight.js';

/** Once draining, every response closes its connection, so keep-alive clients move to another instance. */
export function closeWhenDraining(isDraining: () => boolean): RequestHandler {
  return (_req, res, next) => {
    if (isDraining()) res.setHeader('connection', 'close');
    next();
  };
}

export interface Draining {
  inFlight: InFlight;
  timeoutMs: number;
  logger: Logger;
  /** Closes what the server holds (timers, background work, the pool), after the requests. */
  close(): Promise<void>;
}

/**
 * Graceful stop (once the caller marked the app draining, so /readyz answers 503): no new
 * connections, idle ones closed, in-flight requests finish (up to `timeoutMs`), then the rest
 * is closed.
 */
export async function drain({ inFlight, timeoutMs, logger, close }: Draining, server?: Server): Promise<void> {
  server?.close();
  server?.closeIdleConnections();
  const drained = await inFlight.idle(timeoutMs);
  if (!drained) logger.warn({ inFlight: inFlight.size }, 'shutdown timeout: closing with requests in flight');
  server?.closeAllConnections();
  await close();
}

/** What `listen` needs of an app. */
export interface Listenable {
  express: Express;
  config: { port: number; host: string };
  logger: Logger;
  inFlight: InFlight;
  attach(server: Server): void;
  drain(server?: Server): Promise<void>;
}

/** Listens and stops gracefully on SIGTERM/SIGINT: not ready, no new connections, in-flight requests drain, the pool closes. */
export function listen(app: Listenable): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.express.listen(app.config.port, app.config.host, () => resolve(server));
    app.attach(server);
    const stop = (signal: string) => {
      app.logger.info({ signal, inFlight: app.inFlight.size }, 'shutting down: draining in-flight requests');
      void app.drain(server).then(
        () => {
          app.logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          app.logger.error({ err: { type: (error as Error)?.name } }, 'unclean shutdown');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
