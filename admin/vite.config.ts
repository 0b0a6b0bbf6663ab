import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/admin',
    emptyOutDir: true,
    // The console loads its main entry first; every resource page and chart is a lazy chunk.
    chunkSizeWarningLimit: 1600,
  },
  server: {
    port: 5173,
    proxy: { '/graphql': 'http://localhost:4000' },
  },
});
