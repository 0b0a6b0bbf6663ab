import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.API_URL ?? 'http://localhost:4000';

export default defineConfig({
  root,
  base: '/',
  // Brotli and gzip copies of each file, which the server sends by Accept-Encoding (site.ts).
  plugins: [react(), precompress()],
  build: {
    outDir: '../dist/admin',
    emptyOutDir: true,
    // The console loads its main entry first; every resource page and chart is a lazy chunk.
    // The explorer (GraphiQL and its Monaco editor) is an entry of its own, so the console never
    // loads it.
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      input: { console: `${root}index.html`, explorer: `${root}explorer.html` },
    },
  },
  server: {
    port: 5173,
    // Same origin for the browser: the API's routes are proxied to the API in watch mode, and
    // /graphql's WebSocket too (live notifications).
    proxy: {
      ...Object.fromEntries(['/schema.graphql', '/export', '/healthz', '/readyz'].map((path) => [path, api])),
      '/graphql': { target: api, ws: true },
    },
  },
});
