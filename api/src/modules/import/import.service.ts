import { BadUserInputError, ConflictError, NotFoundError } from '../../common/errors/errors.js';
import {
  connectionOf,
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  type Connection,
  type PageArgs,
} from '../../common/graphql/connection.js';
import { isUuid, requireId } from '../../common/graphql/ids.js';
import type { Row } from '../../common/orm/loaders.js';
import { transactional } from '../../common/orm/transaction.js';
import type { Context, RequestScope } from '../../context.js';
import { recordAudit } from '../audit/index.js';
import { Customer } from '../customer/customer.entity.js';
import { ImportJob, ImportTemplate } from './import.entity.js';
import type { ImportRowsArgs, SaveImportTemplateInput, UpdateImportMappingInput } from './import.inputs.js';
import { mappingFromTemplate } from './import.mapping.js';
import { ImportRowCode, ImportStatus, type ImportRowView, type MappedColumn } from './import.types.js';

/** A matched or created account as the viewer may see it: in full, else its directory card (keys: nothing). */
export async function cardOrCustomer(context: Context, id: string): Promise<Row | null> {
  const full = await context.loaders.byId(Customer).load(id);
  if (full) return full;
  const [card] = await context.em.execute<Row[]>(
    `select d.customer_id as id, d.legal_name as "legalName", d.territory_id as territory, d.owner_id as owner
     from customer_directory d where d.customer_id = ? and d.archived_at is null`,
    [id],
  );
  return card ? (context.loaders.guard(Customer, [card])[0] ?? null) : null;
}

export class ImportService {
  constructor(private readonly scope: RequestScope) {}

