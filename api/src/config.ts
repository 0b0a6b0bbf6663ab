import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TerritoryAccess } from './common/access/index.js';

export interface Config {
  host: string;
  port: number;
  /** A PostgreSQL URL, or null for the embedded database under `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  dbPoolMax: number;
  /** Demo mode: demo accounts, seeded data, the explorer and introspection. */
  demo: boolean;
  /** Seed demo data when the database has no users (embedded default only). */
  seedDemo: boolean;
  demoCustomers: number;
  authSecret: string;
  tokenTtlSeconds: number;
  /** Bearer secret a Prometheus scraper may send to read /metrics (admins' tokens work too); null: admins only. */
  metricsToken: string | null;
  logLevel: string;
  /** What reps may do with the accounts of their territories that they do not own. */
  territoryAccess: TerritoryAccess;
  /** Directory of the built console; served at `/` when present. */
  adminDir: string | null;
  /** Reverse proxies in front of the server whose `X-Forwarded-For` is believed (0: none). */
  trustProxyHops: number;
  /** Browser origins allowed to call the API cross-origin (none: same-origin only). */
  corsOrigins: string[];
  limits: Limits;
  rateLimit: RateLimitConfig;
  timeouts: Timeouts;
  live: LiveLimits;
  idempotencyRetentionHours: number;
  /** Days the change feed keeps its events (at least 7); an older cursor must resync. */
  changeRetentionDays: number;
  /** Hours within which a merge may be undone (while nothing newer touched its records). */
  mergeUndoHours: number;
  /** Read notifications are kept this many days (at least 7); unread ones stay until read. */
  notificationRetentionDays: number;
  /** Reads compiled to one SQL statement where they apply (`COMPILED_READS=off`: resolvers only). */
  compiledReads: boolean;
  /** Prepared statements each pooled connection keeps, least recently used deallocated first. */
  preparedStatementsPerConnection: number;
  webhooks: WebhookConfig;
  imports: ImportConfig;
}

/** Bulk imports (docs/import.md). */
export interface ImportConfig {
  /** Largest file `POST /import` takes (413 beyond). */
  maxBytes: number;
  /** Most bytes an XLSX's entries may inflate to, all together (declared or actual): a zip bomb gets 400 on `file`. */
  maxXlsxUnpackedBytes: number;
  /** Most bytes its shared strings (held in memory while the sheet is read) may inflate to. */
  maxXlsxSharedStringsBytes: number;
  /** Rows per run batch, each committed in a transaction of its own. */
  batchRows: number;
  /** Run the import worker (dry runs and runs, resumed after a restart) in this process. */
  worker: boolean;
  /** How often an idle worker looks for jobs to resume; an upload or start wakes it at once. */
  pollIntervalMs: number;
  /** How long a worker's claim on a job lasts without renewal (a crashed worker's runs out). */
  leaseMs: number;
}

/** Push delivery of the change feed (docs/webhooks.md). */
export interface WebhookConfig {
  /** Run the delivery worker in this process (`WEBHOOK_WORKER=off`: another process delivers). */
  worker: boolean;
  /** Allow targets on loopback, private and link-local addresses: tests and demos only. */
  allowPrivateTargets: boolean;
  /** Longest attempt, connect to last byte read. */
  timeoutMs: number;
  /** Backoff after the n-th failure: a random delay up to min(max, base · 2^(n-1)) (full jitter). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A webhook failing without a success for this long is disabled and the admins notified. */
  retryWindowMs: number;
  /** How often an idle worker looks for new events and due retries. */
  pollIntervalMs: number;
  /** After a rotation, how long the previous secret keeps signing beside the new one. */
  secretOverlapMs: number;
  /** Webhooks one API key may have: each is a poll, a feed read and a POST per event. */
  maxPerKey: number;
}

