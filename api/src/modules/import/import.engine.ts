import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { Scope, type Viewer } from '../../common/access/index.js';
import { apiKeyViewerById, enterSession } from '../../common/auth/session.js';
import { sqlStateOf } from '../../common/errors/errors.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { systemTransaction } from '../../common/orm/system-transaction.js';
import type { Config } from '../../config.js';
import { AccessLevel, customerAccess, ownerFitsSql, placementRefusal, subjectForUser } from '../access/index.js';
import { placeByRules, placementFor } from '../assignment/index.js';
import { recordAudit } from '../audit/index.js';
import { interpret, type CompanyValues, type Interpreted } from './import.rows.js';
import { ImportAction, ImportField, ImportRowCode, ImportStatus, type MappedColumn } from './import.types.js';

const ANALYSIS_CHUNK = 2000;
const CACHE_LIMIT = 10_000;

interface JobRow {
  id: string;
  status: ImportStatus;
  analysis: number;
  mapping: MappedColumn[];
  userId: string | null;
  keyId: string | null;
  processedRows: number;
  revertUserId: string | null;
  revertKeyId: string | null;
}

/** Who a transaction of the worker acts as: the importer (dry run, run) or whoever asked for the revert. */
type Principal = { userId: string | null; keyId: string | null };

/** The importer as a viewer now (a deactivated user or a revoked key: null, and nothing is done for them). */
async function importerViewer(em: EntityManager, job: Principal): Promise<Viewer | null> {
  if (job.userId) {
    const subject = await subjectForUser(em, job.userId);
    return subject?.active ? subject.viewer : null;
  }
  return job.keyId ? apiKeyViewerById(em, job.keyId) : null;
}

class ImporterGone extends Error {}

/**
 * A transaction of the worker as the importer: the unprivileged role with the importer's reach
 * (row-level security as for their own requests), the change feed's origin `import`.
 */
async function asImporter<T>(
  orm: MikroORM,
  config: Config,
  job: Principal,
  work: (em: EntityManager, viewer: Viewer) => Promise<T>,
): Promise<T> {
  return orm.em.fork().transactional(async (tx) => {
    const em = tx as EntityManager;
    const viewer = await importerViewer(em, job);
    if (!viewer) throw new ImporterGone();
    await enterSession(em, viewer, config.territoryAccess, { statementMs: 120_000, lockMs: 10_000, idleInTransactionMs: 120_000 });
    await em.execute(`select set_config('app.origin', 'import', true), set_config('jit', 'off', true)`);
    return work(em, viewer);
  });
}

interface Holder {
  i: number;
  kind?: string;
  customerId: string;
  ownerId: string;
  territoryId: string;
}

interface Decision {
  line: number;
  groupLine: number | null;
  action: ImportAction;
  field: ImportField | null;
  code: ImportRowCode | null;
  params: Record<string, unknown> | null;
  customerId: string | null;
}

/**
 * What the analysis carries from one chunk to the next: the group in progress and caches of
 * lookups by value. Nothing per row: the identity keys already named are in `import_key`, and the
 * caches are emptied when they reach CACHE_LIMIT entries (a file of distinct cities and owners).
 */
interface Carry {
  key: string | null;
  head: Decision | null;
  territories: Map<string, string>;
  placements: Map<string, { territoryId: string; ownerId: string | null } | null>;
  fits: Map<string, boolean>;
}

const IDENTITY_FIELD: Record<string, ImportField> = {
  NAME: ImportField.LEGAL_NAME,
  REGISTRATION: ImportField.REGISTRATION_ID,
  DOMAIN: ImportField.WEBSITE,
};
const IDENTITY_RANK = ['REGISTRATION', 'DOMAIN', 'NAME'];

function identityKeys(company: CompanyValues): string[] {
  return [
    company.registrationKey && `r:${company.registrationKey}`,
    company.websiteDomain && `d:${company.websiteDomain}`,
    company.normalizedName && `n:${company.normalizedName}`,
  ].filter((key): key is string => Boolean(key));
}

async function territoryIndex(em: EntityManager): Promise<Map<string, string>> {
  const rows = await em.execute<{ id: string; code: string; name: string; nameZh: string | null }[]>(
    `select id, code, name, name_zh as "nameZh" from region where kind = 'TERRITORY'`,
  );
  const index = new Map<string, string>();
  for (const row of rows) for (const key of [row.code, row.name, row.nameZh]) if (key) index.set(key.trim().toLowerCase(), row.id);
  return index;
}

/**
 * Classifies the heads of groups in a chunk: the match by external id or registration id (an
 * account the importer may edit: UPDATE; another's: DUPLICATE_OWNED, reported with nothing the
 * importer may not know), then the identity keys any live account holds (the identity invariant's
 * own table, through `app_identity_holders`), then where a new account would go.
 */
