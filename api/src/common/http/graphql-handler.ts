import { parse as parseUrl } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { BackgroundWork } from '../background.js';
import { classifyFailure, sqlStateOf } from '../errors/errors.js';
import type { Config } from '../../config.js';
import { createContext, type Context } from '../../context.js';
import { IN_FLIGHT, preclaimed, preclaimFor, type Preclaim } from './idempotency.js';
import type { InFlight } from './in-flight.js';
import { TokenBuckets } from './rate-limit.js';
import { bindRequestState, type RequestState } from './request-state.js';
import { withRequestTransaction } from './request-transaction.js';
import { sendBody } from './send-body.js';
import { sentOperation } from './sent-operation.js';

function toApolloRequest(req: Request) {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: req.method.toUpperCase(), headers, search: parseUrl(req.url).search ?? '', body: req.body as unknown };
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

const unavailable = (requestId: string) =>
  errorOutcome(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry shortly', requestId, [['retry-after', '1']]);
const timedOut = (requestId: string) => errorOutcome(503, 'TIMEOUT', 'The request took too long', requestId);
const internal = (requestId: string) => errorOutcome(500, 'INTERNAL_SERVER_ERROR', 'Internal server error', requestId);

/** The same answer as the Idempotency-Key plugin's to a key whose first request is still running. */
const inFlightOutcome = (): Outcome => ({
  status: 409,
  headers: [
    ['content-type', 'application/json; charset=utf-8'],
    ['retry-after', '1'],
  ],
  body: JSON.stringify({ errors: [{ message: IN_FLIGHT, extensions: { code: 'IDEMPOTENCY_KEY_IN_FLIGHT' } }] }),
});

const RETRY = Symbol('retry');
const REDO = Symbol('redo');
const TIMED_OUT = Symbol('timed out');

export interface HandlerDeps {
  apollo: ApolloServer<Context>;
  orm: MikroORM;
  config: Config;
  logger: Logger;
  inFlight: InFlight;
  background: BackgroundWork;
  /** A mutation's transaction committed (the webhook worker looks at the feed at once instead of at its next poll). */
  onMutationCommitted?: () => void;
}

/** One request, across the attempts its transaction may need. */
interface Exchange {
  req: Request;
  state: RequestState;
  attempts: number;
  /** The client already got its timeout: whatever the transaction did is rolled back. */
  abandoned: boolean;
  /** The Idempotency-Key claim that travels with the opening statement, when the request has one. */
  preclaim: Preclaim | null;
  /** The request sends a mutation: its opening also takes the first mutation's savepoint. */
  mutation: boolean;
  /** The request sends a query: its one compiled statement may travel with COMMIT (`RequestState.lastRead`). */
  query: boolean;
  /** Run again because the answer needed more than the statement sent with COMMIT: this run keeps its transaction open to the end. */
  redone: boolean;
}

/**
 * Serves GraphQL with each request in one database transaction (withRequestTransaction: one round
 * trip opens it with the viewer and the session set from its row), in which the operation runs and
 * which then commits — or rolls back if anything escapes. Each mutation is a savepoint inside it.
 *
 * Around that: a token bucket per principal (429 + Retry-After); a whole-request retry with
 * bounded backoff when the transaction hit a serialization failure, a deadlock or a lost
 * connection before anything was committed or sent; and a request timeout, after which the
 * client gets 503 and the transaction is rolled back rather than committed.
 */
export function graphqlHandler(deps: HandlerDeps): RequestHandler {
  const { config, logger, inFlight } = deps;
  const limiter = new TokenBuckets(config.rateLimit.perMinute, config.rateLimit.burst);

  /** One attempt, in its own transaction: the outcome to send, or RETRY when running it again is safe. */
  const attempt = async (exchange: Exchange): Promise<Outcome | typeof RETRY | typeof REDO> => {
    const { req, state, preclaim, mutation } = exchange;
    exchange.attempts += 1;
    let committing = false;
    try {
      return await withRequestTransaction(
        deps.orm,
        {
          authorization: req.headers.authorization,
          authSecret: config.authSecret,
          territoryAccess: config.territoryAccess,
          timeouts: config.timeouts,
          then: preclaim?.sql,
          mutation,
        },
        async (request) => {
          const { em, viewer, reach } = request;
          state.viewer = viewer;
          state.preclaim =
            preclaim && viewer?.kind === 'API_KEY' ? { fingerprint: preclaim.fingerprint, ...preclaimed(request.thenRows) } : null;
          if (exchange.attempts === 1 && !exchange.redone) {
            const verdict = limiter.take(viewer ? `${viewer.kind}:${viewer.id}` : `address:${state.address}`);
            if (!verdict.allowed)
              return errorOutcome(429, 'RATE_LIMITED', 'Too many requests; slow down', state.requestId, [
                ['retry-after', String(verdict.retryAfterSeconds)],
              ]);
          }
          state.retryable = false;
          state.requestError = false;
          state.idempotency = null;
          state.withCommit = null;
          state.lastRead = exchange.query && !exchange.redone && !preclaim ? (statement) => request.commitReading(statement) : null;
          state.lastReadSent = false;
          state.redo = false;
          state.redoing = exchange.redone;
          const response = await deps.apollo.executeHTTPGraphQLRequest({
            httpGraphQLRequest: toApolloRequest(req),
            context: async () => {
              const { requestId } = state;
              const context = createContext({ em, viewer, reach, requestId, config, logger, background: deps.background });
              bindRequestState(context, state);
              return context;
            },
          });
          let body = '';
          if (response.body.kind === 'complete') body = response.body.string;
          else for await (const chunk of response.body.asyncIterator) body += chunk;
          if (state.redo && !exchange.abandoned) return REDO;
          if (state.retryable || exchange.abandoned) {
            await request.rollback();
            if (exchange.abandoned) return timedOut(state.requestId);
            if (exchange.attempts < config.timeouts.retryAttempts) return RETRY;
            // Rolled back: the response may show mutations as done, so it must not be sent.
            return unavailable(state.requestId);
          }
          committing = true;
          // A query's one statement may have committed with it (lastRead); nothing else may have been left to commit then.
          if (request.isOpen()) await request.commit(state.withCommit ?? undefined);
          else if (state.withCommit) throw new Error('A statement meant to commit with the work came after the commit');
          if (state.mutation) deps.onMutationCommitted?.();
          return { status: httpStatus(response.status ?? 200, response.headers, state.requestError), headers: [...response.headers], body };
        },
      );
    } catch (error) {
      // The opening waited out lock_timeout on the key's row: its first request is still running.
      if (preclaim && sqlStateOf(error) === '55P03') return inFlightOutcome();
      const failure = classifyFailure(error);
      // A commit that failed on a lost connection may still have committed: never run it twice.
      const safeToRetry = failure === 'retry' || (failure === 'unavailable' && !committing);
      if (safeToRetry && exchange.attempts < config.timeouts.retryAttempts && !exchange.abandoned) return RETRY;
      const { name, code } = (error ?? {}) as { name?: string; code?: string };
      logger.error({ requestId: state.requestId, err: { type: name, code } }, 'GraphQL request failed outside execution');
      return failure === 'unavailable' ? unavailable(state.requestId) : internal(state.requestId);
    }
  };

  const run = async (exchange: Exchange): Promise<Outcome> => {
    for (;;) {
      const outcome = await attempt(exchange);
      if (outcome === REDO) {
        // Not a retry: nothing failed, and this run does not count against them.
        exchange.redone = true;
        exchange.attempts -= 1;
        continue;
      }
      if (outcome !== RETRY) return outcome;
      // Bounded exponential backoff with jitter, so colliding requests do not collide again.
      await sleep(Math.round(25 * 2 ** exchange.attempts * (0.5 + Math.random())));
      if (exchange.abandoned) return timedOut(exchange.state.requestId);
    }
  };

  /** The outcome, or the timeout's when the request outlasts REQUEST_TIMEOUT_MS (the work goes on to its rollback). */
  const withDeadline = async (exchange: Exchange, work: Promise<Outcome>): Promise<Outcome> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), config.timeouts.requestMs);
    });
    const outcome = await Promise.race([work, deadline]).catch(() => internal(exchange.state.requestId));
    clearTimeout(timer);
    if (outcome !== TIMED_OUT) return outcome;
    exchange.abandoned = true;
    return timedOut(exchange.state.requestId);
  };

  const logRequest = (exchange: Exchange, outcome: Outcome, started: bigint) => {
    const { state } = exchange;
    const viewer = state.viewer;
    logger.info(
      {
        requestId: state.requestId,
        principal: viewer ? { kind: viewer.kind, id: viewer.id } : { kind: 'ANONYMOUS', address: state.address },
        operation: state.operationName,
        status: outcome.status,
        attempts: exchange.attempts,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      },
      'graphql request',
    );
  };

  return async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const state: RequestState = {
      requestId: String(res.locals.requestId),
      address: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      viewer: null,
      operationName: null,
      mutation: false,
      retryable: false,
      requestError: false,
      idempotency: null,
      withCommit: null,
      lastRead: null,
      lastReadSent: false,
      redo: false,
      redoing: false,
      preclaim: null,
    };
    const sent = sentOperation(req, config.limits.tokens);
    const exchange: Exchange = {
      req,
      state,
      attempts: 0,
      abandoned: false,
      preclaim: preclaimFor(req, sent),
      mutation: sent?.operation === 'mutation',
      query: sent?.operation === 'query',
      redone: false,
    };
    inFlight.start();
    try {
      const work = run(exchange);
      const outcome = await withDeadline(exchange, work);
      if (!res.headersSent) {
        for (const [key, value] of outcome.headers) res.setHeader(key, value);
        // Only the outcome is compressed: a retried attempt's body was never sent.
        void sendBody(req, res, outcome.status, outcome.body);
      }
      logRequest(exchange, outcome, started);
      // In flight until the transaction is over (also after a timeout) and the response is out,
      // so a graceful shutdown closes neither under it.
      await work.catch(() => undefined);
      await responseEnd(res);
    } finally {
      inFlight.end();
    }
  };
}

function responseEnd(res: Response): Promise<void> {
  return new Promise<void>((resolve) => {
    if (res.writableFinished || res.destroyed) resolve();
    else {
      res.once('finish', () => resolve());
      res.once('close', () => resolve());
    }
  });
}
