import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { formatError, requestIdPlugin } from './common/errors/format-error.js';
import { jsonTextPlugin, stringifyResult, type ErrorFormatter } from './common/graphql/compile/json-text.js';
import { errorOrderPlugin } from './common/graphql/error-order.js';
import { idempotencyPlugin } from './common/http/idempotency.js';
import { operationLimitsPlugin, structuralLimitsRule } from './common/http/limits.js';
import { loginGuardPlugin } from './common/http/login-guard.js';
import { metricsPlugin, type Metrics } from './common/http/metrics.js';
import { requestStatePlugin } from './common/http/request-state.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import { deniedMutationAuditPlugin } from './modules/audit/audit.plugin.js';

/** The started Apollo server: parsing and validation limits, error formatting and the request plugins, in order. */
export async function startApollo(schema: GraphQLSchema, config: Config, logger: Logger, metrics: Metrics): Promise<ApolloServer<Context>> {
  // Apollo's own messages go to the structured log, cut before any detail: a database error's
  // message carries its SQL with the values inlined.
  const apolloLog = (level: 'debug' | 'info' | 'warn' | 'error') => (message?: unknown) =>
    logger[level]({ source: 'apollo' }, String(message).replace(/:.*$/s, ''));
  const formatResponseError: ErrorFormatter = (formatted, error) =>
    formatError(
      formatted,
      error,
      (original) => {
        const { name, code } = (original ?? {}) as { name?: string; code?: string };
        logger.error({ err: { type: name, code } }, 'unhandled error while resolving a request');
      },
      { hideSuggestions: !config.demo },
    );
  const apollo = new ApolloServer<Context>({
    schema,
    logger: { debug: apolloLog('debug'), info: apolloLog('info'), warn: apolloLog('warn'), error: apolloLog('error') },
    // Introspection is decided per principal (operationLimitsPlugin): everyone in demo mode,
    // INTROSPECTION_ROLES otherwise. graphql-js's MaxIntrospectionDepthRule bounds its nesting.
    introspection: true,
    // Outside demo mode "Did you mean …?" hints would let anyone enumerate the schema.
    hideSchemaDetailsFromClientErrors: !config.demo,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // No automatic persisted queries: nothing uses them, and they would be one more cache to fill.
    persistedQueries: false,
    // listen() owns SIGTERM/SIGINT (drain first); Apollo's own handler would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: config.limits.tokens },
    // A compiled read's JSON text goes into the body as PostgreSQL wrote it (jsonTextPlugin).
    stringifyResult,
    validationRules: [structuralLimitsRule(config.limits)],
    // A hostile document must not make validation produce (and send) thousands of errors.
    validationOptions: { maxErrors: 10 },
    formatError: formatResponseError,
    plugins: [
      // No federated trace (`ftv1`) or cache hints in responses: they would reveal resolver timings.
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      metricsPlugin(metrics),
      requestIdPlugin(),
      // Errors in response order, whichever path answered (compiled reads or resolvers with DataLoaders).
      errorOrderPlugin(),
      deniedMutationAuditPlugin(),
      requestStatePlugin(),
      operationLimitsPlugin(schema, config.limits, config.demo),
      loginGuardPlugin(config.rateLimit),
      idempotencyPlugin(),
      // After every plugin that may refuse or answer the operation first.
      jsonTextPlugin(formatResponseError),
      // Apollo's landing pages load Apollo Sandbox from a CDN: the explorer is ours (site.ts).
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  return apollo;
}