async function classifyHeads(
  em: EntityManager,
  jobId: string,
  viewer: Viewer,
  config: Config,
  heads: { line: number; row: Interpreted }[],
  carry: Carry,
): Promise<Map<number, Decision>> {
  const out = new Map<number, Decision>();
  if (!heads.length) return out;
  const byExternal = await em.execute<Holder[]>(
    `select u.i::int as i, h.customer_id as "customerId", h.owner_id as "ownerId", h.territory_id as "territoryId"
     from unnest(?::text[]) with ordinality u(e, i) cross join lateral app_external_id_holder(u.e) h where u.e is not null`,
    [pgArray(heads.map((head) => head.row.company.externalId))],
  );
  const byIdentity = await em.execute<Holder[]>(
    `select u.i::int as i, h.kind::text as kind, h.customer_id as "customerId", h.owner_id as "ownerId", h.territory_id as "territoryId"
     from unnest(?::text[], ?::text[], ?::text[]) with ordinality u(n, r, d, i) cross join lateral app_identity_holders(u.n, u.r, u.d) h`,
    [
      pgArray(heads.map((head) => head.row.company.normalizedName)),
      pgArray(heads.map((head) => head.row.company.registrationKey)),
      pgArray(heads.map((head) => head.row.company.websiteDomain)),
    ],
  );
  const emails = [...new Set(heads.map((head) => head.row.company.ownerEmail).filter((email): email is string => Boolean(email)))];
  const owners = new Map(
    (
      await em.execute<{ id: string; email: string }[]>(
        `select id, lower(email) as email from app_user where active and lower(email) = any(?::text[])`,
        [pgArray(emails)],
      )
    ).map((row) => [row.email, row.id]),
  );
  // Heads naming a key an earlier head of the file named: decided by `import_key`, one statement for the chunk.
  const claims = heads.flatMap(({ line, row }) =>
    [...identityKeys(row.company), ...(row.company.externalId ? [`e:${row.company.externalId}`] : [])].map((key) => ({ line, key })),
  );
  const [claimed] = await em.execute<{ duplicates: number[] }[]>(
    `select app_import_claim_keys(?::uuid, ?::int[], ?::text[]) as duplicates`,
    [jobId, `{${claims.map((claim) => claim.line).join(',')}}`, pgArray(claims.map((claim) => claim.key))],
  );
  const duplicates = new Set(claimed?.duplicates ?? []);
  if (carry.placements.size >= CACHE_LIMIT) carry.placements.clear();
  if (carry.fits.size >= CACHE_LIMIT) carry.fits.clear();
  const decided: { index: number; line: number; territoryId: string; ownerId: string }[] = [];
  for (const [index, { line, row }] of heads.entries()) {
    const i = index + 1;
    const { company } = row;
    const decide = (decision: Omit<Decision, 'line' | 'groupLine'>) => out.set(line, { line, groupLine: line, ...decision });
    const invalid = (field: ImportField, code: ImportRowCode, params: Record<string, unknown> | null = null) =>
      decide({ action: ImportAction.INVALID, field, code, params, customerId: null });
    const external = byExternal.find((holder) => holder.i === i);
    const registration = byIdentity.find((holder) => holder.i === i && holder.kind === 'REGISTRATION');
    if (duplicates.has(line)) {
      invalid(ImportField.LEGAL_NAME, ImportRowCode.DUPLICATE_IN_FILE);
      continue;
    }
    if (external && registration && external.customerId !== registration.customerId) {
      invalid(ImportField.REGISTRATION_ID, ImportRowCode.AMBIGUOUS_MATCH);
      continue;
    }
    const identity = byIdentity
      .filter((holder) => holder.i === i)
      .sort((a, b) => IDENTITY_RANK.indexOf(a.kind!) - IDENTITY_RANK.indexOf(b.kind!));
    const match = external ?? registration ?? identity[0];
    if (match) {
      const field = match === external ? ImportField.EXTERNAL_ID : IDENTITY_FIELD[match.kind!]!;
      const others = identity.filter((holder) => holder.customerId !== match.customerId);
      const level = customerAccess(viewer, { owner: match.ownerId, territory: match.territoryId }, config.territoryAccess);
      if (level !== AccessLevel.EDIT) {
        // An API key sees no directory: it learns only that the company exists outside its reach.
        decide({
          action: ImportAction.DUPLICATE_OWNED,
          field,
          code: ImportRowCode.OWNED_ELSEWHERE,
          params: null,
          customerId: viewer.kind === 'USER' ? match.customerId : null,
        });
      } else if (others.length) {
        // The update would give this account a name or domain another live account holds.
        const other = others[0]!;
        const otherLevel = customerAccess(viewer, { owner: other.ownerId, territory: other.territoryId }, config.territoryAccess);
        if (otherLevel === AccessLevel.EDIT) invalid(IDENTITY_FIELD[other.kind!]!, ImportRowCode.AMBIGUOUS_MATCH);
        else
          decide({
            action: ImportAction.DUPLICATE_OWNED,
            field: IDENTITY_FIELD[other.kind!]!,
            code: ImportRowCode.OWNED_ELSEWHERE,
            params: null,
            customerId: viewer.kind === 'USER' ? other.customerId : null,
          });
      } else {
        decide({ action: ImportAction.UPDATE, field, code: null, params: null, customerId: match.customerId });
      }
      continue;
    }
    // A new account: where it goes, and who owns it, under the same rules as createCustomer.
    let territoryId: string | undefined;
    let ownerId: string | null = null;
    if (company.territory) {
      territoryId = carry.territories.get(company.territory.toLowerCase());
      if (!territoryId) {
        invalid(ImportField.TERRITORY, ImportRowCode.UNKNOWN_TERRITORY, { value: company.territory });
        continue;
      }
    } else {
      const facts = {
        province: company.province,
        city: company.city,
        industry: company.industry,
        sizeBand: company.sizeBand,
        sourceChannel: company.sourceChannel,
      };
      const factKey = JSON.stringify(facts);
      if (!carry.placements.has(factKey)) carry.placements.set(factKey, await placeByRules(em, facts));
      const rule = carry.placements.get(factKey);
      if (!rule) {
        invalid(ImportField.TERRITORY, ImportRowCode.NO_RULE);
        continue;
      }
      try {
        const placed = placementFor(viewer, { ruleId: '', ...rule });
        territoryId = placed.territoryId;
        ownerId = placed.ownerId;
      } catch {
        invalid(ImportField.TERRITORY, ImportRowCode.NO_RULE);
        continue;
      }
    }
    if (company.ownerEmail) {
      const named = owners.get(company.ownerEmail);
      if (!named) {
        invalid(ImportField.OWNER_EMAIL, ImportRowCode.UNKNOWN_OWNER, { value: company.ownerEmail });
        continue;
      }
      ownerId = named;
    }
    ownerId ??= viewer.kind === 'USER' ? viewer.id : null;
    if (!ownerId) {
      invalid(ImportField.OWNER_EMAIL, ImportRowCode.REQUIRED);
      continue;
    }
    const refusal = placementRefusal(viewer, { owner: ownerId, territory: territoryId });
    if (refusal) {
      invalid(
        refusal.field === 'ownerId' ? ImportField.OWNER_EMAIL : ImportField.TERRITORY,
        refusal.field === 'ownerId' ? ImportRowCode.OWNER_FORBIDDEN : ImportRowCode.TERRITORY_FORBIDDEN,
      );
      continue;
    }
    decide({ action: ImportAction.CREATE, field: null, code: null, params: { territoryId, ownerId }, customerId: null });
    decided.push({ index, line, territoryId, ownerId });
  }
  // Whether each owner fits their territory (an active rep of it, or a manager of its region): one statement for the chunk.
  const unknown = [...new Set(decided.map((d) => `${d.ownerId}|${d.territoryId}`))].filter((pair) => !carry.fits.has(pair));
  if (unknown.length) {
    const rows = await em.execute<{ pair: string; fits: boolean }[]>(
      `select u.o::text || '|' || u.t::text as pair, ${ownerFitsSql('u.o', 'u.t')} as fits from unnest(?::uuid[], ?::uuid[]) u(o, t)`,
      [pgArray(unknown.map((pair) => pair.split('|')[0]!)), pgArray(unknown.map((pair) => pair.split('|')[1]!))],
    );
    for (const row of rows) carry.fits.set(row.pair, row.fits);
  }
  for (const d of decided) {
    if (!carry.fits.get(`${d.ownerId}|${d.territoryId}`))
      out.set(d.line, {
        line: d.line,
        groupLine: d.line,
        action: ImportAction.INVALID,
        field: ImportField.OWNER_EMAIL,
        code: ImportRowCode.OWNER_MISFIT,
        params: null,
        customerId: null,
      });
  }
  return out;
}

