import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { print } from 'graphql';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { issueToken } from '../api/src/common/auth/token.js';
import { ormConfig } from '../api/src/mikro-orm.config.js';
import { seedDataset } from '../api/src/seeders/dataset.js';
import { Customer360Document, Customer360PageDocument, CustomerListDocument } from '../schema/generated/graphql.js';
import { startPgCluster } from './pg-cluster.js';
import { processCpuSeconds } from './proc.js';
import { freePort, spawnApi, waitFor } from './util.js';

/**
 * A quick A/B of the JSON text pass-through (not part of `npm run bench`): the same compiled
 * statement answered as text, and walked by graphql-js (a root `__typename` beside the field
 * keeps the text path out), alternately, as a rep; Node CPU per request from /proc.
 * `npm run build:api && node dist/bench/json-text.js [--customers 2000 --duration 8 --rounds 3]`
 */
const { values: options } = parseArgs({
  options: {
    customers: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
  },
});

async function main(): Promise<void> {
  const cluster = await startPgCluster({ settings: { shared_buffers: '256MB' } });
  try {
    await cluster.createDatabase('bench');
    const url = cluster.url('bench');
    const orm = await MikroORM.init(ormConfig({ clientUrl: url, poolMax: 1 }));
    await orm.getMigrator().up();
    await orm.close(true);
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    await seedDataset((sql, params) => pool.query(sql, params as unknown[]), { customers: Number(options.customers), concurrency: 3 });
    const {
      rows: [rep],
    } = await pool.query<{ id: string }>(
      `select u.id from app_user u join customer c on c.owner_id = u.id where u.role = 'REP' group by u.id order by count(*) desc limit 1`,
    );
    const { rows: sample } = await pool.query<{ id: string }>(
      `select id from customer where owner_id = $1 and archived_at is null order by random() limit 500`,
      [rep!.id],
    );
    await pool.end();
    const ids = sample.map((row) => row.id);
    const secret = randomBytes(32).toString('hex');
    const port = await freePort();
    const { child } = spawnApi({ databaseUrl: url, authSecret: secret, port, poolMax: 8 });
    try {
      const app = `http://127.0.0.1:${port}`;
      await waitFor(`${app}/readyz`);
      const token = issueToken({ id: rep!.id, sessionVersion: 1 }, secret, 3600).token;
      // Evaluation scores are doubles (and withheld from a rep): the text path leaves them to graphql-js.
      const withoutScore = (document: Parameters<typeof print>[0]) => print(document).replace(/\n\s*score\n/, '\n');
      const walked = (query: string) => query.replace(/\{\n {2}(customers?)\(/, '{\n  __typename\n  $1(');
      const scenarios = [
        {
          name: 'customer-360, one customer',
          query: withoutScore(Customer360Document),
          variables: (i: number) => ({ id: ids[i % ids.length] }),
        },
        { name: 'customer-360, page of 25', query: withoutScore(Customer360PageDocument), variables: () => ({ first: 25 }) },
        { name: 'customer list, page of 25', query: print(CustomerListDocument), variables: () => ({ first: 25 }) },
      ];
      const drive = async (query: string, variables: (i: number) => Record<string, unknown>) => {
        let index = 0;
        const before = processCpuSeconds(child.pid!);
        const result = await autocannon({
          url: app,
          connections: Number(options.connections),
          duration: Number(options.duration),
          requests: [
            {
              method: 'POST',
              path: '/graphql',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-encoding': 'br, gzip' },
              setupRequest: (request) => ({ ...request, body: JSON.stringify({ query, variables: variables(index++) }) }),
            },
          ],
        });
        const cpuMs = ((processCpuSeconds(child.pid!) - before) * 1000) / result.requests.total;
        return { rps: result.requests.average, cpuMs, errors: result.non2xx + result.errors, requests: result.requests.total };
      };
      console.log(
        `load average before: ${loadavg()
          .map((n) => n.toFixed(2))
          .join(' ')}`,
      );
      for (const scenario of scenarios) {
        const check = await fetch(`${app}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: scenario.query, variables: scenario.variables(0) }),
        });
        const body = (await check.json()) as { errors?: unknown };
        if (body.errors) throw new Error(`${scenario.name}: ${JSON.stringify(body.errors)}`);
        await drive(scenario.query, scenario.variables);
        for (let round = 0; round < Number(options.rounds); round += 1) {
          const text = await drive(scenario.query, scenario.variables);
          const graphql = await drive(walked(scenario.query), scenario.variables);
          console.log(
            `${scenario.name} round ${round + 1}: text ${text.rps.toFixed(0)} req/s ${text.cpuMs.toFixed(2)} ms CPU (${text.errors} errors) | graphql-js ${graphql.rps.toFixed(0)} req/s ${graphql.cpuMs.toFixed(2)} ms CPU (${graphql.errors} errors)`,
          );
        }
      }
      console.log(
        `load average after: ${loadavg()
          .map((n) => n.toFixed(2))
          .join(' ')}`,
      );
    } finally {
      child.kill();
    }
  } finally {
    await cluster.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
