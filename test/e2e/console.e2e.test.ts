import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookWorker } from '../../api/src/modules/webhook/index.js';
import { PASSWORD } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { buildConsole } from '../setup/console-build.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCREENSHOTS = join(ROOT, 'docs/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LAPTOP = { width: 1366, height: 860 };
const TABLET = { width: 820, height: 1180 };
const SMALL_LAPTOP = { width: 1024, height: 768 };
// CI installs Chromium (.ci/run) and must run this; a workstation without it skips, saying why.
const RUN = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!RUN) console.warn(`console e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

let t: TestApp;
let server: Server;
let baseUrl: string;
let browser: Browser;
let adminDir: string;

const CREATE_CUSTOMER = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
const CREATE_ORDER = `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }`;
const SET_SLA = `mutation ($stage: LifecycleStage!, $maxDays: Int) { setStageSla(stage: $stage, maxDays: $maxDays) { stage } }`;
const SET_TARGET = `mutation ($input: SetTargetInput!) { setTarget(input: $input) { id } }`;
const YEAR = new Date().getFullYear();
const STAGES = ['POTENTIAL', 'INTENTION', 'FIRST_PURCHASE', 'REPEAT', 'DORMANT', 'LOST'] as const;

async function newPage(viewport = LAPTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[browser console] ${message.text()}`);
  });
  return { context, page };
}

function graphqlRequests(page: Page): { count(): number; reset(): void; operations: string[] } {
  const operations: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.method() === 'POST') {
      operations.push((request.postDataJSON() as { operationName?: string })?.operationName ?? '?');
    }
  });
  return { count: () => operations.length, reset: () => operations.splice(0), operations };
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.locator('input[name="username"]').fill(email);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.hash.startsWith('#/login'));
}

async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage });
}

/** How far the page is wider than its viewport (0 when nothing scrolls sideways). */
function overflowX(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth);
}

/**
 * A control the user can reach: once the window scrolls to it (vertically only, so a table that
 * scrolls sideways is not scrolled for it), it is inside the viewport with nothing on top of it.
 */
async function expectReachable(page: Page, control: Locator, label: string): Promise<void> {
  await control.waitFor();
  const top = await control.evaluate((element) => element.getBoundingClientRect().top + window.scrollY);
  await page.evaluate((y) => window.scrollTo(window.scrollX, Math.max(0, y - window.innerHeight / 2)), top);
  const viewport = page.viewportSize()!;
  const box = (await control.boundingBox())!;
  expect(box.x, label).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, label).toBeLessThanOrEqual(viewport.width);
  expect(box.y, label).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, label).toBeLessThanOrEqual(viewport.height);
  const hit = await control.evaluate(
    (element, { x, y }) => {
      const top = document.elementFromPoint(x, y);
      return !!top && (element === top || element.contains(top));
    },
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
  expect(hit, `${label}: covered by another element`).toBe(true);
}