async function writeDecisions(em: EntityManager, jobId: string, decisions: Decision[]): Promise<void> {
  if (!decisions.length) return;
  await em.execute(
    `update import_row r set action = d.action::import_action, field = d.field, code = d.code, params = d.params, customer_id = d.customer_id, group_line = d.group_line
     from jsonb_to_recordset(?::jsonb) as d(line int, group_line int, action text, field text, code text, params jsonb, customer_id uuid)
     where r.job_id = ? and r.line = d.line`,
    [
      JSON.stringify(
        decisions.map((d) => ({
          line: d.line,
          group_line: d.groupLine,
          action: d.action,
          field: d.field,
          code: d.code,
          params: d.params,
          customer_id: d.customerId,
        })),
      ),
      jobId,
    ],
  );
}

/** Contacts are written by users and by keys with contacts:write, as createContact allows. */
function mayWriteContacts(viewer: Viewer): boolean {
  return viewer.kind !== 'API_KEY' || viewer.scopes.includes(Scope.CONTACTS_WRITE);
}

const COUNTS_SQL = `(select jsonb_build_object(
    'create', count(*) filter (where action = 'CREATE'), 'update', count(*) filter (where action = 'UPDATE'),
    'contact', count(*) filter (where action = 'CONTACT'), 'duplicateOwned', count(*) filter (where action = 'DUPLICATE_OWNED'),
    'invalid', count(*) filter (where action = 'INVALID')) from import_row where job_id = ?)`;

/** The dry run of analysis `analysis`: every row classified, chunk by chunk; stops when the mapping changed meanwhile. */
async function analyse(orm: MikroORM, config: Config, job: JobRow, renew: () => Promise<boolean>, options: WorkerOptions): Promise<void> {
  const carry: Carry = { key: null, head: null, territories: new Map(), placements: new Map(), fits: new Map() };
  let after = 0;
  for (let chunks = 0; ; chunks += 1) {
    if (!(await renew())) return;
    if (options.crashAfterBatches !== undefined && chunks >= options.crashAfterBatches) throw new SimulatedCrash();
    const done = await asImporter(orm, config, job, async (em, viewer) => {
      const [current] = await em.execute<{ analysis: number; status: string }[]>(
        'select analysis, status from import_job where id = ? for update',
        [job.id],
      );
      if (!current || current.analysis !== job.analysis || current.status !== ImportStatus.ANALYZING) return true;
      if (!carry.territories.size) carry.territories = await territoryIndex(em);
      // The dry run starts at the first line (after a mapping change, a crash or a restart): nothing claimed yet.
      if (after === 0) {
        await em.execute('delete from import_key where job_id = ?', [job.id]);
        await em.execute('update import_job set analyzed_rows = 0 where id = ?', [job.id]);
      }
      const rows = await em.execute<{ line: number; values: (string | null)[] }[]>(
        'select line, values from import_row where job_id = ? and line > ? order by line limit ?',
        [job.id, after, ANALYSIS_CHUNK],
      );
      if (!rows.length) {
        await em.execute('delete from import_key where job_id = ?', [job.id]);
        await em.execute(`update import_job set status = ?, counts = ${COUNTS_SQL}, lease_until = null, updated_at = now() where id = ?`, [
          ImportStatus.READY,
          job.id,
          job.id,
        ]);
        return true;
      }
      const contacts = mayWriteContacts(viewer);
      const interpreted = rows.map((row) => {
        const read = interpret(row.values, job.mapping);
        // A key without contacts:write may not add contacts through an import either: the row is refused whole.
        if (read.contact && !contacts && !read.fault) read.fault = { field: ImportField.CONTACT_NAME, code: ImportRowCode.SCOPE_MISSING };
        return { line: row.line, row: read };
      });
      // Group heads first (a row naming a company other than the one before), classified together.
      const heads: { line: number; row: Interpreted }[] = [];
      let key = carry.key;
      for (const { line, row } of interpreted) {
        // As below: a faulty row naming a company ends the group before it, so the company's next row opens a group again.
        if (row.fault) {
          if (row.namesCompany) key = null;
          continue;
        }
        if (row.namesCompany && row.groupKey !== key) {
          heads.push({ line, row });
          key = row.groupKey;
        }
      }
      const classified = await classifyHeads(em, job.id, viewer, config, heads, carry);
      const decisions: Decision[] = [];
      for (const { line, row } of interpreted) {
        const follows = carry.head && (!row.namesCompany || row.groupKey === carry.key);
        if (row.fault) {
          decisions.push({
            line,
            groupLine: null,
            action: ImportAction.INVALID,
            field: row.fault.field,
            code: row.fault.code,
            params: row.fault.params ?? null,
            customerId: null,
          });
          // A faulty row naming a company ends the group before it.
          if (row.namesCompany) {
            carry.head = null;
            carry.key = null;
          }
          continue;
        }
        if (follows && carry.head) {
          const head = carry.head;
          const adds = head.action === ImportAction.CREATE || head.action === ImportAction.UPDATE;
          decisions.push({
            line,
            groupLine: head.line,
            action: adds ? ImportAction.CONTACT : head.action,
            field: adds ? null : head.field,
            code: adds ? null : head.action === ImportAction.INVALID ? ImportRowCode.GROUP_INVALID : head.code,
            params: null,
            customerId: adds ? null : head.customerId,
          });
          continue;
        }
        if (!row.namesCompany) {
          decisions.push({
            line,
            groupLine: null,
            action: ImportAction.INVALID,
            field: ImportField.LEGAL_NAME,
            code: ImportRowCode.REQUIRED,
            params: null,
            customerId: null,
          });
          continue;
        }
        const decision = classified.get(line)!;
        decisions.push(decision);
        carry.head = decision;
        carry.key = row.groupKey;
      }
      await writeDecisions(em, job.id, decisions);
      after = rows.at(-1)!.line;
      await em.execute('update import_job set analyzed_rows = analyzed_rows + ?, updated_at = now() where id = ?', [rows.length, job.id]);
      return false;
    });
    if (done) return;
  }
}

