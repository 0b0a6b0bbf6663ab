import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

/**
 * docs/permissions.md, "What counts as the same company": look-alike letters (the UTS #39
 * confusables table, "Cyrillic А/а reads as Latin A"), and trailing legal forms in English and
 * Chinese are one company. Each spelling below is one a reader takes for the original; a rep of
 * another region must get DUPLICATE_OWNED, not a second record of Hu's account.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id legalName owner { id } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id legalName } }`;

function tag(): string {
  // Letters only, none of them with a look-alike of its own in the table's lower-case gaps.
  return randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 5)
    .toUpperCase()
    .padEnd(5, 'B');
}

async function create(who: 'repHangzhou' | 'repGuangzhou', legalName: string): Promise<GqlResult> {
  const territory = who === 'repHangzhou' ? t.baseline.regions.hangzhou : t.baseline.regions.guangzhou;
  return t.gqlAs(who, CREATE, { input: { legalName, territoryId: territory.id } });
}

function expectDuplicateOwned(result: GqlResult) {
  expect(result.errors?.[0]?.extensions).toMatchObject({
    code: 'DUPLICATE_OWNED',
    field: 'legalName',
    owner: { id: t.baseline.users.repHangzhou.id },
  });
}

describe("attack: look-alike spellings of another rep's company", () => {
  it.each([
    // Lower-case confusables whose upper-case forms are not in the table: the skeleton is taken after upper-casing.
    ['Cyrillic shha һ (U+04BB) for h', (tagged: string) => `${tagged} Shanghai Trading`, (name: string) => name.replace(/h/g, '\u04bb')],
    ['Cyrillic komi de ԁ (U+0501) for d', (tagged: string) => `${tagged} Gold Trading`, (name: string) => name.replace(/d/g, '\u0501')],
    ['Latin script g ɡ (U+0261) for g', (tagged: string) => `${tagged} Hongkong Trading`, (name: string) => name.replace(/g/g, '\u0261')],
    ['Armenian vo ո (U+0578) for n', (tagged: string) => `${tagged} Union Trading`, (name: string) => name.replace(/n/g, '\u0578')],
    // NFKC first turns Greek lunate sigma (a C to every reader) into Σ/σ, whose prototype is not C.
    ['Greek lunate sigma ϲ (U+03F2) for c', (tagged: string) => `${tagged} Acme Trading`, (name: string) => name.replace(/c/g, '\u03f2')],
    // Legal forms written with dots between the letters are not dropped.
    ['"L.L.C." for "LLC"', (tagged: string) => `${tagged} Pacific LLC`, (name: string) => name.replace('LLC', 'L.L.C.')],
    ['"G.m.b.H." for "GmbH"', (tagged: string) => `${tagged} Pacific GmbH`, (name: string) => name.replace('GmbH', 'G.m.b.H.')],
    // Traditional forms of the Chinese legal forms are not dropped.
    [
      '有限責任公司 (traditional) for 有限责任公司',
      (tagged: string) => `杭州${tagged}恒达机械有限责任公司`,
      (name: string) => name.replace('有限责任公司', '有限責任公司'),
    ],
    ['集團 (traditional) for 集团', (tagged: string) => `杭州${tagged}恒达机械集团`, (name: string) => name.replace('集团', '集團')],
  ])('refuses %s', async (_label, original, spell) => {
    const name = original(tag());
    const first = await create('repHangzhou', name);
    expect(first.errors).toBeUndefined();
    const second = await create('repGuangzhou', spell(name));
    expect(second.data?.createCustomer?.legalName ?? null).toBeNull();
    expectDuplicateOwned(second);
  });

  it('refuses a rename of a placeholder onto the company in such a spelling', async () => {
    const name = `${tag()} Shanghai Trading`;
    expect((await create('repHangzhou', name)).errors).toBeUndefined();
    const placeholder = await create('repGuangzhou', `${tag()} Placeholder`);
    const renamed = await t.gqlAs('repGuangzhou', UPDATE, {
      id: placeholder.data!.createCustomer.id,
      input: { version: 1, legalName: name.replace(/h/g, '\u04bb') },
    });
    expectDuplicateOwned(renamed);
  });
});
