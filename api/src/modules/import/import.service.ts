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
import { ImportStatus, type ImportRowView, type MappedColumn } from './import.types.js';

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

  /**
   * A running import stops before its next batch; a dry run stops at once. Committed batches stay (revert removes them).
   * A revert stops likewise: the job is CANCELLED again, and a later revertImport resumes it.
   */
  cancel(id: string): Promise<ImportJob> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const job = await this.forChange(tx, id);
      if (
        ![ImportStatus.UPLOADED, ImportStatus.ANALYZING, ImportStatus.READY, ImportStatus.RUNNING, ImportStatus.REVERTING].includes(
          job.status,
        )
      )
        throw new ConflictError(`An import that is ${job.status} cannot be cancelled`, { field: 'id', status: job.status });
      // The worker holds the job's row lock while it writes a batch: this waits for the batch to commit.
      await tx.execute('select 1 from import_job where id = ? for update', [job.id]);
      // The identity keys a dry run stopped here had claimed go with it.
      await tx.execute('delete from import_key where job_id = ?', [job.id]);
      job.status = ImportStatus.CANCELLED;
      job.finishedAt = new Date();
      job.leaseUntil = null;
      await recordAudit(tx, viewer, { action: 'import.cancelled', entityType: 'ImportJob', entityId: job.id });
      return job;
    });
  }

  /**
   * Queues the revert of a COMPLETED or CANCELLED import, or of a run that FAILED part way: the worker removes the accounts and
   * contacts it created and restores the accounts it updated, batch by batch, as the viewer
   * (engine `revert`), each only while nothing newer touched the record; every other row gets its
   * revertCode. A revert stopped by cancelImport leaves the job CANCELLED, and revertImport then
   * resumes it after its last committed batch. The worker is nudged when the mutation commits.
   */
  revert(id: string): Promise<ImportJob> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const job = await this.forChange(tx, id);
      // A run that failed part way keeps its committed batches: it is reverted like a cancelled one. So is a revert that
      // failed part way (whoever asked was deactivated, a batch kept failing), else its committed batches would stay
      // reverted and the rest out of every revert's reach. A dry run that failed wrote nothing.
      const failedAfterWrites =
        job.status === ImportStatus.FAILED && (job.startedAt != null || job.revertByUserId != null || job.revertByKeyId != null);
      if (job.status !== ImportStatus.COMPLETED && job.status !== ImportStatus.CANCELLED && !failedAfterWrites)
        throw new ConflictError(`Only a run that completed, was cancelled or failed can be reverted (this one is ${job.status})`, {
          field: 'id',
          status: job.status,
        });
      // The worker holds the job's row lock while it writes a batch: a run cancelled a moment ago has finished its last one.
      await tx.execute('select 1 from import_job where id = ? for update', [job.id]);
      job.status = ImportStatus.REVERTING;
      job.revertByUserId = viewer.kind === 'USER' ? viewer.id : null;
      job.revertByKeyId = viewer.kind === 'API_KEY' ? viewer.id : null;
      job.leaseUntil = null;
      job.error = null;
      await recordAudit(tx, viewer, {
        action: 'import.revert_started',
        entityType: 'ImportJob',
        entityId: job.id,
        after: { fromLine: job.revertedLine + 1 },
      });
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
