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

  describe('archived twins', () => {
    const CREATE_WITH = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id version } }`;
    const ARCHIVE = `mutation ($id: ID!, $version: Int!) { archiveCustomer(id: $id, version: $version) { id version } }`;
    const VERSION = `query ($id: ID!) { customer(id: $id) { id version } }`;
    const MERGE = `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { merge { id survivorId mergedIds } } }`;
    /** A registration id of this run: 18 characters, digits and A–Z, as a unified social credit code. */
    const registration = () => `91330100${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;

    async function create(who: Principal, legalName: string, registrationId?: string) {
      return ok(await t.gqlAs(who, CREATE_WITH, { input: { legalName, registrationId, territoryId: t.baseline.regions.hangzhou.id } }))
        .createCustomer as { id: string; version: number };
    }
    async function archive(who: Principal, account: { id: string; version: number }) {
      return ok(await t.gqlAs(who, ARCHIVE, { id: account.id, version: account.version })).archiveCustomer as {
        id: string;
        version: number;
      };
    }
    async function version(id: string) {
      return ok(await t.gqlAs('admin', VERSION, { id })).customer.version as number;
    }
    /** The pair as listed: the live account first, the archived one second. */
    async function listed(who: Principal, live: string, archived: string) {
      const found: { first: string; second: string; reasons: string[]; score: number }[] = [];
      let after: string | null = null;
      for (let page = 0; page < 200; page++) {
        const result: {
          edges: { node: { first: { id: string }; second: { id: string }; reasons: string[]; score: number } }[];
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        } = ok(await t.gqlAs(who, CANDIDATES, { after })).duplicateCandidates;
        for (const { node } of result.edges)
          if ([live, archived].includes(node.first.id) && [live, archived].includes(node.second.id))
            found.push({ first: node.first.id, second: node.second.id, reasons: node.reasons, score: node.score });
        if (!result.pageInfo.hasNextPage) break;
        after = result.pageInfo.endCursor;
      }
      return found;
    }

    it('pairs a live account with an archived one holding its registration id or its name, live first, score 1', async () => {
      const id = registration();
      const old = await archive('repHangzhou', await create('repHangzhou', `Sunrise Ceramics ${tag}`, id));
      // A different name, and the id typed with look-alikes (O for 0, I for 1): the same registration key.
      const live = await create('repHangzhou', `Eastern Porcelain Works ${tag}`, id.replace(/0/g, 'O').replace(/1/g, 'I'));
      expect(await listed('repHangzhou', live.id, old.id)).toEqual([
        { first: live.id, second: old.id, reasons: ['ARCHIVED_SAME_REGISTRATION_ID'], score: 1 },
      ]);

      const oldName = await archive('repHangzhou', await create('repHangzhou', `Golden Harvest Foods ${tag}`));
      const liveName = await create('repHangzhou', `Golden Harvest Foods ${tag} Co., Ltd.`);
      expect(await listed('repHangzhou', liveName.id, oldName.id)).toEqual([
        { first: liveName.id, second: oldName.id, reasons: ['SIMILAR_NAME', 'ARCHIVED_SAME_NAME'], score: 1 },
      ]);
      // Only to those who may merge both: the territory colleague and the other region's manager see neither.
      for (const who of ['repHangzhou2', 'managerSouth', 'repNingbo'] as Principal[]) {
        expect(await listed(who, live.id, old.id), who).toEqual([]);
        expect(await listed(who, liveName.id, oldName.id), who).toEqual([]);
      }
      expect(await listed('managerEast', live.id, old.id)).toHaveLength(1);
    });

    it('no pair when the viewer may not merge the archived one, and it merges into the live one, which must be the survivor', async () => {
      const id = registration();
      const theirs = await archive('repHangzhou2', await create('repHangzhou2', `Jade River Tea ${tag}`, id));
      const mine = await create('repHangzhou', `Emerald Brook Tea ${tag}`, id);
      expect(await listed('repHangzhou', mine.id, theirs.id)).toEqual([]);
      expect(await listed('managerEast', mine.id, theirs.id)).toEqual([
        { first: mine.id, second: theirs.id, reasons: ['ARCHIVED_SAME_REGISTRATION_ID'], score: 1 },
      ]);
      const versions = async () => [
        { id: mine.id, version: await version(mine.id) },
        { id: theirs.id, version: await version(theirs.id) },
      ];
      const backwards = await t.gqlAs('managerEast', MERGE, {
        input: { survivorId: theirs.id, mergedIds: [mine.id], versions: await versions() },
      });
      expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'survivorId' });
      const merged = ok(
        await t.gqlAs('managerEast', MERGE, { input: { survivorId: mine.id, mergedIds: [theirs.id], versions: await versions() } }),
      );
      expect(merged.mergeCustomers.merge).toMatchObject({ survivorId: mine.id, mergedIds: [theirs.id] });
      // Merged, it is no twin any more.
      expect(await listed('managerEast', mine.id, theirs.id)).toEqual([]);
    });
  });
});
