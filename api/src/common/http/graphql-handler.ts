import { parse as parseUrl } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import { HeaderMap, type ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from 'knex';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { openingStatement, openSession, type OpenedRow } from '../auth/session.js';
import { beginWith } from '../orm/opening-transaction.js';
import type { BackgroundWork } from '../background.js';
import { classifyFailure } from '../errors/errors.js';
import type { Config } from '../../config.js';
import { createContext, type Context } from '../../context.js';
import { acceptedEncoding } from './encoding.js';
import { TokenBuckets } from './rate-limit.js';
import { bindRequestState, requestStateOf, type RequestState } from './request-state.js';

function toApolloRequest(req: Request) {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: req.method.toUpperCase(), headers, search: parseUrl(req.url).search ?? '', body: req.body as unknown };
}

/**
 * Marks the request retryable when execution met a serialization failure, a deadlock or a lost
 * connection (resolvers turn those into GraphQL errors, so the handler would not see them),
 * records the operation name for the request log, and tells the handler when a 400 is a GraphQL
 * request error (see `httpStatus`).
 */
export function requestStatePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let sourceResolved = false;
      return {
        async didResolveSource() {
          sourceResolved = true;
        },
        async didResolveOperation({ operationName, contextValue }) {
          const state = requestStateOf(contextValue);
          if (state) state.operationName = operationName ?? null;
        },
        async didEncounterErrors({ errors, contextValue }) {
          const state = requestStateOf(contextValue);
          if (state && errors.some((error) => classifyFailure(error) !== null)) state.retryable = true;
        },
        async willSendResponse({ response, contextValue }) {
          const state = requestStateOf(contextValue);
          if (!state || response.body.kind !== 'single') return;
          const { data, errors = [] } = response.body.singleResult;
          // BAD_REQUEST is about the HTTP request (a malformed header), not the GraphQL one.
          state.requestError =
            sourceResolved &&
            response.http.status === 400 &&
            data === undefined &&
            errors.every((error) => error.extensions?.code !== 'BAD_REQUEST');
        },
      };
    },
  };
}

