import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { buildConsole } from '../setup/console-build.js';

/**
 * What a fresh tab downloads and how long it waits: the figures of docs/benchmarks.md ("Front
 * end: cold load"). Printed, not asserted as timings (a shared CI machine is no stopwatch);
 * asserted is only that the pages work and that what they load arrives compressed.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUN = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!RUN) console.warn(`load e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
const VIEWPORT = { width: 1366, height: 860 };
/** A branch-office VPN: 1.5 Mbit/s each way, 150 ms round trip. */
const SLOW_LINK = { offline: false, latency: 150, downloadThroughput: 1_500_000 / 8, uploadThroughput: 1_500_000 / 8 };

/**
 * Another build of the console (e.g. main's: `npx vite build --config admin/vite.config.ts --outDir /tmp/main-admin`
 * in a checkout of main) to compare with: served by a second app on the same fixtures, its fresh
 * tabs alternate with this build's, so both sides see the same machine.
 */
const BASELINE_DIR = process.env.LOAD_BASELINE_DIR;

interface Served {
  t: TestApp;
  server: Server;
  url: string;
  /** A signed-in session to start fresh tabs from: the token only, no cache. */
  signedIn: Awaited<ReturnType<BrowserContext['storageState']>>;
}

let browser: Browser;
let adminDir: string;
let served: Served;
let baseline: Served | undefined;
let baseUrl: string;

interface Load {
  requests: number;
  /** Bytes on the wire (headers and encoded bodies), as Chromium counts them. */
  bytes: number;
  encodings: Set<string>;
  /** What was requested when (ms since the first request), for LOAD_WATERFALL=1. */
  waterfall: string[];
}

/** Counts every request of `page` and the bytes it received, through the DevTools protocol. */
async function meter(context: BrowserContext, page: Page, throttle?: typeof SLOW_LINK): Promise<Load> {
  const cdp = await context.newCDPSession(page);
  const load: Load = { requests: 0, bytes: 0, encodings: new Set(), waterfall: [] };
  let first: number | undefined;
  const urls = new Map<string, string>();
  cdp.on('Network.requestWillBeSent', ({ requestId, request, timestamp }) => {
    load.requests += 1;
    first ??= timestamp;
    // A GraphQL request is named by its operation, so the waterfall tells them apart.
    const operation = /"operationName":"(\w+)"/.exec(request.postData ?? '')?.[1];
    urls.set(requestId, `${request.url.replace(/^https?:\/\/[^/]+/, '')}${operation ? ` ${operation}` : ''}`);
    load.waterfall.push(`${Math.round((timestamp - first) * 1000)} ms start ${urls.get(requestId)}`);
  });
  cdp.on('Network.responseReceived', ({ response }) => {
    const encoding = Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'content-encoding')?.[1];
    if (encoding) load.encodings.add(String(encoding));
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength, timestamp }) => {
    load.bytes += encodedDataLength;
    load.waterfall.push(`${Math.round((timestamp - (first ?? timestamp)) * 1000)} ms end ${urls.get(requestId)} ${encodedDataLength}`);
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  if (throttle) await cdp.send('Network.emulateNetworkConditions', throttle);
  return load;
}

/**
 * What the page did before its rows showed, in ms since navigation: the rows drawn before React
 * (admin/src/customers/listPrePaint.ts: its performance mark when they are in the document, and
 * their paint by Element Timing), the console's first React commit, the layout, React's rows,
 * and how many commits React made by then (a stand-in for React DevTools' hook counts them).
 * Each commit past the first is a render pass React's rows waited for.
 */