/** Abuse limits, checked before anything executes. Rejections never echo these values. */
export interface Limits {
  bodyBytes: number;
  /** Bulk exports running at once (each reads a whole cycle); more get 429. */
  exportConcurrency: number;
  tokens: number;
  depth: number;
  aliases: number;
  directives: number;
  /** Times one response key may be selected in one selection set. */
  fieldRepeats: number;
  /** Cost budget per request, by principal role (`ANONYMOUS` for no one signed in). */
  cost: Record<CostRole, number>;
  /** Roles that may introspect the schema outside demo mode. */
  introspectionRoles: CostRole[];
}

export const COST_ROLES = ['ADMIN', 'MANAGER', 'REP', 'INTEGRATOR', 'BI', 'ANONYMOUS'] as const;
export type CostRole = (typeof COST_ROLES)[number];

export interface RateLimitConfig {
  /** Sustained requests per minute per principal (0: off). */
  perMinute: number;
  /** Requests a principal may send at once above the sustained rate. */
  burst: number;
  loginFailuresPerAccount: number;
  loginFailuresPerAddress: number;
  loginWindowSeconds: number;
}

export interface Timeouts {
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
  requestMs: number;
  /** Longest bulk export (one COPY statement, streamed at the client's pace). */
  exportMs: number;
  /** How long SIGTERM waits for in-flight requests before closing them. */
  shutdownMs: number;
  /** Attempts of a request whose transaction hit a serialization failure or deadlock. */
  retryAttempts: number;
}

