import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../fixtures/baseline.js';
import { CHINESE_HEADERS, NEAR_DUPLICATE_PAIR, expectedCounts, planImport, toCsv, type PlannedRow } from '../fixtures/import-file.js';
import { startImportWorker, type ImportWorker } from '../../api/src/modules/import/index.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { buildConsole } from '../setup/console-build.js';

/**
 * The import wizard, the duplicate candidates and the merge screen against the real API (their
 * component tests answer with mocks): an admin imports a generated Chinese-header file with
 * mistakes, reads the dry run, runs it, reverts it; then merges a seeded near-duplicate pair and
 * undoes it. Expected figures come from the fixture's plan, not from the importer.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SCREENSHOTS = join(ROOT, 'docs/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LAPTOP = { width: 1366, height: 860 };
const TABLET = { width: 820, height: 1180 };
const SMALL_LAPTOP = { width: 1024, height: 768 };
const RUN = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!RUN) console.warn(`import/merge e2e skipped: no Chromium at ${CHROMIUM}`);

const CREATE_RULE = `mutation ($input: CreateAssignmentRuleInput!) { createAssignmentRule(input: $input) { id } }`;
const CREATE_CUSTOMER = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
const CREATE_CONTACT = `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`;
const IMPORT_ROWS = `query ($id: ID!, $action: ImportAction) { import(id: $id) { status rows(action: $action, first: 100) { edges { node { line customer { id } } } } } }`;
const CUSTOMER = `query ($id: ID!) { customer(id: $id) { id version legalName mergedInto } }`;
const UPDATE_CUSTOMER = `mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id version } }`;

let t: TestApp;
let server: Server;
let baseUrl: string;
let browser: Browser;
let adminDir: string;
let worker: ImportWorker | undefined;
let plan: PlannedRow[];
let csv: string;
const pair = { first: '', second: '' };

async function newPage(viewport = LAPTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[browser console] ${message.text()}`);
  });
  return { context, page };
}

async function signIn(page: Page, email = 'admin@test.local'): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.locator('input[name="username"]').fill(email);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  await page.waitForURL((url) => !url.hash.startsWith('#/login'));
}

/** The line a spreadsheet shows for a planned row (the API numbers rows so): the header is line 1. */
function fileLine(row: PlannedRow): number {
  return row.row + 1;
}

/**
 * Waits until no finite CSS transition or animation is running. MUI buttons fade their colours
 * for about 250 ms when they are enabled or change variant: a screenshot taken at once shows
 * Merge half-way from its disabled grey (the merge screenshot did, although Merge was enabled).
 * Spinners (infinite) are left to spin.
 */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity),
  );
}

/** A screenshot of the page once it has settled, transitions at their end state. */
async function screenshot(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.screenshot({ path: join(SCREENSHOTS, name), animations: 'disabled' });
}

function overflowX(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth);
}

