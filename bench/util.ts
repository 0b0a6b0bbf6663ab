import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/** A TCP port on loopback that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The built API (`<dir>/dist/api/src/main.js`) on `port` of 127.0.0.1 over `databaseUrl`: not in
 * demo mode, warnings only, and no per-principal rate limit (one principal of a bench sends far
 * more than a person would). Wait for `<base>/readyz` before sending.
 */
export function spawnApi(options: {
  databaseUrl: string;
  authSecret: string;
  port: number;
  poolMax: number;
  dir?: string;
  env?: Record<string, string>;
}): { child: ChildProcess; base: string } {
  const child = spawn(process.execPath, [path.join(options.dir ?? '.', 'dist/api/src/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      AUTH_SECRET: options.authSecret,
      DEMO_MODE: 'false',
      PORT: String(options.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DB_POOL_MAX: String(options.poolMax),
      RATE_LIMIT_PER_MINUTE: '0',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, base: `http://127.0.0.1:${options.port}` };
}

/** Resolves once `url` answers 2xx; fails after `timeoutMs`. */
export async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not come up`);
}

export interface SoakSample {
  /** Seconds since the start. */
  at: number;
  rssMiB: number;
  pgConnections: number;
}

/**
 * The soak as a chart (SVG, no dependencies): the API's RSS over time as a line, the number of
 * its PostgreSQL sessions as steps on a second scale, so a leak (a rising line) or a pool that
 * grows shows at a glance.
 */
export function soakChartSvg(samples: readonly SoakSample[], title: string, poolSize: number): string {
  const width = 720;
  const height = 300;
  const left = 56;
  const right = 56;
  const top = 40;
  const bottom = 40;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const maxAt = Math.max(1, ...samples.map((s) => s.at));
  const maxRss = Math.ceil(Math.max(100, ...samples.map((s) => s.rssMiB)) / 100) * 100;
  const maxConnections = Math.max(poolSize, ...samples.map((s) => s.pgConnections)) + 2;
  const x = (at: number) => left + (at / maxAt) * plotWidth;
  const yRss = (mib: number) => top + plotHeight - (mib / maxRss) * plotHeight;
  const yConnections = (n: number) => top + plotHeight - (n / maxConnections) * plotHeight;
  const rssLine = samples.map((s, i) => `${i ? 'L' : 'M'}${x(s.at).toFixed(1)},${yRss(s.rssMiB).toFixed(1)}`).join(' ');
  const connectionSteps = samples
    .map((s, i) => `${i ? `H${x(s.at).toFixed(1)} V` : `M${x(s.at).toFixed(1)},`}${yConnections(s.pgConnections).toFixed(1)}`)
    .join(' ');
  const grid = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const y = top + plotHeight - share * plotHeight;
    return (
      `<line x1="${left}" y1="${y}" x2="${left + plotWidth}" y2="${y}" stroke="#e0e0e0"/>` +
      `<text x="${left - 6}" y="${y + 4}" text-anchor="end">${Math.round(share * maxRss)}</text>` +
      `<text x="${left + plotWidth + 6}" y="${y + 4}">${Math.round(share * maxConnections)}</text>`
    );
  });
  const step = Math.max(10, Math.round(maxAt / 5 / 10) * 10);
  const ticks = Array.from({ length: Math.floor(maxAt / step) + 1 }, (_, i) => i * step).map(
    (at) => `<text x="${x(at)}" y="${top + plotHeight + 18}" text-anchor="middle">${at} s</text>`,
  );
  const pool = yConnections(poolSize);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="${width}" height="${height}" fill="#fff"/>
<text x="${left}" y="22" font-size="14" font-weight="bold">${title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>
${grid.join('\n')}
${ticks.join('\n')}
<line x1="${left}" y1="${pool}" x2="${left + plotWidth}" y2="${pool}" stroke="#ef6c00" stroke-dasharray="4 4"/>
<path d="${connectionSteps}" fill="none" stroke="#ef6c00" stroke-width="1.5"/>
<path d="${rssLine}" fill="none" stroke="#1565c0" stroke-width="2"/>
<text x="${left}" y="${top - 8}" fill="#1565c0">API RSS, MiB (left)</text>
<text x="${left + plotWidth}" y="${top - 8}" text-anchor="end" fill="#ef6c00">PostgreSQL sessions of the API (right; pool ${poolSize} dashed)</text>
</svg>
`;
}
