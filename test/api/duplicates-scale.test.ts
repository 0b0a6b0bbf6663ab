import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../fixtures/baseline.js';
import { Role, type Viewer } from '../../api/src/common/access/index.js';
import { NEIGHBOUR_SIMILARITY, candidatesStatement } from '../../api/src/modules/merge/duplicates.sql.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

/**
 * Duplicate candidates over many customers (docs/merge.md, "Cost"): opt-in, as it seeds
 * SCALE_ROWS customers (`SCALE_ROWS=100000 npx vitest run test/api/duplicates-scale.test.ts`,
 * about a minute to seed). Names are drawn from 16 × 14 × 7 word combinations and numbered, so
 * each has dozens of near-identical neighbours: the hard case for a trigram search. It pins the
 * plan's shape (each account's neighbours walked nearest first in the GiST index, never every
 * name sharing a trigram) and prints the timings of first pages per kind of viewer.
 */
let t: TestApp;
const CANDIDATES = `query ($after: String) { duplicateCandidates(first: 50, after: $after) {
  edges { node { id score reasons } } pageInfo { endCursor hasNextPage } } }`;
const ROWS = Number(process.env.SCALE_ROWS ?? 0);

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

beforeAll(async () => {
  if (!ROWS) return;
  t = await createTestApp();
  const { users, regions } = t.baseline;
  const owners = `{${[users.repHangzhou, users.repHangzhou2, users.repNingbo, users.repGuangzhou].map((u) => u.id).join(',')}}`;
  const territories = `{${[regions.hangzhou, regions.hangzhou, regions.ningbo, regions.guangzhou].map((r) => r.id).join(',')}}`;
  const started = Date.now();
  await sql(
    `insert into customer (id, legal_name, normalized_name, territory_id, owner_id, city)
     select gen_random_uuid(), n.name, lower(regexp_replace(n.name, '\\W', '', 'g')), (?::uuid[])[1 + i % 4], (?::uuid[])[1 + i % 4], (array['Hangzhou','Ningbo','Wenzhou','Guangzhou'])[1 + i % 4]
     from generate_series(1, ?) i cross join lateral (select
       (array['Bright','Golden','Eastern','Western','Jade','Star','River','Harbour','Crane','Dragon','Lotus','Summit','Pacific','Orient','Phoenix','Silver'])[1 + (i * 7) % 16] || ' ' ||
       (array['Valve','Textile','Pump','Ceramic','Machinery','Foods','Logistics','Optics','Tea','Paper','Steel','Chemical','Garment','Motor'])[1 + (i * 11) % 14] || ' ' ||
       (array['Trading','Works','Industries','Technology','Manufacturing','Supply','Group'])[1 + (i * 13) % 7] || ' ' || i as name) n`,
    [territories, owners, ROWS],
  );
  await sql('analyze customer');
  console.log(`seeded ${ROWS} customers in ${Date.now() - started} ms`);
}, 600_000);

afterAll(async () => {
  await t?.close();
});

describe.runIf(ROWS > 0)('duplicate candidates at scale', () => {
  it('walks each account’s neighbours nearest first in the GiST trigram index', { timeout: 600_000 }, async () => {
    const zero = '00000000-0000-0000-0000-000000000000';
    const { sql: text, params } = candidatesStatement({ role: Role.ADMIN, kind: 'USER' } as unknown as Viewer, 50, 0.5, zero, zero);
    const em = t.orm.em.fork();
    await em.transactional(async (tx) => {
      await tx
        .getConnection()
        .execute(
          `select set_config('pg_trgm.similarity_threshold', ?, true)`,
          [String(NEIGHBOUR_SIMILARITY)],
          'all',
          tx.getTransactionContext(),
        );
      const gin = text.replace(
        /order by app_trgm_text\(b\.normalized_name\) <-> a\.t/,
        'order by similarity(app_trgm_text(b.normalized_name), a.t) desc, b.id',
      );
      // Side by side (the machine is shared): today's statement, the GIN search it replaced, today's again.
      for (const [name, statement] of [
        ['gist', text],
        ['gin', gin],
        ['gist', text],
      ] as const) {
        const plan = (
          await tx
            .getConnection()
            .execute<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${statement}`, params, 'all', tx.getTransactionContext())
        ).map((row) => row['QUERY PLAN']);
        console.log(name, plan.filter((line) => /Execution Time|customer_name_trgm|loops=50/.test(line)).join('\n'));
        if (name === 'gist') {
          const shown = plan.join('\n');
          expect(shown).toMatch(/Index Scan using customer_name_trgm_gist_idx on customer/);
          expect(shown).toMatch(/Order By: \(app_trgm_text\(normalized_name\) <-> a(_\d+)?\.t\)/);
          expect(shown).not.toMatch(/Bitmap Index Scan on customer_name_trgm_idx/);
        }
      }
    });
  });

  it(
    'answers first pages for every kind of viewer (timings printed, not asserted: the machine is shared)',
    { timeout: 600_000 },
    async () => {
      for (const who of ['admin', 'managerEast', 'repHangzhou'] as Principal[]) {
        let after: string | null = null;
        for (let page = 0; page < 3; page++) {
          const started = process.hrtime.bigint();
          const result: GqlResult = await t.gqlAs(who, CANDIDATES, { after });
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          expect(result.errors).toBeUndefined();
          const data: { edges: unknown[]; pageInfo: { endCursor: string | null } } = result.data!.duplicateCandidates;
          console.log(`${who} page ${page}: ${data.edges.length} pairs in ${ms.toFixed(0)} ms`);
          after = data.pageInfo.endCursor;
        }
      }
    },
  );
});
