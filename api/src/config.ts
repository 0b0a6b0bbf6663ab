import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TerritoryAccess } from './modules/access/access.policy.js';

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
  logLevel: string;
  /** What reps may do with the accounts of their territories that they do not own. */
  territoryAccess: TerritoryAccess;
  /** Directory of the built console; served at `/` when present. */
  adminDir: string | null;
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

function territoryAccess(raw: string | undefined): TerritoryAccess {
  if (!raw) return TerritoryAccess.READ;
  const value = raw.toUpperCase();
  if (!Object.values(TerritoryAccess).includes(value as TerritoryAccess)) throw new ConfigError('TERRITORY_ACCESS must be NONE, READ or EDIT');
  return value as TerritoryAccess;
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = env.DATABASE_URL || null;
  const dataDir = resolve(env.DATA_DIR || './data');
  const demo = bool(env, 'DEMO_MODE', databaseUrl === null);
  const adminDir = resolve(env.ADMIN_DIR || './dist/admin');
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
    logLevel: env.LOG_LEVEL || 'info',
    territoryAccess: territoryAccess(env.TERRITORY_ACCESS),
    adminDir: existsSync(join(adminDir, 'index.html')) ? adminDir : null,
  };
}