async function recordRenders(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const marks: string[] = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        if (
          entry.name === 'customer-list-prepaint' ||
          (entry as PerformanceEntry & { identifier?: string }).identifier === 'customer-list-prepaint'
        )
          marks.push(
            `pre-React rows painted ${Math.round((entry as PerformanceEntry & { renderTime?: number }).renderTime || entry.startTime)}`,
          );
    }).observe({ type: 'element', buffered: true });
    let commits = 0;
    const at = () => Math.round(performance.now());
    Object.assign(window, {
      __loadMarks: marks,
      __REACT_DEVTOOLS_GLOBAL_HOOK__: {
        supportsFiber: true,
        renderers: new Map(),
        inject: () => 1,
        onCommitFiberRoot: () => {
          commits += 1;
          if (commits === 1) {
            // The scripts that had arrived by the first commit: what the browser compiled and ran for it.
            const scripts = performance
              .getEntriesByType('resource')
              .filter((entry): entry is PerformanceResourceTiming => entry.name.endsWith('.js'));
            const sum = (pick: (entry: PerformanceResourceTiming) => number) => scripts.reduce((total, entry) => total + pick(entry), 0);
            marks.push(
              `first commit ${at()} after ${scripts.length} scripts, ${Math.round(sum((entry) => entry.decodedBodySize) / 1024)} KB ` +
                `(${Math.round(sum((entry) => entry.encodedBodySize) / 1024)} KB compressed)`,
            );
          }
          if (!marks.some((mark) => mark.startsWith('layout')) && document.querySelector('.RaLayout-appFrame'))
            marks.push(`layout ${at()} (commit ${commits})`);
          if (!marks.some((mark) => mark.startsWith('rows')) && document.querySelector('[data-testid="customer-table"] tbody tr'))
            marks.push(`rows ${at()} (commit ${commits})`);
        },
        onCommitFiberUnmount: () => undefined,
        onPostCommitFiberRoot: () => undefined,
        checkDCE: () => undefined,
      },
    });
  });
}

/** The machine's 1, 5 and 15 minute load averages, printed beside each timing (a shared machine is no stopwatch). */
const loadAverage = () => (existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a');

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
};

