import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temp
 * dir, started on a free 127.0.0.1 port, tuned for speed (no durability).
 */
export interface PgCluster {
  host: string;
  port: number;
  /** URL of the `postgres` database as superuser `postgres`. */
  adminUrl: string;
  /** The data directory (its postmaster.pid names the server's process). */
  dataDir: string;
  url(database: string): string;
  /** CREATE DATABASE; the template must have no open connections. */
  createDatabase(name: string, template?: string): Promise<void>;
  /** Immediate shutdown, then removes the temp dir (a kept cluster: clean shutdown, directory stays). */
  stop(): Promise<void>;
  /**
   * Stops the server but keeps its data: `immediate` is a crash (no checkpoint, sessions cut),
   * `fast` a clean shutdown that still cuts sessions. For fault tests.
   */
  halt(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts a halted server again on the same port. */
  resume(): Promise<void>;
  /** halt(), wait `downtimeMs`, resume(). */
  restart(options?: { mode?: 'fast' | 'immediate'; downtimeMs?: number }): Promise<void>;
}

export interface PgClusterOptions {
  /** Defaults to $PG_BIN_DIR, else /usr/lib/postgresql/15/bin. */
  binDir?: string;
  /** Extra postgresql.conf settings; they override the defaults below. */
  settings?: Record<string, string>;
  /**
   * A directory to keep the cluster in: created (initdb) when it holds none, reused as it is when it
   * does, and left in place by stop(). For benchmarks whose data set takes longer to load than to measure.
   */
  keepIn?: string;
}

const HOST = '127.0.0.1';
const TEMP_PREFIX = 'accountable-pg-';
const OWNER_FILE = 'owner.pid';
const DEFAULT_SETTINGS: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200',
  listen_addresses: HOST,
};

const execFileAsync = promisify(execFile);

interface Runner {
  binDir: string;
  /** PostgreSQL refuses to run as root, so under root every binary runs as `postgres`. */
  asPostgres: boolean;
}

