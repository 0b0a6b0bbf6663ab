import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workOnce } from '../../api/src/modules/import/index.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * Attacks on the background revert (docs/import.md, "Revert"): a row that cannot be reverted is
 * refused with its revertCode and the revert goes on; it never leaves the import half reverted
 * and out of reach of another revertImport.
 */
let t: TestApp;

beforeAll(async () => {
  // One line per batch: the renamed account and the created one are reverted in separate batches.
  t = await createTestApp({ IMPORT_WORKER: 'off', IMPORT_BATCH_ROWS: '1', IMPORT_LEASE_MS: '200' });
});

afterAll(async () => {
  await t?.close();
});

const JOB = `query ($id: ID!) { import(id: $id) { id version status error revertedRows result { removedCustomers restoredCustomers revertRefused } } }`;
const START = `mutation ($id: ID!, $version: Int!) { startImport(id: $id, version: $version) { id status } }`;
const REVERT = `mutation ($id: ID!) { revertImport(id: $id) { id status } }`;
const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id legalName } }`;
const suffix = Math.random().toString(36).slice(2, 7);

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

async function drain(): Promise<void> {
  while (await workOnce(t.orm, t.app.config, t.app.logger));
}

function csv(rows: string[][]): Buffer {
  return Buffer.from(`\uFEFF${rows.map((row) => row.join(',')).join('\r\n')}`, 'utf8');
}

async function job(id: string, as: 'managerEast' | 'admin' = 'managerEast') {
  const result = await t.gqlAs(as, JOB, { id });
  expect(result.errors).toBeUndefined();
  return result.data!.import as any;
}

describe('a before-image that can no longer be restored', () => {
  it('is refused (its row listed) while the rest of the import is reverted; the job ends REVERTED', async () => {
    const hangzhou = t.baseline.regions.hangzhou.id;
    const oldName = `Alpha ${suffix} Trading Ltd`;
    const registrationId = `91330100MA${suffix.toUpperCase()}7X`;
    const account = await t.gqlAs('managerEast', CREATE, { input: { legalName: oldName, registrationId, territoryId: hangzhou } });
    expect(account.errors).toBeUndefined();
    const accountId = account.data!.createCustomer.id as string;

    // Line 2 renames the account (matched by its registration id); line 3 creates a new company.
    const response = await t
      .http()
      .post('/import')
      .set('authorization', `Bearer ${t.tokenFor('managerEast')}`)
      .attach(
        'file',
        csv([
          ['Legal name', 'Registration id', 'Territory'],
          [`Omega ${suffix} Holdings Ltd`, registrationId, 'HZ'],
          [`Created ${suffix} Works Ltd`, '', 'HZ'],
        ]),
        'rename.csv',
      );
    expect(response.status).toBe(201);
    const id = response.body.id as string;
    await drain();
    const ready = await job(id);
    expect(ready.status).toBe('READY');
    expect((await t.gqlAs('managerEast', START, { id, version: ready.version })).errors).toBeUndefined();
    await drain();
    expect((await job(id)).status).toBe('COMPLETED');
    const [renamed] = await sql<{ legal_name: string }>('select legal_name from customer where id = ?', [accountId]);
    expect(renamed!.legal_name).toBe(`Omega ${suffix} Holdings Ltd`);

    // The old name is free now, and another account takes it: the before-image cannot be restored as it was.
    const taker = await t.gqlAs('managerEast', CREATE, { input: { legalName: oldName, territoryId: hangzhou } });
    expect(taker.errors).toBeUndefined();

    expect((await t.gqlAs('managerEast', REVERT, { id })).errors).toBeUndefined();
    await drain();

    const done = await job(id);
    // Expected (docs/import.md): refused rows carry a revertCode; what can be reverted is.
    expect(done.status).toBe('REVERTED');
    expect(done.result).toMatchObject({ removedCustomers: 1, restoredCustomers: 0, revertRefused: 1 });
    const rows = await sql<{ line: number; revert_code: string | null }>(
      'select line, revert_code from import_row where job_id = ? order by line',
      [id],
    );
    // The old name is another live account's now: the row says so (not "changed since": nobody edited the account).
    expect(rows[0]!.revert_code).toBe('IDENTITY_TAKEN');
    expect(rows[1]!.revert_code).toBeNull();
    expect(await sql('select id from customer where import_id = ?', [id])).toHaveLength(0);
    // The account keeps the name it has (the other account holds the old one).
    expect((await sql<{ legal_name: string }>('select legal_name from customer where id = ?', [accountId]))[0]!.legal_name).toBe(
      `Omega ${suffix} Holdings Ltd`,
    );
  });
});

describe('a revert whose asker was deactivated part way', () => {
  it('stops (nothing more done as them) and another revertImport resumes it after its last committed batch', async () => {
    const response = await t
      .http()
      .post('/import')
      .set('authorization', `Bearer ${t.tokenFor('managerEast')}`)
      .attach(
        'file',
        csv([
          ['Legal name', 'Territory'],
          [`Gone asker ${suffix} one Ltd`, 'HZ'],
          [`Gone asker ${suffix} two Ltd`, 'HZ'],
          [`Gone asker ${suffix} three Ltd`, 'HZ'],
        ]),
        'asker.csv',
      );
    expect(response.status).toBe(201);
    const id = response.body.id as string;
    await drain();
    const ready = await job(id);
    expect((await t.gqlAs('managerEast', START, { id, version: ready.version })).errors).toBeUndefined();
    await drain();
    expect((await job(id)).status).toBe('COMPLETED');

    // The admin asks for the revert; one batch commits, then the worker dies with its lease held.
    expect((await t.gqlAs('admin', REVERT, { id })).errors).toBeUndefined();
    await expect(workOnce(t.orm, t.app.config, t.app.logger, { crashAfterBatches: 1 })).rejects.toThrow();
    expect(await sql('select id from customer where import_id = ?', [id])).toHaveLength(2);
    // The admin is deactivated before the lease runs out: the resumed revert does nothing more as them.
    const admin = t.baseline.users.admin.id;
    await sql('update app_user set active = false where id = ?', [admin]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await drain();
      expect(await sql('select id from customer where import_id = ?', [id])).toHaveLength(2);
      const stopped = await job(id);
      expect(stopped.status).toBe('FAILED');
      expect(stopped.error).toMatch(/revert/);
    } finally {
      await sql('update app_user set active = true where id = ?', [admin]);
    }
    // The importer resumes it: the rest is removed, the first batch is not counted twice.
    const resumed = await t.gqlAs('managerEast', REVERT, { id });
    expect(resumed.errors).toBeUndefined();
    expect(resumed.data!.revertImport.status).toBe('REVERTING');
    await drain();
    const done = await job(id);
    expect(done).toMatchObject({ status: 'REVERTED', error: null, revertedRows: 3, result: { removedCustomers: 3, revertRefused: 0 } });
    expect(await sql('select id from customer where import_id = ?', [id])).toHaveLength(0);
  });

  it('a FAILED run (never reverted) is still not revertible', async () => {
    const response = await t
      .http()
      .post('/import')
      .set('authorization', `Bearer ${t.tokenFor('managerEast')}`)
      .attach(
        'file',
        csv([
          ['Legal name', 'Territory'],
          [`Failed run ${suffix} Ltd`, 'HZ'],
        ]),
        'failed.csv',
      );
    const id = response.body.id as string;
    await sql(`update import_job set status = 'FAILED' where id = ?`, [id]);
    const refused = await t.gqlAs('managerEast', REVERT, { id });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', status: 'FAILED' });
  });
});

describe('a record the asker may read but no longer edit', () => {
  let colleagues: TestApp;

  beforeAll(async () => {
    // Reps read their territory colleagues' accounts (read, not edit).
    colleagues = await createTestApp({ IMPORT_WORKER: 'off', IMPORT_BATCH_ROWS: '1', IMPORT_LEASE_MS: '200', TERRITORY_ACCESS: 'READ' });
  });

  afterAll(async () => {
    await colleagues?.close();
  });

  it('is refused as NOT_EDITABLE and kept, while what the asker may still edit is reverted', async () => {
    const run = async () => {
      while (await workOnce(colleagues.orm, colleagues.app.config, colleagues.app.logger));
    };
    const query = async (text: string, params: unknown[] = []) =>
      colleagues.orm.em.fork().getConnection().execute(text, params) as Promise<Record<string, any>[]>;
    const handed = `Handed over ${suffix} Ltd`;
    const response = await colleagues
      .http()
      .post('/import')
      .set('authorization', `Bearer ${colleagues.tokenFor('repHangzhou')}`)
      .attach(
        'file',
        csv([
          ['Legal name', 'Territory'],
          [handed, 'HZ'],
          [`Kept mine ${suffix} Ltd`, 'HZ'],
        ]),
        'handed.csv',
      );
    expect(response.status).toBe(201);
    const id = response.body.id as string;
    await run();
    const read = async () => (await colleagues.gqlAs('repHangzhou', JOB, { id })).data!.import as any;
    expect((await colleagues.gqlAs('repHangzhou', START, { id, version: (await read()).version })).errors).toBeUndefined();
    await run();
    expect((await read()).status).toBe('COMPLETED');

    // The first account goes to a colleague in the same territory: the importer still reads it, may not edit it.
    await query(`update customer set owner_id = ?, version = version + 1 where import_id = ? and legal_name = ?`, [
      colleagues.baseline.users.repHangzhou2.id,
      id,
      handed,
    ]);
    expect((await colleagues.gqlAs('repHangzhou', REVERT, { id })).errors).toBeUndefined();
    await run();
    const done = await read();
    expect(done.status).toBe('REVERTED');
    expect(done.result).toMatchObject({ removedCustomers: 1, revertRefused: 1 });
    const rows = await query('select line, revert_code from import_row where job_id = ? order by line', [id]);
    expect(rows.map((row) => [row.line, row.revert_code])).toEqual([
      [2, 'NOT_EDITABLE'],
      [3, null],
    ]);
    expect((await query('select legal_name from customer where import_id = ?', [id])).map((row) => row.legal_name)).toEqual([handed]);
  });
});
