import 'reflect-metadata';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeName, registrationKey } from '../../api/src/modules/customer/index.js';
import { workOnce } from '../../api/src/modules/import/index.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * The "done when": an admin imports a realistic 10,000-row file with mistakes and
 * duplicates, in Chinese (CSV) and in English (XLSX), sees exactly what will happen, runs it and
 * reverts it. The generator below decides each row's outcome from docs/import.md as it writes it.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ IMPORT_WORKER: 'off' });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const JOB = `query ($id: ID!) { import(id: $id) {
  id version status totalRows analyzedRows processedRows
  counts { create update contact duplicateOwned invalid }
  result { createdCustomers updatedCustomers createdContacts skippedRows revertedRecords revertRefused }
} }`;
const START = `mutation ($id: ID!, $version: Int!) { startImport(id: $id, version: $version) { id status } }`;
const REVERT = `mutation ($id: ID!) { revertImport(id: $id) { id status result { revertedRecords revertRefused } } }`;

async function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

async function drain(): Promise<void> {
  while (await workOnce(t.orm, t.app.config, t.app.logger));
}

/** mulberry32: the same file on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Lang = 'zh' | 'en';
type Action = 'CREATE' | 'UPDATE' | 'CONTACT' | 'DUPLICATE_OWNED' | 'INVALID';
interface Expected {
  line: number;
  action: Action;
  field: string | null;
  code: string | null;
}
interface Company {
  name: string;
  registrationId: string;
  externalId: string;
  territory: string;
  owner: string;
}
interface Seeded {
  id: string;
  legalName: string;
  registrationId: string;
  externalId: string;
}
interface Generated {
  header: string[];
  rows: string[][];
  expected: Expected[];
  /** Created accounts by external id: what the database must hold after the run. */
  creates: Map<string, { name: string; territory: string; owner: string; industry: string; tags: string[]; contacts: string[] }>;
  updates: Map<string, string>; // account id → industry written
  contacts: number;
}

const HEADERS: Record<Lang, string[]> = {
  zh: ['公司名称', '统一社会信用代码', '外部编号', '省份', '城市', '区域', '负责人邮箱', '行业', '联系人', '手机', '邮箱', '标签'],
  en: [
    'Company Name',
    'Registration ID',
    'External ID',
    'Province',
    'City',
    'Territory',
    'Owner E-mail',
    'Industry',
    'Contact',
    'Mobile',
    'E-mail',
    'Tags',
  ],
};
const PLACES: Record<Lang, { province: string; city: string; territory: string; owners: string[] }[]> = {
  zh: [
    { province: '浙江省', city: '杭州市', territory: 'HZ', owners: ['rep.hz@test.local', 'rep.hz2@test.local'] },
    { province: '浙江省', city: '宁波市', territory: 'NB', owners: ['rep.nb@test.local'] },
    { province: '广东省', city: '广州市', territory: 'GZ', owners: ['rep.gz@test.local'] },
  ],
  en: [
    { province: 'Zhejiang', city: 'Hangzhou', territory: 'Hangzhou', owners: ['rep.hz@test.local', 'rep.hz2@test.local'] },
    { province: 'Zhejiang', city: 'Ningbo', territory: 'Ningbo', owners: ['rep.nb@test.local'] },
    { province: 'Guangdong', city: 'Guangzhou', territory: 'Guangzhou', owners: ['rep.gz@test.local'] },
  ],
};
const BRANDS: Record<Lang, string[]> = {
  zh: ['华联', '瑞丰', '鼎盛', '新星', '恒远', '金桥', '宏达', '天成', '海纳', '博雅', '中科', '永安'],
  en: ['Sino', 'Golden Bridge', 'Evergreen', 'Harbor', 'Summit', 'Pacific', 'Lotus', 'Dragon Gate', 'Jade', 'Orient'],
};
const INDUSTRIES: Record<Lang, string[]> = {
  zh: ['制造', '零售', '物流', '电子', '纺织', '化工', '医药', '建材'],
  en: ['Manufacturing', 'Retail', 'Logistics', 'Electronics', 'Textiles', 'Chemicals', 'Pharma', 'Building materials'],
};
const SURNAMES = ['张', '王', '李', '赵', '陈', '刘', '杨', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '军'];
const FIRST = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Qiang', 'Lei', 'Yang', 'Yan', 'Jun'];
const LAST = ['Zhang', 'Wang', 'Li', 'Zhao', 'Chen', 'Liu', 'Yang', 'Huang', 'Zhou', 'Wu'];
const MISTAKES = ['NO_NAME', 'BAD_REGISTRATION', 'BAD_MOBILE', 'BAD_EMAIL', 'UNKNOWN_TERRITORY', 'OWNER_MISFIT'] as const;

/**
 * 10,000 rows: new companies (CREATE, with 0–2 contact rows after them, some repeating the
 * company's columns, some leaving them blank), updates of accounts that exist (by external id, by
 * registration id, by name: an admin may edit every account), a few hundred mistakes of several
 * kinds and duplicates within the file (by name, by registration id).
 */
function generate(lang: Lang, seed: number, tag: string, seeded: Seeded[], others: { legalName: string; id: string }[]): Generated {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const header = HEADERS[lang];
  const rows: string[][] = [];
  const expected: Expected[] = [];
  const creates: Generated['creates'] = new Map();
  const updates = new Map<string, string>();
  const created: Company[] = [];
  let contacts = 0;
  let serial = 0;
  const spareSeeded = [...seeded];
  const spareOthers = [...others];
  const person = () =>
    lang === 'zh'
      ? { name: pick(SURNAMES) + pick(GIVEN) + pick(GIVEN), mail: `${pick(LAST).toLowerCase()}${Math.floor(next() * 1e4)}` }
      : (() => {
          const first = pick(FIRST);
          const last = pick(LAST);
          return { name: `${first} ${last}`, mail: `${first}.${last}${Math.floor(next() * 1e4)}`.toLowerCase() };
        })();
  const mobile = () => `1${pick(['38', '39', '58', '86', '77'])}${String(Math.floor(next() * 1e8)).padStart(8, '0')}`;
  const push = (cells: string[], outcome: Omit<Expected, 'line'>) => {
    rows.push(cells);
    expected.push({ line: rows.length + 1, ...outcome });
  };
  const row = (c: {
    name: string;
    reg: string;
    ext: string;
    province: string;
    city: string;
    territory: string;
    owner: string;
    industry: string;
    contact: string;
    mobile: string;
    email: string;
    tags: string;
  }) => [c.name, c.reg, c.ext, c.province, c.city, c.territory, c.owner, c.industry, c.contact, c.mobile, c.email, c.tags];
  const followers = (company: { name: string; reg: string; ext: string }, onContact: (name: string) => void) => {
    const count = next() < 0.45 ? Math.floor(next() * 3) : 0;
    for (let k = 0; k < count && rows.length < 10_000; k += 1) {
      const who = person();
      const repeat = next() < 0.5;
      push(
        row({
          name: repeat ? company.name : '',
          reg: repeat ? company.reg : '',
          ext: repeat ? company.ext : '',
          province: '',
          city: '',
          territory: '',
          owner: '',
          industry: '',
          contact: who.name,
          mobile: mobile(),
          email: `${who.mail}@example.cn`,
          tags: '',
        }),
        { action: 'CONTACT', field: null, code: null },
      );
      contacts += 1;
      onContact(who.name);
    }
  };
  while (rows.length < 10_000) {
    const dice = next();
    const place = pick(PLACES[lang]);
    const industry = pick(INDUSTRIES[lang]);
    const who = person();
    if (dice < 0.035 && (spareSeeded.length || spareOthers.length)) {
      // An update of an account that exists: by external id, by registration id, or by name.
      const useSeeded = spareSeeded.length > 0 && (next() < 0.85 || !spareOthers.length);
      const target = useSeeded ? spareSeeded.pop()! : spareOthers.pop()!;
      const how = useSeeded ? (next() < 0.5 ? 'EXTERNAL_ID' : 'REGISTRATION_ID') : 'LEGAL_NAME';
      const seededTarget = target as Seeded;
      const written = `${industry} ${tag} updated`;
      const company = {
        name: target.legalName,
        reg: how === 'REGISTRATION_ID' ? seededTarget.registrationId : '',
        ext: how === 'EXTERNAL_ID' ? seededTarget.externalId : '',
      };
      push(
        row({
          ...company,
          province: '',
          city: '',
          territory: '',
          owner: '',
          industry: written,
          contact: who.name,
          mobile: mobile(),
          email: `${who.mail}@example.cn`,
          tags: '',
        }),
        {
          action: 'UPDATE',
          field: how,
          code: null,
        },
      );
      contacts += 1;
      updates.set(target.id, written);
      followers(company, () => undefined);
      continue;
    }
    if (dice < 0.065 && created.length > 10) {
      // A duplicate of a company earlier in the file: its name again, or its registration id under another name.
      const original = pick(created.slice(0, -1));
      serial += 1;
      const byName = next() < 0.5;
      push(
        row({
          name: byName ? original.name : `${original.name}${lang === 'zh' ? '分公司' : ' Branch'} ${serial}`,
          reg: byName ? '' : original.registrationId,
          ext: `${tag}-D${serial}`,
          province: place.province,
          city: place.city,
          territory: original.territory,
          owner: original.owner,
          industry,
          contact: who.name,
          mobile: mobile(),
          email: `${who.mail}@example.cn`,
          tags: '',
        }),
        { action: 'INVALID', field: 'LEGAL_NAME', code: 'DUPLICATE_IN_FILE' },
      );
      continue;
    }
    serial += 1;
    const name =
      lang === 'zh'
        ? `${place.city.replace('市', '')}${pick(BRANDS.zh)}${industry}${tag}${serial}号有限公司`
        : `${pick(BRANDS.en)} ${industry} ${tag} ${serial} Co., Ltd.`;
    const reg = `91${lang === 'zh' ? '44' : '55'}${String(seed % 1000).padStart(3, '0')}${String(serial).padStart(6, '0')}`.padEnd(18, '0');
    const ext = `${tag}-${serial}`;
    const owner = pick(place.owners);
    const tags = lang === 'zh' ? ['导入', pick(['重点', '新客', '展会'])] : ['imported', pick(['key', 'new', 'fair'])];
    const cells = {
      name,
      reg,
      ext,
      province: place.province,
      city: place.city,
      territory: place.territory,
      owner,
      industry,
      contact: who.name,
      mobile: mobile(),
      email: `${who.mail}@example.cn`,
      tags: tags.join(lang === 'zh' ? '，' : ', '),
    };
    if (dice < 0.1) {
      // One mistake per row, of several kinds.
      const mistake = pick(MISTAKES);
      const outcome: Record<(typeof MISTAKES)[number], [Partial<typeof cells>, string, string]> = {
        NO_NAME: [{ name: '' }, 'LEGAL_NAME', 'REQUIRED'],
        BAD_REGISTRATION: [{ reg: lang === 'zh' ? '91-3301-甲乙丙' : '91 33/01 ÄÖ' }, 'REGISTRATION_ID', 'INVALID_FORMAT'],
        BAD_MOBILE: [{ mobile: lang === 'zh' ? '手机号待补' : 'ask later' }, 'CONTACT_MOBILE', 'INVALID_FORMAT'],
        BAD_EMAIL: [{ email: `${who.mail}.example.cn` }, 'CONTACT_EMAIL', 'INVALID_FORMAT'],
        UNKNOWN_TERRITORY: [{ territory: lang === 'zh' ? '西藏' : 'Atlantis' }, 'TERRITORY', 'UNKNOWN_TERRITORY'],
        OWNER_MISFIT: [
          { owner: place.territory === 'GZ' || place.territory === 'Guangzhou' ? 'rep.nb@test.local' : 'rep.gz@test.local' },
          'OWNER_EMAIL',
          'OWNER_MISFIT',
        ],
      };
      const [change, field, code] = outcome[mistake];
      push(row({ ...cells, ...change }), { action: 'INVALID', field, code });
      continue;
    }
    push(row(cells), { action: 'CREATE', field: null, code: null });
    contacts += 1;
    const record = { name, territory: place.territory, owner, industry, tags, contacts: [who.name] };
    creates.set(ext, record);
    created.push({ name, registrationId: reg, externalId: ext, territory: place.territory, owner });
    followers({ name, reg, ext }, (contact) => record.contacts.push(contact));
  }
  return { header, rows, expected, creates, updates, contacts };
}

function csv(rows: string[][]): Buffer {
  const text = rows
    .map((row) => row.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(','))
    .join('\r\n');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

async function xlsx(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Customers');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Counts of the tables an import writes and a checksum of every account it may touch. */
async function snapshot(ids: string[]) {
  const [counts] = await sql<{ customers: number; contacts: number }>(
    `select (select count(*)::int from customer) as customers, (select count(*)::int from contact) as contacts`,
  );
  const [sum] = await sql<{ sum: string }>(
    `select md5(string_agg(concat_ws('|', id, legal_name, normalized_name, registration_id, external_id, industry, tags::text, notes, owner_id, territory_id, archived_at,
        (select string_agg(concat_ws('/', ct.name, ct.mobile, ct.email), ',' order by ct.id) from contact ct where ct.customer_id = c.id)), ';' order by id)) as sum
     from customer c where id = any(?::uuid[])`,
    [`{${ids.join(',')}}`],
  );
  return { ...counts, sum: sum!.sum };
}

async function seedAccounts(tag: string, count: number): Promise<Seeded[]> {
  const [hz] = await sql<{ id: string }>(`select id from region where code = 'HZ'`);
  const [nb] = await sql<{ id: string }>(`select id from region where code = 'NB'`);
  const out: Seeded[] = [];
  for (let i = 1; i <= count; i += 1) {
    const legalName = `Seeded ${tag} Account ${i} Ltd`;
    const registrationId = `91${tag.charCodeAt(0)}7${String(i).padStart(6, '0')}`.padEnd(18, '7');
    const externalId = `SEED-${tag}-${i}`;
    const territory = i % 2 ? hz!.id : nb!.id;
    const owner = i % 2 ? t.baseline.users.repHangzhou.id : t.baseline.users.repNingbo.id;
    const [row] = await sql<{ id: string }>(
      `insert into customer (id, legal_name, normalized_name, registration_id, registration_key, external_id, industry, territory_id, owner_id, tags)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, 'Original', ?, ?, '{seeded}') returning id`,
      [legalName, normalizeName(legalName), registrationId, registrationKey(registrationId), externalId, territory, owner],
    );
    out.push({ id: row!.id, legalName, registrationId, externalId });
  }
  return out;
}

const tally = (expected: Expected[]) => ({
  create: expected.filter((e) => e.action === 'CREATE').length,
  update: expected.filter((e) => e.action === 'UPDATE').length,
  contact: expected.filter((e) => e.action === 'CONTACT').length,
  duplicateOwned: expected.filter((e) => e.action === 'DUPLICATE_OWNED').length,
  invalid: expected.filter((e) => e.action === 'INVALID').length,
});

describe.each([
  { lang: 'zh' as Lang, format: 'CSV', seed: 1301, tag: 'Z' },
  { lang: 'en' as Lang, format: 'XLSX', seed: 1302, tag: 'E' },
])('an admin imports 10,000 rows ($lang, $format)', ({ lang, format, seed, tag }) => {
  it('dry run as generated, run written, revert back to the start', { timeout: 240_000 }, async () => {
    const seeded = await seedAccounts(tag, 150);
    const others = t.baseline.customers.map((c) => ({ id: c.id, legalName: c.legalName }));
    const generated = generate(lang, seed, tag, seeded, others);
    expect(generated.rows).toHaveLength(10_000);
    const expectedCounts = tally(generated.expected);
    // The file is realistic: every kind appears, mistakes number a few hundred.
    const codes = new Set(generated.expected.map((e) => e.code).filter(Boolean));
    expect([...codes].sort()).toEqual(['DUPLICATE_IN_FILE', 'INVALID_FORMAT', 'OWNER_MISFIT', 'REQUIRED', 'UNKNOWN_TERRITORY'].sort());
    expect(expectedCounts.invalid).toBeGreaterThan(300);
    expect(expectedCounts.invalid).toBeLessThan(1500);
    expect(expectedCounts.update).toBeGreaterThan(100);
    expect(expectedCounts.contact).toBeGreaterThan(1000);

    const touched = [...seeded.map((s) => s.id), ...others.map((o) => o.id)];
    const before = await snapshot(touched);

    const file = format === 'CSV' ? csv([generated.header, ...generated.rows]) : await xlsx([generated.header, ...generated.rows]);
    const response = await t
      .http()
      .post('/import')
      .set('authorization', `Bearer ${t.tokenFor('admin')}`)
      .attach('file', file, format === 'CSV' ? '客户.csv' : 'customers.xlsx');
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ format, totalRows: 10_000, status: 'ANALYZING' });
    expect(response.body.columns.map((c: any) => c.field)).toEqual([
      'LEGAL_NAME',
      'REGISTRATION_ID',
      'EXTERNAL_ID',
      'PROVINCE',
      'CITY',
      'TERRITORY',
      'OWNER_EMAIL',
      'INDUSTRY',
      'CONTACT_NAME',
      'CONTACT_MOBILE',
      'CONTACT_EMAIL',
      'TAGS',
    ]);
    const id = response.body.id as string;
    await drain();

    const ready = (await t.gqlAs('admin', JOB, { id })).data!.import as any;
    expect(ready.status).toBe('READY');
    expect(ready.analyzedRows).toBe(10_000);
    expect(ready.counts).toEqual(expectedCounts);
    // Every row's outcome, not only the counts: line, action, field at fault and code.
    const rows = await sql<Expected>(`select line, action::text as action, field, code from import_row where job_id = ? order by line`, [
      id,
    ]);
    const wrong = rows.filter((row, index) => JSON.stringify(row) !== JSON.stringify(generated.expected[index]));
    expect(wrong.slice(0, 5).map((row) => [row, generated.expected.find((e) => e.line === row.line)])).toEqual([]);
    expect(rows).toHaveLength(10_000);
    expect(await sql('select id from customer where import_id = ?', [id])).toHaveLength(0);

    await t.gqlAs('admin', START, { id, version: ready.version });
    await drain();
    const done = (await t.gqlAs('admin', JOB, { id })).data!.import as any;
    expect(done.status).toBe('COMPLETED');
    expect(done.processedRows).toBe(10_000);
    expect(done.result).toMatchObject({
      createdCustomers: expectedCounts.create,
      updatedCustomers: expectedCounts.update,
      createdContacts: generated.contacts,
      skippedRows: expectedCounts.invalid + expectedCounts.duplicateOwned,
    });

    // The database holds what the file said: accounts placed and owned as named, their tags and contacts.
    const created = await sql<{
      external_id: string;
      legal_name: string;
      industry: string;
      tags: string[];
      code: string;
      name: string;
      name_zh: string | null;
      email: string;
      contacts: string[];
    }>(
      `select c.external_id, c.legal_name, c.industry, c.tags, r.code, r.name, r.name_zh, u.email,
              array(select ct.name from contact ct where ct.customer_id = c.id order by ct.created_at, ct.id) as contacts
       from customer c join region r on r.id = c.territory_id join app_user u on u.id = c.owner_id where c.import_id = ?`,
      [id],
    );
    expect(created).toHaveLength(generated.creates.size);
    for (const row of created) {
      const want = generated.creates.get(row.external_id)!;
      expect(want, row.external_id).toBeDefined();
      expect(row.legal_name).toBe(want.name);
      expect(row.industry).toBe(want.industry);
      expect([row.code, row.name]).toContain(want.territory);
      expect(row.email).toBe(want.owner);
      expect([...row.tags].sort()).toEqual([...want.tags].sort());
      expect([...row.contacts].sort()).toEqual([...want.contacts].sort());
    }
    const updated = await sql<{ id: string; industry: string }>(`select id, industry from customer where id = any(?::uuid[])`, [
      `{${[...generated.updates.keys()].join(',')}}`,
    ]);
    expect(updated).toHaveLength(generated.updates.size);
    for (const row of updated) expect(row.industry).toBe(generated.updates.get(row.id));
    expect(await sql('select id from contact where import_id = ?', [id])).toHaveLength(generated.contacts);
    // A spot check of one contact's values as written (mobile as typed, e-mail lower case).
    const line = generated.expected.find((e) => e.action === 'CONTACT')!.line;
    const source = generated.rows[line - 2]!;
    const [contact] = await sql<{ name: string; mobile: string; email: string }>(
      `select name, mobile, email from contact where import_id = ? and name = ? and mobile = ?`,
      [id, source[8], source[9]],
    );
    expect(contact).toEqual({ name: source[8], mobile: source[9], email: source[10]!.toLowerCase() });

    const reverted = await t.gqlAs('admin', REVERT, { id });
    expect(reverted.errors).toBeUndefined();
    expect(reverted.data!.revertImport).toMatchObject({ status: 'REVERTING' });
    await drain();
    const afterRevert = await t.gqlAs(
      'admin',
      `query ($id: ID!) { import(id: $id) { status revertedRows totalRows result { revertRefused } } }`,
      {
        id,
      },
    );
    expect(afterRevert.data!.import).toMatchObject({ status: 'REVERTED', result: { revertRefused: 0 } });
    expect(afterRevert.data!.import.revertedRows).toBe(afterRevert.data!.import.totalRows);
    expect(await sql('select id from customer where import_id = ?', [id])).toHaveLength(0);
    expect(await snapshot(touched)).toEqual(before);
  });
});
