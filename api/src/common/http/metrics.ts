import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Kind, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Role } from '../access/index.js';
import { resolveViewer } from '../auth/session.js';

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
