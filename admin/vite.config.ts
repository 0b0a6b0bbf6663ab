import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.API_URL ?? 'http://localhost:4000';

/**
 * What both entries use: the console and the explorer share one copy. Not graphql: the explorer
 * needs all of it, the console only its printer and visitor, which Rolldown then gives a chunk
 * of their own instead of the whole library before the console's first render.
 */
const SHARED = /[\\/]node_modules[\\/](?:react|react-dom|scheduler)[\\/]/;
const NODE_MODULES = /[\\/]node_modules[\\/]/;
/** The charts and the libraries only they use (Recharts keeps its state in Redux): loaded with the pages that draw them, not up front. */
const CHARTS =
  /[\\/]node_modules[\\/](?:recharts|d3-[\w-]+|victory-vendor|@reduxjs[\\/]toolkit|redux|redux-thunk|react-redux|reselect|immer|es-toolkit|decimal\.js-light|eventemitter3|tiny-invariant)[\\/]/;

interface ModuleGraph {
  getModuleInfo(id: string): { importedIds: readonly string[]; dynamicallyImportedIds: readonly string[] } | null;
}

/** Every module the explorer entry reaches: those stay out of the console's vendor chunk, so neither loads the other's code. */
function reachableFrom(graph: ModuleGraph, entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    const info = graph.getModuleInfo(id);
    if (info) queue.push(...info.importedIds, ...info.dynamicallyImportedIds);
  }
  return seen;
}
let explorerModules: Set<string> | undefined;

export default defineConfig({
  root,
  base: '/',
  // Brotli and gzip copies of each file, which the server sends by Accept-Encoding (site.ts).
  plugins: [react(), precompress()],
  build: {
    outDir: '../dist/admin',
    emptyOutDir: true,
    // The page's entry is boot.ts, which shows the sign-in form or starts the console (main.tsx);
    // every resource page and chart is a lazy chunk. The explorer (GraphiQL and its Monaco
    // editor) is an entry of its own, so the console never loads it.
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      input: { console: `${root}index.html`, explorer: `${root}explorer.html` },
      output: {
        // Over HTTP/1.1 the browser opens six connections to a host: fifty small chunks arrive a
        // few at a time, one round trip after another. So the console's libraries (MUI,
        // react-admin, react-query, the router…) are one chunk, whichever page needs which part;
        // a page is then its own chunk or two and this one. The sign-in form (boot.ts) imports
        // none of them.
        codeSplitting: {
          groups: [
            { name: 'shared', test: SHARED, priority: 30 },
            {
              test: NODE_MODULES,
              name: (id: string, graph: ModuleGraph) => {
                if (CHARTS.test(id)) return null;
                explorerModules ??= reachableFrom(graph, `${root}src/explorer/main.tsx`);
                return explorerModules.has(id) ? null : 'vendor';
              },
              priority: 20,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    // Same origin for the browser: the API's routes are proxied to the API in watch mode, and
    // /graphql's WebSocket too (live notifications).
    proxy: {
      ...Object.fromEntries(['/schema.graphql', '/export', '/import', '/healthz', '/readyz'].map((path) => [path, api])),
      '/graphql': { target: api, ws: true },
    },
  },
});