interface RunRow {
  line: number;
  groupLine: number | null;
  action: ImportAction;
  values: (string | null)[];
  params: { territoryId?: string; ownerId?: string } | null;
  customerId: string | null;
}

const CUSTOMER_COLUMNS = [
  ['legal_name', 'legalName'],
  ['normalized_name', 'normalizedName'],
  ['registration_id', 'registrationId'],
  ['registration_key', 'registrationKey'],
  ['external_id', 'externalId'],
  ['website_domain', 'websiteDomain'],
  ['industry', 'industry'],
  ['products', 'products'],
  ['size_band', 'sizeBand'],
  ['ownership_type', 'ownershipType'],
  ['source_channel', 'sourceChannel'],
  ['address_line', 'addressLine'],
  ['city', 'city'],
  ['province', 'province'],
  ['postal_code', 'postalCode'],
  ['country', 'country'],
  ['tags', 'tags'],
  ['notes', 'notes'],
] as const;
const CAST: Record<string, string> = {
  size_band: 'size_band',
  ownership_type: 'ownership_type',
  source_channel: 'channel',
  tags: 'text[]',
};
const RECORD_TYPES = CUSTOMER_COLUMNS.map(([column]) => `${column} ${column === 'tags' ? 'text[]' : 'text'}`).join(', ');
const value = (column: string) => (CAST[column] ? `d.${column}::${CAST[column]}` : `d.${column}`);

function customerRecord(company: CompanyValues): Record<string, unknown> {
  return Object.fromEntries(CUSTOMER_COLUMNS.map(([column, key]) => [column, company[key] ?? null]));
}

/** Digits and a leading + of a phone number: `+86 138-0000 1111` and `+8613800001111` are one number. */
const digits = (column: string) => `nullif(regexp_replace(coalesce(${column}, ''), '[^0-9+]', '', 'g'), '')`;

/**
 * The same person as an existing contact `k` of the account, for a new contact `d` (values as
 * `interpret` gives them: trimmed, mobile NFKC, e-mail lower case): the same mobile (digits), or the
 * same e-mail (any case), or, when the row gives neither, the same name (any case) and the same
 * direct line (digits; both empty count as the same).
 */
const SAME_CONTACT_SQL = `(
  (d.mobile is not null and ${digits('k.mobile')} = ${digits('d.mobile')})
  or (d.email is not null and lower(k.email) = d.email)
  or (d.mobile is null and d.email is null and lower(btrim(k.name)) = lower(d.name)
      and ${digits('k.phone')} is not distinct from ${digits('d.phone')}))`;

class IdentityRace extends Error {}

/**
 * Writes one batch's groups: the new accounts in one INSERT, the updates in one UPDATE (their
 * before-images kept), the contacts in one INSERT — all as the importer, so row-level security
 * and the triggers (identity keys, directory, ownership history, change feed) see them as any
 * write. A company whose identity keys another account took since the dry run makes the INSERT
 * fail; the caller then writes the batch group by group, each in a savepoint, and such a group
 * becomes DUPLICATE_OWNED.
 */
