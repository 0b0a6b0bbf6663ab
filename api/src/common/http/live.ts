import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Context as SocketContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Viewer } from '../access/index.js';
import type { BackgroundWork } from '../background.js';
import { RequestRejectedError, UnauthenticatedError } from '../errors/errors.js';
import { formatError } from '../errors/format-error.js';
import type { TopicPubSub } from '../graphql/pubsub.js';
import type { Config } from '../../config.js';
import { createContext, type Context, type SubscriptionContext } from '../../context.js';
import { checkOperationLimits, structuralLimitsRule } from './limits.js';
import { TokenBuckets } from './rate-limit.js';
import { withRequestTransaction } from './request-transaction.js';

/** Close codes beside graphql-ws's own (4400 bad request, 4403 forbidden, 4408 init timeout…); documented in docs/notifications.md. */
export const CloseCode = {
  /** No valid token at connection_init, or the token no longer names an active session. */
  Unauthorized: 4401,
  /** A valid principal that may not subscribe (an API key). */
  Forbidden: 4403,
  /** The user already holds LIVE_CONNECTIONS_PER_USER sockets. */
  TooManyConnections: 4429,
  /** Something failed on our side; the client may reconnect. */
  Internal: 4500,
  /** The server is shutting down; reconnect (to another instance). */
  GoingAway: 1001,
} as const;

export interface LiveDeps {
  schema: GraphQLSchema;
  orm: MikroORM;
  config: Config;
  logger: Logger;
  pubSub: TopicPubSub;
  background: BackgroundWork;
}

export interface LiveServer {
  /** Serves GraphQL over WebSocket on the server's /graphql (the same path as HTTP). */
  attach(server: Server): void;
  /** Checks every socket's token again now (what the periodic re-check does). */
  recheck(): Promise<void>;
  /** Open sockets that passed connection_init. */
  readonly size: number;
  /** Closes every socket (1001) and refuses new ones. */
  close(): Promise<void>;
}

interface Connection {
  socket: WebSocket;
  authorization: string;
  viewer: Viewer;
  requestId: string;
}

type Ctx = SocketContext<Record<string, unknown> | undefined, Extra & Partial<Record<PropertyKey, never>>>;

/** An error about the request itself; formatError passes its message and code through. */
const requestError = (message: string, code: string) => new RequestRejectedError(message, code, 400);

/**
 * The client's address as Express's numeric `trust proxy` (TRUST_PROXY_HOPS) reads it: the socket's
 * peer, then X-Forwarded-For from the right, the first address beyond the trusted hops.
 */
export function clientAddress(request: IncomingMessage, trustedHops: number): string {
  const forwarded = trustedHops > 0 ? String(request.headers['x-forwarded-for'] ?? '') : '';
  const hops = [
    request.socket.remoteAddress ?? 'unknown',
    ...forwarded
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .reverse(),
  ];
  return hops[Math.min(trustedHops, hops.length - 1)]!;
}

/**
 * GraphQL subscriptions over WebSocket (graphql-transport-ws, graphql-ws on `ws`), beside the
 * HTTP path and held to its rules: the bearer token in the connection_init payload is resolved
 * by the same opening statement as an HTTP request's, the document passes the same token, depth,
 * alias, introspection and cost limits, errors are formatted by the same function, and every
 * event is read in a request transaction of its own with the viewer's row-level security.
 * Only subscriptions are served here; queries and mutations go over HTTP.
 */