/** GraphQL subscriptions over WebSocket (docs/notifications.md, "Live"). */
export interface LiveLimits {
  /** Open sockets one user may hold at once (one per console tab); more are closed with 4429. */
  connectionsPerUser: number;
  /** Sockets the server holds in all, signed in or not yet (more are refused with 503 at the upgrade). */
  connections: number;
  /** Subscriptions one socket may run at once; more are answered with an error. */
  subscriptionsPerConnection: number;
  /** A socket that has not sent connection_init by then is closed (4408). */
  initTimeoutMs: number;
  /** How often each socket's token is checked again (a deactivated user, a revoked session): 4401 when it no longer holds. */
  recheckMs: number;
  /** WebSocket upgrades per client address and minute (each may cost a token check); more get 429 at the upgrade. */
  connectsPerMinute: number;
  /** Subscribe messages per user and minute, over all their sockets; more are answered with RATE_LIMITED. */
  subscribesPerMinute: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false`);
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * The signing secret. Outside demo mode it must be configured (no fallback). In demo mode one is
 * generated once and kept beside the embedded data, so sessions survive a restart.
 */
function authSecret(env: Env, demo: boolean, dataDir: string): string {
  const configured = env.AUTH_SECRET;
  if (configured) {
    if (configured.length < 32) throw new ConfigError('AUTH_SECRET must be at least 32 characters');
    return configured;
  }
  if (!demo) throw new ConfigError('AUTH_SECRET is required outside demo mode');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, '.auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function metricsToken(raw: string | undefined): string | null {
  if (!raw) return null;
  if (raw.length < 32) throw new ConfigError('METRICS_TOKEN must be at least 32 characters');
  return raw;
}

/** Owner-only unless configured: a rep learns that a colleague's account exists and who owns it, nothing more. */
function territoryAccess(raw: string | undefined): TerritoryAccess {
  if (!raw) return TerritoryAccess.NONE;
  const value = raw.toUpperCase();
  if (!Object.values(TerritoryAccess).includes(value as TerritoryAccess))
    throw new ConfigError('TERRITORY_ACCESS must be NONE, READ or EDIT');
  return value as TerritoryAccess;
}

function origins(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean)
    .map((value) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new ConfigError('CORS_ORIGINS must be a comma-separated list of origins such as https://crm.example.com');
      }
      if (!/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/$/, ''))
        throw new ConfigError('CORS_ORIGINS must be a comma-separated list of origins such as https://crm.example.com');
      return url.origin;
    });
}

const DEFAULT_COST: Record<CostRole, number> = {
  ADMIN: 150_000,
  MANAGER: 50_000,
  INTEGRATOR: 50_000,
  REP: 20_000,
  BI: 20_000,
  ANONYMOUS: 100,
};

/** `COST_LIMITS=REP=8000,BI=5000`: per-role budgets over the defaults. */
function costLimits(raw: string | undefined): Record<CostRole, number> {
  const limits = { ...DEFAULT_COST };
  if (!raw) return limits;
  for (const pair of raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([A-Z_]+)=(\d{1,9})$/i.exec(pair);
    const role = match?.[1]?.toUpperCase() as CostRole | undefined;
    if (!match || !role || !COST_ROLES.includes(role) || Number(match[2]) < 1) {
      throw new ConfigError(`COST_LIMITS must be ROLE=number pairs, roles ${COST_ROLES.join(', ')}`);
    }
    limits[role] = Number(match[2]);
  }
  return limits;
}

function roles(raw: string | undefined, fallback: CostRole[]): CostRole[] {
  if (raw === undefined) return fallback;
  const list = raw
    .split(',')
    .map((part) => part.trim().toUpperCase())
    .filter(Boolean);
  const unknown = list.filter((role) => !COST_ROLES.includes(role as CostRole));
  if (unknown.length > 0) throw new ConfigError(`INTROSPECTION_ROLES must list roles from ${COST_ROLES.join(', ')}`);
  return list as CostRole[];
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = env.DATABASE_URL || null;
  const dataDir = resolve(env.DATA_DIR || './data');
  const demo = bool(env, 'DEMO_MODE', databaseUrl === null);
  const adminDir = resolve(env.ADMIN_DIR || './dist/admin');
  const maxBytes = int(env, 'IMPORT_MAX_BYTES', 100 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024);
  return {
    host: env.HOST || '0.0.0.0',
    port: int(env, 'PORT', 4000, 0, 65535),
    databaseUrl,
    dataDir,
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 500),
    demo,
    seedDemo: bool(env, 'SEED_DEMO', databaseUrl === null && demo),
    demoCustomers: int(env, 'DEMO_CUSTOMERS', 2000, 0, 1_000_000),
    authSecret: authSecret(env, demo, dataDir),
    tokenTtlSeconds: int(env, 'TOKEN_TTL_SECONDS', 12 * 3600, 60, 30 * 24 * 3600),
    metricsToken: metricsToken(env.METRICS_TOKEN),
    logLevel: env.LOG_LEVEL || 'info',
    territoryAccess: territoryAccess(env.TERRITORY_ACCESS),
    adminDir: existsSync(join(adminDir, 'index.html')) ? adminDir : null,
    trustProxyHops: int(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    corsOrigins: origins(env.CORS_ORIGINS),
    limits: {
      bodyBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      exportConcurrency: int(env, 'EXPORT_CONCURRENCY', 2, 1, 64),
      tokens: int(env, 'GRAPHQL_MAX_TOKENS', 3000, 100, 1_000_000),
      depth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 100),
      aliases: int(env, 'GRAPHQL_MAX_ALIASES', 150, 0, 10_000),
      directives: int(env, 'GRAPHQL_MAX_DIRECTIVES', 20, 0, 10_000),
      fieldRepeats: int(env, 'GRAPHQL_MAX_FIELD_REPEATS', 3, 1, 1000),
      cost: costLimits(env.COST_LIMITS),
      introspectionRoles: roles(env.INTROSPECTION_ROLES, ['ADMIN', 'INTEGRATOR']),
    },
    rateLimit: {
      perMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 1200, 0, 1_000_000),
      burst: int(env, 'RATE_LIMIT_BURST', 300, 1, 1_000_000),
      loginFailuresPerAccount: int(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
      loginFailuresPerAddress: int(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 20, 1, 100_000),
      loginWindowSeconds: int(env, 'LOGIN_WINDOW_SECONDS', 900, 10, 24 * 3600),
    },
    timeouts: {
      statementMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', 15_000, 100, 3_600_000),
      lockMs: int(env, 'DB_LOCK_TIMEOUT_MS', 5_000, 10, 3_600_000),
      idleInTransactionMs: int(env, 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 60_000, 1000, 3_600_000),
      requestMs: int(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
      exportMs: int(env, 'EXPORT_TIMEOUT_MS', 1_800_000, 1000, 24 * 3_600_000),
      shutdownMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 0, 600_000),
      retryAttempts: int(env, 'DB_RETRY_ATTEMPTS', 3, 1, 10),
    },
    live: {
      connectionsPerUser: int(env, 'LIVE_CONNECTIONS_PER_USER', 5, 1, 100),
      connections: int(env, 'LIVE_MAX_CONNECTIONS', 1_000, 1, 1_000_000),
      subscriptionsPerConnection: int(env, 'LIVE_SUBSCRIPTIONS_PER_CONNECTION', 5, 1, 100),
      initTimeoutMs: int(env, 'LIVE_INIT_TIMEOUT_MS', 5_000, 100, 60_000),
      recheckMs: int(env, 'LIVE_RECHECK_MS', 60_000, 100, 3_600_000),
      connectsPerMinute: int(env, 'LIVE_CONNECTS_PER_MINUTE', 300, 0, 1_000_000),
      subscribesPerMinute: int(env, 'LIVE_SUBSCRIBES_PER_MINUTE', 120, 0, 1_000_000),
    },
    idempotencyRetentionHours: int(env, 'IDEMPOTENCY_RETENTION_HOURS', 24, 24, 24 * 365),
    changeRetentionDays: int(env, 'CHANGE_RETENTION_DAYS', 7, 7, 3650),
    mergeUndoHours: int(env, 'MERGE_UNDO_HOURS', 72, 0, 24 * 365),
    notificationRetentionDays: int(env, 'NOTIFICATION_RETENTION_DAYS', 90, 7, 3650),
    compiledReads: bool(env, 'COMPILED_READS', true),
    preparedStatementsPerConnection: int(env, 'PREPARED_STATEMENTS_PER_CONNECTION', 256, 1, 100_000),
    webhooks: {
      worker: bool(env, 'WEBHOOK_WORKER', true),
      allowPrivateTargets: bool(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 50, 60_000),
      retryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 30_000, 1, 3_600_000),
      retryMaxMs: int(env, 'WEBHOOK_RETRY_MAX_MS', 2 * 3_600_000, 1, 24 * 3_600_000),
      retryWindowMs: int(env, 'WEBHOOK_RETRY_WINDOW_MS', 24 * 3_600_000, 100, 30 * 24 * 3_600_000),
      pollIntervalMs: int(env, 'WEBHOOK_POLL_INTERVAL_MS', 2_000, 10, 600_000),
      secretOverlapMs: int(env, 'WEBHOOK_SECRET_OVERLAP_MS', 24 * 3_600_000, 0, 30 * 24 * 3_600_000),
      maxPerKey: int(env, 'WEBHOOK_MAX_PER_KEY', 10, 1, 1_000),
    },
    imports: {
      maxBytes,
      maxXlsxUnpackedBytes: int(env, 'IMPORT_MAX_XLSX_UNPACKED_BYTES', Math.min(20 * maxBytes, 1024 ** 3), 1024, 16 * 1024 ** 3),
      maxXlsxSharedStringsBytes: int(env, 'IMPORT_MAX_XLSX_SHARED_STRINGS_BYTES', 128 * 1024 ** 2, 1024, 2 * 1024 ** 3),
      batchRows: int(env, 'IMPORT_BATCH_ROWS', 500, 1, 10_000),
      worker: bool(env, 'IMPORT_WORKER', true),
      pollIntervalMs: int(env, 'IMPORT_POLL_INTERVAL_MS', 2_000, 10, 600_000),
      leaseMs: int(env, 'IMPORT_LEASE_MS', 30_000, 100, 3_600_000),
    },
  };
}
