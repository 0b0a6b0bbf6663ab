import { existsSync, readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import express, { Router, type RequestHandler, type Response } from 'express';
import type { Config } from '../../config.js';
import { acceptedEncoding, type ContentEncoding } from './encoding.js';

/**
 * Everything the console and the explorer load comes from this origin: scripts only from our
 * files (no inline script, no eval), requests only to ourselves, nothing may frame us. Styles
 * allow inline because MUI (emotion) and Monaco inject their style elements at run time; data:
 * images are the favicon and inline SVGs, data: fonts the ones GraphiQL's stylesheet embeds.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function contentSecurityPolicy(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    next();
  };
}

export interface Site {
  /** GET /graphql from a browser: the explorer in demo mode; anything else goes on to the API. */
  explorer: RequestHandler;
  /** /schema.graphql, the console's files, and the console for every other GET. */
  routes: Router;
}

/** A browser navigating (Accept: text/html first), as opposed to a GraphQL client's GET. */
function wantsPage(accepts: (types: string[]) => string | false): boolean {
  return accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/** Vite names everything it writes under assets/ by its content hash: a new build, a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Hashed assets are cached for good; the pages that name them are revalidated on every load (a
 * 304 when unchanged), so a deployment is picked up at the next navigation; the rest for an hour.
 */
function cachePolicy(file: string): string {
  if (file.startsWith('assets/')) return IMMUTABLE;
  if (file.endsWith('.html')) return 'no-cache';
  return 'public, max-age=3600';
}

const SUFFIX: Record<ContentEncoding, string> = { br: '.br', gzip: '.gz' };

/**
 * The files the build precompressed (admin/precompress.ts), by path relative to `dir` with `/`
 * separators, and the encodings each has. Read once: the build is immutable while we serve it.
 */
function precompressed(dir: string): Map<string, Set<ContentEncoding>> {
  const found = new Map<string, Set<ContentEncoding>>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const encoding = entry.name.endsWith('.br') ? 'br' : entry.name.endsWith('.gz') ? 'gzip' : null;
    if (!encoding) continue;
    const file = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/').slice(0, -SUFFIX[encoding].length);
    if (!found.has(file)) found.set(file, new Set());
    found.get(file)!.add(encoding);
  }
  return found;
}

/** `sdl` is the published schema (schema.ts `schemaSdl`), byte for byte the committed schema/schema.graphql. */
export function site(config: Config, sdl: string): Site {
  const { adminDir } = config;
  const explorerPage = adminDir && existsSync(join(adminDir, 'explorer.html')) ? join(adminDir, 'explorer.html') : null;

  const encoded = adminDir ? precompressed(adminDir) : new Map<string, Set<ContentEncoding>>();

  /** Sends `file` of the build in the best encoding the client accepts that the build made. */
  const sendBuilt = (req: Parameters<RequestHandler>[0], res: Response, file: string) => {
    const encodings = encoded.get(file);
    const encoding = encodings ? acceptedEncoding(req.headers) : null;
    res.setHeader('cache-control', cachePolicy(file));
    if (encodings) res.vary('Accept-Encoding');
    if (!encoding || !encodings?.has(encoding)) return res.sendFile(join(adminDir!, file), { cacheControl: false });
    res.type(extname(file));
    res.setHeader('content-encoding', encoding);
    res.sendFile(join(adminDir!, file + SUFFIX[encoding]), { cacheControl: false });
  };

  const explorer: RequestHandler = (req, res, next) => {
    if (!config.demo || !wantsPage((types) => req.accepts(types))) return next();
    if (explorerPage) return sendBuilt(req, res, 'explorer.html');
    res.type('text/plain').send('The API explorer is not built (npm run build:admin). The schema: /schema.graphql');
  };

  const routes = Router();
  // Published whatever the mode: the schema is no secret, and an integrator without
  // introspection rights generates a client from it.
  routes.get('/schema.graphql', (_req, res) => {
    res.type('text/plain').send(sdl);
  });
  if (adminDir) {
    // The explorer is served at /graphql, and only where it is on.
    routes.use('/explorer.html', (_req, _res, next) => next('router'));
    routes.get(/.*/, (req, res, next) => {
      // Only paths the build precompressed: a lookup, so nothing outside adminDir is reachable.
      let file: string;
      try {
        file = decodeURIComponent(req.path).slice(1);
      } catch {
        return next();
      }
      if (encoded.has(file)) sendBuilt(req, res, file);
      else next();
    });
    routes.use(
      express.static(adminDir, {
        index: false,
        cacheControl: false,
        setHeaders: (res, path) => res.setHeader('cache-control', cachePolicy(relative(adminDir, path).split(sep).join('/'))),
      }),
    );
    routes.get(/^\/(?!graphql|healthz|readyz|metrics|export).*/, (req, res) => {
      sendBuilt(req, res, 'index.html');
    });
  } else {
    routes.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send('Accountable API: POST /graphql, the schema at /schema.graphql. The console is not built (npm run build:admin).');
    });
  }
  return { explorer, routes };
}
