// `npm run dev`: the API compiled by tsc in watch mode and restarted by Node's own --watch on
// every change, and Vite's dev server for the console and the explorer, which proxies the API's
// routes (admin/vite.config.ts). Ctrl-C stops all three. Arguments go to Vite (e.g. --port 5180).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, API_URL: process.env.API_URL ?? `http://localhost:${process.env.PORT || 4000}` };
const children = [];

let stopping = false;
let code = 0;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

function start(command, args, stdio) {
  const child = spawn(command, args, { cwd: root, env, stdio });
  children.push(child);
  child.on('exit', (exitCode, signal) => {
    // One of them ending on its own (a crash, Vite's `q`) ends the others too.
    if (!stopping) code = exitCode ?? (signal ? 1 : 0);
    stop('SIGTERM');
    if (children.every((other) => other.exitCode !== null || other.signalCode !== null)) process.exit(code);
  });
  return child;
}

const tsc = start(bin('tsc'), ['-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], ['ignore', 'pipe', 'inherit']);
let apiStarted = false;
tsc.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  // The API starts once the first compilation is written, so it is not restarted half-way
  // through its start (migrations, the demo seed) by tsc writing the rest of dist/.
  if (!apiStarted && String(chunk).includes('Watching for file changes')) {
    apiStarted = true;
    start(process.execPath, ['--watch', '--enable-source-maps', 'dist/api/src/main.js'], ['ignore', 'inherit', 'inherit']);
  }
});
start(bin('vite'), ['--config', 'admin/vite.config.ts', ...process.argv.slice(2)], 'inherit');