/** An app serving the console built in `dir`, and a signed-in admin's session on it. */
async function serve(dir: string): Promise<Served> {
  const t = await createTestApp({ ADMIN_DIR: dir });
  const server = await new Promise<Server>((done) => {
    const listening = t.app.express.listen(0, '127.0.0.1', () => done(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${url}/#/login`);
  await page.locator('input[name="username"]').fill('admin@test.local');
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((current) => !current.hash.startsWith('#/login'));
  const signedIn = await context.storageState();
  await context.close();
  return { t, server, url, signedIn };
}

async function stop(side: Served | undefined): Promise<void> {
  if (!side) return;
  await new Promise<void>((done) => side.server.close(() => done()));
  await side.t.close();
}

beforeAll(async () => {
  if (!RUN) return;
  adminDir = await mkdtemp(join(tmpdir(), 'accountable-load-'));
  await buildConsole(adminDir);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  served = await serve(adminDir);
  baseUrl = served.url;
  if (BASELINE_DIR) baseline = await serve(BASELINE_DIR);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stop(served);
  await stop(baseline);
  if (adminDir) await rm(adminDir, { recursive: true, force: true });
});

describe.runIf(RUN)('cold load', () => {
  it('prints what a fresh tab loads for the login form', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    const page = await context.newPage();
    const load = await meter(context, page);
    const started = Date.now();
    await page.goto(`${baseUrl}/#/login`);
    await page.locator('input[name="username"]').waitFor();
    const ms = Date.now() - started;
    await page.waitForLoadState('networkidle');
    if (process.env.LOAD_WATERFALL) console.log(load.waterfall.join('\n'));
    console.log(
      `login form, fresh tab: ${load.requests} requests, ${kb(load.bytes)}, form after ${ms} ms; encodings ${[...load.encodings].join(',') || 'none'}`,
    );
    await context.close();
  });

  it('prints the login form time on a 1.5 Mbit/s, 150 ms link', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const load = await meter(context, page, SLOW_LINK);
    const started = Date.now();
    await page.goto(`${baseUrl}/#/login`);
    await page.locator('input[name="username"]').waitFor();
    console.log(
      `login form, 1.5 Mbit/s 150 ms: visible after ${Date.now() - started} ms (${load.requests} requests, ${kb(load.bytes)} by then)`,
    );
    await context.close();
  }, 90_000);

  it('prints what a fresh, signed-in tab loads for the customer list, and the in-app navigation to it', async () => {
    // LOAD_RUNS=5 opens that many fresh tabs in a row, for a spread rather than one figure; with
    // LOAD_BASELINE_DIR, a tab of the baseline's beside each of this build's.
    const runs = Math.max(1, Number(process.env.LOAD_RUNS ?? 1));
    const sides = baseline
      ? [
          { name: 'baseline', side: baseline },
          { name: 'this build', side: served },
        ]
      : [{ name: 'this build', side: served }];
    const timings = new Map<string, number[]>(sides.map(({ name }) => [name, []]));
    const firstRows = new Map<string, number[]>(sides.map(({ name }) => [name, []]));
    const loadBefore = loadAverage();
    let page: Page | undefined;
    let context: BrowserContext | undefined;
    for (let run = 1; run <= runs; run += 1) {
      // Which side goes first alternates too (ABBA): the first tab of a pair ran faster, whichever side it was.
      // The last tab is this build's, for the in-app navigation below.
      for (const { name, side } of (runs - run) % 2 === 1 ? [...sides].reverse() : sides) {
        await context?.close();
        context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB', storageState: side.signedIn });
        page = await context.newPage();
        const load = await meter(context, page);
        await recordRenders(page);
        const started = Date.now();
        await page.goto(`${side.url}/#/customers`);
        // The first rows the user sees: drawn before React (a build with the pre-paint), or React's own.
        await page.locator('[data-testid="customer-table-prepaint"] tbody tr, [data-testid="customer-table"] tbody tr').first().waitFor();
        const firstMs = Date.now() - started;
        await page.getByTestId('customer-table').locator('tbody tr').first().waitFor();
        const ms = Date.now() - started;
        timings.get(name)!.push(ms);
        firstRows.get(name)!.push(firstMs);
        await page.waitForLoadState('networkidle');
        // React's list replaced the pre-paint whole: one table, one set of rows.
        await expect(page.locator('#customer-list-prepaint, [data-testid="customer-table-prepaint"]').count()).resolves.toBe(0);
        await expect(page.getByTestId('customer-table').count()).resolves.toBe(1);
        if (process.env.LOAD_WATERFALL) console.log(load.waterfall.join('\n'));
        const marks = await page.evaluate(() => {
          const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime;
          const prePainted = at('customer-list-prepainted');
          const committed = at('customer-list-committed');
          return [
            ...(prePainted === undefined ? [] : [`pre-React rows in the document ${Math.round(prePainted)}`]),
            ...(window as unknown as { __loadMarks: string[] }).__loadMarks,
            ...(committed === undefined ? [] : [`list hand-over ${Math.round(committed)}`]),
          ];
        });
        console.log(
          `customer list, fresh tab${baseline ? ` (${name})` : ''}: ${load.requests} requests, ${kb(load.bytes)}, first rows visible after ${firstMs} ms, ` +
            `React's rows after ${ms} ms (in the page: ${marks.join(', ')}); encodings ${[...load.encodings].join(',') || 'none'}; load average ${loadAverage()}`,
        );
      }
    }
    for (const [name, ms] of timings) {
      const first = firstRows.get(name)!;
      console.log(
        `customer list, fresh tab${baseline ? ` (${name})` : ''}: first rows visible median ${median(first)} ms (${Math.min(...first)}–${Math.max(...first)}), ` +
          `React's rows median ${median(ms)} ms (${Math.min(...ms)}–${Math.max(...ms)}) over ${ms.length} runs; ` +
          `load average ${loadBefore} before, ${loadAverage()} after`,
      );
    }
    if (!page || !context) throw new Error('no run');

    // In the app: to another page, then back to the list through the menu.
    await page.goto(`${baseUrl}/#/regions`);
    await page.waitForLoadState('networkidle');
    const clicked = Date.now();
    await page.getByRole('menuitem', { name: 'Customers' }).click();
    await page.getByTestId('customer-table').locator('tbody tr').first().waitFor();
    console.log(`customer list, in-app navigation: rows after ${Date.now() - clicked} ms; load average ${loadAverage()}`);
    await expect(page.getByTestId('customer-table').locator('tbody tr').count()).resolves.toBeGreaterThan(0);
    await context.close();
  });
});
