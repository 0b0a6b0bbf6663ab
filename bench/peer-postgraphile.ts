import { createServer, type Server } from 'node:http';
import pg from 'pg';

/**
 * The peer: PostGraphile v5 with its standard (amber) preset over the bench database, in its own
 * Node process with a pool of 8 like the API and the floor. It connects as the superuser, so it
 * enforces NO permissions (row-level security is bypassed, every column is exposed): the
 * comparison is favourable to it. Its documents are in bench/peer-documents.ts.
 */

interface PostGraphileInstance {
  createServ(grafserv: unknown): { addTo(server: Server): unknown };
  getSchema(): Promise<unknown>;
  release(): unknown;
}

/**
 * Loaded by specifiers TypeScript does not follow, with the little we use typed here: grafast's
 * typings augment graphql's `ExecutionResult` for the whole program (`hasNext?: never`), which
 * would break the API's graphql-ws types the moment one file imports them.
 */
// PostGraphile v5 asks for Node 22; of what Node 22 added it uses only `Promise.withResolvers`, which Node 20 lacks.
if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      return { promise, resolve, reject };
    },
  });
}
const load = (specifier: string): Promise<Record<string, unknown>> => import(specifier) as Promise<Record<string, unknown>>;
const [{ postgraphile }, { makePgService }, { grafserv }, { PostGraphileAmberPreset }] = await Promise.all([
  load('postgraphile'),
  load('postgraphile/adaptors/pg'),
  load('postgraphile/grafserv/node'),
  load('postgraphile/presets/amber'),
]);

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 8) });
const pgl = (postgraphile as (preset: object) => PostGraphileInstance)({
  extends: [PostGraphileAmberPreset],
  pgServices: [(makePgService as (options: object) => unknown)({ pool, schemas: ['public'] })],
  grafserv: { graphqlPath: '/graphql', watch: false, graphiql: false },
  grafast: { explain: false },
});
const server = createServer();
pgl.createServ(grafserv).addTo(server);
// Build the schema before listening, so the first measured request does not pay for introspection.
// Our change-feed functions take xid8, which it has no codec for: it leaves them out (the bench
// uses none), warning with a dump of the type each time. One line says so instead.
const warn = console.warn;
let skipped = 0;
console.warn = (...args: unknown[]) => (typeof args[0] === 'string' && /xid8|skipping function/.test(args[0]) ? skipped++ : warn(...args));
await pgl.getSchema();
console.warn = warn;
if (skipped) console.error(`peer: PostGraphile left out the functions over xid8 it has no codec for (${skipped} warnings)`);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => void Promise.resolve(pgl.release()).then(() => pool.end().then(() => process.exit(0)))));
