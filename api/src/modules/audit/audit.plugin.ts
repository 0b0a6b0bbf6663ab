import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.js';
import { recordDeniedMutation } from './audit.service.js';

const DENIED = new Set(['FORBIDDEN', 'NOT_FOUND', 'DUPLICATE_OWNED']);

/**
 * Audits every mutation that was refused for lack of rights. It writes in the request's own
 * transaction, after the refused mutation's savepoint rolled back, so the denial is recorded
 * while the mutation left nothing behind.
 */
export function deniedMutationAuditPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, operationName, response, contextValue }) {
          if (operation?.operation !== 'mutation' || response.body.kind !== 'single') return;
          const code = response.body.singleResult.errors
            ?.map((error) => error.extensions?.code)
            .find((c): c is string => typeof c === 'string' && DENIED.has(c));
          if (!code) return;
          try {
            await recordDeniedMutation(contextValue.em, contextValue.viewer, operationName ?? null, code);
          } catch {
            contextValue.logger.warn({ requestId: contextValue.requestId }, 'could not audit a denied mutation');
          }
        },
      };
    },
  };
}
