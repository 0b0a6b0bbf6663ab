import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgCluster, startPgCluster } from '../../bench/pg-cluster.js';

describe('startPgCluster', () => {
  let cluster: PgCluster;

  beforeAll(async () => {
    cluster = await startPgCluster({ settings: { application_name: 'pg-cluster-test' } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('serves the admin database with the requested settings', async () => {
    const client = new pg.Client({ connectionString: cluster.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<Record<string, string>>(
        `SELECT current_user AS "user", current_setting('server_version_num') AS version,
                current_setting('fsync') AS fsync, current_setting('max_connections') AS max_connections,
                current_setting('application_name') AS application_name,
                pg_encoding_to_char(encoding) AS encoding
           FROM pg_database WHERE datname = current_database()`,
      );
      expect(rows[0]).toMatchObject({
        user: 'postgres',
        fsync: 'off',
        max_connections: '200',
        application_name: 'pg-cluster-test',
        encoding: 'UTF8',
      });
      expect(Number(rows[0]!.version)).toBeGreaterThanOrEqual(150000);
    } finally {
      await client.end();
    }
  });

  it('creates databases, also from a template', async () => {
    await cluster.createDatabase('accountable_template');
    const template = new pg.Client({ connectionString: cluster.url('accountable_template') });
    await template.connect();
    await template.query('CREATE TABLE account (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL)');
    await template.query(`INSERT INTO account (name) VALUES ('Acme')`);
    await template.end();

    await cluster.createDatabase('accountable_copy', 'accountable_template');
    const copy = new pg.Client({ connectionString: cluster.url('accountable_copy') });
    await copy.connect();
    try {
      const { rows } = await copy.query('SELECT current_database() AS db, name FROM account');
      expect(rows).toEqual([{ db: 'accountable_copy', name: 'Acme' }]);
    } finally {
      await copy.end();
    }
  });

  it('stops the server and removes its files', async () => {
    const other = await startPgCluster();
    expect(other.port).not.toBe(cluster.port);
    const client = new pg.Client({ connectionString: other.adminUrl });
    await client.connect();
    const { rows } = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    await client.end();
    expect(existsSync(rows[0]!.dir)).toBe(true);

    await other.stop();
    await other.stop(); // idempotent

    expect(existsSync(rows[0]!.dir)).toBe(false);
    const late = new pg.Client({ connectionString: other.adminUrl, connectionTimeoutMillis: 2000 });
    await expect(late.connect()).rejects.toThrow();
  });

  it('keeps a cluster in a given directory and reuses it, data included', async () => {
    const keepIn = await mkdtemp(path.join(os.tmpdir(), 'kept-cluster-test-'));
    try {
      const first = await startPgCluster({ keepIn, settings: { application_name: 'kept-cluster-test' } });
      const write = new pg.Client({ connectionString: first.adminUrl });
      await write.connect();
      await write.query(`CREATE TABLE kept (name text); INSERT INTO kept VALUES ('still here')`);
      await write.end();
      await first.stop();
      expect(existsSync(path.join(keepIn, 'data', 'PG_VERSION'))).toBe(true);

      const second = await startPgCluster({ keepIn });
      const read = new pg.Client({ connectionString: second.adminUrl });
      await read.connect();
      try {
        const { rows } = await read.query(`SELECT name, current_setting('application_name') AS setting FROM kept`);
        // The settings of the first start stay: the cluster is reused, not made again.
        expect(rows).toEqual([{ name: 'still here', setting: 'kept-cluster-test' }]);
      } finally {
        await read.end();
        await second.stop();
      }
      expect(existsSync(path.join(keepIn, 'data', 'PG_VERSION'))).toBe(true);
    } finally {
      await rm(keepIn, { recursive: true, force: true });
    }
  });

  it('fails clearly when the binaries are missing', async () => {
    await expect(startPgCluster({ binDir: '/nonexistent/bin' })).rejects.toThrow(/install postgresql 15.*postgresql-15/i);
  });
});
