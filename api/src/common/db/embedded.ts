import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded default database: PGlite (PostgreSQL compiled to WASM, running
 * in this process) served over the PostgreSQL wire protocol on 127.0.0.1.
 *
 * Pool size: callers MUST use a pool of at most ONE connection
 * (MikroORM: `pool: { min: 0, max: 1 }`; pg: `new Pool({ max: 1 })`).
 * PGlite is a single backend. pglite-socket accepts further connections only
 * by multiplexing them onto that one backend, so they would share session
 * state (SET, temporary tables, prepared statement names), and a transaction
 * open on one connection stalls every other connection until it ends.
 * The server allows a second connection only so that a pool can replace a
 * connection that is still closing (idle reaping, reconnect after an error)
 * without having the new one refused; with a single slot that race makes the
 * new connection fail with "Connection terminated unexpectedly".
 */
export interface EmbeddedDatabase {
  /** postgres:// URL for the standard `pg` driver; see the pool-size note above. */
  url: string;
  /** Stops the server and closes PGlite; the data directory can be reopened afterwards. */
  close(): Promise<void>;
}

const MAX_SOCKET_CONNECTIONS = 2;
const LOCK_FILE = 'accountable.lock';

export async function startEmbeddedDatabase(options: { dataDir: string }): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const lock = acquireDataDirLock(path.join(dataDir, LOCK_FILE));

  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  let port: number;
  try {
    // pg_trgm: duplicate candidates by name similarity (migration Migration20261203130000).
    db = await PGlite.create({ dataDir, extensions: { pg_trgm } });
    server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port: 0,
      maxConnections: MAX_SOCKET_CONNECTIONS,
    });
    await server.start();
    port = parsePort(server.getServerConn());
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    lock.release();
    throw error;
  }

  const openDb = db;
  const openServer = server;
  let closing: Promise<void> | undefined;

  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    close() {
      closing ??= (async () => {
        try {
          await openServer.stop();
          // PGlite.close() waits for queued queries and checkpoints to disk.
          await openDb.close();
        } finally {
          lock.release();
        }
      })();
      return closing;
    },
  };
}

function parsePort(serverConn: string): number {
  const port = Number(serverConn.slice(serverConn.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`Embedded database: cannot read the listening port from "${serverConn}"`);
  }
  return port;
}

/**
 * PGlite itself does not guard its data directory: two processes opening the
 * same directory both succeed and silently lose each other's writes. A pid
 * lock file prevents that; a lock left by a dead process is taken over.
 */
const locksHeldByThisProcess = new Set<string>();

interface DataDirLock {
  release(): void;
}

function acquireDataDirLock(lockPath: string): DataDirLock {
  const dataDir = path.dirname(lockPath);
  if (locksHeldByThisProcess.has(lockPath)) {
    throw new Error(`Embedded database: ${dataDir} is already open in this process`);
  }

  // Write the pid to a private file first and hard-link it into place, so the
  // lock file never exists without its content (linkSync fails if it exists).
  const ownFile = `${lockPath}.${process.pid}.tmp`;
  writeFileSync(ownFile, `${process.pid}\n`);
  try {
    let acquired = false;
    for (let attempt = 0; !acquired && attempt < 5; attempt++) {
      try {
        linkSync(ownFile, lockPath);
        acquired = true;
        continue;
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) throw error;
      }

      const holder = readLockPid(lockPath);
      if (holder === undefined) continue; // removed meanwhile: try again
      if (Number.isNaN(holder)) {
        throw new Error(`Embedded database: unreadable lock file ${lockPath}. ` + `Delete it if no other process is using ${dataDir}.`);
      }
      // Our own pid here is a leftover from an earlier process that had the
      // same pid (e.g. PID 1 in a restarted container): this process does not hold it.
      if (holder !== process.pid && isProcessAlive(holder)) {
        throw new Error(
          `Embedded database: ${dataDir} is in use by process ${holder}. ` +
            `Stop that process first (if it is not an Accountable process, delete ${lockPath}).`,
        );
      }
      takeOverStaleLock(lockPath, holder);
    }
    if (!acquired) {
      throw new Error(`Embedded database: could not lock ${dataDir}; another process keeps taking ${lockPath}`);
    }
  } finally {
    unlinkSync(ownFile);
  }

  locksHeldByThisProcess.add(lockPath);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      locksHeldByThisProcess.delete(lockPath);
      if (readLockPid(lockPath) === process.pid) unlinkIfExists(lockPath);
    },
  };
}

/**
 * Moves the stale lock aside atomically, so that when two processes race to
 * take it over only one of them removes it; if what we moved aside turns out
 * to be a fresh lock of the winner, it is put back.
 */
function takeOverStaleLock(lockPath: string, stalePid: number): void {
  const aside = `${lockPath}.${process.pid}.stale`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    throw error;
  }
  try {
    const moved = readLockPid(aside);
    if (moved !== stalePid && moved !== undefined) {
      try {
        linkSync(aside, lockPath);
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) throw error;
      }
    }
  } finally {
    unlinkIfExists(aside);
  }
}

/** The pid in a lock file; undefined if the file is gone; NaN if unreadable. */
function readLockPid(file: string): number | undefined {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  return /^[1-9]\d*\s*$/.test(content) ? Number(content) : Number.NaN;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return !isErrno(error, 'ESRCH');
  }
}

function unlinkIfExists(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
