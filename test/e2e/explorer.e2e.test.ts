import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { buildConsole } from '../setup/console-build.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium (.ci/run) and must run this; a workstation without it skips, saying why.
const RUN = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!RUN) console.warn(`explorer e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

let demo: TestApp;
let server: Server;
let origin: string;
let browser: Browser;
let adminDir: string;

interface Offline {
  context: BrowserContext;
  page: Page;
  /** Every URL the browser asked for (pages, scripts, styles, fonts, workers, fetches). */
  requested: string[];
  /** Requests to another origin, refused before they left. */
  blocked: string[];
  /** What the page reported as Content-Security-Policy violations. */
  violations(): Promise<string[]>;
}

/** A browser context for which only the server's origin exists: anything else is refused and recorded. */
async function offlineContext(): Promise<Offline> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-GB' });
  const requested: string[] = [];
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requested.push(url);
    if (new URL(url).origin === origin) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  // Whatever the route does not see (a worker's own requests, say) still shows up here.
  context.on('request', (request) => {
    if (!requested.includes(request.url())) requested.push(request.url());
  });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[browser console] ${message.text()}`);
  });
  return {
    context,
    page,
    requested,
    blocked,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
  };
}

function expectStayedHome(session: Offline) {
  expect(session.blocked).toEqual([]);
  const elsewhere = session.requested.filter(
    (url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin,
  );
  expect(elsewhere).toEqual([]);
}

beforeAll(async () => {
  if (!RUN) return;
  adminDir = await mkdtemp(join(tmpdir(), 'accountable-explorer-'));
  await buildConsole(adminDir);
  demo = await createTestApp({ ADMIN_DIR: adminDir, DEMO_MODE: 'true' });
  server = await new Promise<Server>((done) => {
    const listening = demo.app.express.listen(0, '127.0.0.1', () => done(listening));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  await demo?.close();
  if (adminDir) await rm(adminDir, { recursive: true, force: true });
});

describe.runIf(RUN)('API explorer with the network cut off (demo mode)', () => {
  it('runs a query with a bearer token, shows the schema docs and links the committed SDL, all from this origin', async () => {
    const session = await offlineContext();
    const { page } = session;
    try {
      const response = await page.goto(`${origin}/graphql`);
      expect(response?.status()).toBe(200);
      const policy = response?.headers()['content-security-policy'] ?? '';
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("connect-src 'self'");
      expect(policy).not.toMatch(/unsafe-eval|https?:|\*/);

      // The default document asks who is signed in: with the admin's token, the admin answers.
      // The editors are up once Monaco shows the default document.
      await page.locator('.graphiql-query-editor .view-lines').getByText('query', { exact: false }).first().waitFor();
      const token = demo.tokenFor('admin');
      await page.locator('input[name="token"]').fill(token);
      const sent = page.waitForRequest(
        (request) =>
          request.url() === `${origin}/graphql` && request.method() === 'POST' && (request.postData() ?? '').includes('query Me'),
      );
      await page.getByRole('button', { name: /Execute query/ }).click();
      expect((await sent).headers().authorization).toBe(`Bearer ${token}`);
      const result = page.locator('.result-window');
      await result.getByText('admin@test.local').waitFor();
      // Monaco lays the JSON out with non-breaking spaces.
      expect((await result.textContent())?.replace(/\s+/g, ' ')).toContain('"role": "ADMIN"');

      // Schema docs, from introspection (open to everyone in demo mode).
      await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.getByText('Query', { exact: true }).first().click();
      await docs.getByText('customers', { exact: true }).first().waitFor();

      // The committed SDL, linked from the bar.
      const sdlLink = page.getByRole('link', { name: 'Schema (SDL)' });
      const href = await sdlLink.getAttribute('href');
      const sdl = await page.request.get(new URL(href!, origin).toString());
      expect(sdl.status()).toBe(200);
      expect(await sdl.text()).toBe(readFileSync(join(ROOT, 'schema/schema.graphql'), 'utf8'));

      // Monaco's editor and language workers are ours too.
      expect(session.requested.some((url) => /\/assets\/.*worker.*\.js$/.test(url))).toBe(true);
      await expect(session.violations()).resolves.toEqual([]);
      expectStayedHome(session);
      await page.screenshot({ path: join(ROOT, 'docs/screenshots/explorer.png') });
    } finally {
      await session.context.close();
    }
  });

  it('keeps the console on this origin too: sign-in page, fonts and dashboard', async () => {
    const session = await offlineContext();
    const { page } = session;
    try {
      await page.goto(`${origin}/#/login`);
      await page.locator('input[name="username"]').fill('admin@test.local');
      await page.locator('input[name="password"]').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Welcome, Ada Admin' }).waitFor();
      await page.getByTestId('chart-funnel').locator('.recharts-bar-rectangle').first().waitFor();
      await expect(session.violations()).resolves.toEqual([]);
      expectStayedHome(session);
      expect(session.requested.some((url) => url.startsWith(`${origin}/assets/`))).toBe(true);
    } finally {
      await session.context.close();
    }
  });
});

describe.runIf(RUN)('outside demo mode', () => {
  let production: TestApp;

  beforeAll(async () => {
    production = await createTestApp({ ADMIN_DIR: adminDir });
  });

  afterAll(async () => {
    await production?.close();
  });

  it('serves no explorer, but still the console and the SDL', async () => {
    const page = await production.http().get('/graphql').set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(page.text).not.toMatch(/explorer|<html/i);
    expect((await production.http().get('/explorer.html')).status).toBe(404);
    const sdl = await production.http().get('/schema.graphql');
    expect(sdl.text).toBe(readFileSync(join(ROOT, 'schema/schema.graphql'), 'utf8'));
    const console = await production.http().get('/').set('accept', 'text/html');
    expect(console.status).toBe(200);
    expect(console.headers['content-security-policy']).toContain("default-src 'self'");
    expect(console.text).toContain('<div id="root">');
  });
});
