import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import type { Config } from '../../config.js';

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

/** `sdl` is the published schema (schema.ts `schemaSdl`), byte for byte the committed schema/schema.graphql. */
export function site(config: Config, sdl: string): Site {
  const { adminDir } = config;
  const explorerPage = adminDir && existsSync(join(adminDir, 'explorer.html')) ? join(adminDir, 'explorer.html') : null;

  const explorer: RequestHandler = (req, res, next) => {
    if (!config.demo || !wantsPage((types) => req.accepts(types))) return next();
    if (explorerPage) return res.sendFile(explorerPage);
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
    routes.use(express.static(adminDir, { index: false, maxAge: '1h' }));
    routes.get(/^\/(?!graphql|healthz|readyz|metrics|export).*/, (_req, res) => {
      res.sendFile(join(adminDir, 'index.html'));
    });
  } else {
    routes.get('/', (_req, res) => {
      res.type('text/plain').send('Accountable API: POST /graphql, the schema at /schema.graphql. The console is not built (npm run build:admin).');
    });
  }
  return { explorer, routes };
}