/** A webhook receiver on loopback: 500 to its first `failFirst` requests, then 200. */
async function startReceiver(failFirst: number): Promise<{ url: string; answered: number[]; close(): Promise<void> }> {
  const answered: number[] = [];
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const status = answered.length < failFirst ? 500 : 200;
      answered.push(status);
      response
        .writeHead(status, { 'content-type': 'application/json' })
        .end(status === 200 ? '{"received":true}' : '{"error":"warehouse offline"}');
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/accountable`,
    answered,
    close: () => new Promise<void>((done) => receiver.close(() => done())),
  };
}

/** Prints how long a step of the console took, for the record. */
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    console.log(`${label}: ${Math.round(performance.now() - started)} ms`);
  }
}

beforeAll(async () => {
  if (!RUN) return;
  adminDir = await mkdtemp(join(tmpdir(), 'accountable-admin-'));
  await buildConsole(adminDir);
  // The layout test's webhooks deliver to a receiver on loopback.
  t = await createTestApp({ ADMIN_DIR: adminDir, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  // Enough customers for two pages of 25, across every stage.
  const owners = [
    [t.baseline.users.repHangzhou, t.baseline.regions.hangzhou],
    [t.baseline.users.repNingbo, t.baseline.regions.ningbo],
    [t.baseline.users.repGuangzhou, t.baseline.regions.guangzhou],
  ] as const;
  for (let i = 0; i < 30; i += 1) {
    const [owner, territory] = owners[i % owners.length]!;
    const { data, errors } = await t.gqlAs('admin', CREATE_CUSTOMER, {
      input: {
        legalName: `${territory.name} Precision Parts ${String(i + 1).padStart(2, '0')} Ltd`,
        territoryId: territory.id,
        ownerId: owner.id,
        lifecycleStage: STAGES[i % STAGES.length],
        industry: i % 2 ? 'Machinery' : 'Electronics',
      },
    });
    expect(errors).toBeUndefined();
    // Some orders this year, so the dashboard's targets chart has actuals; on REPEAT customers,
    // whose stage an order does not change.
    if (STAGES[i % STAGES.length] === 'REPEAT') {
      const order = await t.gqlAs('admin', CREATE_ORDER, {
        input: {
          customerId: data!.createCustomer.id,
          status: 'CONFIRMED',
          lines: [{ product: 'Spindle', quantity: '2', unitPrice: String(1500 + i * 250) }],
        },
      });
      expect(order.errors).toBeUndefined();
    }
  }
  // Dwell-time SLAs (the baseline's potential customers are long overdue) and this year's targets.
  for (const [stage, maxDays] of [
    ['POTENTIAL', 30],
    ['INTENTION', 15],
  ] as const)
    expect((await t.gqlAs('admin', SET_SLA, { stage, maxDays })).errors).toBeUndefined();
  for (const [region, revenue, newCustomers] of [
    [t.baseline.regions.east, '30000.00', 25],
    [t.baseline.regions.south, '12000.00', 10],
  ] as const) {
    const target = await t.gqlAs('admin', SET_TARGET, {
      input: { regionId: region.id, periodStart: `${YEAR}-01-01`, periodEnd: `${YEAR}-12-31`, revenue, newCustomers },
    });
    expect(target.errors).toBeUndefined();
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
});

afterAll(async () => {
  await browser?.close();
  await t?.app.live.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  await t?.close();
  if (adminDir) await rm(adminDir, { recursive: true, force: true });
});

describe.runIf(RUN)('console as admin', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ context, page } = await newPage());
  });

  afterAll(async () => {
    await context?.close();
  });

  it('signs in and lands on the dashboard with its charts', async () => {
    await page.goto(`${baseUrl}/`);
    await page.locator('input[name="username"]').waitFor();
    await screenshot(page, 'login');
    await signIn(page, 'admin@test.local');
    await page.getByTestId('chart-funnel').locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByTestId('chart-overdue').locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByTestId('chart-targets').locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByTestId('chart-regions').locator('.recharts-bar-rectangle').first().waitFor();
    // No evaluation cycle has been computed yet: those charts say so.
    await page.getByTestId('chart-quadrants').getByText('No computed evaluation cycle yet.').waitFor();
    await expect(page.getByRole('heading', { name: 'Welcome, Ada Admin' }).isVisible()).resolves.toBe(true);
  });

  it('shows the customer list in one request per page, and prints the time to its first paint', async () => {
    const requests = graphqlRequests(page);
    // A fresh load of the list, signed in: time from navigation start until the rows are painted.
    await page.goto('about:blank');
    await page.goto(`${baseUrl}/#/customers`);
    await page.getByTestId('customer-table').locator('tbody tr').first().waitFor();
    const firstPaint = await page.evaluate(
      () =>
        new Promise<{ listPainted: number; firstContentfulPaint: number | null }>((done) =>
          requestAnimationFrame(() =>
            done({
              listPainted: performance.now(),
              firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
            }),
          ),
        ),
    );
    console.log(
      `customer list: first paint of the rows ${Math.round(firstPaint.listPainted)} ms after navigation start (first contentful paint ${Math.round(firstPaint.firstContentfulPaint ?? NaN)} ms)`,
    );
    expect(requests.operations).toEqual(['AdminCustomers']);
    const rows = page.getByTestId('customer-table').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(25);
    await expect(page.getByText('1-25 of 42').isVisible()).resolves.toBe(true);
    await screenshot(page, 'customer-list');

    requests.reset();
    await page.getByRole('button', { name: 'Go to next page' }).click();
    await page.getByText('26-42 of 42').waitFor();
    await expect.poll(() => rows.count()).toBe(17);
    expect(requests.operations).toEqual(['AdminCustomers']);

    // Back to page 1 (cached cursors: no walk), then jump straight to page 2 of a filtered list.
    requests.reset();
    await page.getByRole('button', { name: 'Go to page 1' }).click();
    await page.getByText('1-25 of 42').waitFor();
    expect(requests.count()).toBeLessThanOrEqual(1);
  });

  it('filters by lifecycle stage and searches', async () => {
    await page.goto(`${baseUrl}/#/customers?filter=${encodeURIComponent(JSON.stringify({ lifecycleStage: 'LOST' }))}`);
    await page.getByText('1-5 of 5').waitFor();
    await page.goto(`${baseUrl}/#/customers?filter=${encodeURIComponent(JSON.stringify({ q: 'Ningbo Precision' }))}`);
    await page.getByText('1-10 of 10').waitFor();
  });

  it('opens a customer-360 with contacts, timeline, orders and evaluations', async () => {
    const customer = t.baseline.customers[0]!;
    await page.goto(`${baseUrl}/#/customers/${customer.id}/show`);
    await expect(page.getByTestId('customer-name').textContent()).resolves.toBe(customer.legalName);
    await page.getByRole('tab', { name: /Contacts/ }).click();
    await page.getByRole('cell', { name: 'Contact 1 of Hangzhou' }).waitFor();
    await page.getByRole('tab', { name: /Timeline/ }).click();
    await page.getByText('Visit 3').waitFor();
    await page.getByRole('tab', { name: /Orders/ }).click();
    await page.getByRole('link', { name: 'SO-T-0001' }).waitFor();
    await page.getByRole('button', { name: 'Expand' }).first().click();
    await page.locator('.MuiCollapse-entered').getByRole('cell', { name: 'Widget' }).first().waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'customer-360');
    await page.getByRole('tab', { name: /Profile/ }).click();
    await page.getByText('Purchasing manager').count();
  });

  it('creates a territory in the region tree', async () => {
    await page.goto(`${baseUrl}/#/regions`);
    const zhejiang = page.getByTestId('region-ZJ');
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.getByTestId('region-HZ').waitFor();
    await screenshot(page, 'regions-tree');
    await zhejiang.getByRole('button', { name: 'Add below' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[name="code"]').fill('WZ');
    await dialog.locator('input[name="name"]').fill('Wenzhou');
    await dialog.locator('input[name="nameZh"]').fill('温州');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('region-WZ').waitFor();
    await expect(page.getByTestId('region-WZ').getByText('Wenzhou').isVisible()).resolves.toBe(true);
    const { data } = await t.gqlAs('admin', `{ regions(filter: { search: "WZ" }) { edges { node { code path kind } } } }`);
    expect(data!.regions.edges[0].node).toEqual({ code: 'WZ', path: 'EAST/ZJ/WZ', kind: 'TERRITORY' });
  });

  it('edits a customer (pessimistic save with its version)', async () => {
    const customer = t.baseline.customers[1]!;
    await page.goto(`${baseUrl}/#/customers/${customer.id}`);
    const industry = page.locator('input[name="industry"]');
    await industry.waitFor();
    await expect.poll(() => industry.inputValue()).toBe('Retail');
    // Wait for react-admin's loading indicator to settle, so no refetch resets the form under us.
    await page.getByRole('button', { name: 'Refresh' }).waitFor();
    await industry.fill('Wholesale');
    await expect.poll(() => page.getByRole('button', { name: 'Save' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('customer-name').waitFor();
    await page.getByText('Wholesale').waitFor();
    const { data } = await t.gqlAs('admin', `query ($id: ID!) { customer(id: $id) { industry version } }`, { id: customer.id });
    expect(data!.customer.industry).toBe('Wholesale');
  });

  it('renders the other screens without errors', async () => {
    const errors: string[] = [];
    const onError = (error: Error) => errors.push(error.message);
    page.on('pageerror', onError);
    const shots = join(tmpdir(), 'accountable-screens');
    await mkdir(shots, { recursive: true });
    const { data } = await t.gqlAs('admin', `{ orders(first: 1, orderBy: { field: NUMBER, direction: ASC }) { edges { node { id } } } }`);
    const orderId = data!.orders.edges[0].node.id as string;
    const visits: [string, string, () => Promise<unknown>][] = [
      ['contacts', '/contacts', () => page.getByRole('cell', { name: 'Contact 1 of Hangzhou' }).first().waitFor()],
      ['interactions', '/interactions', () => page.getByRole('cell', { name: 'Visit 3' }).first().waitFor()],
      ['log-visit', '/interactions/create', () => page.getByLabel('Summary *').waitFor()],
      // Newest first, and earlier scenarios add orders: any baseline order proves the list rendered.
      [
        'orders',
        '/orders',
        () =>
          page
            .getByRole('cell', { name: /^SO-T-\d{4}$/ })
            .first()
            .waitFor(),
      ],
      ['order-show', `/orders/${orderId}/show`, () => page.getByTestId('order-totals').waitFor()],
      ['order-edit', `/orders/${orderId}`, () => page.getByTestId('order-lines').waitFor()],
      ['users', '/users', () => page.getByRole('cell', { name: 'Eve East' }).waitFor()],
      ['user-edit', `/users/${t.baseline.users.repHangzhou.id}`, () => page.getByRole('button', { name: 'Deactivate' }).waitFor()],
      ['customer-create', '/customers/create', () => page.getByLabel('Legal name *').waitFor()],
      ['transfers', '/transfers', () => page.getByText('No pending transfer requests.').waitFor()],
      ['stage-changes', '/stageChanges', () => page.getByText('No pending stage changes.').waitFor()],
      ['evaluation-cycles', '/evaluationCycles', () => page.getByText('No evaluation cycles yet.').waitFor()],
      ['lifecycle-settings', '/lifecycleSettings', () => page.getByTestId('sla-table').getByRole('spinbutton').first().waitFor()],
      ['audit-log', '/auditEvents', () => page.getByTestId('audit-table').or(page.getByText('No events match these filters.')).waitFor()],
      ['api-keys', '/apiKeys', () => page.getByText('No API keys yet.').waitFor()],
    ];
    for (const [name, path, ready] of visits) {
      await page.goto(`${baseUrl}/#${path}`);
      await ready();
      await page.screenshot({ path: join(shots, `${name}.png`) });
    }
    page.off('pageerror', onError);
    expect(errors).toEqual([]);
  });

  it('switches the language to Simplified Chinese', async () => {
    await page.goto(`${baseUrl}/#/customers?filter=%7B%7D&page=1`);
    await page.getByTestId('customer-table').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('menuitem', { name: '简体中文' }).click();
    await page.getByRole('columnheader', { name: '客户名称' }).waitFor();
    await expect(page.getByRole('menuitem', { name: '客户' }).first().isVisible()).resolves.toBe(true);
    // The new screens are translated too.
    await expect(page.getByRole('menuitem', { name: '客户转移' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('menuitem', { name: '审计日志' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'customer-list-zh');
    await page.getByText('第 1-25 条，共 42 条').waitFor();
    // Back to English for whoever reuses the browser profile.
    await page.getByRole('button', { name: '简体中文' }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('columnheader', { name: 'Legal name' }).waitFor();
  });
});

describe.runIf(RUN)('console as a rep', () => {
  it('signs in and sees their own customers', async () => {
    const { context, page } = await newPage({ width: 1024, height: 768 });
    try {
      await signIn(page, 'rep.hz@test.local');
      await page.goto(`${baseUrl}/#/customers`);
      const own = t.baseline.customers.filter((customer) => customer.owner.id === t.baseline.users.repHangzhou.id);
      await page.getByRole('cell', { name: own[0]!.legalName }).waitFor();
      for (const customer of own) await expect(page.getByRole('cell', { name: customer.legalName }).isVisible()).resolves.toBe(true);
      await page.setViewportSize({ width: 820, height: 1180 });
      await page.getByRole('cell', { name: own[0]!.legalName }).waitFor();
      await screenshot(page, 'customer-list-tablet');
      // Reps do not manage regions or users.
      await expect(page.getByRole('menuitem', { name: /Regions/ }).count()).resolves.toBe(0);
      await expect(page.getByRole('menuitem', { name: /Users/ }).count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe.runIf(RUN)('ownership: a rep asks for an account, the admin approves and reassigns', () => {
  const target = () => t.baseline.customers.find((customer) => customer.owner.id === t.baseline.users.repGuangzhou.id)!;

  beforeAll(async () => {
    // From here on Hu, like every demo rep, works in more than one territory.
    await t.orm.em
      .fork()
      .getConnection()
      .execute('insert into user_territory (user_id, region_id) values (?, ?)', [
        t.baseline.users.repHangzhou.id,
        t.baseline.regions.ningbo.id,
      ]);
  });

  it("shows a rep another territory's customer only as a directory card, from which they request a transfer", async () => {
    const { context, page } = await newPage();
    try {
      await signIn(page, 'rep.hz@test.local');
      const customer = target();
      // Creating it again under another name is caught: the console offers a transfer instead.
      const other = t.baseline.customers.find((c) => c.owner.id === t.baseline.users.repGuangzhou.id && c.id !== customer.id)!;
      await page.goto(`${baseUrl}/#/customers/create`);
      await page.getByRole('combobox', { name: /Territory/ }).fill('Hangzhou');
      await page.getByRole('option', { name: 'East › Zhejiang › Hangzhou' }).click();
      await page.locator('input[name="legalName"]').fill(other.legalName.replace('Co., Ltd.', 'Company Limited'));
      await page.getByRole('button', { name: 'Save' }).click();
      const duplicate = page.getByRole('dialog', { name: 'This customer already exists' });
      await duplicate.getByText('It is in Guangzhou, owned by Guo Guangzhou', { exact: false }).waitFor();
      await duplicate.getByText(other.legalName).waitFor();
      // Found by its name without the legal form: one candidate, with "Request transfer".
      await expect(duplicate.getByRole('button', { name: 'Request transfer' }).count()).resolves.toBe(1);
      await timed('request a transfer from the duplicate warning (dialog to notification)', async () => {
        await duplicate.getByRole('button', { name: 'Request transfer' }).click();
        const dialog = page.getByRole('dialog', { name: `Request the transfer of ${other.legalName}` });
        await dialog.locator('textarea[name="reason"]').fill('We met their buyer first at the Hangzhou fair');
        // Hu does not work in Guangzhou, and works in two territories: the dialog asks which.
        await expect(dialog.getByRole('button', { name: 'Send request' }).isDisabled()).resolves.toBe(true);
        await dialog.locator('input[name="toTerritory"]').click();
        await expect(page.getByRole('option').allTextContents()).resolves.toEqual([
          'East › Zhejiang › Hangzhou',
          'East › Zhejiang › Ningbo',
        ]);
        await page.getByRole('option', { name: 'East › Zhejiang › Hangzhou' }).click();
        await dialog.getByRole('button', { name: 'Send request' }).click();
        await page.getByText('Transfer requested').waitFor();
      });
      await page.waitForURL((url) => url.hash.startsWith('#/transfers'));
      await page.getByRole('row').filter({ hasText: other.legalName }).getByText('Pending').waitFor();

      // Every account's directory card: the Guangzhou account is there, and whose it is.
      await page.goto(`${baseUrl}/#/customers?filter=${encodeURIComponent(JSON.stringify({ directory: true, q: customer.legalName }))}`);
      await page.getByRole('cell', { name: customer.legalName }).click();
      await page.getByText('Directory card').waitFor();
      await page.getByText(/belongs to Guo Guangzhou/).waitFor();
      await expect(page.getByRole('tab').count()).resolves.toBe(0);
      await expect(page.getByText('Contact 1 of Guangzhou').count()).resolves.toBe(0);
      await timed('request a transfer (dialog to notification)', async () => {
        await page.getByRole('button', { name: 'Request transfer' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.locator('textarea[name="reason"]').fill('The buyer moved to our Hangzhou plant and asked for a local rep');
        await dialog.locator('input[name="toTerritory"]').click();
        await page.getByRole('option', { name: 'East › Zhejiang › Hangzhou' }).click();
        await dialog.getByRole('button', { name: 'Send request' }).click();
        await page.getByText('Transfer requested').waitFor();
      });
      // The rep sees their request, pending, and may cancel it.
      await page.goto(`${baseUrl}/#/transfers`);
      const row = page.getByRole('row').filter({ hasText: customer.legalName });
      await row.getByText('Pending').waitFor();
      await expect(row.getByRole('button', { name: 'Cancel request' }).isVisible()).resolves.toBe(true);
      await expect(row.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });

  it('lets the admin approve it from the transfers inbox; the account moves and its history shows it', async () => {
    const { context, page } = await newPage();
    try {
      const customer = target();
      await signIn(page, 'admin@test.local');
      await page.goto(`${baseUrl}/#/transfers`);
      const row = page.getByRole('row').filter({ hasText: customer.legalName });
      await row.getByText('Pending').waitFor();
      await page.mouse.move(0, 0);
      await screenshot(page, 'transfers-inbox');
      await timed('approve a transfer (dialog to notification)', async () => {
        await row.getByRole('button', { name: 'Approve' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByText(/From Guo Guangzhou \(Guangzhou\) to Hu Hangzhou \(Hangzhou\)/).waitFor();
        await dialog.locator('textarea[name="comment"]').fill('Agreed with Guo');
        await dialog.getByRole('button', { name: 'Approve' }).click();
        await page.getByText('Transfer approved: the account has moved').waitFor();
      });
      const { data } = await t.gqlAs('admin', `query ($id: ID!) { customer(id: $id) { owner { id } territory { id } } }`, {
        id: customer.id,
      });
      expect(data!.customer).toEqual({ owner: { id: t.baseline.users.repHangzhou.id }, territory: { id: t.baseline.regions.hangzhou.id } });

      // The customer-360: ownership history and the audit trail.
      await page.goto(`${baseUrl}/#/customers/${customer.id}/show`);
      await page.getByRole('tab', { name: /Ownership/ }).click();
      const ownership = page.getByRole('table', { name: 'Ownership' });
      await ownership.getByText('Current').waitFor();
      await expect(ownership.getByRole('row').nth(1).textContent()).resolves.toContain('Hu Hangzhou');
      await expect(ownership.getByRole('row').nth(2).textContent()).resolves.toContain('Guo Guangzhou');
      await page.getByRole('tab', { name: /Audit/ }).click();
      await page.getByRole('table', { name: 'Audit' }).getByText('Customer transferred').waitFor();
      // The previous owner now sees it as a directory card only: explainAccess says why.
      await page.getByRole('tab', { name: /Access/ }).click();
      await page
        .getByTestId('access-summary')
        .getByText(/May edit · Admin/)
        .waitFor();
      await page.locator('input[name="explainUser"]').fill('Guo');
      await page.getByRole('option', { name: 'Guo Guangzhou' }).click();
      await page
        .getByTestId('access-summary')
        .getByText(/Directory card only/)
        .waitFor();

      // The audit log, filtered by action.
      await page.goto(`${baseUrl}/#/auditEvents?filter=${encodeURIComponent(JSON.stringify({ action: 'TRANSFER_APPROVED' }))}`);
      await page.getByTestId('audit-table').getByText('Agreed with Guo').waitFor();
      await page.goto(`${baseUrl}/#/auditEvents?filter=%7B%7D`);
      await page.getByTestId('audit-table').getByText('Transfer requested').first().waitFor();
      // A row expands to what changed, each key by its label.
      await page.getByTestId('audit-table').getByRole('row').filter({ hasText: 'Customer transferred' }).click();
      await page.locator('.MuiCollapse-entered dt').getByText('Owner', { exact: true }).first().waitFor();
      await expect(page.locator('.MuiCollapse-entered dt').getByText('ownerId', { exact: true }).count()).resolves.toBe(0);
      // Names and local dates, not ids and ISO strings.
      await page.locator('.MuiCollapse-entered').getByText('Guo Guangzhou → Hu Hangzhou').waitFor();
      await page.locator('.MuiCollapse-entered').getByText('East › Zhejiang › Hangzhou', { exact: false }).first().waitFor();
      await page.mouse.move(0, 0);
      await screenshot(page, 'audit-log');
    } finally {
      await context.close();
    }
  });

  it('lets the admin reassign selected customers in bulk and shows the result', async () => {
    const { context, page } = await newPage();
    try {
      await signIn(page, 'admin@test.local');
      await page.goto(`${baseUrl}/#/customers?filter=${encodeURIComponent(JSON.stringify({ q: 'Ningbo Precision' }))}`);
      await page.getByText('1-10 of 10').waitFor();
      const table = page.getByTestId('customer-table');
      const rows = table.locator('tbody tr');
      const names = [await rows.nth(0).locator('td').nth(1).textContent(), await rows.nth(1).locator('td').nth(1).textContent()];
      await rows.nth(0).getByRole('checkbox').check();
      await rows.nth(1).getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Reassign' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Reassign 2 accounts').waitFor();
      await dialog.locator('input[name="toOwner"]').fill('Han');
      await page.getByRole('option', { name: 'Han Hangzhou' }).click();
      await dialog.locator('input[name="toTerritory"]').fill('Hangzhou');
      await page.getByRole('option', { name: 'East › Zhejiang › Hangzhou' }).click();
      await dialog.locator('textarea[name="reason"]').fill('Ningbo accounts handed to the Hangzhou team');
      const result = await timed('bulk reassignment of 2 accounts (submit to result)', async () => {
        await dialog.getByRole('button', { name: 'Reassign' }).click();
        return (await dialog.getByTestId('reassign-result').textContent()) ?? '';
      });
      expect(result).toMatch(/2 moved, 0 skipped \(already there\), in \d+ ms on the server\./);
      await dialog.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('cell', { name: names[0]! }).waitFor();
      const { data } = await t.gqlAs(
        'admin',
        `query ($owner: ID!) { customers(filter: { ownerId: $owner, search: "Ningbo Precision" }) { edges { node { legalName territory { id } } } } }`,
        { owner: t.baseline.users.repHangzhou2.id },
      );
      expect(data!.customers.edges.map((edge: { node: { legalName: string } }) => edge.node.legalName).sort()).toEqual([...names].sort());
      expect(
        data!.customers.edges.every(
          (edge: { node: { territory: { id: string } } }) => edge.node.territory.id === t.baseline.regions.hangzhou.id,
        ),
      ).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe.runIf(RUN)('lifecycle: a rep asks to move an account back a stage, the manager approves', () => {
  it('records the request, the approval and the transition with its approver', async () => {
    // The rep's first account is a repeat customer.
    const customer = t.baseline.customers.find(
      (c) => c.owner.id === t.baseline.users.repHangzhou.id && c.legalName.includes('Trading 1 '),
    )!;
    const rep = await newPage();
    try {
      await signIn(rep.page, 'rep.hz@test.local');
      await rep.page.goto(`${baseUrl}/#/customers/${customer.id}/show`);
      await rep.page.getByRole('button', { name: 'Change stage' }).click();
      const dialog = rep.page.getByRole('dialog');
      await dialog.getByRole('combobox', { name: /New stage/ }).click();
      await rep.page.getByRole('option', { name: 'Potential' }).click();
      await dialog.locator('textarea[name="reason"]').fill('Their buyer left; we start over');
      await dialog.getByRole('button', { name: 'Change' }).click();
      // Backwards needs a manager: a request, not a change.
      await rep.page.getByText('Sent to a manager for approval').waitFor();
    } finally {
      await rep.context.close();
    }
    const manager = await newPage();
    try {
      await signIn(manager.page, 'manager.east@test.local');
      await manager.page.goto(`${baseUrl}/#/stageChanges`);
      const row = manager.page.getByRole('row').filter({ hasText: customer.legalName });
      await row.getByRole('button', { name: 'Approve' }).click();
      await manager.page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
      await manager.page.getByText('Stage change approved').waitFor();
      await manager.page.goto(`${baseUrl}/#/customers/${customer.id}/show/lifecycle`);
      const history = manager.page.getByRole('table', { name: 'Lifecycle' });
      await history.getByText('Their buyer left; we start over').waitFor();
      await expect(history.getByRole('row').nth(1).textContent()).resolves.toContain('Eve East');
    } finally {
      await manager.context.close();
    }
  });
});

describe.runIf(RUN)('API keys', () => {
  it('creates a key whose secret shows once and works against the API, then revokes it', async () => {
    const { context, page } = await newPage();
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
      await signIn(page, 'admin@test.local');
      await page.goto(`${baseUrl}/#/apiKeys/create`);
      await page.locator('input[name="name"]').fill('ERP sync');
      await page.getByRole('checkbox', { name: 'Orders: read' }).check();
      await page.getByRole('combobox', { name: /Territories/ }).fill('East');
      await page.getByRole('option', { name: 'East', exact: true }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('You will not see this key again').waitFor();
      const secret = await page.getByTestId('api-key-secret').inputValue();
      expect(secret).toMatch(/^acc_/);
      await dialog.getByRole('button', { name: 'Copy' }).click();
      await dialog.getByRole('button', { name: 'Copied' }).waitFor();
      await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(secret);
      await screenshot(page, 'api-key-secret');

      // The key reads East's customers and nothing else.
      const response = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query: '{ customers(first: 100) { totalCount edges { node { region { code } } } } }' }),
      });
      const body = (await response.json()) as {
        data: { customers: { totalCount: number; edges: { node: { region: { code: string } } }[] } };
      };
      expect(body.data.customers.totalCount).toBeGreaterThan(0);
      expect(new Set(body.data.customers.edges.map((edge) => edge.node.region.code))).toEqual(new Set(['EAST']));

      await dialog.getByRole('button', { name: 'I have stored it' }).click();
      const row = page.getByRole('row').filter({ hasText: 'ERP sync' });
      await row.getByText('Active').waitFor();
      await expect(page.content()).resolves.not.toContain(secret);
      await page.mouse.move(0, 0);
      await screenshot(page, 'api-keys');
      await row.getByRole('button', { name: 'Revoke' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
      await row.getByText('Revoked').waitFor();
      const after = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query: '{ customers(first: 1) { totalCount } }' }),
      });
      expect(((await after.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    } finally {
      await context.close();
    }
  });
});

describe.runIf(RUN)('evaluation cycles', () => {
  it('lets the admin define and run a cycle, follow its progress, review and publish the results', async () => {
    const { context, page } = await newPage();
    try {
      await signIn(page, 'admin@test.local');
      await page.goto(`${baseUrl}/#/evaluationCycles/create`);
      // The proposed definition: last year, five weights adding up to 100%, four grades.
      await expect.poll(() => page.locator('input[name="name"]').inputValue()).toBe(`FY${YEAR - 1}`);
      await page.getByTestId('weight-total').getByText('Total: 100%', { exact: false }).waitFor();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByTestId('cycle-name').waitFor();
      await expect(page.getByTestId('cycle-status').textContent()).resolves.toBe('Draft');
      const panel = page.getByTestId('run-panel');
      await panel.getByText(/Not computed yet/).waitFor();

      const seen: number[] = [];
      await timed('evaluation run (Run clicked to results shown)', async () => {
        await panel.getByRole('button', { name: 'Run' }).click();
        // The progress bar shows until a poll of evaluationRun reports the run done.
        await panel.getByTestId('run-progress').waitFor();
        seen.push(Number(await panel.getByRole('progressbar').getAttribute('aria-valuenow')));
        await panel.getByTestId('run-done').waitFor({ timeout: 60_000 });
        await expect.poll(() => page.getByTestId('cycle-status').textContent()).toBe('Computed');
        await page.getByTestId('chart-cycle-quadrants').locator('.recharts-bar-rectangle').first().waitFor();
      });
      expect(seen[0]).toBeGreaterThanOrEqual(0);
      await panel.getByText(/customers evaluated/).waitFor();
      await page.getByTestId('chart-cycle-grades').locator('.recharts-bar-rectangle').first().waitFor();
      await page.getByTestId('pareto-summary').waitFor();
      await page.getByText('Computation started').waitFor({ state: 'hidden' });
      await page.mouse.move(0, 0);
      await screenshot(page, 'evaluation-cycle', { fullPage: true });

      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
      await page.getByText('Cycle published').waitFor();
      await expect.poll(() => page.getByTestId('cycle-status').textContent()).toBe('Published');
      await expect(panel.getByRole('button', { name: /Run/ }).count()).resolves.toBe(0);

      // The dashboard now shows the published cycle's quadrants and grades.
      await page.getByText('Cycle published').waitFor({ state: 'hidden' });
      await page.goto(`${baseUrl}/#/`);
      for (const chart of ['chart-funnel', 'chart-overdue', 'chart-quadrants', 'chart-grades', 'chart-targets', 'chart-regions']) {
        await page.getByTestId(chart).locator('.recharts-bar-rectangle').first().waitFor();
      }
      await page
        .getByTestId('chart-quadrants')
        .getByText(`Cycle FY${YEAR - 1}`)
        .waitFor();
      await page.mouse.move(0, 0);
      await screenshot(page, 'dashboard', { fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('shows a manager the results, without run or publish', async () => {
    const { context, page } = await newPage();
    try {
      await signIn(page, 'manager.east@test.local');
      await page.goto(`${baseUrl}/#/evaluationCycles`);
      await page.getByRole('cell', { name: `FY${YEAR - 1}` }).click();
      await page.getByTestId('chart-cycle-grades').locator('.recharts-bar-rectangle').first().waitFor();
      await expect(page.getByTestId('run-panel').count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Publish' }).count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'Edit' }).count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe.runIf(RUN)('a rep at work on a tablet', () => {
  const own = () =>
    t.baseline.customers.find(
      (customer) => customer.owner.id === t.baseline.users.repHangzhou.id && customer.legalName.includes('Trading 2 '),
    )!;

  it('reaches every action of the customer-360 and logs a visit', async () => {
    const { context, page } = await newPage(TABLET);
    try {
      await signIn(page, 'rep.hz@test.local');
      const customer = own();
      await page.goto(`${baseUrl}/#/customers/${customer.id}/show`);
      await page.getByTestId('customer-name').waitFor();
      // Each action is a button of its own, on screen, with nothing on top of it.
      for (const name of ['Log a visit', 'New order', 'New contact', 'Change stage', 'Edit']) {
        const action = page
          .getByRole('link', { name })
          .or(page.getByRole('button', { name, exact: true }))
          .first();
        await action.waitFor();
        const box = (await action.boundingBox())!;
        expect(box.x, name).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, name).toBeLessThanOrEqual(TABLET.width);
        expect(box.y + box.height, name).toBeLessThanOrEqual(TABLET.height);
        const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('a,button')?.textContent ?? '', {
          x: box.x + box.width / 2,
          y: box.y + box.height / 2,
        });
        expect(hit, name).toContain(name);
      }
      await expect(page.locator('.MuiFab-root').count()).resolves.toBe(0);
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      await page.mouse.move(0, 0);
      await screenshot(page, 'customer-360-tablet');
      await timed('log a visit on a tablet (Save to notification)', async () => {
        await page.getByRole('link', { name: 'Log a visit' }).click();
        await page.getByLabel('Summary *').fill('Walked the line with their plant manager');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('Visit logged').waitFor();
      });
      await page.waitForURL((url) => url.hash.endsWith('/show/timeline'));
      await page.getByText('Walked the line with their plant manager').waitFor();
    } finally {
      await context.close();
    }
  });

  it('creates an order without a number, watching its total as the lines are typed', async () => {
    // The newest order number belongs to an account Hu cannot see: the generated number must not collide with it.
    const hidden = await t.gqlAs('admin', CREATE_CUSTOMER, {
      input: {
        legalName: 'Guangzhou Hidden Numbers Ltd',
        territoryId: t.baseline.regions.guangzhou.id,
        ownerId: t.baseline.users.repGuangzhou.id,
      },
    });
    expect(hidden.errors).toBeUndefined();
    const latest = await t.gqlAs('admin', CREATE_ORDER, {
      input: {
        customerId: hidden.data!.createCustomer.id,
        status: 'CONFIRMED',
        lines: [{ product: 'Gear', quantity: '1', unitPrice: '10' }],
      },
    });
    expect(latest.errors).toBeUndefined();
    const { context, page } = await newPage(TABLET);
    try {
      await signIn(page, 'rep.hz@test.local');
      const customer = own();
      await page.goto(`${baseUrl}/#/customers/${customer.id}/show`);
      await page.getByRole('link', { name: 'New order' }).click();
      const lines = page.getByTestId('order-lines');
      await lines.getByLabel('Product *').first().fill('Spindle');
      await lines.getByLabel('Quantity *').first().fill('3');
      await lines.getByLabel('Unit price *').first().fill('1200.50');
      await lines.getByLabel('Discount %').first().fill('10');
      await page.getByTestId('order-live-total').getByText('Total as entered: CN¥3,241.35').waitFor();
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      await page.mouse.move(0, 0);
      await screenshot(page, 'order-create-tablet', { fullPage: true });
      await expect(page.locator('input[name="number"]').inputValue()).resolves.toBe('');
      await timed('create an order without a number (Save to show page)', async () => {
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('Order created').waitFor();
        await page.getByTestId('order-totals').waitFor();
      });
      const { data } = await t.gqlAs(
        'repHangzhou',
        `query ($id: ID!) { customer(id: $id) { orders(first: 50) { edges { node { number total lines { product } } } } } }`,
        { id: customer.id },
      );
      const created = data!.customer.orders.edges
        .map((edge: { node: { number: string; total: string; lines: { product: string }[] } }) => edge.node)
        .find((order: { lines: { product: string }[] }) => order.lines.some((line) => line.product === 'Spindle'));
      expect(created).toMatchObject({ total: '3241.35' });
      expect(created.number).toMatch(/\S/);
    } finally {
      await context.close();
    }
  });
});

describe.runIf(RUN)('dashboards per role', () => {
  /** A calendar day in the browser's time zone (the follow-up list counts in the rep's days), `offset` days from today. */
  const shanghaiDay = (offset: number) =>
    new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
  const followUps: [number, string, string][] = [
    [-3, 'Discussed the spindle retrofit with their plant manager', 'Send the revised quotation'],
    [0, 'Phone call about the delayed gearbox delivery', 'Confirm the new delivery date'],
    [2, 'Trade fair meeting with their purchasing team', 'Book a factory visit'],
    [6, 'Demo of the servo line', 'Follow up on the trial order'],
    [11, 'Annual contract review', 'Propose next year’s volume discount'],
  ];

  beforeAll(async () => {
    const { repHangzhou, repHangzhou2, repNingbo } = t.baseline.users;
    // Hu's follow-ups on accounts he owns: one overdue, one today, three in the next 14 days.
    const { data } = await t.gqlAs(
      'repHangzhou',
      `query ($owner: ID!) { customers(first: 5, filter: { ownerId: $owner }) { edges { node { id } } } }`,
      {
        owner: repHangzhou.id,
      },
    );
    const accounts = data!.customers.edges.map((edge: { node: { id: string } }) => edge.node.id) as string[];
    expect(accounts.length).toBeGreaterThanOrEqual(followUps.length);
    for (const [index, [offset, summary, nextStep]] of followUps.entries()) {
      const logged = await t.gqlAs('repHangzhou', `mutation ($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`, {
        input: { customerId: accounts[index], kind: 'MEETING', channel: 'FIELD', summary, nextStep, followUpOn: shanghaiDay(offset) },
      });
      expect(logged.errors).toBeUndefined();
    }
    // Hu's pipeline moves on: two new accounts show intent, a third places its first order.
    const potential = await t.gqlAs(
      'repHangzhou',
      `query ($owner: ID!) { customers(first: 3, filter: { ownerId: $owner, stages: [POTENTIAL], search: "Precision Parts" }) { edges { node { id } } } }`,
      { owner: repHangzhou.id },
    );
    const [intentA, intentB, buyer] = potential.data!.customers.edges.map((edge: { node: { id: string } }) => edge.node.id) as string[];
    for (const customerId of [intentA, intentB]) {
      const moved = await t.gqlAs(
        'repHangzhou',
        `mutation ($input: ChangeLifecycleStageInput!) { changeLifecycleStage(input: $input) { applied } }`,
        { input: { customerId, toStage: 'INTENTION', reason: 'Asked for a quotation' } },
      );
      expect(moved.data?.changeLifecycleStage.applied).toBe(true);
    }
    const first = await t.gqlAs('repHangzhou', CREATE_ORDER, {
      input: { customerId: buyer, status: 'CONFIRMED', lines: [{ product: 'Spindle', quantity: '1', unitPrice: '2800' }] },
    });
    expect(first.errors).toBeUndefined();
    // This year's orders of the other East reps' repeat customers, and a target for each East rep.
    for (const [owner, amount] of [
      [repHangzhou2, '9500'],
      [repNingbo, '18000'],
    ] as const) {
      const account = t.baseline.customers.find((c) => c.owner.id === owner.id && c.legalName.includes('Trading 1 '))!;
      const order = await t.gqlAs('admin', CREATE_ORDER, {
        input: { customerId: account.id, status: 'CONFIRMED', lines: [{ product: 'Servo drive', quantity: '1', unitPrice: amount }] },
      });
      expect(order.errors).toBeUndefined();
    }
    for (const [user, revenue, newCustomers] of [
      [repHangzhou, '60000.00', 12],
      [repHangzhou2, '20000.00', 6],
      [repNingbo, '25000.00', 12],
    ] as const) {
      const target = await t.gqlAs('admin', SET_TARGET, {
        input: { userId: user.id, periodStart: `${YEAR}-01-01`, periodEnd: `${YEAR}-12-31`, revenue, newCustomers },
      });
      expect(target.errors).toBeUndefined();
    }
  });

  it('shows a rep their follow-ups, their own funnel, their target against actual and their overdue accounts', async () => {
    const { context, page } = await newPage(LAPTOP);
    try {
      await signIn(page, 'rep.hz@test.local');
      await page.getByRole('heading', { name: 'Welcome, Hu Hangzhou' }).waitFor();
      const cards = page.getByTestId('card-follow-ups');
      await cards.getByText(`${followUps.length} overdue or due in the next 14 days`).waitFor();
      // Soonest first: the overdue one heads the list, marked as such.
      const items = cards.getByRole('link');
      await expect(items.first().textContent()).resolves.toContain('Send the revised quotation');
      await expect(items.first().textContent()).resolves.toContain('Overdue');
      await expect(items.count()).resolves.toBe(followUps.length);
      await page.getByTestId('chart-funnel').getByText('My lifecycle funnel').waitFor();
      await page.getByTestId('chart-targets').getByText('My revenue: target against actual').waitFor();
      for (const chart of ['chart-funnel', 'chart-overdue', 'chart-targets'])
        await page.getByTestId(chart).locator('.recharts-bar-rectangle').first().waitFor();
      // His own figures only: the targets chart has one rep, him.
      await page.getByTestId('chart-targets').getByText('Hu Hangzhou').waitFor();
      await expect(page.getByTestId('chart-targets').getByText('Ning Ningbo').count()).resolves.toBe(0);
      for (const [size, name] of [
        [LAPTOP, 'dashboard-rep'],
        [TABLET, 'dashboard-rep-tablet'],
      ] as const) {
        await page.setViewportSize(size);
        await page.getByTestId('chart-overdue').locator('.recharts-bar-rectangle').first().waitFor();
        expect(await overflowX(page), `rep dashboard at ${size.width}`).toBeLessThanOrEqual(0);
        await page.mouse.move(0, 0);
        await screenshot(page, name, { fullPage: true });
      }
    } finally {
      await context.close();
    }
  });

  it('shows a manager their regions by province and by rep, with each rep’s target against actual', async () => {
    const { context, page } = await newPage(LAPTOP);
    try {
      await signIn(page, 'manager.east@test.local');
      await page.getByRole('heading', { name: 'Welcome, Eve East' }).waitFor();
      for (const chart of ['chart-by-province', 'chart-by-rep', 'chart-funnel', 'chart-overdue', 'chart-targets'])
        await page.getByTestId(chart).locator('.recharts-bar-rectangle').first().waitFor();
      // East only: Zhejiang and its three reps; nothing of the South.
      await page.getByTestId('chart-by-province').getByText('Zhejiang').waitFor();
      await expect(page.getByTestId('chart-by-province').getByText('Guangdong').count()).resolves.toBe(0);
      for (const rep of ['Hu Hangzhou', 'Han Hangzhou', 'Ning Ningbo']) {
        await page.getByTestId('chart-by-rep').getByText(rep).waitFor();
        await page.getByTestId('chart-targets').getByText(rep).waitFor();
      }
      await expect(page.getByTestId('chart-by-rep').getByText('Guo Guangzhou').count()).resolves.toBe(0);
      for (const [size, name] of [
        [LAPTOP, 'dashboard-manager'],
        [TABLET, 'dashboard-manager-tablet'],
      ] as const) {
        await page.setViewportSize(size);
        await page.getByTestId('chart-by-rep').locator('.recharts-bar-rectangle').first().waitFor();
        expect(await overflowX(page), `manager dashboard at ${size.width}`).toBeLessThanOrEqual(0);
        await page.mouse.move(0, 0);
        await screenshot(page, name, { fullPage: true });
      }
    } finally {
      await context.close();
    }
  });
});

describe.runIf(RUN)('tablet and small laptop layout', () => {
  it('keeps every page within the viewport at 820×1180 and 1024×768, with the row actions on screen', async () => {
    // Something to revoke on the API keys page.
    const key = await t.gqlAs('admin', `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, {
      input: { name: 'Tablet check', kind: 'BI', scopes: ['CUSTOMERS_READ'], territoryIds: [t.baseline.regions.east.id] },
    });
    expect(key.errors).toBeUndefined();
    const { data } = await t.gqlAs('admin', `{ orders(first: 1, orderBy: { field: NUMBER, direction: ASC }) { edges { node { id } } } }`);
    const orderId = data!.orders.edges[0].node.id as string;
    const customer = t.baseline.customers[0]!;
    // Webhooks of an integration: one delivering (its receiver failed twice first, so the log holds
    // failures and retries), one disabled.
    const integration = await t.gqlAs('admin', `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }`, {
      input: { name: 'Warehouse sync', kind: 'INTEGRATOR', scopes: ['CUSTOMERS_READ'], territoryIds: [t.baseline.regions.east.id] },
    });
    expect(integration.errors).toBeUndefined();
    const apiKeyId = integration.data!.createApiKey.apiKey.id as string;
    const receiver = await startReceiver(2);
    const hooks: { id: string; version: number }[] = [];
    for (const path of ['', '/paused']) {
      const created = await t.gqlAs(
        'admin',
        `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id version } } }`,
        { input: { apiKeyId, url: `${receiver.url}${path}`, eventTypes: ['customer.updated'], description: 'Stock levels per account' } },
      );
      expect(created.errors).toBeUndefined();
      hooks.push(created.data!.createWebhook.webhook);
    }
    const [delivering, paused] = hooks as [(typeof hooks)[number], (typeof hooks)[number]];
    const disabled = await t.gqlAs(
      'admin',
      `mutation ($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { id } }`,
      {
        id: paused.id,
        input: { version: paused.version, enabled: false },
      },
    );
    expect(disabled.errors).toBeUndefined();
    const ningbo = t.baseline.customers.filter((c) => c.owner.id === t.baseline.users.repNingbo.id);
    for (const account of ningbo) {
      const current = await t.gqlAs('admin', `query ($id: ID!) { customer(id: $id) { version } }`, { id: account.id });
      const updated = await t.gqlAs(
        'admin',
        `mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }`,
        {
          id: account.id,
          input: { version: current.data!.customer.version, notes: 'Stock counted at the warehouse' },
        },
      );
      expect(updated.errors).toBeUndefined();
    }
    const settings = t.app.config.webhooks;
    const worker = startWebhookWorker({
      orm: t.orm,
      config: { ...t.app.config, webhooks: { ...settings, pollIntervalMs: 25, retryBaseMs: 20, retryMaxMs: 100 } },
      logger: pino({ level: 'silent' }),
    });
    try {
      await expect.poll(() => receiver.answered.filter((status) => status === 200).length, { timeout: 20_000 }).toBe(ningbo.length);
    } finally {
      await worker.stop();
      await receiver.close();
    }
    const pages: [string, string, () => Promise<unknown>][] = [];
    const { context, page } = await newPage(TABLET);
    try {
      await signIn(page, 'admin@test.local');
      pages.push(
        ['dashboard', '/', () => page.getByTestId('chart-funnel').waitFor()],
        ['customers', '/customers', () => page.getByTestId('customer-table').locator('tbody tr').first().waitFor()],
        ['customer-360', `/customers/${customer.id}/show`, () => page.getByTestId('customer-name').waitFor()],
        ['customer-edit', `/customers/${customer.id}`, () => page.locator('input[name="industry"]').waitFor()],
        ['contacts', '/contacts', () => page.getByRole('cell', { name: 'Contact 1 of Hangzhou' }).first().waitFor()],
        ['interactions', '/interactions', () => page.getByRole('cell', { name: 'Visit 3' }).first().waitFor()],
        [
          'orders',
          '/orders',
          () =>
            page
              .getByRole('cell', { name: /^SO-T-\d{4}$/ })
              .first()
              .waitFor(),
        ],
        ['order-show', `/orders/${orderId}/show`, () => page.getByTestId('order-totals').waitFor()],
        ['order-edit', `/orders/${orderId}`, () => page.getByTestId('order-lines').waitFor()],
        ['transfers', '/transfers', () => page.getByRole('button', { name: 'Approve' }).first().waitFor()],
        ['stage-changes', '/stageChanges', () => page.getByText('No pending stage changes.').waitFor()],
        [
          'evaluation-cycles',
          '/evaluationCycles',
          () =>
            page
              .getByRole('cell', { name: `FY${YEAR - 1}` })
              .or(page.getByText('No evaluation cycles yet.'))
              .waitFor(),
        ],
        ['regions', '/regions', () => page.getByTestId('region-EAST').waitFor()],
        ['users', '/users', () => page.getByRole('cell', { name: 'Eve East' }).waitFor()],
        ['lifecycle-settings', '/lifecycleSettings', () => page.getByTestId('sla-table').waitFor()],
        ['audit-log', '/auditEvents', () => page.getByTestId('audit-table').waitFor()],
        ['api-keys', '/apiKeys', () => page.getByRole('button', { name: 'Revoke' }).first().waitFor()],
        ['webhooks', '/webhooks', () => page.getByRole('button', { name: 'Enable' }).waitFor()],
        ['webhook', `/webhooks/${delivering.id}/show`, () => page.getByRole('button', { name: 'Redeliver' }).first().waitFor()],
        ['webhook-disabled', `/webhooks/${paused.id}/show`, () => page.getByTestId('webhook-disabled-reason').waitFor()],
        ['webhook-create', '/webhooks/create', () => page.locator('input[name="url"]').waitFor()],
        ['assignment-rules', '/assignmentRules', () => page.getByRole('button', { name: 'Preview' }).waitFor()],
      );
      // The row and page actions an admin needs, each on screen with nothing on top of it.
      const actions: Record<string, string[]> = {
        transfers: ['Approve', 'Reject'],
        'api-keys': ['Revoke'],
        webhooks: ['Delivery log', 'Disable', 'Enable', 'Rotate secret'],
        webhook: ['Redeliver', 'Disable', 'Rotate secret'],
        'webhook-disabled': ['Enable', 'Rotate secret'],
        'assignment-rules': ['Add rule', 'Preview'],
      };
      const wide: string[] = [];
      for (const size of [TABLET, SMALL_LAPTOP]) {
        await page.setViewportSize(size);
        for (const [name, path, ready] of pages) {
          await page.goto(`${baseUrl}/#${path}`);
          await ready();
          const over = await overflowX(page);
          if (over > 0) wide.push(`${name} at ${size.width}: ${over} px too wide`);
          // No raw plural or placeholder template in the title or on the page.
          const text = `${await page.title()}\n${await page.locator('body').innerText()}`;
          if (/\|\|\|\||%\{\w+\}/.test(text)) wide.push(`${name}: untranslated template`);
          if (size === TABLET && ['customer-360', 'order-edit', 'transfers', 'api-keys', 'customers'].includes(name)) {
            await page.mouse.move(0, 0);
            await screenshot(page, `${name}-tablet`);
          }
          if (name === 'order-edit') {
            // The line editor's numbers keep a usable width instead of being squeezed by the product.
            const quantity = (await page.getByTestId('order-lines').getByLabel('Quantity *').first().boundingBox())!;
            expect(quantity.width, `quantity at ${size.width}`).toBeGreaterThanOrEqual(100);
          }
          for (const action of actions[name] ?? [])
            await expectReachable(
              page,
              page
                .getByRole('button', { name: action, exact: true })
                .or(page.getByRole('link', { name: action, exact: true }))
                .first(),
              `${name}: ${action} at ${size.width}`,
            );
        }
        // The menu is collapsed to icons on both.
        const drawer = (await page.locator('.RaSidebar-fixed, .MuiDrawer-paper').first().boundingBox())!;
        expect(drawer.width, `menu at ${size.width}`).toBeLessThan(100);
      }
      expect(wide).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows a server error in Chinese in the Chinese console', { timeout: 90_000 }, async () => {
    const { context, page } = await newPage(TABLET);
    try {
      await page.goto(`${baseUrl}/#/login`);
      await page.getByRole('button', { name: '简体中文' }).click();
      await page.locator('input[name="username"]').fill('rep.hz@test.local');
      await page.locator('input[name="password"]').fill('not the password');
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByText('邮箱或密码错误，或登录已过期。请重新登录。').waitFor({ timeout: 45_000 });
      await expect(page.getByText('Wrong email or password').count()).resolves.toBe(0);
      await screenshot(page, 'login-error-zh-tablet');
    } finally {
      await context.close();
    }
  });
});
