import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Operation names come from clients: cap how many distinct labels they can create. */
const MAX_OPERATIONS = 200;

/** Per-app Prometheus registry (no global state, so several apps can live in one process). */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'accountable_graphql_requests_total', help: 'GraphQL requests by operation and outcome', labelNames: ['operation', 'outcome'], registers: [this.registry] });
  readonly duration = new Histogram({
    name: 'accountable_graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation',
    labelNames: ['operation'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly sqlStatements = new Counter({ name: 'accountable_sql_statements_total', help: 'SQL statements sent to the database', registers: [this.registry] });
  private readonly operations = new Set<string>();
  private sqlTotal = 0;

  constructor(defaults = false) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'accountable_' });
  }

  operationLabel(name: string | null | undefined): string {
    if (!name || !NAME.test(name)) return 'anonymous';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATIONS) return 'other';
    this.operations.add(name);
    return name;
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