/** Uploads the file through the wizard's first step and answers the new import's id (from the address it opens). */
async function upload(page: Page, name: string, content: string): Promise<string> {
  await page.goto(`${baseUrl}/#/imports/create`);
  await page.getByTestId('import-dropzone').waitFor();
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
  await page.waitForURL((url) => /#\/imports\/[^/]+\/show/.test(url.hash));
  return decodeURIComponent(/#\/imports\/([^/]+)\/show/.exec(new URL(page.url()).hash)![1]!);
}

/** From the mapping step to a finished dry run. */
async function toDryRun(page: Page): Promise<void> {
  await page.getByTestId('import-mapping').waitFor();
  await page.getByRole('button', { name: 'Continue to the dry run' }).click();
  await page.getByTestId('import-counts').waitFor({ timeout: 60_000 });
}

beforeAll(async () => {
  if (!RUN) return;
  adminDir = await mkdtemp(join(tmpdir(), 'accountable-admin-'));
  await buildConsole(adminDir);
  // The app shares its database with the test, so it starts no import worker of its own: the test runs one, polling often.
  t = await createTestApp({ ADMIN_DIR: adminDir, IMPORT_POLL_INTERVAL_MS: '200' });
  worker = startImportWorker(t.orm, t.app.config, t.app.logger);
  const { hangzhou } = t.baseline.regions;
  // Rows without a territory column are placed by the rules: one rule with no criteria, to Hangzhou.
  const rule = await t.gqlAs('admin', CREATE_RULE, {
    input: { name: 'Everything to Hangzhou', territoryId: hangzhou.id, ownerId: t.baseline.users.repHangzhou.id },
  });
  expect(rule.errors).toBeUndefined();
  // Two accounts of other reps, which the admin may edit: the file names them (UPDATE).
  const ningbo = t.baseline.customers.find((customer) => customer.owner.id === t.baseline.users.repNingbo.id)!;
  const guangzhou = t.baseline.customers.find((customer) => customer.owner.id === t.baseline.users.repGuangzhou.id)!;
  plan = planImport({
    creates: 42,
    ownedByOthers: [],
    editable: [ningbo, guangzhou].map((customer) => ({ legalName: customer.legalName, registrationId: customer.registrationId ?? null })),
    repeats: 1,
  });
  csv = toCsv(plan.map((row) => row.values));
  // The near-duplicate pair, each with a contact on the same mobile.
  for (const side of ['first', 'second'] as const) {
    const created = await t.gqlAs('admin', CREATE_CUSTOMER, {
      input: { ...NEAR_DUPLICATE_PAIR[side], territoryId: hangzhou.id, ownerId: t.baseline.users.repHangzhou.id, industry: 'Machinery' },
    });
    expect(created.errors).toBeUndefined();
    pair[side] = created.data!.createCustomer.id;
    const contact = await t.gqlAs('admin', CREATE_CONTACT, {
      input: { customerId: pair[side], name: side === 'first' ? '王明' : '王明远', mobile: NEAR_DUPLICATE_PAIR.sharedMobile },
    });
    expect(contact.errors).toBeUndefined();
  }
  server = await new Promise<Server>((done) => {
    const listening = t.app.express.listen(0, '127.0.0.1', () => done(listening));
  });
  // The bell's live inbox: WebSocket on the same server and path.
  t.app.attach(server);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await t?.app.live.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  await t?.close();
  if (adminDir) await rm(adminDir, { recursive: true, force: true });
});

describe.runIf(RUN)('import with mistakes and duplicates, then a merge', () => {
  let context: BrowserContext;
  let page: Page;
  let importId: string;

  beforeAll(async () => {
    ({ context, page } = await newPage());
    await signIn(page);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('the fixture plans what the test expects', () => {
    // Written from the plan's rules: 42 new, 2 accounts of other reps (an admin may edit them),
    // 4 rows with a mistake and 1 repeating an earlier company.
    expect(expectedCounts(plan)).toEqual({ CREATE: 42, UPDATE: 2, DUPLICATE_OWNED: 0, INVALID: 5 });
    expect(plan).toHaveLength(49);
    expect(csv.split('\r\n')[0]).toBe(Object.values(CHINESE_HEADERS).join(','));
  });

  it('uploads the Chinese-header file, maps its columns and shows the dry run counts and reasons', { timeout: 120_000 }, async () => {
    importId = await upload(page, '客户导入.csv', csv);
    // The file's Chinese name as sent, not its UTF-8 bytes read as Latin-1.
    await expect(page.getByTestId('import-file-name').innerText()).resolves.toBe('客户导入.csv');
    // Every Chinese header was recognised.
    const mapping = page.getByTestId('import-mapping');
    await mapping.waitFor();
    for (const header of Object.values(CHINESE_HEADERS)) await expect(mapping.getByText(header, { exact: true }).count()).resolves.toBe(1);
    await toDryRun(page);
    const counts = page.getByTestId('import-counts');
    await expect(counts.getByTestId('count-CREATE').innerText()).resolves.toBe('New 42');
    await expect(counts.getByTestId('count-UPDATE').innerText()).resolves.toBe('Update 2');
    await expect(counts.getByTestId('count-CONTACT').innerText()).resolves.toBe('Contact 0');
    await expect(counts.getByTestId('count-DUPLICATE_OWNED').innerText()).resolves.toBe('Owned by another rep 0');
    await expect(counts.getByTestId('count-INVALID').innerText()).resolves.toBe('Invalid 5');
    await counts.getByTestId('count-INVALID').click();
    const rows = page.getByTestId('import-rows');
    await rows.waitFor();
    const invalid = plan.filter((row) => row.expected === 'INVALID');
    await expect.poll(() => rows.locator('tbody tr').count()).toBe(invalid.length);
    // Each invalid row in words, with its field; no raw placeholder left.
    const expectedText: Record<string, RegExp> = {
      legalName: /Company name: (required|the same company is on an earlier row of the file)/,
      mobile: /Contact mobile: not in a valid format/,
      email: /Contact e-mail: not in a valid format/,
      registrationId: /Registration id: not in a valid format/,
    };
    for (const row of invalid) {
      const text = await page.getByTestId(`import-row-${fileLine(row)}`).innerText();
      expect(text, `line ${fileLine(row)}`).toMatch(expectedText[row.invalidField!]!);
      expect(text, `line ${fileLine(row)}`).not.toMatch(/%\{|\|\|\|\|/);
    }
    const repeated = invalid.at(-1)!;
    await expect(page.getByTestId(`import-row-${fileLine(repeated)}`).innerText()).resolves.toContain(
      'Company name: the same company is on an earlier row of the file',
    );
    await counts.getByTestId('count-UPDATE').click();
    await expect.poll(() => rows.locator('tbody tr').count()).toBe(2);
    await expect(rows.innerText()).resolves.toContain('Updates this account');
  });

  it('runs it and shows the result', { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'Run the import' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.innerText()).resolves.toContain('42 new accounts and 2 updates');
    await dialog.getByRole('button', { name: 'Run the import' }).click();
    await page.getByTestId('import-result').waitFor({ timeout: 90_000 });
    await expect(page.getByTestId('import-outcome').innerText()).resolves.toBe('The import is complete.');
    await expect(page.getByTestId('result-createdCustomers').innerText()).resolves.toMatch(/^42\n/);
    await expect(page.getByTestId('result-updatedCustomers').innerText()).resolves.toMatch(/^2\n/);
    await expect(page.getByTestId('result-skippedRows').innerText()).resolves.toMatch(/^5\n/);
  });

  it('reverts it, listing the record someone changed since as left alone', { timeout: 120_000 }, async () => {
    // Someone edits one of the created accounts after the run: the revert must leave it.
    const created = await t.gqlAs('admin', IMPORT_ROWS, { id: importId, action: 'CREATE' });
    expect(created.errors).toBeUndefined();
    const edges = (created.data!.import.rows.edges as { node: { line: number; customer: { id: string } } }[]).map(({ node }) => ({
      line: node.line,
      customerId: node.customer.id,
    }));
    expect(edges).toHaveLength(42);
    const touched = edges[0]!;
    const before = await t.gqlAs('admin', CUSTOMER, { id: touched.customerId });
    const edit = await t.gqlAs('admin', UPDATE_CUSTOMER, {
      id: touched.customerId,
      input: { version: before.data!.customer.version, notes: 'Called after the import' },
    });
    expect(edit.errors).toBeUndefined();

    await page.getByRole('button', { name: 'Revert the import' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revert the import' }).click();
    await expect(page.getByTestId('import-outcome').getByText('The import was reverted.').waitFor()).resolves.toBeUndefined();
    await expect(page.getByTestId('result-revertRefused').innerText()).resolves.toMatch(/^1\n/);
    const refused = page.getByTestId('import-refused-rows');
    await refused.waitFor();
    await expect.poll(() => refused.locator('tbody tr').count()).toBe(1);
    const line = page.getByTestId(`import-row-${touched.line}`);
    await expect(line.innerText()).resolves.toContain('changed by someone after the import');
    // The other 41 are gone, the touched one stays.
    const kept = await t.gqlAs('admin', CUSTOMER, { id: touched.customerId });
    expect(kept.data!.customer?.id).toBe(touched.customerId);
    const gone = await t.gqlAs('admin', CUSTOMER, { id: edges[1]!.customerId });
    expect(gone.data!.customer).toBeNull();
  });

  it('lists the seeded near-duplicates, previews the merge, merges and undoes it', { timeout: 120_000 }, async () => {
    await page.goto(`${baseUrl}/#/duplicateCandidates`);
    await page.getByTestId('duplicate-table').waitFor();
    const row = page
      .getByTestId('duplicate-row')
      .filter({ hasText: NEAR_DUPLICATE_PAIR.first.legalName })
      .filter({ hasText: NEAR_DUPLICATE_PAIR.second.legalName });
    // Candidates come a stretch of accounts at a time: follow "Show more pairs" until the pair shows.
    for (let page_ = 0; page_ < 20 && !(await row.count()); page_ += 1) {
      const more = page.getByRole('button', { name: 'Show more pairs' });
      if (await more.isVisible()) await more.click();
      await page.waitForTimeout(300);
    }
    await expect(row.count()).resolves.toBe(1);
    await expect(row.innerText()).resolves.toMatch(/Similar names[\s\S]*A contact with the same phone number/);
    await row
      .getByRole('link', { name: 'Compare and merge' })
      .or(row.getByRole('button', { name: 'Compare and merge' }))
      .click();
    await page.getByTestId('merge-table').waitFor();
    // The older record stays by default: the first one created.
    await expect(page.getByTestId('merge-side-survivor').innerText()).resolves.toContain(NEAR_DUPLICATE_PAIR.first.legalName);
    await expect(page.getByRole('button', { name: 'Merge', exact: true }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Preview the merge' }).click();
    const preview = page.getByTestId('merge-preview');
    await preview.waitFor();
    await expect(preview.getByTestId('move-CONTACT').innerText()).resolves.toMatch(/Contacts\D*1/);
    await expect(page.getByTestId('merge-result-fields').innerText()).resolves.toContain(NEAR_DUPLICATE_PAIR.first.legalName);
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Merge', exact: true }).click();
    const outcome = page.getByTestId('merge-outcome');
    await outcome.waitFor();
    await expect(outcome.innerText()).resolves.toContain(
      `${NEAR_DUPLICATE_PAIR.second.legalName} was merged into ${NEAR_DUPLICATE_PAIR.first.legalName}.`,
    );
    await expect(outcome.getByTestId('merge-moved').innerText()).resolves.toContain('Contacts: 1');
    // The merged id now answers with the survivor.
    const lineage = await t.gqlAs('admin', CUSTOMER, { id: pair.second });
    expect(lineage.data!.customer.id).toBe(pair.first);

    await outcome.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Undo' }).click();
    await outcome.getByText(/This merge was undone/).waitFor();
    const back = await t.gqlAs('admin', CUSTOMER, { id: pair.second });
    expect(back.data!.customer).toMatchObject({ id: pair.second, legalName: NEAR_DUPLICATE_PAIR.second.legalName, mergedInto: null });
  });
});

describe.runIf(RUN)('import and merge screens on a tablet and a small laptop', () => {
  it(
    'keeps the wizard, the candidates and the merge screen within the viewport at 820×1180 and 1024×768',
    { timeout: 180_000 },
    async () => {
      const { context, page } = await newPage(TABLET);
      try {
        await signIn(page);
        const id = await upload(page, '客户导入-平板.csv', csv);
        await page.getByTestId('import-mapping').waitFor();
        const wide: string[] = [];
        const check = async (name: string, size: { width: number }) => {
          const over = await overflowX(page);
          if (over > 0) wide.push(`${name} at ${size.width}: ${over} px too wide`);
          const text = `${await page.title()}\n${await page.locator('body').innerText()}`;
          if (/\|\|\|\||%\{\w+\}/.test(text)) wide.push(`${name} at ${size.width}: untranslated template`);
        };
        for (const size of [TABLET, SMALL_LAPTOP]) {
          await page.setViewportSize(size);
          await page.goto(`${baseUrl}/#/imports/create`);
          await page.getByTestId('import-dropzone').waitFor();
          await check('import-upload', size);
          await page.goto(`${baseUrl}/#/imports/${encodeURIComponent(id)}/show`);
          await page.getByTestId('import-mapping').waitFor();
          await check('import-mapping', size);
          if (size === TABLET) await screenshot(page, 'import-mapping-tablet.png');
          await toDryRun(page);
          await page.getByTestId('count-INVALID').click();
          await page.getByTestId('import-rows').waitFor();
          await check('import-dry-run', size);
          if (size === TABLET) {
            await page.mouse.move(0, 0);
            await screenshot(page, 'import-dry-run-tablet.png');
          }
          await page.goto(`${baseUrl}/#/duplicateCandidates`);
          await page.getByTestId('duplicate-table').waitFor();
          await check('duplicates', size);
          if (size === TABLET) await screenshot(page, 'duplicates-tablet.png');
          await page.goto(`${baseUrl}/#/merges/create?first=${pair.first}&second=${pair.second}`);
          await page.getByTestId('merge-table').waitFor();
          await page.getByRole('button', { name: /^Preview (the merge|again)$/ }).click();
          await page.getByTestId('merge-preview').waitFor();
          // The preview is current: Merge is offered.
          await expect.poll(() => page.getByRole('button', { name: 'Merge', exact: true }).isEnabled()).toBe(true);
          await check('merge', size);
          if (size === TABLET) {
            await page.mouse.move(0, 0);
            // What the picture shows, not only the DOM: once settled, Merge wears its own colour, opaque, not the disabled grey.
            await settled(page);
            const merge = page.getByRole('button', { name: 'Merge', exact: true });
            const look = await merge.evaluate((button) => {
              const style = getComputedStyle(button);
              return { background: style.backgroundColor, opacity: style.opacity };
            });
            expect(look.opacity).toBe('1');
            expect(look.background).toMatch(/^rgb\(/);
            await screenshot(page, 'merge-tablet.png');
          }
        }
        expect(wide).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  it('words a refused upload from the server in Chinese', { timeout: 90_000 }, async () => {
    const { context, page } = await newPage(TABLET);
    try {
      await page.goto(`${baseUrl}/#/login`);
      await page.getByRole('button', { name: '简体中文' }).click();
      await signIn(page);
      await page.goto(`${baseUrl}/#/imports/create`);
      await page.getByTestId('import-dropzone').waitFor();
      // A header row and nothing else: the API answers 400 BAD_USER_INPUT on the field `file`.
      await page.getByTestId('import-file').setInputFiles({
        name: '空文件.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${Object.values(CHINESE_HEADERS).join(',')}\r\n`),
      });
      const error = page.getByTestId('import-upload-error');
      await error.waitFor();
      await expect(error.innerText()).resolves.toBe('文件无法导入：须为 CSV 或 Excel（.xlsx）文件，首行为表头，且至少有一行数据。');
      await screenshot(page, 'import-upload-error-zh-tablet.png');
    } finally {
      await context.close();
    }
  });
});
