import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '../../common/access/index.js';
import { connectionType, PageArgs, type Connection } from '../../common/graphql/connection.js';
import type { Row } from '../../common/orm/loaders.js';
import type { Context } from '../../context.js';
import { usersAndScope } from '../access/index.js';
import { Customer } from '../customer/customer.entity.js';
import { User } from '../user/user.entity.js';
import { ImportJob, ImportTemplate } from './import.entity.js';
import { ImportRowsArgs, SaveImportTemplateInput, UpdateImportMappingInput } from './import.inputs.js';
import { cardOrCustomer } from './import.service.js';
import {
  ImportColumn,
  ImportCounts,
  ImportResult,
  ImportRowNode,
  ImportTemplateColumn,
  type ImportCountsRow,
  type ImportResultRow,
  type ImportRowView,
  type MappedColumn,
} from './import.types.js';

const ImportJobConnection = connectionType(ImportJob, 'ImportJob');
const ImportRowConnection = connectionType(ImportRowNode, 'ImportRow');

/** Imports: users of any role (each within their own reach), API keys with customers:import. */
const IMPORTERS = usersAndScope(Scope.CUSTOMERS_IMPORT);

@Authorized(IMPORTERS)
@Resolver(() => ImportJob)
export class ImportResolver {
  @Authorized(IMPORTERS)
  @Query(() => ImportJobConnection, { description: 'Imports, newest first: the viewer’s own; admins see every import.' })
  imports(@Args(() => PageArgs) args: PageArgs, @Ctx() { services }: Context): Promise<Connection<ImportJob>> {
    return services.imports.list(args);
  }

  @Authorized(IMPORTERS)
  @Query(() => ImportJob, { nullable: true, description: 'An import the viewer started (admins: any); null otherwise.' })
  import(@Arg('id', () => ID) id: string, @Ctx() { services }: Context): Promise<ImportJob | null> {
    return services.imports.get(id);
  }

  @Authorized(IMPORTERS)
  @Query(() => [ImportTemplate], { description: 'The viewer’s saved import mappings, by name.' })
  importTemplates(@Ctx() { services }: Context): Promise<ImportTemplate[]> {
    return services.imports.templates();
  }

  @Authorized(IMPORTERS)
  @Mutation(() => ImportJob, { description: 'Changes the mapping of an import that is not running; the dry run starts again.' })
  updateImportMapping(@Arg('input', () => UpdateImportMappingInput) input: UpdateImportMappingInput, @Ctx() { services }: Context) {
    return services.imports.updateMapping(input);
  }

  @Authorized(IMPORTERS)
  @Mutation(() => ImportJob, {
    description:
      'Runs a READY import as its dry run showed it (rows re-classified where the data changed meanwhile). Stale version: CONFLICT.',
  })
  startImport(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() { services }: Context) {
    return services.imports.start(id, version);
  }

  @Authorized(IMPORTERS)
  @Mutation(() => ImportJob, { description: 'Stops an import after its current batch; what was committed stays (revert removes it).' })
  cancelImport(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return services.imports.cancel(id);
  }

  @Authorized(IMPORTERS)
  @Mutation(() => ImportJob, {
    description:
      'Starts reverting a COMPLETED or CANCELLED import, or a run that FAILED part way, in the background (status REVERTING, progress in revertedRows): what it created is removed and what it updated restored, where nothing newer touched the record; refused rows carry a revertCode. A cancelled revert resumes where it stopped.',
  })
  revertImport(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return services.imports.revert(id);
  }

  @Authorized(IMPORTERS)
  @Mutation(() => ImportTemplate, { description: 'Saves a mapping under a name (replacing the viewer’s template of that name).' })
  saveImportTemplate(@Arg('input', () => SaveImportTemplateInput) input: SaveImportTemplateInput, @Ctx() { services }: Context) {
    return services.imports.saveTemplate(input);
  }

  @Authorized(IMPORTERS)
  @Mutation(() => Boolean, { description: 'Deletes one of the viewer’s templates.' })
  deleteImportTemplate(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return services.imports.deleteTemplate(id);
  }

  @FieldResolver(() => [ImportColumn], { description: 'The file’s columns, in order, with their fields and sample values.' })
  columns(@Root() job: ImportJob): MappedColumn[] {
    return job.mapping;
  }

  @FieldResolver(() => ImportCounts)
  counts(@Root() job: ImportJob): ImportCountsRow {
    return { create: 0, update: 0, contact: 0, duplicateOwned: 0, invalid: 0, ...(job.counts as Partial<ImportCountsRow>) };
  }

  @FieldResolver(() => ImportResult)
  result(@Root() job: ImportJob): Required<ImportResultRow> {
    return {
      createdCustomers: 0,
      updatedCustomers: 0,
      createdContacts: 0,
      skippedRows: 0,
      revertedRecords: 0,
      revertRefused: 0,
      removedCustomers: 0,
      restoredCustomers: 0,
      removedContacts: 0,
      ...job.result,
    };
  }

  @FieldResolver(() => String, { description: 'Where the row report downloads (GET, same Authorization): CSV, one line per row.' })
  reportUrl(@Root() job: ImportJob): string {
    return `/import/${job.id}/report.csv`;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The user who uploaded it; null for an API key’s import.' })
  createdBy(@Root() job: ImportJob, @Ctx() { loaders }: Context) {
    return job.createdByUserId ? loaders.byId(User).load(job.createdByUserId) : null;
  }

  @FieldResolver(() => ImportRowConnection, { description: 'The rows in file order, optionally by action.' })
  rows(@Root() job: ImportJob, @Args(() => ImportRowsArgs) args: ImportRowsArgs, @Ctx() { services }: Context) {
    return services.imports.rows(job.id, args);
  }
}

@Resolver(() => ImportRowNode)
export class ImportRowResolver {
  @FieldResolver(() => Customer, {
    nullable: true,
    description: 'The matched or created account: in full where the viewer may open it, else its directory card (API keys: nothing).',
  })
  customer(@Root() row: ImportRowView, @Ctx() context: Context): Promise<Row | null> {
    return row.customerId ? cardOrCustomer(context, row.customerId) : Promise.resolve(null);
  }
}

@Resolver(() => ImportTemplate)
export class ImportTemplateResolver {
  @FieldResolver(() => [ImportTemplateColumn])
  columns(@Root() template: ImportTemplate): ImportTemplate['columns'] {
    return template.columns;
  }
}
