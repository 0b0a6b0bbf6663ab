import { ForbiddenError, NotFoundError } from '../../common/errors/errors.js';
import { connectionOf, DEFAULT_PAGE_SIZE, type Connection, type PageArgs } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import type { Row } from '../../common/orm/loaders.js';
import type { Context, RequestScope } from '../../context.js';
import { Customer } from '../customer/customer.entity.js';
import { ImportJob, ImportTemplate } from './import.entity.js';
import type { ImportRowsArgs, SaveImportTemplateInput, UpdateImportMappingInput } from './import.inputs.js';
import type { ImportRowView } from './import.types.js';

/** A matched or created account as the viewer may see it: in full, else its directory card (keys: nothing). */
export async function cardOrCustomer(context: Context, id: string): Promise<Row | null> {
  const full = await context.loaders.byId(Customer).load(id);
  if (full) return full;
  const [card] = await context.em.execute<Row[]>(
    `select d.customer_id as id, d.legal_name as "legalName", d.territory_id as territory, d.owner_id as owner
     from customer_directory d where d.customer_id = ?`,
    [id],
  );
  return card ? (context.loaders.guard(Customer, [card])[0] ?? null) : null;
}

const pending = () => new ForbiddenError('Not available yet');

export class ImportService {
  constructor(private readonly scope: RequestScope) {}

  async list(args: PageArgs): Promise<Connection<ImportJob>> {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const rows = await this.scope.em.find(ImportJob, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first + 1 });
    return connectionOf(
      rows.slice(0, first).map((node) => ({ node, cursor: node.id })),
      { hasNextPage: rows.length > first, after: args.after, totalCount: Promise.resolve(rows.length) },
    );
  }

  async get(id: string): Promise<ImportJob | null> {
    if (!isUuid(id)) return null;
    return this.scope.em.findOne(ImportJob, { id });
  }

  templates(): Promise<ImportTemplate[]> {
    return this.scope.em.find(ImportTemplate, {}, { orderBy: { name: 'asc' } });
  }

  updateMapping(input: UpdateImportMappingInput): Promise<ImportJob> {
    throw new NotFoundError('ImportJob', input.id);
  }

  start(_id: string, _version: number): Promise<ImportJob> {
    throw pending();
  }

  cancel(_id: string): Promise<ImportJob> {
    throw pending();
  }

  revert(_id: string): Promise<ImportJob> {
    throw pending();
  }

  saveTemplate(_input: SaveImportTemplateInput): Promise<ImportTemplate> {
    throw pending();
  }

  deleteTemplate(_id: string): Promise<boolean> {
    throw pending();
  }

  async rows(_jobId: string, _args: ImportRowsArgs): Promise<Connection<ImportRowView>> {
    return connectionOf([], { hasNextPage: false, after: undefined, totalCount: Promise.resolve(0) });
  }
}
