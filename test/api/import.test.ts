import 'reflect-metadata';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workOnce } from '../../api/src/modules/import/index.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;

// The worker is driven by the tests (workOnce), batches are small so a run has several, leases short so a crash's runs out.
beforeAll(async () => {
  t = await createTestApp({ IMPORT_WORKER: 'off', IMPORT_BATCH_ROWS: '2', IMPORT_LEASE_MS: '200' });
});

afterAll(async () => {
  await t?.close();
});

const JOB = `query ($id: ID!) { import(id: $id) {
  id version status totalRows analyzedRows processedRows format
  counts { create update contact duplicateOwned invalid }
  result { createdCustomers updatedCustomers createdContacts skippedRows revertedRecords revertRefused }
  columns { index header field samples }
  rows(first: 100) { totalCount edges { node { line action field code applied revertCode customer { id legalName industry } } } }
} }`;
const START = `mutation ($id: ID!, $version: Int!) { startImport(id: $id, version: $version) { id status } }`;
const CANCEL = `mutation ($id: ID!) { cancelImport(id: $id) { id status } }`;
const REVERT = `mutation ($id: ID!) { revertImport(id: $id) { id status revertedRows result { revertedRecords revertRefused } } }`;
const MAPPING = `mutation ($input: UpdateImportMappingInput!) { updateImportMapping(input: $input) { id status version columns { index field } } }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

/** Runs the worker until no job is due (as the app's worker would, one job at a time). */
async function drain(): Promise<void> {
  while (await workOnce(t.orm, t.app.config, t.app.logger));
}

function csv(rows: string[][]): Buffer {
  const text = rows
    .map((row) => row.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(','))
    .join('\r\n');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

async function upload(bearer: string, file: Buffer, name: string, fields: Record<string, string> = {}) {
  let request = t.http().post('/import').set('authorization', `Bearer ${bearer}`);
  for (const [key, value] of Object.entries(fields)) request = request.field(key, value);
  const response = await request.attach('file', file, name);
  return response;
}

async function job(who: Principal, id: string) {
  const result = await t.gqlAs(who, JOB, { id });
  // A directory card's profile fields are null with FORBIDDEN for their path: nothing else may fail.
  const unexpected = (result.errors ?? []).filter(
    (error) => !(error.extensions?.code === 'FORBIDDEN' && error.path?.at(-1) === 'industry'),
  );
  expect(unexpected).toEqual([]);
  return result.data!.import as any;
}

const rowsOf = (data: any) => data.rows.edges.map((edge: any) => edge.node);
const suffix = Math.random().toString(36).slice(2, 7);

describe('a rep imports a Chinese CSV with mistakes, duplicates and updates', () => {
  let jobId: string;
  const own = () => t.baseline.customers.find((c) => c.owner.id === t.baseline.users.repHangzhou.id)!;
  const ningbos = () => t.baseline.customers.find((c) => c.owner.id === t.baseline.users.repNingbo.id)!;

  it('uploads, detects the mapping and classifies every row as written here', async () => {
    const file = csv([
      ['客户名称', '统一社会信用代码', '区域', '行业', '规模', '联系人', '手机', '邮箱', '职位'],
      [`杭州新星科技${suffix}有限公司`, '', 'HZ', '制造', '中型', '张伟', '13800001111', 'zw@xx.example', '经理'], // 2 CREATE
      [`杭州新星科技${suffix}有限公司`, '', 'HZ', '', '', '李娜', '13800002222', '', ''], // 3 CONTACT
      [own().legalName, own().registrationId!, '', 'Imported industry', '', '', '', '', ''], // 4 UPDATE (registration id)
      [ningbos().legalName, '', 'HZ', '', '', '', '', '', ''], // 5 DUPLICATE_OWNED (name)
      ['', '91330100MA2ABCDE1X', 'HZ', '', '', '', '', '', ''], // 6 INVALID: no name
      [`规模错误${suffix}公司`, '', 'HZ', '', '巨大', '', '', '', ''], // 7 INVALID size
      [`宁波${suffix}贸易公司`, '', 'NB', '', '', '', '', '', ''], // 8 INVALID: not the rep's territory
      [`=HYPERLINK("http://evil")${suffix}`, '', 'HZ', '', '', '', '', '', ''], // 9 CREATE (a formula-looking name)
      [`邮箱错误${suffix}`, '', 'HZ', '', '', '王强', '', 'not-an-email', ''], // 10 INVALID e-mail
    ]);
    const response = await upload(t.tokenFor('repHangzhou'), file, 'customers.csv');
    expect(response.status).toBe(201);
    expect(response.body.totalRows).toBe(9);
    expect(response.body.columns.map((c: any) => c.field)).toEqual([
      'LEGAL_NAME',
      'REGISTRATION_ID',
      'TERRITORY',
      'INDUSTRY',
      'SIZE_BAND',
      'CONTACT_NAME',
      'CONTACT_MOBILE',
      'CONTACT_EMAIL',
      'CONTACT_TITLE',
    ]);
    jobId = response.body.id;
    await drain();
    const data = await job('repHangzhou', jobId);
    expect(data.status).toBe('READY');
    expect(data.counts).toEqual({ create: 2, update: 1, contact: 1, duplicateOwned: 1, invalid: 4 });
    const byLine = Object.fromEntries(rowsOf(data).map((row: any) => [row.line, row]));
    expect(byLine[2]).toMatchObject({ action: 'CREATE' });
    expect(byLine[3]).toMatchObject({ action: 'CONTACT' });
    expect(byLine[4]).toMatchObject({ action: 'UPDATE', field: 'REGISTRATION_ID' });
    expect(byLine[4].customer.id).toBe(own().id);
    expect(byLine[5]).toMatchObject({ action: 'DUPLICATE_OWNED', code: 'OWNED_ELSEWHERE', field: 'LEGAL_NAME' });
    // The directory card only: the name and that it exists, not its profile.
    expect(byLine[5].customer).toMatchObject({ id: ningbos().id, legalName: ningbos().legalName, industry: null });
    expect(byLine[6]).toMatchObject({ action: 'INVALID', field: 'LEGAL_NAME', code: 'REQUIRED' });
    expect(byLine[7]).toMatchObject({ action: 'INVALID', field: 'SIZE_BAND', code: 'UNKNOWN_VALUE' });
    expect(byLine[8]).toMatchObject({ action: 'INVALID', field: 'TERRITORY', code: 'TERRITORY_FORBIDDEN' });
    expect(byLine[9]).toMatchObject({ action: 'CREATE' });
    expect(byLine[10]).toMatchObject({ action: 'INVALID', field: 'CONTACT_EMAIL', code: 'INVALID_FORMAT' });
    // Nothing is written by a dry run.
    expect(await sql('select id from customer where import_id = ?', [jobId])).toHaveLength(0);
  });

  it('runs in batches: creates, updates and contacts written, tagged, audited and in the change feed; the other rep’s account untouched', async () => {
    const before = (await sql<{ version: number }>('select version from customer where id = ?', [ningbos().id]))[0]!.version;
    const data = await job('repHangzhou', jobId);
    const started = await t.gqlAs('repHangzhou', START, { id: jobId, version: data.version });
    expect(started.errors).toBeUndefined();
    await drain();
    const done = await job('repHangzhou', jobId);
    expect(done.status).toBe('COMPLETED');
    expect(done.processedRows).toBe(9);
    expect(done.result).toMatchObject({ createdCustomers: 2, updatedCustomers: 1, createdContacts: 2, skippedRows: 5 });
    const created = await sql<{ id: string; owner_id: string; territory_id: string; legal_name: string }>(
      'select id, owner_id, territory_id, legal_name from customer where import_id = ? order by legal_name',
      [jobId],
    );
    expect(created).toHaveLength(2);
    for (const customer of created) {
      expect(customer.owner_id).toBe(t.baseline.users.repHangzhou.id);
      expect(customer.territory_id).toBe(t.baseline.regions.hangzhou.id);
    }
    const contacts = await sql<{ name: string }>('select name from contact where import_id = ? order by name', [jobId]);
    expect(contacts.map((c) => c.name).sort()).toEqual(['张伟', '李娜'].sort());
    expect((await sql('select industry from customer where id = ?', [own().id]))[0]!.industry).toBe('Imported industry');
    expect((await sql('select version from customer where id = ?', [ningbos().id]))[0]!.version).toBe(before);
    const events = await sql<{ type: string; origin: string }>(
      `select type, origin from change_event where entity_id = any(?::uuid[]) and type = 'customer.created'`,
      [`{${created.map((c) => c.id).join(',')}}`],
    );
    expect(events).toHaveLength(2);
    expect(events.every((event) => event.origin === 'import')).toBe(true);
    expect(
      await sql(`select id from change_event where entity_id = ? and type = 'customer.updated' and origin = 'import'`, [own().id]),
    ).toHaveLength(1);
    expect(await sql(`select id from audit_event where entity_id = ? and action = 'import.completed'`, [jobId])).toHaveLength(1);
  });

  it('writes the row report with formula-looking text neutralised', async () => {
    const response = await t
      .http()
      .get(`/import/${jobId}/report.csv`)
      .set('authorization', `Bearer ${t.tokenFor('repHangzhou')}`);
    expect(response.status).toBe(200);
    expect(response.text).toContain(`"'=HYPERLINK(""http://evil"")${suffix}"`);
    expect(response.text.split('\r\n').filter(Boolean)).toHaveLength(10);
    const other = await t
      .http()
      .get(`/import/${jobId}/report.csv`)
      .set('authorization', `Bearer ${t.tokenFor('repNingbo')}`);
    expect(other.status).toBe(404);
  });

  it('another rep does not see the import', async () => {
    const result = await t.gqlAs('repNingbo', JOB, { id: jobId });
    expect(result.data!.import).toBeNull();
  });

  it('reverts what nothing touched since, and refuses the row edited after the import', async () => {
    const created = await sql<{ id: string }>('select id from customer where import_id = ? order by legal_name', [jobId]);
    // A later edit of one created account: its version moves past the import's.
    await sql(`update customer set notes = 'edited later', version = version + 1 where id = ?`, [created[0]!.id]);
    const result = await t.gqlAs('repHangzhou', REVERT, { id: jobId });
    expect(result.errors).toBeUndefined();
    // Queued: the worker reverts in the background.
    expect(result.data!.revertImport).toMatchObject({ status: 'REVERTING', revertedRows: 0 });
    await drain();
    const reverted = await job('repHangzhou', jobId);
    expect(reverted).toMatchObject({ status: 'REVERTED', result: { revertedRecords: 2, revertRefused: 1 } });
    expect(await sql('select id from customer where import_id = ?', [jobId])).toHaveLength(1);
    expect((await sql('select industry from customer where id = ?', [own().id]))[0]!.industry).toBe(own().industry);
    const refused = await sql<{ line: number; revert_code: string }>(
      'select line, revert_code from import_row where job_id = ? and revert_code is not null',
      [jobId],
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]!.revert_code).toBe('CHANGED_SINCE');
    expect(await sql(`select id from audit_event where entity_id = ? and action = 'import.reverted'`, [jobId])).toHaveLength(1);
  });
});

describe('uploads', () => {
  it('reads an XLSX with English headers; an admin names owners by e-mail', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Customers');
    sheet.addRow(['Company Name', 'External ID', 'Territory', 'Owner E-mail', 'Contact', 'Mobile']);
    sheet.addRow([`Xlsx One ${suffix} Ltd`, `X-${suffix}-1`, 'GZ', 'rep.gz@test.local', 'Alice', '13900001111']);
    sheet.addRow([`Xlsx Two ${suffix} Ltd`, `X-${suffix}-2`, 'HZ', 'rep.gz@test.local', '', '']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await upload(t.tokenFor('admin'), file, 'customers.xlsx');
    expect(response.status).toBe(201);
    expect(response.body.format).toBe('XLSX');
    expect(response.body.columns.map((c: any) => c.field)).toEqual([
      'LEGAL_NAME',
      'EXTERNAL_ID',
      'TERRITORY',
      'OWNER_EMAIL',
      'CONTACT_NAME',
      'CONTACT_MOBILE',
    ]);
    await drain();
    const data = await job('admin', response.body.id);
    // The Guangzhou rep does not work in Hangzhou: the owner does not fit that territory.
    expect(rowsOf(data).map((row: any) => [row.line, row.action, row.code])).toEqual([
      [2, 'CREATE', null],
      [3, 'INVALID', 'OWNER_MISFIT'],
    ]);
    await t.gqlAs('admin', START, { id: data.id, version: data.version });
    await drain();
    const [customer] = await sql('select owner_id, external_id from customer where import_id = ?', [data.id]);
    expect(customer).toMatchObject({ owner_id: t.baseline.users.repGuangzhou.id, external_id: `X-${suffix}-1` });
  });

  it('refuses without a token, a key without customers:import, and a body without a file, with typed errors', async () => {
    const anonymous = await t
      .http()
      .post('/import')
      .attach('file', csv([['name'], ['x']]), 'a.csv');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const key = await t.gqlAs('admin', CREATE_KEY, {
      input: { name: `No import ${suffix}`, kind: 'INTEGRATOR', scopes: ['CUSTOMERS_WRITE'], territoryIds: [t.baseline.regions.ningbo.id] },
    });
    const secret = key.data!.createApiKey.secret as string;
    const refused = await upload(secret, csv([['name'], ['x']]), 'a.csv');
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const empty = await t
      .http()
      .post('/import')
      .set('authorization', `Bearer ${t.tokenFor('admin')}`)
      .field('x', 'y');
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    const headerOnly = await upload(t.tokenFor('admin'), csv([['name']]), 'a.csv');
    expect(headerOnly.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
  });

  it('a key with customers:import imports only into its territories', async () => {
    const key = await t.gqlAs('admin', CREATE_KEY, {
      input: { name: `Importer ${suffix}`, kind: 'INTEGRATOR', scopes: ['CUSTOMERS_IMPORT'], territoryIds: [t.baseline.regions.ningbo.id] },
    });
    const secret = key.data!.createApiKey.secret as string;
    const response = await upload(
      secret,
      csv([
        ['Legal name', 'Territory', 'Owner e-mail'],
        [`Key NB ${suffix}`, 'NB', 'rep.nb@test.local'],
        [`Key HZ ${suffix}`, 'HZ', 'rep.hz@test.local'],
      ]),
      'k.csv',
    );
    expect(response.status).toBe(201);
    await drain();
    const rows = await sql<{ line: number; action: string; code: string | null }>(
      'select line, action, code from import_row where job_id = ? order by line',
      [response.body.id],
    );
    expect(rows.map((row) => [row.line, row.action, row.code])).toEqual([
      [2, 'CREATE', null],
      [3, 'INVALID', 'TERRITORY_FORBIDDEN'],
    ]);
  });

  // A manager's own accounts default to them as owner, which fits their region's territories (an admin would not fit).
  it('a mapping change starts the dry run again under it', async () => {
    const response = await upload(
      t.tokenFor('managerEast'),
      csv([
        ['Firma', 'Gebiet'],
        [`Remap ${suffix}`, 'HZ'],
      ]),
      'm.csv',
    );
    expect(response.body.columns.map((c: any) => c.field)).toEqual([null, null]);
    await drain();
    let data = await job('managerEast', response.body.id);
    expect(data.counts.invalid).toBe(1);
    const changed = await t.gqlAs('managerEast', MAPPING, {
      input: {
        id: data.id,
        version: data.version,
        columns: [
          { index: 0, field: 'LEGAL_NAME' },
          { index: 1, field: 'TERRITORY' },
        ],
      },
    });
    expect(changed.errors).toBeUndefined();
    const stale = await t.gqlAs('managerEast', MAPPING, { input: { id: data.id, version: data.version, columns: [] } });
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await drain();
    data = await job('managerEast', response.body.id);
    expect(data.counts).toMatchObject({ create: 1, invalid: 0 });
  });
});

describe('runs that stop', () => {
  const file = (label: string) =>
    csv([['Legal name', 'Territory', 'Contact'], ...Array.from({ length: 7 }, (_, i) => [`${label} ${suffix} ${i}`, 'HZ', `Person ${i}`])]);

  it('resumes after a crash from the last committed batch, writing every row once', async () => {
    const response = await upload(t.tokenFor('managerEast'), file('Crash'), 'c.csv');
    await drain();
    const data = await job('managerEast', response.body.id);
    await t.gqlAs('managerEast', START, { id: data.id, version: data.version });
    await expect(workOnce(t.orm, t.app.config, t.app.logger, { crashAfterBatches: 2 })).rejects.toThrow();
    const partial = await job('managerEast', data.id);
    expect(partial.status).toBe('RUNNING');
    expect(partial.processedRows).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await drain();
    const done = await job('managerEast', data.id);
    expect(done.status).toBe('COMPLETED');
    expect(await sql('select id from customer where import_id = ?', [data.id])).toHaveLength(7);
    expect(await sql('select id from contact where import_id = ?', [data.id])).toHaveLength(7);
  });

  it('cancels between batches, keeping what was committed', async () => {
    const response = await upload(t.tokenFor('managerEast'), file('Cancel'), 'c.csv');
    await drain();
    const data = await job('managerEast', response.body.id);
    await t.gqlAs('managerEast', START, { id: data.id, version: data.version });
    await expect(workOnce(t.orm, t.app.config, t.app.logger, { crashAfterBatches: 1 })).rejects.toThrow();
    const cancelled = await t.gqlAs('managerEast', CANCEL, { id: data.id });
    expect(cancelled.data!.cancelImport.status).toBe('CANCELLED');
    await new Promise((resolve) => setTimeout(resolve, 250));
    await drain();
    expect(await sql('select id from customer where import_id = ?', [data.id])).toHaveLength(2);
    const revert = await t.gqlAs('managerEast', REVERT, { id: data.id });
    expect(revert.data!.revertImport.status).toBe('REVERTING');
    await drain();
    expect((await job('managerEast', data.id)).status).toBe('REVERTED');
    expect(await sql('select id from customer where import_id = ?', [data.id])).toHaveLength(0);
  });
});

describe('concurrent imports of overlapping companies', () => {
  it('never leave two live records of one company', async () => {
    const names = Array.from({ length: 5 }, (_, i) => `Overlap ${suffix} ${i} Co., Ltd.`);
    const uploads = await Promise.all(
      Array.from({ length: 24 }, (_, n) =>
        upload(
          t.tokenFor(n % 2 ? 'admin' : 'managerEast'),
          csv([['Legal name', 'Territory'], ...names.map((name) => [name, n % 3 ? 'HZ' : 'NB'])]),
          `o${n}.csv`,
        ),
      ),
    );
    expect(uploads.every((response) => response.status === 201)).toBe(true);
    await drain();
    const jobs = await sql<{ id: string; version: number; by: string }>(
      `select id, version, case when created_by_user_id = ? then 'admin' else 'managerEast' end as by from import_job where id = any(?::uuid[])`,
      [t.baseline.users.admin.id, `{${uploads.map((response) => response.body.id).join(',')}}`],
    );
    await Promise.all(jobs.map((j) => t.gqlAs(j.by as Principal, START, { id: j.id, version: j.version })));
    // Several workers at once, as several server processes would run them.
    await Promise.all(Array.from({ length: 6 }, () => drain()));
    const live = await sql<{ n: string; count: number }>(
      `select normalized_name as n, count(*)::int as count from customer where archived_at is null and legal_name = any(?::text[]) group by 1`,
      [`{${names.map((name) => `"${name}"`).join(',')}}`],
    );
    expect(live).toHaveLength(5);
    expect(live.every((row) => row.count === 1)).toBe(true);
    const statuses = await sql<{ status: string }>('select status from import_job where id = any(?::uuid[])', [
      `{${jobs.map((j) => j.id).join(',')}}`,
    ]);
    expect(statuses.every((row) => row.status === 'COMPLETED')).toBe(true);
  });
});

describe('an import is no back door', () => {
  it('a key with customers:import but not contacts:write adds no contact: its contact rows are refused with SCOPE_MISSING', async () => {
    const keyWith = async (scopes: string[]) => {
      const key = await t.gqlAs('admin', CREATE_KEY, {
        input: { name: `Contacts ${scopes.join('+')} ${suffix}`, kind: 'INTEGRATOR', scopes, territoryIds: [t.baseline.regions.ningbo.id] },
      });
      return key.data!.createApiKey.secret as string;
    };
    const file = (label: string) =>
      csv([
        ['Legal name', 'Territory', 'Owner e-mail', 'Contact'],
        [`${label} A ${suffix}`, 'NB', 'rep.nb@test.local', 'Wang Fang'],
        ['', '', '', 'Zhao Lei'],
        [`${label} B ${suffix}`, 'NB', 'rep.nb@test.local', ''],
      ]);
    const without = await upload(await keyWith(['CUSTOMERS_IMPORT']), file('NoContacts'), 'n.csv');
    const withScope = await upload(await keyWith(['CUSTOMERS_IMPORT', 'CONTACTS_WRITE']), file('WithContacts'), 'w.csv');
    await drain();
    const decided = (id: string) =>
      sql<{ line: number; action: string; field: string | null; code: string | null }>(
        'select line, action, field, code from import_row where job_id = ? order by line',
        [id],
      ).then((rows) => rows.map((row) => [row.line, row.action, row.field, row.code]));
    expect(await decided(without.body.id)).toEqual([
      [2, 'INVALID', 'CONTACT_NAME', 'SCOPE_MISSING'],
      [3, 'INVALID', 'CONTACT_NAME', 'SCOPE_MISSING'],
      [4, 'CREATE', null, null],
    ]);
    expect(await decided(withScope.body.id)).toEqual([
      [2, 'CREATE', null, null],
      [3, 'CONTACT', null, null],
      [4, 'CREATE', null, null],
    ]);
  });

  it('a key that loses contacts:write between the dry run and the run writes no contact', async () => {
    const key = await t.gqlAs('admin', CREATE_KEY, {
      input: {
        name: `Loses contacts ${suffix}`,
        kind: 'INTEGRATOR',
        scopes: ['CUSTOMERS_IMPORT', 'CONTACTS_WRITE'],
        territoryIds: [t.baseline.regions.ningbo.id],
      },
    });
    const secret = key.data!.createApiKey.secret as string;
    const response = await upload(
      secret,
      csv([
        ['Legal name', 'Territory', 'Owner e-mail', 'Contact'],
        [`Loses ${suffix}`, 'NB', 'rep.nb@test.local', 'Sun Li'],
      ]),
      'l.csv',
    );
    await drain();
    const [jobRow] = await sql<{ version: number; keyId: string }>(
      'select version, created_by_key_id as "keyId" from import_job where id = ?',
      [response.body.id],
    );
    const started = await t
      .http()
      .post('/graphql')
      .set('authorization', `Bearer ${secret}`)
      .send({
        query: START,
        variables: { id: response.body.id, version: jobRow!.version },
      });
    expect(started.body.errors).toBeUndefined();
    await sql(`update api_key set scopes = array_remove(scopes, 'contacts:write') where id = ?`, [jobRow!.keyId]);
    await drain();
    expect(await sql('select id from customer where import_id = ?', [response.body.id])).toHaveLength(1);
    expect(await sql('select id from contact where import_id = ?', [response.body.id])).toHaveLength(0);
  });
});

describe('files built to exhaust memory', () => {
  it('refuses a CSV line longer than 1 MiB (no newline, or a million empty cells) with a typed error', async () => {
    const commas = Buffer.concat([Buffer.from('Legal name,Territory\r\nWide Co,HZ'), Buffer.alloc(2 * 1024 * 1024, ',')]);
    const wide = await upload(t.tokenFor('admin'), commas, 'wide.csv');
    expect(wide.status).toBe(400);
    expect(wide.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    const noNewline = Buffer.concat([Buffer.from('Legal name,Territory\r\n"'), Buffer.alloc(2 * 1024 * 1024, 'a')]);
    const open = await upload(t.tokenFor('admin'), noNewline, 'open.csv');
    expect(open.status).toBe(400);
    expect(open.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    expect(JSON.stringify(open.body)).not.toMatch(/stack|at .*\.js/);
    const fine = await upload(
      t.tokenFor('admin'),
      csv([
        ['Legal name', 'Territory'],
        [`Narrow ${suffix}`, 'HZ'],
      ]),
      'fine.csv',
    );
    expect(fine.status).toBe(201);
  });
});

describe('revert and records edited since', () => {
  it('keeps a contact someone edited after the import and lists its row as CHANGED_SINCE', async () => {
    const response = await upload(
      t.tokenFor('managerEast'),
      csv([
        ['Legal name', 'Territory', 'Contact'],
        [`Edited contact ${suffix}`, 'HZ', 'Qian Yu'],
        ['', '', 'Zhou Min'],
      ]),
      'e.csv',
    );
    await drain();
    const data = await job('managerEast', response.body.id);
    await t.gqlAs('managerEast', START, { id: data.id, version: data.version });
    await drain();
    // The account is edited too, so it stays; of its two imported contacts one was edited since.
    await sql(`update customer set notes = 'edited', version = version + 1 where import_id = ?`, [data.id]);
    await sql(`update contact set title = 'edited', version = version + 1 where import_id = ? and name = 'Zhou Min'`, [data.id]);
    const revert = await t.gqlAs('managerEast', REVERT, { id: data.id });
    expect(revert.errors).toBeUndefined();
    await drain();
    const rows = await sql<{ line: number; revertCode: string | null }>(
      'select line, revert_code as "revertCode" from import_row where job_id = ? order by line',
      [data.id],
    );
    expect(rows).toEqual([
      { line: 2, revertCode: 'CHANGED_SINCE' },
      { line: 3, revertCode: 'CHANGED_SINCE' },
    ]);
    expect((await job('managerEast', data.id)).result.revertRefused).toBe(2);
    expect((await sql('select name from contact where import_id = ?', [data.id])).map((c) => c.name)).toEqual(['Zhou Min']);
  });
});

describe('contacts of an updated account', () => {
  it('are not added again when they match an existing contact (mobile digits, e-mail, or name and phone); a revert restores exactly', async () => {
    const account = t.baseline.customers.find((c) => c.registrationId)!;
    await sql(
      `insert into contact (id, customer_id, name, mobile, email, phone) values
         (gen_random_uuid(), ?, 'Existing A', '13800001111', 'a.${suffix}@x.example', null),
         (gen_random_uuid(), ?, 'Existing B', null, null, '0571-8888 1234')`,
      [account.id, account.id],
    );
    const contactsNow = () =>
      sql<{ name: string; mobile: string | null; email: string | null; phone: string | null }>(
        'select name, mobile, email, phone from contact where customer_id = ? order by name, mobile nulls first, phone nulls first',
        [account.id],
      );
    const original = await contactsNow();
    const file = csv([
      ['Legal name', 'Registration ID', 'Contact', 'Mobile', 'Phone', 'E-mail'],
      [account.legalName, account.registrationId!, 'A again', '138 0000 1111', '', ''], // 2 the same mobile
      ['', '', 'A by mail', '', '', `A.${suffix}@X.example`], // 3 the same e-mail, another case
      ['', '', 'existing b', '', '057188881234', ''], // 4 the same name and phone
      ['', '', 'Existing B', '', '0571-9999 0000', ''], // 5 the same name, another phone: new
      ['', '', 'New C', '13900009999', '', ''], // 6 new
    ]);
    const runFile = async () => {
      const response = await upload(t.tokenFor('admin'), file, 'contacts.csv');
      expect(response.status).toBe(201);
      await drain();
      const ready = await job('admin', response.body.id);
      expect(ready.counts).toMatchObject({ update: 1, contact: 4 });
      await t.gqlAs('admin', START, { id: ready.id, version: ready.version });
      await drain();
      const done = await job('admin', ready.id);
      expect(done.status).toBe('COMPLETED');
      return done;
    };
    const first = await runFile();
    expect(rowsOf(first).map((row: any) => [row.line, row.action, row.code])).toEqual([
      [2, 'UPDATE', 'CONTACT_EXISTS'],
      [3, 'CONTACT', 'CONTACT_EXISTS'],
      [4, 'CONTACT', 'CONTACT_EXISTS'],
      [5, 'CONTACT', null],
      [6, 'CONTACT', null],
    ]);
    expect(first.result.createdContacts).toBe(2);
    // Two added: the other phone of Existing B, and New C.
    const added = [
      { name: 'Existing B', mobile: null, email: null, phone: '0571-9999 0000' },
      { name: 'New C', mobile: '13900009999', email: null, phone: null },
    ];
    const byKey = (list: typeof original) => list.map((c) => JSON.stringify(c)).sort();
    expect(byKey(await contactsNow())).toEqual(byKey([...original, ...added]));
    // The same file again adds nothing: every contact is now on the account.
    const second = await runFile();
    expect(rowsOf(second).map((row: any) => row.code)).toEqual(Array(5).fill('CONTACT_EXISTS'));
    expect(second.result.createdContacts).toBe(0);
    expect(await contactsNow()).toHaveLength(original.length + 2);
    for (const done of [second, first]) {
      await t.gqlAs('admin', REVERT, { id: done.id });
      await drain();
      expect((await job('admin', done.id)).status).toBe('REVERTED');
    }
    expect(byKey(await contactsNow())).toEqual(byKey(original));
  });
});