export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const runner: Runner = {
    binDir: options.binDir ?? process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin',
    asPostgres: process.getuid?.() === 0,
  };
  assertBinaries(runner.binDir);
  registerCleanupHandlers();
  reapOrphanedClusters(runner);

  const kept = options.keepIn === undefined ? undefined : path.resolve(options.keepIn);
  const root = kept ?? (await mkdtemp(path.join(os.tmpdir(), TEMP_PREFIX)));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'postgres.log');
  const live: LiveCluster = { runner, root, dataDir, kept: kept !== undefined };
  liveClusters.add(live);

  try {
    await mkdir(root, { recursive: true });
    if (!kept) await writeFile(path.join(root, OWNER_FILE), `${process.pid}\n`);
    if (runner.asPostgres) {
      const { uid, gid } = await postgresUser();
      await chown(root, uid, gid);
    }
    if (isRunning(live)) throw new Error(`${dataDir} is in use by another server (postmaster.pid exists)`);
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      await run(runner, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'], root);
      const settings = { ...DEFAULT_SETTINGS, unix_socket_directories: root, ...options.settings };
      await appendFile(
        path.join(dataDir, 'postgresql.conf'),
        Object.entries(settings)
          .map(([key, value]) => `${key} = '${value.replaceAll("'", "''")}'\n`)
          .join(''),
      );
    }

    const port = await startOnFreePort(live, logFile);
    const adminUrl = `postgres://postgres@${HOST}:${port}/postgres`;
    let stopping: Promise<void> | undefined;
    const halt = async (mode: 'fast' | 'immediate' = 'immediate') => {
      if (isRunning(live)) await run(runner, 'pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop'], root);
    };
    const resume = () => run(runner, 'pg_ctl', ['-D', dataDir, '-l', logFile, '-o', `-p ${port}`, '-w', 'start'], root);

    return {
      host: HOST,
      port,
      adminUrl,
      dataDir,
      url: (database) => `postgres://postgres@${HOST}:${port}/${encodeURIComponent(database)}`,
      async createDatabase(name, template) {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        try {
          const from = template === undefined ? '' : ` TEMPLATE ${client.escapeIdentifier(template)}`;
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${from}`);
        } finally {
          await client.end();
        }
      },
      stop() {
        stopping ??= stopCluster(live);
        return stopping;
      },
      halt,
      resume,
      async restart({ mode = 'immediate', downtimeMs = 0 } = {}) {
        await halt(mode);
        if (downtimeMs > 0) await new Promise((resolve) => setTimeout(resolve, downtimeMs));
        await resume();
      },
    };
  } catch (error) {
    await stopCluster(live).catch(() => undefined);
    throw error;
  }
}

interface LiveCluster {
  runner: Runner;
  root: string;
  dataDir: string;
  /** A kept cluster is shut down cleanly and its directory stays. */
  kept?: boolean;
}

const liveClusters = new Set<LiveCluster>();

/** Another process may grab the port between probing and binding it, so retry. */
async function startOnFreePort(live: LiveCluster, logFile: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const logBefore = await readLog(logFile);
    try {
      await run(live.runner, 'pg_ctl', ['-D', live.dataDir, '-l', logFile, '-o', `-p ${port}`, '-w', 'start'], live.root);
      return port;
    } catch (error) {
      const log = (await readLog(logFile)).slice(logBefore.length);
      if (attempt < 3 && log.includes('Address already in use')) continue;
      throw new Error(`pg_ctl start failed: ${(error as Error).message}\n--- ${logFile} ---\n${log.slice(-4000)}`);
    }
  }
}

function readLog(logFile: string): Promise<string> {
  return readFile(logFile, 'utf8').catch(() => '');
}

/** postmaster.pid exists from start until shutdown, also if pg_ctl gave up waiting. */
function isRunning(live: LiveCluster): boolean {
  return existsSync(path.join(live.dataDir, 'postmaster.pid'));
}

async function stopCluster(live: LiveCluster): Promise<void> {
  try {
    if (isRunning(live)) {
      await run(live.runner, 'pg_ctl', ['-D', live.dataDir, '-m', live.kept ? 'fast' : 'immediate', '-w', 'stop'], live.root);
    }
  } finally {
    if (!live.kept) await rm(live.root, { recursive: true, force: true });
    // Only now: an exit while this stop is still under way must still clean up.
    liveClusters.delete(live);
  }
}

function stopClusterSync(live: LiveCluster): void {
  liveClusters.delete(live);
  try {
    if (isRunning(live)) {
      const [file, args] = command(live.runner, 'pg_ctl', ['-D', live.dataDir, '-m', live.kept ? 'fast' : 'immediate', '-w', 'stop']);
      execFileSync(file, args, { cwd: live.root, stdio: 'ignore' });
    }
  } catch {
    // Best effort: the postmaster may already be gone.
  } finally {
    if (!live.kept) rmSync(live.root, { recursive: true, force: true });
  }
}

let cleanupRegistered = false;

/**
 * Stops clusters left running when the process exits without calling stop().
 * A signal listener replaces Node's default "terminate", so after cleaning up
 * the signal is re-raised unless someone else (e.g. the test runner) handles it.
 */
function registerCleanupHandlers(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  const stopAll = () => {
    for (const live of [...liveClusters]) stopClusterSync(live);
  };
  process.on('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = () => {
      stopAll();
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/** Removes clusters of earlier runs that died without any chance to clean up (SIGKILL). */
function reapOrphanedClusters(runner: Runner): void {
  const tmp = os.tmpdir();
  for (const entry of readdirSync(tmp)) {
    if (!entry.startsWith(TEMP_PREFIX)) continue;
    const root = path.join(tmp, entry);
    let owner: number;
    try {
      owner = Number(readFileSync(path.join(root, OWNER_FILE), 'utf8'));
    } catch {
      continue; // no owner file yet: possibly being set up right now
    }
    if (owner === process.pid || isProcessAlive(owner)) continue;
    try {
      stopClusterSync({ runner, root, dataDir: path.join(root, 'data') });
    } catch {
      // Best effort, e.g. a directory of another user.
    }
  }
}

function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function assertBinaries(binDir: string): void {
  for (const binary of ['initdb', 'pg_ctl', 'postgres']) {
    try {
      accessSync(path.join(binDir, binary), constants.X_OK);
    } catch {
      throw new Error(
        `PostgreSQL binary ${binary} not found in ${binDir}. Install PostgreSQL 15 ` +
          `(Debian/Ubuntu: apt-get install postgresql-15) or point PG_BIN_DIR at its bin directory.`,
      );
    }
  }
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const id = async (flag: string) => Number((await execFileAsync('id', [flag, 'postgres'])).stdout.trim());
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    throw new Error(
      'Running as root, but there is no "postgres" user to run PostgreSQL as ' +
        '(installing postgresql-15 creates it; or run the tests as a non-root user).',
    );
  }
}

function command(runner: Runner, binary: string, args: string[]): [string, string[]] {
  const file = path.join(runner.binDir, binary);
  return runner.asPostgres ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

async function run(runner: Runner, binary: string, args: string[], cwd: string): Promise<void> {
  const [file, fullArgs] = command(runner, binary, args);
  try {
    await execFileAsync(file, fullArgs, { cwd });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${binary} failed: ${(stderr || stdout || String(error)).trim()}`);
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}