  /** Row-level security leaves the viewer's own jobs (admins: every one). */
  async list(args: PageArgs): Promise<Connection<ImportJob>> {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const where: Record<string, unknown> = {};
    if (args.after) {
      const [at, id] = decodeCursor(args.after);
      where.$or = [{ createdAt: { $lt: new Date(String(at)) } }, { createdAt: new Date(String(at)), id: { $lt: id } }];
    }
    const { em } = this.scope;
    const rows = await em.find(ImportJob, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first + 1 });
    const total = em.execute<{ count: number }[]>('select count(*)::int as count from import_job').then((r) => r[0]?.count ?? 0);
    return connectionOf(
      rows.slice(0, first).map((node) => ({ node, cursor: encodeCursor(node.createdAt, node.id) })),
      { hasNextPage: rows.length > first, after: args.after, totalCount: total },
    );
  }

  async get(id: string): Promise<ImportJob | null> {
    if (!isUuid(id)) return null;
    return this.scope.em.findOne(ImportJob, { id });
  }

  private async forChange(em: RequestScope['em'], id: string, version?: number): Promise<ImportJob> {
    const job = await em.findOne(ImportJob, { id: requireId(id, 'id') }, { refresh: true });
    if (!job) throw new NotFoundError('ImportJob', id);
    if (version !== undefined && job.version !== version)
      throw new ConflictError(`ImportJob was changed meanwhile; reload it (current version ${job.version})`, {
        field: 'version',
        currentVersion: job.version,
      });
    return job;
  }

  /** A new mapping (or a template's) for a job not running or done; its dry run starts again (analysis + 1). */
  updateMapping(input: UpdateImportMappingInput): Promise<ImportJob> {
    const { em } = this.scope;
    return transactional(em, async (tx) => {
      const job = await this.forChange(tx, input.id, input.version);
      if (![ImportStatus.UPLOADED, ImportStatus.ANALYZING, ImportStatus.READY, ImportStatus.FAILED].includes(job.status))
        throw new ConflictError(`An import that is ${job.status} keeps its mapping`, { field: 'id', status: job.status });
      let columns: MappedColumn[];
      if (input.templateId) {
        const template = await tx.findOne(ImportTemplate, { id: requireId(input.templateId, 'templateId') });
        if (!template) throw new NotFoundError('ImportTemplate', input.templateId);
        columns = mappingFromTemplate(job.mapping, template.columns);
        job.templateId = template.id;
      } else {
        const byIndex = new Map<number, MappedColumn['field']>();
        for (const column of input.columns) {
          if (!job.mapping[column.index])
            throw new BadUserInputError('columns', `No column ${column.index} in this file`, { index: column.index });
          if (column.field && [...byIndex.values()].includes(column.field))
            throw new BadUserInputError('columns', `${column.field} is mapped from two columns`, { index: column.index });
          byIndex.set(column.index, column.field ?? null);
        }
        columns = job.mapping.map((column) => ({ ...column, field: byIndex.get(column.index) ?? null }));
        job.templateId = null;
      }
      job.mapping = columns;
      job.status = ImportStatus.ANALYZING;
      job.analysis += 1;
      job.analyzedRows = 0;
      job.error = null;
      job.leaseUntil = null;
      return job;
    });
  }

  /** The worker is nudged when the mutation commits (graphql-handler's onMutationCommitted). */
  start(id: string, version: number): Promise<ImportJob> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const job = await this.forChange(tx, id, version);
      if (job.status !== ImportStatus.READY)
        throw new ConflictError(`Only a READY import can start (this one is ${job.status})`, { field: 'id', status: job.status });
      job.status = ImportStatus.RUNNING;
      job.startedAt = new Date();
      job.leaseUntil = null;
      await recordAudit(tx, viewer, { action: 'import.started', entityType: 'ImportJob', entityId: job.id, after: { ...job.counts } });
      return job;
    });
  }

  /** A running import stops before its next batch; a dry run stops at once. Committed batches stay (revert removes them). */
  cancel(id: string): Promise<ImportJob> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const job = await this.forChange(tx, id);
      if (![ImportStatus.UPLOADED, ImportStatus.ANALYZING, ImportStatus.READY, ImportStatus.RUNNING].includes(job.status))
        throw new ConflictError(`An import that is ${job.status} cannot be cancelled`, { field: 'id', status: job.status });
      // The worker holds the job's row lock while it writes a batch: this waits for the batch to commit.
      await tx.execute('select 1 from import_job where id = ? for update', [job.id]);
      job.status = ImportStatus.CANCELLED;
      job.finishedAt = new Date();
      job.leaseUntil = null;
      await recordAudit(tx, viewer, { action: 'import.cancelled', entityType: 'ImportJob', entityId: job.id });
      return job;
    });
  }

  /**
   * Removes the accounts and contacts the import created and restores the accounts it updated,
   * each only while its version is still the one the import left (nothing newer touched it) and a
   * created account has no activity of its own; every other row gets its revertCode. One
   * transaction, one audit event; the change feed sees the deletes and updates like any.
   * Its set-based statements cover the whole import, so each may take up to the request's own
   * budget (`requestMs`) rather than the per-statement timeout sized for interactive reads.
   */
  revert(id: string, requestMs: number): Promise<ImportJob> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const job = await this.forChange(tx, id);
      if (job.status !== ImportStatus.COMPLETED && job.status !== ImportStatus.CANCELLED)
        throw new ConflictError(`Only a COMPLETED or CANCELLED import can be reverted (this one is ${job.status})`, {
          field: 'id',
          status: job.status,
        });
      await tx.execute(`select set_config('app.origin', 'import', true), set_config('statement_timeout', ?, true)`, [`${requestMs}ms`]);
      // Created accounts: gone, archived, changed after the import, or with activity of their own stay.
      await tx.execute(
        `update import_row r set revert_code = case
            when c.id is null or c.archived_at is not null then ?
            when c.version <> 1 then ?
            when exists (select 1 from interaction i where i.customer_id = c.id) or exists (select 1 from sales_order o where o.customer_id = c.id)
              or exists (select 1 from contact k where k.customer_id = c.id and (k.import_id is distinct from r.job_id or k.version <> 1)) then ?
            end
         from import_row h left join customer c on c.id = h.customer_id and c.import_id = h.job_id
         where r.job_id = ? and h.job_id = r.job_id and h.line = r.line and r.applied and r.action = 'CREATE'`,
        [ImportRowCode.GONE, ImportRowCode.CHANGED_SINCE, ImportRowCode.HAS_ACTIVITY, job.id],
      );
      const deleted = await tx.execute<{ id: string }[]>(
        `delete from customer c using import_row r where r.job_id = ? and r.applied and r.action = 'CREATE' and r.revert_code is null
           and c.id = r.customer_id and c.import_id = r.job_id returning c.id`,
        [job.id],
      );
      // Updated accounts: restored from their before-image where the version is still the import's.
      await tx.execute(
        `update import_row r set revert_code = case when c.id is null or c.archived_at is not null then ? when c.version <> r.version_after then ? end
         from import_row h left join customer c on c.id = h.customer_id
         where r.job_id = ? and h.job_id = r.job_id and h.line = r.line and r.applied and r.action = 'UPDATE'`,
        [ImportRowCode.GONE, ImportRowCode.CHANGED_SINCE, job.id],
      );
      const restored = await tx.execute<{ id: string }[]>(
        `update customer c set legal_name = b.legal_name, normalized_name = b.normalized_name, registration_id = b.registration_id,
           registration_key = b.registration_key, external_id = b.external_id, website_domain = b.website_domain, industry = b.industry,
           products = b.products, size_band = b.size_band, ownership_type = b.ownership_type, source_channel = b.source_channel,
           address_line = b.address_line, city = b.city, province = b.province, postal_code = b.postal_code, country = b.country,
           tags = b.tags, notes = b.notes, version = c.version + 1, updated_at = now()
         from import_row r cross join lateral jsonb_populate_record(null::customer, r.before) b
         where r.job_id = ? and r.applied and r.action = 'UPDATE' and r.revert_code is null and c.id = r.customer_id and c.version = r.version_after
         returning c.id`,
        [job.id],
      );
      // Contacts the import added to accounts that stay: removed while unchanged; a changed one stays and its row says so.
      await tx.execute(
        `update import_row r set revert_code = ? from contact k
         where r.job_id = ? and r.contact_id = k.id and k.import_id = r.job_id and k.version <> 1 and r.revert_code is null`,
        [ImportRowCode.CHANGED_SINCE, job.id],
      );
      const contacts = await tx.execute<{ id: string }[]>(
        `delete from contact k using import_row r where r.job_id = ? and r.contact_id = k.id and k.import_id = r.job_id and k.version = 1 returning k.id`,
        [job.id],
      );
      const [refused] = await tx.execute<{ count: number }[]>(
        'select count(*)::int as count from import_row where job_id = ? and revert_code is not null',
        [job.id],
      );
      const summary = {
        removedCustomers: deleted.length,
        restoredCustomers: restored.length,
        removedContacts: contacts.length,
        refused: refused?.count ?? 0,
      };
      job.status = ImportStatus.REVERTED;
      job.revertedAt = new Date();
      job.result = { ...job.result, revertedRecords: deleted.length + restored.length, revertRefused: summary.refused };
      await recordAudit(tx, viewer, { action: 'import.reverted', entityType: 'ImportJob', entityId: job.id, after: summary });
      return job;
    });
  }

  templates(): Promise<ImportTemplate[]> {
    return this.scope.em.find(ImportTemplate, {}, { orderBy: { name: 'asc' } });
  }

  /** The viewer's template of that name (any case) is replaced in the same statement: the unique index decides. */
  async saveTemplate(input: SaveImportTemplateInput): Promise<ImportTemplate> {
    const { em, viewer } = this.scope;
    const name = input.name.trim();
    if (!name) throw new BadUserInputError('name', 'name must be 1–100 characters');
    const fields = input.columns.map((column) => column.field);
    if (new Set(fields).size !== fields.length) throw new BadUserInputError('columns', 'A field may be mapped from one column only');
    const id = await transactional(em, async (tx) => {
      const [row] = await tx.execute<{ id: string }[]>(
        `insert into import_template (id, owner_user_id, owner_key_id, name, columns) values (gen_random_uuid(), ?, ?, ?, ?::jsonb)
         on conflict (coalesce(owner_user_id, owner_key_id), lower(name)) do update set name = excluded.name, columns = excluded.columns,
           version = import_template.version + 1, updated_at = now()
         returning id`,
        [
          viewer.kind === 'USER' ? viewer.id : null,
          viewer.kind === 'API_KEY' ? viewer.id : null,
          name,
          JSON.stringify(input.columns.map(({ header, field }) => ({ header: header.trim(), field }))),
        ],
      );
      return row!.id;
    });
    return (await em.findOne(ImportTemplate, { id }, { refresh: true }))!;
  }

  deleteTemplate(id: string): Promise<boolean> {
    const { em } = this.scope;
    return transactional(em, async (tx) => {
      const rows = await tx.execute<{ id: string }[]>('delete from import_template where id = ? returning id', [requireId(id, 'id')]);
      if (!rows.length) throw new NotFoundError('ImportTemplate', id);
      return true;
    });
  }

  async rows(jobId: string, args: ImportRowsArgs): Promise<Connection<ImportRowView>> {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [jobId];
    let where = 'job_id = ?';
    if (args.action) {
      where += ' and action = ?';
      params.push(args.action);
    }
    if (args.revertRefused) where += ' and revert_code is not null';
    const count = this.scope.em
      .execute<{ count: number }[]>(`select count(*)::int as count from import_row where ${where}`, [...params])
      .then((r) => r[0]?.count ?? 0);
    if (args.after) {
      const line = Number(Buffer.from(args.after, 'base64url').toString('utf8'));
      if (!Number.isInteger(line)) throw new BadUserInputError('after', 'Invalid cursor');
      where += ' and line > ?';
      params.push(line);
    }
    const rows = await this.scope.em.execute<ImportRowView[]>(
      `select job_id as "jobId", line, action, field, code, params, values, customer_id as "customerId", applied, revert_code as "revertCode"
       from import_row where ${where} order by line limit ${first + 1}`,
      params,
    );
    return connectionOf(
      rows.slice(0, first).map((node) => ({ node, cursor: Buffer.from(String(node.line)).toString('base64url') })),
      { hasNextPage: rows.length > first, after: args.after, totalCount: count },
    );
  }
}