/** Requests still being worked on, including ones whose client already got a timeout. */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  start(): void {
    this.count += 1;
  }

  end(): void {
    this.count -= 1;
    if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves when nothing is in flight, or after `ms`; true when drained. */
  idle(ms: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/**
 * GraphQL over HTTP sets the status per response media type. With `application/json` a client
 * cannot tell a 4xx of ours from one of a proxy in between, so every well-formed request is
 * answered 200 and its request errors are read from the body; `application/graphql-response+json`
 * (what a client that asks for it gets) keeps 400 for them. Requests that are not well-formed (no
 * query, variables that are not a map, unreadable JSON) stay 400 either way.
 */
function httpStatus(status: number, headers: HeaderMap, requestError: boolean): number {
  const mediaType = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  return requestError && mediaType === 'application/json' ? 200 : status;
}

interface Outcome {
  status: number;
  headers: [string, string][];
  body: string;
}

function errorOutcome(status: number, code: string, message: string, requestId: string, headers: [string, string][] = []): Outcome {
  return {
    status,
    headers: [['content-type', 'application/json; charset=utf-8'], ...headers],
    body: JSON.stringify({ errors: [{ message, extensions: { code, requestId } }] }),
  };
}

/** Below this, compressing saves less than it costs (a page of rows is tens of KB and shrinks ~10×). */
const COMPRESS_MIN_BYTES = 1024;

/**
 * Sends the final body, compressed when the client accepts it and it is worth it. Brotli at a
 * middle quality: the densest levels cost more CPU per request than they save on the wire.
 */
async function sendBody(req: Request, res: Response, status: number, body: string): Promise<void> {
  res.status(status);
  res.vary('Accept-Encoding');
  const bytes = Buffer.byteLength(body);
  const encoding = bytes >= COMPRESS_MIN_BYTES ? acceptedEncoding(req.headers) : null;
  if (!encoding) {
    res.send(body);
    return;
  }
  res.setHeader('content-encoding', encoding);
  res.removeHeader('content-length');
  const compressor =
    encoding === 'br'
      ? createBrotliCompress({
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes,
          },
        })
      : createGzip();
  compressor.end(body);
  // A client that went away ends the pipeline early; the request's end is awaited below anyway.
  await pipeline(compressor, res).catch(() => undefined);
}

const RETRY = Symbol('retry');
const TIMED_OUT = Symbol('timed out');

export interface HandlerDeps {
  apollo: ApolloServer<Context>;
  orm: MikroORM;
  config: Config;
  logger: Logger;
  inFlight: InFlight;
  background: BackgroundWork;
}

/**
 * Serves GraphQL with each request in one database transaction: its opening round trip (BEGIN and
 * one statement) resolves the viewer and drops to the unprivileged role with the viewer's reach and the statement, lock and
 * idle timeouts set transaction-locally (so row-level security applies to every statement), the
 * operation runs, and the transaction commits — or rolls back if anything escapes. Each
 * mutation is a savepoint inside it.
 *
 * Around that: a token bucket per principal (429 + Retry-After); a whole-request retry with
 * bounded backoff when the transaction hit a serialization failure, a deadlock or a lost
 * connection before anything was committed or sent; and a request timeout, after which the
 * client gets 503 and the transaction is rolled back rather than committed.
 */
export function graphqlHandler({ apollo, orm, config, logger, inFlight, background }: HandlerDeps): RequestHandler {
  const limiter = new TokenBuckets(config.rateLimit.perMinute, config.rateLimit.burst);
  const { retryAttempts, requestMs } = config.timeouts;

  return async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const requestId = String(res.locals.requestId);
    const state: RequestState = {
      requestId,
      address: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      viewer: null,
      operationName: null,
      retryable: false,
      requestError: false,
      idempotency: null,
    };
    let abandoned = false;
    let attempts = 0;

    const attempt = async (): Promise<Outcome | typeof RETRY> => {
      attempts += 1;
      const em = orm.em.fork({ clear: true, useContext: false }) as EntityManager;
      const connection = em.getConnection();
      let transaction: Knex.Transaction | undefined;
      let committing = false;
      try {
        // One round trip opens the transaction, resolves the viewer and sets the session from its row.
        const opened = await beginWith<OpenedRow>(
          connection.getKnex(),
          openingStatement(req.headers.authorization, config.authSecret, config.territoryAccess, config.timeouts),
        );
        transaction = opened.transaction;
        em.setTransactionContext(transaction);
        const { viewer, reach } = openSession(opened.rows[0], config.territoryAccess);
        state.viewer = viewer;
        if (attempts === 1) {
          const verdict = limiter.take(viewer ? `${viewer.kind}:${viewer.id}` : `address:${state.address}`);
          if (!verdict.allowed) {
            await connection.rollback(transaction);
            transaction = undefined;
            return errorOutcome(429, 'RATE_LIMITED', 'Too many requests; slow down', requestId, [
              ['retry-after', String(verdict.retryAfterSeconds)],
            ]);
          }
        }
        state.retryable = false;
        state.requestError = false;
        state.idempotency = null;
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: toApolloRequest(req),
          context: async () => {
            const context = createContext({ em, viewer, reach, requestId, config, logger, background });
            bindRequestState(context, state);
            return context;
          },
        });
        let body = '';
        if (response.body.kind === 'complete') body = response.body.string;
        else for await (const chunk of response.body.asyncIterator) body += chunk;
        if (state.retryable || abandoned) {
          await connection.rollback(transaction).catch(() => undefined);
          transaction = undefined;
          if (abandoned) return errorOutcome(503, 'TIMEOUT', 'The request took too long', requestId);
          if (attempts < retryAttempts) return RETRY;
          // Rolled back: the response may show mutations as done, so it must not be sent.
          return errorOutcome(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry shortly', requestId, [
            ['retry-after', '1'],
          ]);
        }
        committing = true;
        await connection.commit(transaction);
        transaction = undefined;
        return { status: httpStatus(response.status ?? 200, response.headers, state.requestError), headers: [...response.headers], body };
      } catch (error) {
        if (transaction) await connection.rollback(transaction).catch(() => undefined);
        const failure = classifyFailure(error);
        // A commit that failed on a lost connection may still have committed: never run it twice.
        const safeToRetry = failure === 'retry' || (failure === 'unavailable' && !committing);
        if (safeToRetry && attempts < retryAttempts && !abandoned) return RETRY;
        const { name, code } = (error ?? {}) as { name?: string; code?: string };
        logger.error({ requestId, err: { type: name, code } }, 'GraphQL request failed outside execution');
        if (failure === 'unavailable')
          return errorOutcome(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry shortly', requestId, [
            ['retry-after', '1'],
          ]);
        return errorOutcome(500, 'INTERNAL_SERVER_ERROR', 'Internal server error', requestId);
      } finally {
        em.resetTransactionContext();
      }
    };

    const run = async (): Promise<Outcome> => {
      for (;;) {
        const outcome = await attempt();
        if (outcome !== RETRY) return outcome;
        // Bounded exponential backoff with jitter, so colliding requests do not collide again.
        await sleep(Math.round(25 * 2 ** attempts * (0.5 + Math.random())));
        if (abandoned) return errorOutcome(503, 'TIMEOUT', 'The request took too long', requestId);
      }
    };

    inFlight.start();
    try {
      const work = run();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), requestMs);
      });
      let outcome = await Promise.race([work, deadline]).catch(() =>
        errorOutcome(500, 'INTERNAL_SERVER_ERROR', 'Internal server error', requestId),
      );
      clearTimeout(timer);
      if (outcome === TIMED_OUT) {
        abandoned = true;
        outcome = errorOutcome(503, 'TIMEOUT', 'The request took too long', requestId);
      }
      if (!res.headersSent) {
        for (const [key, value] of outcome.headers) res.setHeader(key, value);
        // Only the outcome is compressed: a retried attempt's body was never sent.
        void sendBody(req, res, outcome.status, outcome.body);
      }
      const viewer = state.viewer;
      logger.info(
        {
          requestId,
          principal: viewer ? { kind: viewer.kind, id: viewer.id } : { kind: 'ANONYMOUS', address: state.address },
          operation: state.operationName,
          status: outcome.status,
          attempts,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'graphql request',
      );
      // In flight until the transaction is over (also after a timeout) and the response is out,
      // so a graceful shutdown closes neither under it.
      await work.catch(() => undefined);
      await new Promise<void>((resolve) => {
        if (res.writableFinished || res.destroyed) resolve();
        else {
          res.once('finish', () => resolve());
          res.once('close', () => resolve());
        }
      });
    } finally {
      inFlight.end();
    }
  };
}