export function createLiveServer(deps: LiveDeps): LiveServer {
  const { schema, orm, config, logger, pubSub, background } = deps;
  const { limits, live } = config;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.bodyBytes });
  const connections = new Map<Ctx, Connection>();
  const byUser = new Map<string, Set<Connection>>();
  // Each upgrade may cost a token check in the database, signed in or not: bounded per address
  // before anything runs. Subscribes are bounded per user over all their sockets.
  const connects = new TokenBuckets(live.connectsPerMinute, Math.max(1, live.connectsPerMinute));
  const subscribes = new TokenBuckets(live.subscribesPerMinute, Math.max(1, live.subscribesPerMinute));
  let closed = false;

  const opening = (authorization: string | undefined) => ({
    authorization,
    authSecret: config.authSecret,
    territoryAccess: config.territoryAccess,
    timeouts: config.timeouts,
  });
  const logFailure = (error: unknown, message: string) => {
    const { name, code } = (error ?? {}) as { name?: string; code?: string };
    logger.warn({ err: { type: name, code } }, message);
  };
  const end = (connection: Connection, code: number, reason: string) => {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.close(code, reason);
  };
  /** The viewer the token names now, by the request path's own opening statement (rolled back). */
  const viewerOf = (authorization: string | undefined) => withRequestTransaction(orm, opening(authorization), async (r) => r.viewer);
  const stillValid = (connection: Connection, viewer: Viewer | null) => viewer?.kind === 'USER' && viewer.id === connection.viewer.id;

  const fresh = <T>(connection: Connection, requestId: string, work: (context: Context) => Promise<T>): Promise<T> =>
    withRequestTransaction(orm, opening(connection.authorization), async (request) => {
      if (!stillValid(connection, request.viewer)) {
        end(connection, CloseCode.Unauthorized, 'Unauthorized');
        throw new UnauthenticatedError('The session has ended; sign in again');
      }
      connection.viewer = request.viewer!;
      const { em, viewer, reach } = request;
      return work(createContext({ em, viewer, reach, requestId, config, logger, background }));
    });

  const format = (error: GraphQLError): GraphQLFormattedError =>
    formatError(
      error.toJSON(),
      error,
      (original) => {
        const { name, code } = (original ?? {}) as { name?: string; code?: string };
        logger.error({ err: { type: name, code } }, 'unhandled error while resolving a subscription');
      },
      { hideSuggestions: !config.demo },
    );

  const checkDocument = (connection: Connection, query: string, operationName: string | null | undefined, variables: unknown) => {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.tokens });
    } catch (error) {
      return [requestError(error instanceof GraphQLError ? error.message : 'Syntax Error', 'GRAPHQL_PARSE_FAILED')];
    }
    const invalid = validate(schema, document, [...specifiedRules, structuralLimitsRule(limits)], { maxErrors: 10 });
    if (invalid.length > 0) return invalid.map((error) => requestError(error.message, 'GRAPHQL_VALIDATION_FAILED'));
    const operation = getOperationAST(document, operationName);
    if (!operation) return [requestError('Name the operation to run', 'OPERATION_RESOLUTION_FAILURE')];
    if (operation.operation !== 'subscription')
      return [requestError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP', 'BAD_REQUEST')];
    const variableValues = variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {};
    try {
      checkOperationLimits(schema, limits, config.demo, {
        document,
        operation,
        operationName,
        variables: variableValues,
        viewer: connection.viewer,
      });
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    return { document, variableValues };
  };

  const server = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      // Close reasons never carry an error's message.
      isProd: true,
      connectionInitWaitTimeout: live.initTimeoutMs,
      async onConnect(ctx) {
        const socket = ctx.extra.socket;
        if (closed) {
          socket.close(CloseCode.GoingAway, 'Going away');
          return false;
        }
        const raw = ctx.connectionParams?.authorization;
        const authorization = typeof raw === 'string' ? raw : undefined;
        let viewer: Viewer | null;
        try {
          viewer = await viewerOf(authorization);
        } catch (error) {
          logFailure(error, 'live: could not check a connection’s token');
          socket.close(CloseCode.Internal, 'Internal server error');
          return false;
        }
        // Gone while its token was being checked: graphql-ws has already run onClose for it.
        if (socket.readyState !== socket.OPEN) return false;
        if (!viewer) {
          socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return false;
        }
        // An API key has no inbox and nothing to subscribe to (graphql-ws answers 4403 Forbidden).
        if (viewer.kind !== 'USER') return false;
        const mine = byUser.get(viewer.id) ?? new Set<Connection>();
        if (mine.size >= live.connectionsPerUser) {
          socket.close(CloseCode.TooManyConnections, 'Too many connections');
          return false;
        }
        const connection: Connection = { socket, authorization: authorization!, viewer, requestId: randomUUID() };
        mine.add(connection);
        byUser.set(viewer.id, mine);
        connections.set(ctx, connection);
        return true;
      },
      onClose(ctx) {
        const connection = connections.get(ctx);
        if (!connection) return;
        connections.delete(ctx);
        const mine = byUser.get(connection.viewer.id);
        mine?.delete(connection);
        if (mine?.size === 0) byUser.delete(connection.viewer.id);
      },
      onSubscribe(ctx, id, payload): ExecutionArgs | readonly GraphQLError[] {
        const connection = connections.get(ctx);
        if (!connection) return [requestError('Sign in first', 'UNAUTHENTICATED')];
        const verdict = subscribes.take(connection.viewer.id);
        if (!verdict.allowed)
          return [requestError(`Too many subscriptions started; try again in ${verdict.retryAfterSeconds} s`, 'RATE_LIMITED')];
        // This subscription is already counted.
        if (Object.keys(ctx.subscriptions).length > live.subscriptionsPerConnection)
          return [requestError('Too many subscriptions on this connection', 'TOO_MANY_SUBSCRIPTIONS')];
        const checked = checkDocument(connection, payload.query, payload.operationName, payload.variables);
        if (Array.isArray(checked)) return checked;
        const { document, variableValues } = checked as { document: DocumentNode; variableValues: Record<string, unknown> };
        const requestId = `${connection.requestId}:${id}`;
        const contextValue: SubscriptionContext = {
          requestId,
          viewer: connection.viewer,
          pubSub,
          fresh: (work) => fresh(connection, requestId, work),
        };
        return { schema, document, operationName: payload.operationName, variableValues, contextValue };
      },
      onNext(_ctx, _id, _payload, _args, result: ExecutionResult): FormattedExecutionResult | void {
        if (!result.errors?.length) return;
        return { ...result, errors: result.errors.map(format) } as FormattedExecutionResult;
      },
      onError(_ctx, _id, _payload, errors) {
        return errors.map(format);
      },
    },
    wss,
  );

  let rechecking: Promise<void> | null = null;
  const recheck = () => {
    rechecking ??= (async () => {
      for (const connection of [...connections.values()]) {
        try {
          if (!stillValid(connection, await viewerOf(connection.authorization))) end(connection, CloseCode.Unauthorized, 'Unauthorized');
        } catch (error) {
          // The database is away: the next round checks again.
          logFailure(error, 'live: could not re-check a connection’s token');
          break;
        }
      }
    })().finally(() => (rechecking = null));
    return rechecking;
  };
  const timer = setInterval(() => void recheck(), live.recheckMs);
  timer.unref();

  const reject = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/graphql') return reject(socket, 404, 'Not Found');
    if (closed) return reject(socket, 503, 'Service Unavailable');
    // Every socket counts, signed in or not yet: each may cost a token check before it is known.
    if (wss.clients.size >= live.connections) return reject(socket, 503, 'Service Unavailable');
    const verdict = connects.take(clientAddress(request, config.trustProxyHops));
    if (!verdict.allowed)
      return socket.end(
        `HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${verdict.retryAfterSeconds}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };

  let closing: Promise<void> | undefined;
  return {
    attach(httpServer) {
      httpServer.on('upgrade', upgrade);
    },
    recheck,
    get size() {
      return connections.size;
    },
    close() {
      closing ??= (async () => {
        closed = true;
        clearInterval(timer);
        await server.dispose();
        await rechecking;
      })();
      return closing;
    },
  };
}
