import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';
import { buildConsole } from '../setup/console-build.js';

const CHROME_ACCEPT = 'gzip, deflate, br, zstd';

let t: TestApp;
let server: Server;
let port: number;
let adminDir: string;
let asset: string;

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as they came over the wire, not decoded (supertest would decode them). */
  body: Buffer;
}

function raw(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: body ? { ...headers, 'content-type': 'application/json' } : headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

function decode(response: Raw): Buffer {
  if (response.headers['content-encoding'] === 'br') return brotliDecompressSync(response.body);
  if (response.headers['content-encoding'] === 'gzip') return gunzipSync(response.body);
  return response.body;
}

beforeAll(async () => {
  adminDir = await mkdtemp(join(tmpdir(), 'accountable-compression-'));
  await buildConsole(adminDir);
  // The console's entry: the largest script index.html loads first, hashed by Vite.
  asset = `/assets/${(await readdir(join(adminDir, 'assets'))).find((name) => /^console-.+\.js$/.test(name))!}`;
  t = await createTestApp({ ADMIN_DIR: adminDir });
  server = await new Promise<Server>((done) => {
    const listening = t.app.express.listen(0, '127.0.0.1', () => done(listening));
  });
  port = (server.address() as AddressInfo).port;
}, 180_000);

afterAll(async () => {
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  await t?.close();
  if (adminDir) await rm(adminDir, { recursive: true, force: true });
});

describe('static files', () => {
  it('sends a hashed script brotli-compressed to a browser, gzip to a client without brotli, plain to one that accepts neither', async () => {
    const plain = await raw('GET', asset, {});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(10_000);

    const br = await raw('GET', asset, { 'accept-encoding': CHROME_ACCEPT });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(decode(br).equals(plain.body)).toBe(true);

    const gzip = await raw('GET', asset, { 'accept-encoding': 'gzip, deflate' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decode(gzip).equals(plain.body)).toBe(true);

    // br refused explicitly: gzip.
    expect((await raw('GET', asset, { 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding']).toBe('gzip');
    expect((await raw('GET', asset, { 'accept-encoding': 'identity' })).headers['content-encoding']).toBeUndefined();
    for (const response of [plain, br, gzip]) expect(response.headers.vary).toMatch(/accept-encoding/i);
  });

  it('caches hashed assets for a year as immutable, and revalidates the pages that name them', async () => {
    expect((await raw('GET', asset, { 'accept-encoding': CHROME_ACCEPT })).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await raw('GET', asset, {})).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/customers']) {
      const page = await raw('GET', path, { 'accept-encoding': CHROME_ACCEPT, accept: 'text/html' });
      expect(page.status).toBe(200);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-encoding']).toBe('br');
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(decode(page).toString()).toContain(asset);
    }
    // The CSP stays on every file.
    expect((await raw('GET', asset, { 'accept-encoding': CHROME_ACCEPT })).headers['content-security-policy']).toContain(
      "script-src 'self'",
    );
  });
});

describe('GraphQL responses', () => {
  const LIST = JSON.stringify({
    query:
      '{ customers(first: 100) { totalCount edges { node { id legalName lifecycleStage industry territory { id name } owner { id name email } } } } }',
  });
  const SMALL = JSON.stringify({ query: '{ me { id } }' });

  it('compresses a large response by Accept-Encoding, to the same JSON', async () => {
    const authorization = `Bearer ${t.tokenFor('admin')}`;
    const plain = await raw('POST', '/graphql', { authorization }, LIST);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const json = JSON.parse(plain.body.toString()) as { data: { customers: { edges: unknown[] } }; errors?: unknown };
    expect(json.errors).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(2048);

    const br = await raw('POST', '/graphql', { authorization, 'accept-encoding': CHROME_ACCEPT }, LIST);
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^application\/(graphql-response\+)?json/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(decode(br).toString())).toEqual(json);

    const gzip = await raw('POST', '/graphql', { authorization, 'accept-encoding': 'gzip' }, LIST);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode(gzip).toString())).toEqual(json);
  });

  it('sends a small response as it is', async () => {
    const small = await raw(
      'POST',
      '/graphql',
      { authorization: `Bearer ${t.tokenFor('admin')}`, 'accept-encoding': CHROME_ACCEPT },
      SMALL,
    );
    expect(small.status).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString()).data.me.id).toBe(t.baseline.users.admin.id);
  });
});
