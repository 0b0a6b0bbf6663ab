import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { RequestHandler } from 'express';
import { Kind, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Role } from '../access/index.js';
import { resolveViewer } from '../auth/session.js';
import type { Config } from '../../config.js';

/** Requests whose operation did not resolve to a root field of the schema. */
export const OTHER_OPERATION = 'other';

/** Per-app Prometheus registry (no global state, so several apps can live in one process). */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'accountable_graphql_requests_total',
    help: 'GraphQL requests by operation and outcome',
    labelNames: ['operation', 'outcome'],
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'accountable_graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation',
    labelNames: ['operation'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly sqlStatements = new Counter({
    name: 'accountable_sql_statements_total',
    help: 'SQL statements sent to the database',
    registers: [this.registry],
  });
  private sqlTotal = 0;

  constructor(defaults = false) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'accountable_' });
  }

  /**
   * `<type>:<first root field>`, e.g. `query:customer`: never the client's operation name, so the
   * label set is bounded by the schema's root fields whatever callers send; anything else (a
   * document that did not parse or validate, introspection) is `other`.
   */
  operationLabel(operation: OperationDefinitionNode | undefined, schema: GraphQLSchema): string {
    if (!operation) return OTHER_OPERATION;
    const field = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
    const root = schema.getRootType(operation.operation);
    if (field?.kind !== Kind.FIELD || !root?.getFields()[field.name.value]) return OTHER_OPERATION;
    return `${operation.operation}:${field.name.value}`;
  }

  countSql(): void {
    this.sqlTotal += 1;
    this.sqlStatements.inc();
  }

  /** Cumulative SQL statements, for tests that pin a request's statement count. */
  get sqlCount(): number {
    return this.sqlTotal;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Who may read /metrics: a scraper sending `METRICS_TOKEN` as its bearer, or a signed-in admin.
 * 401 without valid credentials, 403 for any other principal (users of other roles, API keys).
 */
export async function metricsRefusal(
  em: EntityManager,
  authorization: string | undefined,
  authSecret: string,
  metricsToken: string | null,
): Promise<401 | 403 | null> {
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
  if (metricsToken && bearer && sameSecret(bearer, metricsToken)) return null;
  const viewer = await resolveViewer(em, authorization, authSecret);
  if (!viewer) return 401;
  return viewer.kind === 'USER' && viewer.role === Role.ADMIN ? null : 403;
}

/** Counts each GraphQL request by operation label and outcome, and times it. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let failed = false;
      return {
        async didEncounterErrors() {
          failed = true;
        },
        async willSendResponse({ operation: document, schema, response }) {
          // An answer a plugin gave (the compiled read's text) may carry errors no hook saw.
          if (response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0) failed = true;
          const operation = metrics.operationLabel(document, schema);
          metrics.requests.inc({ operation, outcome: failed ? 'error' : 'ok' });
          metrics.duration.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}

/** `GET /metrics` for admins or the METRICS_TOKEN scraper only (docs/hardening.md): the figures describe the whole service. */
export function metricsRoute(metrics: Metrics, orm: MikroORM, config: Pick<Config, 'authSecret' | 'metricsToken'>): RequestHandler {
  return async (req, res, next) => {
    try {
      res.setHeader('cache-control', 'no-store');
      const refusal = await metricsRefusal(orm.em.fork(), req.headers.authorization, config.authSecret, config.metricsToken);
      if (refusal === 401)
        res
          .status(401)
          .setHeader('www-authenticate', 'Bearer')
          .json({ error: 'Sign in as an admin, or send the metrics token: Authorization: Bearer <token>' });
      else if (refusal === 403) res.status(403).json({ error: 'Only admins may read the metrics' });
      else res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (error) {
      next(error);
    }
  };
}
