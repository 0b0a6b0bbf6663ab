import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../fixtures/baseline.js';
import { createTestApp, type GqlResult, type TestApp } from '../setup/app.js';

/**
 * "One company, one record, one owner" (docs/permissions.md, "What counts as the same company"),
 * through the public API on real PostgreSQL. Expected outcomes come from that text: a company
 * that already has a live record is refused — CONFLICT naming it to whoever may open it,
 * DUPLICATE_OWNED with its territory and owner to other users, DUPLICATE_OWNED with nothing
 * more to an API key — whichever path (create, rename, new registration id or website, restore)
 * and whatever spelling reaches it.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id legalName registrationId websiteDomain owner { id } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id version legalName registrationId websiteDomain } }`;
const ARCHIVE = `mutation ($id: ID!, $version: Int!) { archiveCustomer(id: $id, version: $version) { id version archivedAt } }`;
const RESTORE = `mutation ($id: ID!, $version: Int!) { restoreCustomer(id: $id, version: $version) { id version archivedAt } }`;
const DIRECTORY = `query ($search: String, $includeArchived: Boolean) { customers(scope: DIRECTORY, first: 100, filter: { search: $search, includeArchived: $includeArchived }) { totalCount edges { node { id legalName } } } }`;
const API_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

function unique(label: string): string {
  return `${label} ${randomUUID().slice(0, 8)}`;
}

async function asKey(secret: string, query: string, variables: Record<string, unknown>): Promise<GqlResult> {
  const response = await t.http().post('/graphql').set('authorization', `Bearer ${secret}`).send({ query, variables });
  return { status: response.status, data: response.body?.data ?? null, errors: response.body?.errors, body: response.body };
}

async function newKey(territoryCode: 'ningbo' | 'guangzhou' | 'hangzhou', scopes = ['CUSTOMERS_READ', 'CUSTOMERS_WRITE']): Promise<string> {
  const { data, errors } = await t.gqlAs('admin', API_KEY, {
    input: { name: unique('ERP'), kind: 'INTEGRATOR', scopes, territoryIds: [t.baseline.regions[territoryCode].id] },
  });
  expect(errors).toBeUndefined();
  return data!.createApiKey.secret as string;
}

/** A customer owned by Hu (Hangzhou) that the others will try to duplicate. */
async function hangzhouAccount(input: Record<string, unknown> = {}) {
  const { data, errors } = await t.gqlAs('repHangzhou', CREATE, {
    input: { legalName: unique('Original Trading'), territoryId: t.baseline.regions.hangzhou.id, ...input },
  });
  expect(errors).toBeUndefined();
  return data!.createCustomer as { id: string; legalName: string };
}

async function createAsRep(who: Principal, territory: 'hangzhou' | 'ningbo' | 'guangzhou', input: Record<string, unknown>) {
  return t.gqlAs(who, CREATE, { input: { territoryId: t.baseline.regions[territory].id, ...input } });
}

async function liveHolders(normalizedName: string): Promise<number> {
  const [row] = await sql<{ count: number }>(
    `select count(*)::int as count from customer where normalized_name = ? and archived_at is null`,
    [normalizedName],
  );
  return row!.count;
}

function expectDuplicateOwned(result: GqlResult, field: string) {
  expect(result.data?.createCustomer ?? result.data?.updateCustomer ?? result.data?.restoreCustomer ?? null).toBeNull();
  expect(result.errors?.[0]?.extensions).toMatchObject({
    code: 'DUPLICATE_OWNED',
    field,
    territory: { name: 'Hangzhou' },
    owner: { id: t.baseline.users.repHangzhou.id },
  });
}