async function writeGroups(
  em: EntityManager,
  jobId: string,
  rows: RunRow[],
  mapping: MappedColumn[],
  withContacts: boolean,
): Promise<{ created: number; updated: number; contacts: number; lost: number[] }> {
  const creates = rows.filter((row) => row.action === ImportAction.CREATE);
  const updates = rows.filter((row) => row.action === ImportAction.UPDATE);
  const createdIds = new Map<number, string>();
  const lost: number[] = [];
  if (creates.length) {
    const records = creates.map((row) => {
      const id = randomUUID();
      createdIds.set(row.line, id);
      return {
        id,
        territory_id: row.params!.territoryId,
        owner_id: row.params!.ownerId,
        ...customerRecord(interpret(row.values, mapping).company),
      };
    });
    try {
      await em.execute(
        `insert into customer (id, territory_id, owner_id, import_id, ${CUSTOMER_COLUMNS.map(([column]) => column).join(', ')})
           select d.id, d.territory_id, d.owner_id, ?::uuid, ${CUSTOMER_COLUMNS.map(([column]) => (column === 'tags' ? `coalesce(d.tags, '{}')` : value(column))).join(', ')}
           from jsonb_to_recordset(?::jsonb) as d(id uuid, territory_id uuid, owner_id uuid, ${RECORD_TYPES})`,
        [jobId, JSON.stringify(records)],
      );
    } catch (error) {
      if (sqlStateOf(error) === '23505') throw new IdentityRace();
      throw error;
    }
  }
  let updated = 0;
  if (updates.length) {
    const records = updates.map((row) => ({
      cid: row.customerId,
      line: row.line,
      ...customerRecord(interpret(row.values, mapping).company),
    }));
    // The accounts locked first, in their latest committed state: a FOR UPDATE in the same statement as the UPDATE
    // would skip the rows that statement's own UPDATE had already changed (all but the first, in practice), losing them.
    await em.execute('select id from customer where id = any(?::uuid[]) and archived_at is null order by id for update', [
      pgArray(updates.map((row) => row.customerId)),
    ]);
    // The before-image of every column the import may set, and the version the update leaves.
    const changed = await em.execute<{ line: number; customerId: string; version: number }[]>(
      `with d as (select * from jsonb_to_recordset(?::jsonb) as d(cid uuid, line int, ${RECORD_TYPES})),
       before as (select d.line, c.id, to_jsonb(c) as image from customer c join d on d.cid = c.id where c.archived_at is null),
       upd as (update customer c set ${CUSTOMER_COLUMNS.filter(([column]) => column !== 'normalized_name' && column !== 'registration_key')
         .map(([column]) => `${column} = coalesce(${value(column)}, c.${column})`)
         .join(', ')},
         normalized_name = coalesce(d.normalized_name, c.normalized_name),
         registration_key = coalesce(d.registration_key, c.registration_key),
         version = c.version + 1, updated_at = now()
         from d where c.id = d.cid and c.archived_at is null returning c.id, c.version)
       update import_row r set before = b.image, version_after = upd.version
       from before b join upd on upd.id = b.id where r.job_id = ? and r.line = b.line
       returning r.line, b.id as "customerId", upd.version`,
      [JSON.stringify(records), jobId],
    );
    updated = changed.length;
    const done = new Set(changed.map((row) => row.line));
    for (const row of updates) if (!done.has(row.line)) lost.push(row.line);
  }
  // Contacts: of each group that was written, its head's and its CONTACT rows'.
  const customerOf = new Map<number, string>();
  for (const row of creates) customerOf.set(row.line, createdIds.get(row.line)!);
  for (const row of updates) if (!lost.includes(row.line)) customerOf.set(row.line, row.customerId!);
  const contacts = rows.flatMap((row) => {
    const customer = customerOf.get(row.action === ImportAction.CONTACT ? row.groupLine! : row.line);
    const contact = customer && withContacts ? interpret(row.values, mapping).contact : null;
    return contact && customer ? [{ id: randomUUID(), line: row.line, customer_id: customer, ...contact }] : [];
  });
  // A contact the account already has (docs/import.md, "Contacts of updated accounts") is not added again: the
  // statement that inserts decides, against the account's contacts as they are (its rows are locked above).
  const added = new Set<string>();
  if (contacts.length) {
    const inserted = await em.execute<{ id: string }[]>(
      `insert into contact (id, customer_id, name, title, mobile, phone, email, import_id)
       select d.id, d.customer_id, d.name, d.title, d.mobile, d.phone, d.email, ?::uuid
       from jsonb_to_recordset(?::jsonb) as d(id uuid, customer_id uuid, name text, title text, mobile text, phone text, email text)
       where not exists (select 1 from contact k where k.customer_id = d.customer_id and ${SAME_CONTACT_SQL})
       returning id`,
      [jobId, JSON.stringify(contacts)],
    );
    for (const row of inserted) added.add(row.id);
  }
  const existing = contacts.filter((contact) => !added.has(contact.id));
  if (existing.length)
    await em.execute(`update import_row set code = ? where job_id = ? and line = any(?::int[])`, [
      ImportRowCode.CONTACT_EXISTS,
      jobId,
      `{${existing.map((contact) => contact.line).join(',')}}`,
    ]);
  await em.execute(
    `update import_row r set applied = true, customer_id = coalesce(d.customer_id, r.customer_id), contact_id = d.contact_id
     from jsonb_to_recordset(?::jsonb) as d(line int, customer_id uuid, contact_id uuid) where r.job_id = ? and r.line = d.line`,
    [
      JSON.stringify(
        rows
          .filter((row) => customerOf.has(row.action === ImportAction.CONTACT ? row.groupLine! : row.line))
          .filter((row) => withContacts || row.action !== ImportAction.CONTACT)
          .map((row) => ({
            line: row.line,
            customer_id: row.action === ImportAction.CREATE ? createdIds.get(row.line) : null,
            contact_id: contacts.find((contact) => contact.line === row.line && added.has(contact.id))?.id ?? null,
          })),
      ),
      jobId,
    ],
  );
  return { created: creates.length, updated, contacts: added.size, lost };
}

let savepoints = 0;

/** One batch, all of it or group by group when a group lost a race for its identity keys. */
async function runBatch(em: EntityManager, jobId: string, rows: RunRow[], mapping: MappedColumn[], withContacts: boolean) {
  const name = `import_batch_${(savepoints = (savepoints + 1) % 1e9)}`;
  await em.execute(`savepoint ${name}`);
  try {
    return await writeGroups(em, jobId, rows, mapping, withContacts);
  } catch (error) {
    if (!(error instanceof IdentityRace)) throw error;
    await em.execute(`rollback to savepoint ${name}`);
  }
  const total = { created: 0, updated: 0, contacts: 0, lost: [] as number[] };
  const groups = new Map<number, RunRow[]>();
  for (const row of rows) {
    const head = row.action === ImportAction.CONTACT ? row.groupLine! : row.line;
    groups.set(head, [...(groups.get(head) ?? []), row]);
  }
  for (const [head, group] of groups) {
    const point = `import_group_${(savepoints = (savepoints + 1) % 1e9)}`;
    await em.execute(`savepoint ${point}`);
    try {
      const result = await writeGroups(em, jobId, group, mapping, withContacts);
      total.created += result.created;
      total.updated += result.updated;
      total.contacts += result.contacts;
      total.lost.push(...result.lost);
    } catch (error) {
      if (!(error instanceof IdentityRace)) throw error;
      await em.execute(`rollback to savepoint ${point}`);
      total.lost.push(head);
    }
  }
  return total;
}

