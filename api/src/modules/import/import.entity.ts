import { Check, Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { ImportAction, ImportFormat, ImportStatus, type ImportCountsRow, type ImportResultRow, type MappedColumn } from './import.types.js';

/**
 * One bulk import of customers with their contacts (docs/import.md): the uploaded file's rows
 * live in `import_row`, the job row holds the mapping, the counts of the last dry run and the
 * progress of the run. Its importer is a user or an API key (exactly one); row-level security
 * shows a job to its importer and to admins. `version` guards the mapping and the state changes
 * (a stale mutation gets CONFLICT); `analysis` names the dry run in force, so a dry run started
 * under an older mapping stops and writes nothing. A worker holds a job while it analyses or runs
 * it through `lease_until` (a crashed server's lease runs out and another worker resumes).
 */
@ObjectType({ simpleResolvers: true, description: 'A bulk import of customers and contacts: mapping, dry run, run, revert.' })
@Entity({ tableName: 'import_job' })
@Check({ name: 'import_job_one_importer', expression: 'num_nonnulls(created_by_user_id, created_by_key_id) = 1' })
@Index({ properties: ['createdAt', 'id'] })
export class ImportJob extends BaseEntity {
  @Property({ type: 'uuid', nullable: true, index: true })
  createdByUserId?: string | null;

  @Property({ type: 'uuid', nullable: true, index: true })
  createdByKeyId?: string | null;

  @Field(() => String)
  @Property({ type: 'text' })
  fileName!: string;

  @Field(() => ImportFormat)
  @Enum({ items: () => ImportFormat, nativeEnumName: 'import_format' })
  format!: ImportFormat;

  @Field(() => ImportStatus)
  @Enum({ items: () => ImportStatus, nativeEnumName: 'import_status', index: true })
  status!: ImportStatus;

  @Field(() => Int, { description: 'Data rows in the file (the header row not counted).' })
  @Property({ type: 'integer', default: 0 })
  totalRows: Opt<number> = 0;

  @Field(() => Int, { description: 'Rows the dry run in progress (or the last one) has classified.' })
  @Property({ type: 'integer', default: 0 })
  analyzedRows: Opt<number> = 0;

  @Field(() => Int, { description: 'Rows the run has committed (a run resumes after them).' })
  @Property({ type: 'integer', default: 0 })
  processedRows: Opt<number> = 0;

  /** The last line of the last committed run batch: a resumed run goes on after it. */
  @Property({ type: 'integer', default: 0 })
  processedLine: Opt<number> = 0;

  /** The columns, each with its header, field and sample values. */
  @Property({ type: 'jsonb' })
  mapping!: MappedColumn[];

  @Field(() => ID, { nullable: true, description: 'The template the mapping was taken from, if any.' })
  @Property({ type: 'uuid', nullable: true })
  templateId?: string | null;

  /** The counts per action of the last dry run, as the run re-classifies them. */
  @Property({ type: 'jsonb', default: '{}' })
  counts: Opt<ImportCountsRow> = {} as ImportCountsRow;

  /** What the run did (and a revert undid). */
  @Property({ type: 'jsonb', default: '{}' })
  result: Opt<ImportResultRow> = {} as ImportResultRow;

  /** Bumped by every mapping change: a dry run works for one analysis and stops when it is no longer current. */
  @Property({ type: 'integer', default: 0 })
  analysis: Opt<number> = 0;

  @Field(() => String, { nullable: true, description: 'Why the job FAILED.' })
  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  leaseUntil?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  startedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revertedAt?: Date | null;

  @Field(() => Int, { description: 'Rows the revert has gone through (of totalRows): its progress while REVERTING.' })
  @Property({ type: 'integer', default: 0 })
  revertedRows: Opt<number> = 0;

  /** The last line of the last committed revert batch: a resumed revert goes on after it. */
  @Property({ type: 'integer', default: 0 })
  revertedLine: Opt<number> = 0;

  /** Who asked for the revert (a user or a key): the worker reverts as them. */
  @Property({ type: 'uuid', nullable: true })
  revertByUserId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  revertByKeyId?: string | null;
}

/**
 * One data row of an import file: its raw values by column index, as uploaded (text, never
 * interpreted until the dry run), and what the dry run (then the run) decided for it. Rows of the
 * same company that follow each other form a group led by its first row (`group_line`); the
 * group's customer is created or updated once, each row adding its contact.
 */
@Entity({ tableName: 'import_row' })
export class ImportRow {
  @PrimaryKey({ type: 'uuid' })
  jobId!: string;

  @PrimaryKey({ type: 'integer' })
  line!: number;

  @Property({ type: 'jsonb' })
  values!: (string | null)[];

  @Property({ type: 'integer', nullable: true })
  groupLine?: number | null;

  @Enum({ items: () => ImportAction, nativeEnumName: 'import_action', nullable: true })
  action?: ImportAction | null;

  @Property({ type: 'text', nullable: true })
  field?: string | null;

  @Property({ type: 'text', nullable: true })
  code?: string | null;

  @Property({ type: 'jsonb', nullable: true })
  params?: Record<string, unknown> | null;

  /** The matched customer (UPDATE, DUPLICATE_OWNED) or, after the run, the created one. */
  @Property({ type: 'uuid', nullable: true })
  customerId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  contactId?: string | null;

  /** The updated customer's fields before the run changed them, and its version after: what a revert restores. */
  @Property({ type: 'jsonb', nullable: true })
  before?: Record<string, unknown> | null;

  @Property({ type: 'integer', nullable: true })
  versionAfter?: number | null;

  @Property({ type: 'boolean', default: false })
  applied: Opt<boolean> = false;

  /** Why a revert left this row's record as it was. */
  @Property({ type: 'text', nullable: true })
  revertCode?: string | null;
}

/**
 * An identity key (`n:`, `r:`, `d:` name, registration, domain; `e:` external id) that a group
 * head of the dry run in progress claimed: the first head of the file to name it, by line. A later
 * head naming a claimed key is DUPLICATE_IN_FILE and claims none of its own (`app_import_claim_keys`).
 * The keys live here, not in the worker, so the dry run's memory does not grow with the file; they
 * are dropped when a dry run starts over and when it ends. The table is unlogged (migration
 * Migration20261204020000): a dry run that a crash interrupted starts again from its first line.
 */
@Entity({ tableName: 'import_key' })
export class ImportKey {
  @PrimaryKey({ type: 'uuid' })
  jobId!: string;

  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'integer' })
  line!: number;
}

/** A saved mapping: header → field, matched by header (case and spacing aside) on a later upload. Its owner's only. */
@ObjectType({ simpleResolvers: true, description: 'A saved column mapping for imports.' })
@Entity({ tableName: 'import_template' })
@Check({ name: 'import_template_one_owner', expression: 'num_nonnulls(owner_user_id, owner_key_id) = 1' })
@Index({
  name: 'import_template_owner_name_unique',
  expression: `create unique index "import_template_owner_name_unique" on "import_template" (coalesce("owner_user_id", "owner_key_id"), lower("name"))`,
})
export class ImportTemplate extends BaseEntity {
  @Property({ type: 'uuid', nullable: true })
  ownerUserId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  ownerKeyId?: string | null;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'jsonb' })
  columns!: { header: string; field: string }[];
}
