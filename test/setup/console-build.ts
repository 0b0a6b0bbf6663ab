import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** Builds the console (and the explorer) the way `npm run build:admin` does, into a directory of this run. */
export async function buildConsole(outDir: string): Promise<void> {
  const { build } = await import('vite');
  // vitest runs with NODE_ENV=test, which would make vite build React's development bundle.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(ROOT, 'admin/vite.config.ts'),
      mode: 'production',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