/** The run: batch after batch from the last committed one, each its own transaction; stops when cancelled. */
async function run(orm: MikroORM, config: Config, job: JobRow, renew: () => Promise<boolean>, options: WorkerOptions): Promise<void> {
  let batches = 0;
  for (;;) {
    if (!(await renew())) return;
    if (options.crashAfterBatches !== undefined && batches >= options.crashAfterBatches) throw new SimulatedCrash();
    const done = await asImporter(orm, config, job, async (em, viewer) => {
      const [current] = await em.execute<{ status: string; processedLine: number }[]>(
        `select status, processed_line as "processedLine" from import_job j where id = ? for update`,
        [job.id],
      );
      if (!current || current.status !== ImportStatus.RUNNING) return true;
      const after = current.processedLine;
      const rows = await em.execute<RunRow[]>(
        `select line, group_line as "groupLine", action, values, params, customer_id as "customerId"
         from import_row where job_id = ? and line > ? order by line limit ?`,
        [job.id, after, config.imports.batchRows],
      );
      // A batch ends at a group's end: the rest of the last row's group comes along.
      const last = rows.at(-1);
      if (last) {
        const group = last.action === ImportAction.CONTACT ? last.groupLine : last.line;
        rows.push(
          ...(await em.execute<RunRow[]>(
            `select line, group_line as "groupLine", action, values, params, customer_id as "customerId"
             from import_row where job_id = ? and line > ? and group_line = ? and action = 'CONTACT' order by line`,
            [job.id, last.line, group],
          )),
        );
      }
      if (!rows.length) {
        const [result] = await em.execute<{ result: Record<string, number> }[]>(
          `update import_job set status = ?, finished_at = now(), lease_until = null, counts = ${COUNTS_SQL}, updated_at = now(),
             result = jsonb_build_object('createdCustomers', (select count(*) from import_row where job_id = ? and applied and action = 'CREATE'),
               'updatedCustomers', (select count(*) from import_row where job_id = ? and applied and action = 'UPDATE'),
               'createdContacts', (select count(*) from import_row where job_id = ? and contact_id is not null),
               'skippedRows', (select count(*) from import_row where job_id = ? and not applied))
           where id = ? returning result`,
          [ImportStatus.COMPLETED, job.id, job.id, job.id, job.id, job.id, job.id],
        );
        await recordAudit(em, viewer, {
          action: 'import.completed',
          entityType: 'ImportJob',
          entityId: job.id,
          after: result?.result ?? {},
        });
        return true;
      }
      const writable = rows.filter(
        (row) => row.action === ImportAction.CREATE || row.action === ImportAction.UPDATE || row.action === ImportAction.CONTACT,
      );
      // The key's scopes are read again for every batch: one that lost contacts:write since the dry run adds none.
      const result = await runBatch(em, job.id, writable, job.mapping, mayWriteContacts(viewer));
      if (result.lost.length) {
        // Lost to a concurrent writer since the dry run: the company now has a record the import may not change.
        await em.execute(
          `update import_row set action = 'DUPLICATE_OWNED', code = ?, field = coalesce(field, ?), applied = false
           where job_id = ? and (line = any(?::int[]) or group_line = any(?::int[]))`,
          [ImportRowCode.OWNED_ELSEWHERE, ImportField.LEGAL_NAME, job.id, `{${result.lost.join(',')}}`, `{${result.lost.join(',')}}`],
        );
      }
      const upto = rows.at(-1)!.line;
      await em.execute('update import_job set processed_line = ?, processed_rows = processed_rows + ?, updated_at = now() where id = ?', [
        upto,
        rows.length,
        job.id,
      ]);
      if (result.created || result.updated || result.contacts)
        await recordAudit(em, viewer, {
          action: 'import.batch',
          entityType: 'ImportJob',
          entityId: job.id,
          after: {
            fromLine: rows[0]!.line,
            toLine: upto,
            created: result.created,
            updated: result.updated,
            contacts: result.contacts,
            lost: result.lost.length,
          },
        });
      return false;
    });
    batches += 1;
    if (done) return;
  }
}

/**
 * A batch that lost a deadlock, a serialization check or a lock wait is tried again (it rolled back whole); so is
 * one whose restore met an identity key taken at that instant (23505): tried again, it sees the holder and refuses the row.
 */
const TRANSIENT = new Set(['40001', '40P01', '55P03', '23505']);
const BATCH_ATTEMPTS = 5;

/**
 * Reverts the rows of lines `after` < line ≤ `upto` (one batch, in the caller's transaction). The
 * decision to remove or restore a record is taken inside the statement that writes it: the
 * records are locked first (customers, then the contacts of created ones and the import's own),
 * so no edit, interaction, order or contact can land on them until the batch commits, and an edit
 * that committed before sees its record refused. Each statement then removes (restores) only
 * the records whose state still allows it and, in the same statement, lists every other row of
 * the batch with its revertCode, from that statement's own snapshot; a record the write skipped
 * although the snapshot found nothing against it was changed at that instant (CHANGED_SINCE).
 */
