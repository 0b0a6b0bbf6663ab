import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

/**
 * Duplicate candidates (docs/merge.md, "Candidates") on a fixture of known near-duplicates. The
 * expected pairs are written here from the fixture: a misspelt Latin name, a Chinese name with an
 * extra word, two different names sharing a contact phone; unrelated names are no pair, and a
 * viewer never sees a pair with an account they may not merge.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
const CONTACT = `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`;
const CANDIDATES = `query ($after: String, $min: Float) { duplicateCandidates(first: 100, after: $after, minScore: $min) {
  edges { node { id score nameSimilarity reasons first { id } second { id } } } pageInfo { endCursor hasNextPage } } }`;

function ok<T>(result: GqlResult<T>): T {
  expect(result.errors).toBeUndefined();
  return result.data!;
}

const tag = randomUUID().slice(0, 4);

async function account(who: Principal, territory: 'hangzhou' | 'ningbo', legalName: string, mobile?: string): Promise<string> {
  const id = ok(await t.gqlAs(who, CREATE, { input: { legalName, territoryId: t.baseline.regions[territory].id } })).createCustomer
    .id as string;
  if (mobile) ok(await t.gqlAs(who, CONTACT, { input: { customerId: id, name: 'Zhang San', mobile } }));
  return id;
}

interface Pair {
  pair: string;
  reasons: string[];
  score: number;
}

async function pairsFor(who: Principal, among: string[], minScore?: number): Promise<Pair[]> {
  const found: Pair[] = [];
  let after: string | null = null;
  for (let page = 0; page < 200; page++) {
    const result: {
      edges: { node: { first: { id: string }; second: { id: string }; reasons: string[]; score: number } }[];
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    } = ok(await t.gqlAs(who, CANDIDATES, { after, min: minScore })).duplicateCandidates;
    for (const { node } of result.edges) {
      if (among.includes(node.first.id) || among.includes(node.second.id)) {
        found.push({ pair: [node.first.id, node.second.id].sort().join(':'), reasons: node.reasons, score: node.score });
      }
    }
    if (!result.pageInfo.hasNextPage) break;
    after = result.pageInfo.endCursor;
  }
  return found.sort((a, b) => a.pair.localeCompare(b.pair));
}

const key = (a: string, b: string) => [a, b].sort().join(':');

describe('duplicateCandidates', () => {
  it('finds the known near-duplicates, with their reasons, and nothing else among the fixture', async () => {
    const star1 = await account('repHangzhou', 'hangzhou', `Bright Star Trading ${tag}`);
    const star2 = await account('repHangzhou', 'hangzhou', `Bright Star Tradng ${tag}`);
    const cn1 = await account('repHangzhou', 'hangzhou', `杭州明星光电科技${tag}`);
    const cn2 = await account('repHangzhou', 'hangzhou', `杭州明星光电科技发展${tag}`);
    const phone1 = await account('repHangzhou', 'hangzhou', `Qiantang Valve Works ${tag}`, '+86 138 0013 8000');
    const phone2 = await account('repHangzhou', 'hangzhou', `West Lake Pumps ${tag}`, '138-0013-8000');
    const alone = await account('repHangzhou', 'hangzhou', `Harbour Logistics Zeta ${tag}`);
    const fixture = [star1, star2, cn1, cn2, phone1, phone2, alone];

    const pairs = await pairsFor('repHangzhou', fixture);
    expect(pairs.map((p) => p.pair)).toEqual([key(star1, star2), key(cn1, cn2), key(phone1, phone2)].sort());
    const reasonsOf = (a: string, b: string) => pairs.find((p) => p.pair === key(a, b))!.reasons;
    expect(reasonsOf(star1, star2)).toContain('SIMILAR_NAME');
    expect(reasonsOf(cn1, cn2)).toContain('SIMILAR_NAME');
    expect(reasonsOf(phone1, phone2)).toContain('SAME_PHONE');
    expect(reasonsOf(phone1, phone2)).not.toContain('SIMILAR_NAME');
    // The admin sees the same pairs; a colleague who owns none of them, and a manager elsewhere, see none.
    expect((await pairsFor('admin', fixture)).map((p) => p.pair)).toEqual(pairs.map((p) => p.pair));
    expect(await pairsFor('repHangzhou2', fixture)).toEqual([]);
    expect(await pairsFor('managerSouth', fixture)).toEqual([]);
    // minScore 1: only pairs scoring 1.
    expect((await pairsFor('repHangzhou', fixture, 1)).every((p) => p.score === 1)).toBe(true);
  });

  it('a key learns of a shared phone only with contacts:read and pii:read', async () => {
    const a = await account('repHangzhou', 'hangzhou', `Silver Lotus Trading ${tag}`, '+86 138 2222 7001');
    const b = await account('repHangzhou', 'hangzhou', `Xiamen Harbour Freight ${tag}`, '13822227001');
    const pairsAsKey = async (scopes: string[]) => {
      const secret = ok(
        await t.gqlAs('admin', `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, {
          input: { name: `ERP ${randomUUID().slice(0, 6)}`, kind: 'INTEGRATOR', scopes, territoryIds: [t.baseline.regions.hangzhou.id] },
        }),
      ).createApiKey.secret as string;
      const found: string[][] = [];
      let after: string | null = null;
      for (let page = 0; page < 200; page++) {
        const response: { body: any } = await t
          .http()
          .post('/graphql')
          .set('authorization', `Bearer ${secret}`)
          .send({ query: CANDIDATES, variables: { after } });
        expect(response.body.errors).toBeUndefined();
        const result: {
          edges: { node: { first: { id: string }; second: { id: string }; reasons: string[] } }[];
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        } = response.body.data.duplicateCandidates;
        for (const { node } of result.edges) {
          if ([a, b].includes(node.first.id) && [a, b].includes(node.second.id)) found.push(node.reasons);
        }
        if (!result.pageInfo.hasNextPage) break;
        after = result.pageInfo.endCursor;
      }
      return found;
    };
    const base = ['CUSTOMERS_READ', 'CUSTOMERS_WRITE', 'CUSTOMERS_MERGE'];
    expect(await pairsAsKey(base)).toEqual([]);
    expect(await pairsAsKey([...base, 'CONTACTS_READ', 'PII_READ'])).toEqual([['SAME_PHONE']]);
  });

  it('never pairs an account the viewer may not merge, nor an archived one', async () => {
    const mine = await account('repHangzhou', 'hangzhou', `Golden Crane Textiles ${tag}`);
    const colleague = await account('repHangzhou2', 'hangzhou', `Golden Crane Textile ${tag}`);
    const ningbo = await account('repNingbo', 'ningbo', `Golden Crane Textiles Co ${tag}x`);
    expect(await pairsFor('repHangzhou', [mine, colleague, ningbo])).toEqual([]);
    const manager = await pairsFor('managerEast', [mine, colleague, ningbo]);
    expect(manager.map((p) => p.pair)).toEqual([key(mine, colleague), key(mine, ningbo), key(colleague, ningbo)].sort());
  });
});