describe('a company has one live record', () => {
  it('refuses a second record of the same company from a rep of another region, naming only territory and owner', async () => {
    const original = await hangzhouAccount({ notes: 'secret pricing' });
    const result = await createAsRep('repGuangzhou', 'guangzhou', { legalName: original.legalName });
    expectDuplicateOwned(result, 'legalName');
    expect(JSON.stringify(result.body)).not.toContain('secret pricing');
    expect(result.errors![0]!.extensions).not.toHaveProperty('existingId');
  });

  it('names the record (CONFLICT with its id) to a viewer who may open it', async () => {
    const original = await hangzhouAccount();
    const result = await t.gqlAs('managerEast', CREATE, {
      input: { legalName: original.legalName, territoryId: t.baseline.regions.ningbo.id, ownerId: t.baseline.users.repNingbo.id },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'legalName', existingId: original.id });
  });

  it.each([
    ['a zero-width space inside the name', (name: string) => name.replace(' ', ' \u200b')],
    ['a soft hyphen inside a word', (name: string) => name.replace('Trading', 'Tra\u00adding')],
    ['a zero-width joiner and a BOM', (name: string) => `\ufeff${name.replace('Original', 'Orig\u200dinal')}`],
    ['Cyrillic look-alike letters', (name: string) => name.replace('Original', 'Оrigin\u0430l').replace('T', 'Т')],
    ['full-width forms', (name: string) => name.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))],
    ['upper case and a legal suffix', (name: string) => `${name.toUpperCase()} Co., Ltd.`],
    ['accents', (name: string) => name.replace('Original', 'Orígìnal')],
  ])('treats %s as the same company', async (_label, spell) => {
    const original = await hangzhouAccount();
    const result = await createAsRep('repGuangzhou', 'guangzhou', { legalName: spell(original.legalName) });
    expectDuplicateOwned(result, 'legalName');
  });

  it('treats Chinese legal forms with and without spaces or full-width punctuation as the same company', async () => {
    const stem = `杭州恒达${randomUUID().slice(0, 4)}机械`;
    const { errors } = await createAsRep('repHangzhou', 'hangzhou', { legalName: `${stem}有限公司` });
    expect(errors).toBeUndefined();
    for (const spelling of [`${stem} 有限公司`, stem, `${stem}（集团）有限公司`, `${stem}股份有限公司`, ` ${stem}\u3000有限公司 `]) {
      expectDuplicateOwned(await createAsRep('repGuangzhou', 'guangzhou', { legalName: spelling }), 'legalName');
    }
  });

  it('matches registration ids whatever their case, separators, full-width digits or look-alike letters', async () => {
    const id = `91330100MA2${randomUUID().replace(/-/g, '').slice(0, 7).toUpperCase()}`;
    await hangzhouAccount({ registrationId: id });
    const spellings = [
      id.toLowerCase(),
      `${id.slice(0, 6)}-${id.slice(6)}`,
      ` ${id.slice(0, 4)} ${id.slice(4)} `,
      id.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)),
      id.replace(/0/g, 'O').replace(/1/g, 'I'),
    ];
    for (const registrationId of spellings) {
      expectDuplicateOwned(
        await createAsRep('repGuangzhou', 'guangzhou', { legalName: unique('Unrelated Name'), registrationId }),
        'registrationId',
      );
    }
  });

  it('stores registration ids upper case without separators, and refuses ones with nothing but separators or other scripts', async () => {
    const { data, errors } = await createAsRep('repHangzhou', 'hangzhou', {
      legalName: unique('Stored Id'),
      registrationId: '9133-0100 ab12',
    });
    expect(errors).toBeUndefined();
    expect(data!.createCustomer.registrationId).toBe('91330100AB12');
    for (const registrationId of ['---', 'абв123']) {
      const refused = await createAsRep('repHangzhou', 'hangzhou', { legalName: unique('Bad Id'), registrationId });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'registrationId' });
    }
  });

  it('matches the website domain whatever the URL around it', async () => {
    const domain = `${randomUUID().slice(0, 8)}.example.cn`;
    await hangzhouAccount({ websiteDomain: domain });
    for (const websiteDomain of [`https://www.${domain}/about`, domain.toUpperCase(), `${domain}.`]) {
      expectDuplicateOwned(
        await createAsRep('repGuangzhou', 'guangzhou', { legalName: unique('Other Name'), websiteDomain }),
        'websiteDomain',
      );
    }
  });
});

