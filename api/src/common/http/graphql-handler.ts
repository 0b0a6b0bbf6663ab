import { randomUUID } from 'node:crypto';
import { parse as parseUrl } from 'node:url';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { enterSession, resolveViewer } from '../auth/session.js';
import type { Config } from '../../config.js';
import { createContext, type Context } from '../../context.js';

function toApolloRequest(req: Request) {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: req.method.toUpperCase(), headers, search: parseUrl(req.url).search ?? '', body: req.body as unknown };
}

/**
 * Serves GraphQL with each request in one database transaction: the viewer is resolved, the
 * session drops to the unprivileged role with the viewer's reach set transaction-locally (so
 * row-level security applies to every statement), the operation runs, and the transaction
 * commits — or rolls back if anything escapes. Each mutation is a savepoint inside it.
 */
export function graphqlHandler(apollo: ApolloServer<Context>, orm: MikroORM, config: Config, logger: Logger): RequestHandler {
  return async (req: Request, res: Response) => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    const em = orm.em.fork({ clear: true, useContext: false }) as EntityManager;
    const connection = em.getConnection();
    let transaction: Awaited<ReturnType<typeof connection.begin>> | undefined;
    try {
      transaction = await connection.begin();
      em.setTransactionContext(transaction);
      const viewer = await resolveViewer(em, req.headers.authorization, config.authSecret);
      const reach = await enterSession(em, viewer, config.territoryAccess);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: toApolloRequest(req),
        context: async () => createContext({ em, viewer, reach, requestId, config, logger }),
      });
      const body = response.body.kind === 'complete' ? response.body.string : null;
      await connection.commit(transaction);
      transaction = undefined;
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.status(response.status ?? 200);
      if (body !== null) {
        res.send(body);
      } else if (response.body.kind === 'chunked') {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (transaction) await connection.rollback(transaction).catch(() => undefined);
      const { name, code } = (error ?? {}) as { name?: string; code?: string };
      logger.error({ requestId, err: { type: name, code } }, 'GraphQL request failed outside execution');
      if (!res.headersSent) res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
    } finally {
      em.resetTransactionContext();
    }
  };
}