async function revertBatch(em: EntityManager, jobId: string, after: number, upto: number) {
  const range = 'r.job_id = ? and r.line > ? and r.line <= ?';
  const locked = await em.execute<{ id: string }[]>(
    `select c.id from customer c where c.id in (select r.customer_id from import_row r where ${range}
       and r.applied and r.action in ('CREATE', 'UPDATE') and r.revert_code is null) order by c.id for update`,
    [jobId, after, upto],
  );
  if (locked.length)
    await em.execute(
      `select k.id from contact k where k.customer_id in (select r.customer_id from import_row r where ${range} and r.applied and r.action = 'CREATE')
         or k.id in (select r.contact_id from import_row r where ${range} and r.contact_id is not null) order by k.id for update`,
      [jobId, after, upto, jobId, after, upto],
    );
  else
    await em.execute(
      `select k.id from contact k where k.id in (select r.contact_id from import_row r where ${range} and r.contact_id is not null) order by k.id for update`,
      [jobId, after, upto],
    );
  const activity = `exists (select 1 from interaction i where i.customer_id = c.id) or exists (select 1 from sales_order o where o.customer_id = c.id)
    or exists (select 1 from contact k where k.customer_id = c.id and (k.import_id is distinct from c.import_id or k.version <> 1))`;
  const [created] = await em.execute<{ removed: number; refused: number }[]>(
    `with cand as (select r.line, r.customer_id from import_row r where ${range} and r.applied and r.action = 'CREATE' and r.revert_code is null),
     del as (delete from customer c using cand where c.id = cand.customer_id and c.import_id = ?::uuid and c.archived_at is null and c.version = 1
       and not (${activity}) returning c.id),
     refused as (update import_row r set revert_code = case when c.id is null or c.archived_at is not null then ?
         when app_access(c.owner_id, c.territory_id) <> 'EDIT' then ? when c.version <> 1 then ? when ${activity} then ? else ? end
       from cand left join customer c on c.id = cand.customer_id and c.import_id = ?::uuid
       where r.job_id = ? and r.line = cand.line and not exists (select 1 from del where del.id = cand.customer_id) returning r.line)
     select (select count(*) from del)::int as removed, (select count(*) from refused)::int as refused`,
    [
      jobId,
      after,
      upto,
      jobId,
      ImportRowCode.GONE,
      ImportRowCode.NOT_EDITABLE,
      ImportRowCode.CHANGED_SINCE,
      ImportRowCode.HAS_ACTIVITY,
      ImportRowCode.CHANGED_SINCE,
      jobId,
      jobId,
    ],
  );
  const [updated] = await em.execute<{ restored: number; refused: number }[]>(
    `with cand as (select r.line, r.customer_id, r.version_after, r.before from import_row r where ${range} and r.applied and r.action = 'UPDATE' and r.revert_code is null),
     upd as (update customer c set legal_name = b.legal_name, normalized_name = b.normalized_name, registration_id = b.registration_id,
         registration_key = b.registration_key, external_id = b.external_id, website_domain = b.website_domain, industry = b.industry,
         products = b.products, size_band = b.size_band, ownership_type = b.ownership_type, source_channel = b.source_channel,
         address_line = b.address_line, city = b.city, province = b.province, postal_code = b.postal_code, country = b.country,
         tags = b.tags, notes = b.notes, version = c.version + 1, updated_at = now()
       from cand cross join lateral jsonb_populate_record(null::customer, cand.before) b
       where c.id = cand.customer_id and c.version = cand.version_after and c.archived_at is null
         -- A key of the before-image that another live account holds now (it took the old name after the import) stays with it.
         and not exists (select 1 from app_identity_holders(b.normalized_name, b.registration_key, b.website_domain) h where h.customer_id <> c.id)
         and (b.external_id is null or not exists (select 1 from app_external_id_holder(b.external_id) x where x.customer_id <> c.id))
       returning c.id),
     refused as (update import_row r set revert_code = case when c.id is null or c.archived_at is not null then ?
         when app_access(c.owner_id, c.territory_id) <> 'EDIT' then ? when c.version <> cand.version_after then ?
         when exists (select 1 from jsonb_populate_record(null::customer, cand.before) b
           where exists (select 1 from app_identity_holders(b.normalized_name, b.registration_key, b.website_domain) h where h.customer_id <> c.id)
             or (b.external_id is not null and exists (select 1 from app_external_id_holder(b.external_id) x where x.customer_id <> c.id))) then ?
         else ? end
       from cand left join customer c on c.id = cand.customer_id
       where r.job_id = ? and r.line = cand.line and not exists (select 1 from upd where upd.id = cand.customer_id) returning r.line)
     select (select count(*) from upd)::int as restored, (select count(*) from refused)::int as refused`,
    [
      jobId,
      after,
      upto,
      ImportRowCode.GONE,
      ImportRowCode.NOT_EDITABLE,
      ImportRowCode.CHANGED_SINCE,
      ImportRowCode.IDENTITY_TAKEN,
      ImportRowCode.CHANGED_SINCE,
      jobId,
    ],
  );
  // Contacts the import added: removed while unchanged (those of removed accounts went with them); a changed one stays, listed.
  const [contacts] = await em.execute<{ removed: number; refused: number }[]>(
    `with cand as (select r.line, r.contact_id, r.revert_code from import_row r where ${range} and r.contact_id is not null),
     del as (delete from contact k using cand where k.id = cand.contact_id and k.import_id = ?::uuid and k.version = 1 returning k.id),
     refused as (update import_row r set revert_code = ? from cand join contact k on k.id = cand.contact_id
       where r.job_id = ? and r.line = cand.line and cand.revert_code is null and not exists (select 1 from del where del.id = k.id) returning r.line)
     select (select count(*) from del)::int as removed, (select count(*) from refused)::int as refused`,
    [jobId, after, upto, jobId, ImportRowCode.CHANGED_SINCE, jobId],
  );
  return {
    removedCustomers: created!.removed,
    restoredCustomers: updated!.restored,
    removedContacts: contacts!.removed,
    refused: created!.refused + updated!.refused + contacts!.refused,
  };
}

const REVERT_TOTALS = ['removedCustomers', 'restoredCustomers', 'removedContacts', 'revertRefused', 'revertedRecords'] as const;

/**
 * The revert: batch after batch of `IMPORT_BATCH_ROWS` lines from the last committed one, each its
 * own transaction as the principal who asked for it; every statement covers one batch, so none
 * grows with the import. Stops when cancelled (the job goes back to CANCELLED, and a later revert
 * resumes after the last committed batch).
 */