describe('every path that sets an identity key is checked', () => {
  it("refuses a rename onto another rep's company and leaves the record unchanged", async () => {
    const original = await hangzhouAccount();
    const { data } = await createAsRep('repGuangzhou', 'guangzhou', { legalName: unique('Placeholder') });
    const placeholder = data!.createCustomer;
    const renamed = await t.gqlAs('repGuangzhou', UPDATE, {
      id: placeholder.id,
      input: { version: 1, legalName: original.legalName.toLowerCase() },
    });
    expectDuplicateOwned(renamed, 'legalName');
    const [row] = await sql(`select legal_name, version from customer where id = ?`, [placeholder.id]);
    expect(row).toMatchObject({ legal_name: placeholder.legalName, version: 1 });
  });

  it('refuses a new registration id or website that another record holds', async () => {
    const id = `9144${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
    const domain = `${randomUUID().slice(0, 8)}.example.com`;
    await hangzhouAccount({ registrationId: id, websiteDomain: domain });
    const { data } = await createAsRep('repGuangzhou', 'guangzhou', { legalName: unique('Placeholder') });
    const placeholder = data!.createCustomer;
    expectDuplicateOwned(
      await t.gqlAs('repGuangzhou', UPDATE, { id: placeholder.id, input: { version: 1, registrationId: id.toLowerCase() } }),
      'registrationId',
    );
    expectDuplicateOwned(
      await t.gqlAs('repGuangzhou', UPDATE, { id: placeholder.id, input: { version: 1, websiteDomain: `www.${domain}` } }),
      'websiteDomain',
    );
  });

  it('lets a record keep and re-save its own keys', async () => {
    const original = await hangzhouAccount({ registrationId: `9133${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}` });
    const { data, errors } = await t.gqlAs('repHangzhou', UPDATE, {
      id: original.id,
      input: { version: 1, legalName: `${original.legalName} Co., Ltd.`, notes: 'edited' },
    });
    expect(errors).toBeUndefined();
    expect(data!.updateCustomer.version).toBe(2);
  });

  it('archiving lets the company be opened anew; restoring the old record is then refused', async () => {
    const original = await hangzhouAccount();
    const archived = await t.gqlAs('repHangzhou', ARCHIVE, { id: original.id, version: 1 });
    expect(archived.errors).toBeUndefined();
    const reopened = await createAsRep('repGuangzhou', 'guangzhou', { legalName: original.legalName });
    expect(reopened.errors).toBeUndefined();
    const restored = await t.gqlAs('repHangzhou', RESTORE, { id: original.id, version: archived.data!.archiveCustomer.version });
    expect(restored.errors?.[0]?.extensions).toMatchObject({
      code: 'DUPLICATE_OWNED',
      field: 'legalName',
      territory: { name: 'Guangzhou' },
      owner: { id: t.baseline.users.repGuangzhou.id },
    });
    const [row] = await sql(`select archived_at from customer where id = ?`, [original.id]);
    expect(row!.archived_at).not.toBeNull();
  });
});

describe('API keys', () => {
  it('cannot create a second record of an account owned outside their territories, and learn nothing of it', async () => {
    const original = await hangzhouAccount({ registrationId: `9133${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}` });
    const secret = await newKey('ningbo');
    for (const input of [{ legalName: original.legalName }, { legalName: `${original.legalName.toUpperCase()} Ltd` }]) {
      const result = await asKey(secret, CREATE, {
        input: { ...input, territoryId: t.baseline.regions.ningbo.id, ownerId: t.baseline.users.repNingbo.id },
      });
      expect(result.data?.createCustomer ?? null).toBeNull();
      const extensions = result.errors?.[0]?.extensions;
      expect(extensions).toMatchObject({ code: 'DUPLICATE_OWNED', field: 'legalName' });
      expect(extensions).not.toHaveProperty('owner');
      expect(extensions).not.toHaveProperty('territory');
      expect(extensions).not.toHaveProperty('existingId');
      const text = JSON.stringify(result.body);
      expect(text).not.toContain('Hangzhou');
      expect(text).not.toContain(t.baseline.users.repHangzhou.name);
      expect(text).not.toContain(original.id);
    }
    expect(await liveHolders((await sql(`select normalized_name from customer where id = ?`, [original.id]))[0]!.normalized_name)).toBe(1);
  });

  it('get CONFLICT with the id for a record inside their territories', async () => {
    const original = await hangzhouAccount();
    const secret = await newKey('hangzhou');
    const result = await asKey(secret, CREATE, {
      input: { legalName: original.legalName, territoryId: t.baseline.regions.hangzhou.id, ownerId: t.baseline.users.repHangzhou2.id },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', existingId: original.id });
  });
});

describe('a refused write tells nothing it should not', () => {
  it('validates the whole input before looking for the company', async () => {
    const original = await hangzhouAccount({ registrationId: `9133${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}` });
    const badDomain = await createAsRep('repGuangzhou', 'guangzhou', { legalName: original.legalName, websiteDomain: 'not a domain' });
    expect(badDomain.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'websiteDomain' });
    const badTags = await createAsRep('repGuangzhou', 'guangzhou', { legalName: original.legalName, tags: ['x'.repeat(51)] });
    expect(badTags.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badStage = await createAsRep('repGuangzhou', 'guangzhou', { legalName: original.legalName, lifecycleStage: 'REPEAT' });
    expect(badStage.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lifecycleStage' });
    const badOwner = await createAsRep('repGuangzhou', 'guangzhou', {
      legalName: original.legalName,
      ownerId: t.baseline.users.repNingbo.id,
    });
    expect(badOwner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const result of [badDomain, badTags, badStage, badOwner]) {
      expect(JSON.stringify(result.body)).not.toContain(t.baseline.users.repHangzhou.name);
    }
  });

  it("lets a contact's e-mail domain claim nothing: another rep may still open the company that owns the domain", async () => {
    const domain = `${randomUUID().slice(0, 8)}.example.org`;
    const { data } = await createAsRep('repHangzhou', 'hangzhou', { legalName: unique('Unrelated Account') });
    const contact = await t.gqlAs('repHangzhou', `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`, {
      input: { customerId: data!.createCustomer.id, name: 'Pre-claimer', email: `buyer@${domain}` },
    });
    expect(contact.errors).toBeUndefined();
    const real = await createAsRep('repGuangzhou', 'guangzhou', { legalName: unique('The Real Company'), websiteDomain: domain });
    expect(real.errors).toBeUndefined();
  });

  it('keeps archived card-only accounts out of the directory, and refuses includeArchived there', async () => {
    const original = await hangzhouAccount();
    await t.gqlAs('repHangzhou', ARCHIVE, { id: original.id, version: 1 });
    const listed = await t.gqlAs('repGuangzhou', DIRECTORY, { search: original.legalName });
    expect(listed.data!.customers.totalCount).toBe(0);
    const asked = await t.gqlAs('repGuangzhou', DIRECTORY, { search: original.legalName, includeArchived: true });
    expect(asked.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.includeArchived' });
  });
});

describe('new accounts start at the beginning of the lifecycle', () => {
  it("refuses a rep or a key opening an account past INTENTION, and lets the region's manager", async () => {
    for (const stage of ['FIRST_PURCHASE', 'REPEAT', 'DORMANT', 'LOST']) {
      const refused = await createAsRep('repHangzhou', 'hangzhou', { legalName: unique('Skipper'), lifecycleStage: stage });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lifecycleStage' });
    }
    const secret = await newKey('hangzhou');
    const byKey = await asKey(secret, CREATE, {
      input: {
        legalName: unique('Key Skipper'),
        territoryId: t.baseline.regions.hangzhou.id,
        ownerId: t.baseline.users.repHangzhou.id,
        lifecycleStage: 'REPEAT',
      },
    });
    expect(byKey.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lifecycleStage' });
    const intention = await createAsRep('repHangzhou', 'hangzhou', { legalName: unique('Keen'), lifecycleStage: 'INTENTION' });
    expect(intention.errors).toBeUndefined();
    const manager = await t.gqlAs(
      'managerEast',
      `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id lifecycleStage } }`,
      {
        input: {
          legalName: unique('Migrated'),
          territoryId: t.baseline.regions.hangzhou.id,
          ownerId: t.baseline.users.repHangzhou.id,
          lifecycleStage: 'REPEAT',
        },
      },
    );
    expect(manager.errors).toBeUndefined();
    expect(manager.data!.createCustomer.lifecycleStage).toBe('REPEAT');
  });
});

describe('under concurrency, PostgreSQL keeps one holder', () => {
  it('64 concurrent creates and renames of one company from users and keys in different regions: exactly one holder', async () => {
    const name = unique('Contested Industrial');
    const ningboKey = await newKey('ningbo');
    const guangzhouKey = await newKey('guangzhou');
    // Placeholders to rename, one per renaming principal, created before the race.
    const placeholders: { who: Principal; id: string }[] = [];
    for (const [who, territory] of [
      ['repNingbo', 'ningbo'],
      ['repGuangzhou', 'guangzhou'],
      ['repHangzhou2', 'hangzhou'],
    ] as const) {
      for (let i = 0; i < 6; i++) {
        const { data } = await createAsRep(who, territory, { legalName: unique(`Placeholder ${who}`) });
        placeholders.push({ who, id: data!.createCustomer.id });
      }
    }
    const spellings = [name, name.toUpperCase(), `${name} Co., Ltd.`, name.replace(' ', ' \u200b'), name.replace('C', 'С')];
    const attempts: Promise<GqlResult>[] = [];
    for (let i = 0; i < 46; i++) {
      const legalName = spellings[i % spellings.length]!;
      switch (i % 5) {
        case 0:
          attempts.push(createAsRep('repHangzhou', 'hangzhou', { legalName }));
          break;
        case 1:
          attempts.push(createAsRep('repNingbo', 'ningbo', { legalName }));
          break;
        case 2:
          attempts.push(createAsRep('repGuangzhou', 'guangzhou', { legalName }));
          break;
        case 3:
          attempts.push(
            asKey(ningboKey, CREATE, {
              input: { legalName, territoryId: t.baseline.regions.ningbo.id, ownerId: t.baseline.users.repNingbo.id },
            }),
          );
          break;
        default:
          attempts.push(
            asKey(guangzhouKey, CREATE, {
              input: { legalName, territoryId: t.baseline.regions.guangzhou.id, ownerId: t.baseline.users.repGuangzhou.id },
            }),
          );
      }
    }
    for (const [index, placeholder] of placeholders.entries()) {
      attempts.push(
        t.gqlAs(placeholder.who, UPDATE, { id: placeholder.id, input: { version: 1, legalName: spellings[index % spellings.length] } }),
      );
    }
    expect(attempts.length).toBe(64);
    const results = await Promise.all(attempts);
    const won = results.filter((result) => !result.errors);
    const codes = results.filter((result) => result.errors).map((result) => result.errors![0]!.extensions?.code);
    expect(won).toHaveLength(1);
    expect(codes).toHaveLength(63);
    for (const code of codes) expect(['DUPLICATE_OWNED', 'CONFLICT']).toContain(code);

    const [key] = await sql<{ normalized_name: string }>(`select normalized_name from customer where legal_name = any(?::text[]) limit 1`, [
      `{${spellings.map((s) => `"${s}"`).join(',')}}`,
    ]);
    expect(await liveHolders(key!.normalized_name)).toBe(1);
    // Every spelling carries the same random suffix: the directory shows one record of the company.
    const directory = await t.gqlAs('repGuangzhou', DIRECTORY, { search: name.slice(-8) });
    expect(directory.data!.customers.totalCount).toBe(1);
    // The renames that lost left their placeholders as they were.
    const untouched = await sql<{ count: number }>(
      `select count(*)::int as count from customer where id = any(?::uuid[]) and version = 1`,
      [`{${placeholders.map((p) => p.id).join(',')}}`],
    );
    expect(untouched[0]!.count).toBeGreaterThanOrEqual(placeholders.length - 1);
  });
});