async function revert(orm: MikroORM, config: Config, job: JobRow, renew: () => Promise<boolean>, options: WorkerOptions): Promise<void> {
  const principal = { userId: job.revertUserId, keyId: job.revertKeyId };
  let batches = 0;
  let attempts = 0;
  for (;;) {
    if (!(await renew())) return;
    if (options.crashAfterBatches !== undefined && batches >= options.crashAfterBatches) throw new SimulatedCrash();
    let done: boolean;
    try {
      done = await asImporter(orm, config, principal, async (em, viewer) => {
        const [current] = await em.execute<{ status: string; revertedLine: number; result: Record<string, number> }[]>(
          `select status, reverted_line as "revertedLine", result from import_job where id = ? for update`,
          [job.id],
        );
        if (!current || current.status !== ImportStatus.REVERTING) return true;
        const after = current.revertedLine;
        const [range] = await em.execute<{ upto: number | null; rows: number }[]>(
          `select max(line)::int as upto, count(*)::int as rows from (select line from import_row where job_id = ? and line > ? order by line limit ?) b`,
          [job.id, after, config.imports.batchRows],
        );
        if (!range?.upto) {
          await em.execute(
            `update import_job set status = ?, reverted_at = now(), finished_at = coalesce(finished_at, now()), lease_until = null,
               version = version + 1, updated_at = now() where id = ?`,
            [ImportStatus.REVERTED, job.id],
          );
          await recordAudit(em, viewer, {
            action: 'import.reverted',
            entityType: 'ImportJob',
            entityId: job.id,
            after: Object.fromEntries(REVERT_TOTALS.map((key) => [key, current.result[key] ?? 0])),
          });
          return true;
        }
        const summary = await revertBatch(em, job.id, after, range.upto);
        const records = summary.removedCustomers + summary.restoredCustomers;
        const add = (key: string, value: number) => `'${key}', coalesce((result ->> '${key}')::int, 0) + ${Math.trunc(value)}`;
        await em.execute(
          `update import_job set reverted_line = ?, reverted_rows = reverted_rows + ?, updated_at = now(),
             result = result || jsonb_build_object(${[
               add('removedCustomers', summary.removedCustomers),
               add('restoredCustomers', summary.restoredCustomers),
               add('removedContacts', summary.removedContacts),
               add('revertRefused', summary.refused),
               add('revertedRecords', records),
             ].join(', ')})
           where id = ?`,
          [range.upto, range.rows, job.id],
        );
        if (records || summary.removedContacts || summary.refused)
          await recordAudit(em, viewer, {
            action: 'import.revert_batch',
            entityType: 'ImportJob',
            entityId: job.id,
            after: { fromLine: after + 1, toLine: range.upto, ...summary },
          });
        return false;
      });
    } catch (error) {
      if (!TRANSIENT.has(sqlStateOf(error) ?? '') || (attempts += 1) >= BATCH_ATTEMPTS) throw error;
      continue;
    }
    attempts = 0;
    batches += 1;
    if (done) return;
  }
}

export class SimulatedCrash extends Error {}

export interface WorkerOptions {
  /** Tests: stop (as a crash would) after this many committed batches (dry run: chunks), leaving the job with its lease. */
  crashAfterBatches?: number;
}

/** Claims one job due for work (a lease that is free or ran out), and works on it until done. Returns whether it found one. */
export async function workOnce(
  orm: MikroORM,
  config: Config,
  logger: Logger,
  options: WorkerOptions = {},
  jobId?: string,
  stopping: () => boolean = () => false,
): Promise<boolean> {
  const em = orm.em as EntityManager;
  const [job] = await systemTransaction(em, (tx) =>
    tx.execute<JobRow[]>(
      `update import_job j set lease_until = now() + (? || ' milliseconds')::interval
       where j.id = (select id from import_job where status in ('ANALYZING', 'RUNNING', 'REVERTING') and (lease_until is null or lease_until < now())
         ${jobId ? 'and id = ?' : ''} order by created_at limit 1 for update skip locked)
       returning j.id, j.status, j.analysis, j.mapping, j.created_by_user_id as "userId", j.created_by_key_id as "keyId", j.processed_rows as "processedRows",
         j.revert_by_user_id as "revertUserId", j.revert_by_key_id as "revertKeyId"`,
      jobId ? [config.imports.leaseMs, jobId] : [config.imports.leaseMs],
    ),
  );
  if (!job) return false;
  const renew = async () => {
    // Stopping: the lease is left to run out, and the next worker resumes after the last committed batch.
    if (stopping()) return false;
    const [row] = await systemTransaction(em, (tx) =>
      tx.execute<{ id: string }[]>(
        `update import_job set lease_until = now() + (? || ' milliseconds')::interval where id = ? and status = ? and analysis = ? returning id`,
        [config.imports.leaseMs, job.id, job.status, job.analysis],
      ),
    );
    return Boolean(row);
  };
  try {
    if (job.status === ImportStatus.ANALYZING) await analyse(orm, config, job, renew, options);
    else if (job.status === ImportStatus.REVERTING) await revert(orm, config, job, renew, options);
    else await run(orm, config, job, renew, options);
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error;
    const reverting = job.status === ImportStatus.REVERTING;
    const message =
      error instanceof ImporterGone
        ? reverting
          ? 'Whoever asked for the revert may no longer import (deactivated user or revoked key); revertImport resumes it'
          : 'The importer may no longer import (deactivated user or revoked key)'
        : reverting
          ? 'The revert failed; the server log has the details, and revertImport resumes it'
          : 'The import failed; the server log has the details';
    logger.error({ job: job.id, err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'import job failed');
    await systemTransaction(em, (tx) =>
      tx.execute(
        `with failed as (update import_job set status = ?, error = ?, lease_until = null, updated_at = now(), version = version + 1
           where id = ? and status = ? returning id)
         delete from import_key k using failed where k.job_id = failed.id`,
        [ImportStatus.FAILED, message, job.id, job.status],
      ),
    );
  }
  return true;
}

export interface ImportWorker {
  nudge(): void;
  stop(): Promise<void>;
}

/** Works on due jobs one at a time: at once when nudged (an upload, a start), else every poll interval (resuming a crashed server's). */
export function startImportWorker(orm: MikroORM, config: Config, logger: Logger): ImportWorker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      try {
        while (!stopped && (await workOnce(orm, config, logger, {}, undefined, () => stopped)));
      } catch (error) {
        logger.warn({ err: { type: (error as Error)?.name } }, 'import worker: could not look for work');
      }
    } while (again && !stopped);
  };
  const nudge = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = loop().finally(() => {
      running = null;
    });
  };
  const schedule = () => {
    timer = setTimeout(() => {
      nudge();
      if (!stopped) schedule();
    }, config.imports.pollIntervalMs);
    timer.unref();
  };
  schedule();
  nudge();
  return {
    nudge,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
