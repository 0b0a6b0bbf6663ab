import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, NotFoundError } from '../../common/errors/errors.js';
import { SortDirection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { Conditions, keysetPage, likePattern, type SortKey } from '../../common/orm/keyset.js';
import { belowPath, inSubtree } from '../../common/orm/subtree.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import type { RequestScope } from '../../context.js';
import { Region, RegionKind } from './region.entity.js';
import { RegionSortField, type CreateRegionInput, type RegionsArgs, type UpdateRegionInput } from './region.inputs.js';

const LEVEL: Record<RegionKind, number> = { [RegionKind.REGION]: 0, [RegionKind.PROVINCE]: 1, [RegionKind.TERRITORY]: 2 };

const SORT: Record<RegionSortField, SortKey> = {
  [RegionSortField.CODE]: { property: 'code', cast: 'text' },
  [RegionSortField.NAME]: { property: 'name', cast: 'text' },
  [RegionSortField.PATH]: { property: 'path', cast: 'text' },
};

const CONSTRAINTS = {
  region_code_unique: new ConflictError('A region with this code already exists', { field: 'code' }),
};

/** SQL matching the ids of a node and all its descendants, for `= any(...)`/`in (...)` use. */
export const REGION_SUBTREE_SQL = `select d.id from region d join region a on ${inSubtree('d.path', 'a.path')} where a.id = ?`;

async function parentFor(em: EntityManager, kind: RegionKind, parentId: string | null | undefined): Promise<Region | null> {
  if (LEVEL[kind] === 0) {
    if (parentId) throw new BadUserInputError('parentId', 'A top-level region has no parent');
    return null;
  }
  if (!parentId) throw new BadUserInputError('parentId', `A ${kind.toLowerCase()} needs a parent`);
  const parent = await em.findOne(Region, { id: requireId(parentId, 'parentId') });
  if (!parent) throw new NotFoundError('Region', parentId);
  if (LEVEL[parent.kind] !== LEVEL[kind] - 1) {
    throw new BadUserInputError('parentId', `A ${kind.toLowerCase()} goes below a ${kind === RegionKind.PROVINCE ? 'region' : 'province'}`);
  }
  return parent;
}

export class RegionService {
  constructor(private readonly scope: Pick<RequestScope, 'em'>) {}

  /** The conditions, sort and direction of a regions page, over alias `r` (the compiled read uses them too). */
  listQuery(args: RegionsArgs): { where: Conditions; sort: SortKey; direction: SortDirection } {
    const where = new Conditions();
    const filter = args.filter;
    if (filter?.parentId) where.add('r.parent_id = ?', requireId(filter.parentId, 'filter.parentId'));
    if (filter?.withinId) where.add(`r.id in (${REGION_SUBTREE_SQL})`, requireId(filter.withinId, 'filter.withinId'));
    if (filter?.kind) where.add('r.kind = ?', filter.kind);
    if (filter?.keyCity !== undefined && filter.keyCity !== null) where.add('r.key_city = ?', filter.keyCity);
    if (filter?.search) {
      const pattern = likePattern(filter.search);
      where.add('(r.code ilike ? or r.name ilike ? or r.name_zh ilike ?)', pattern, pattern, pattern);
    }
    const order = args.orderBy;
    return { where, sort: SORT[order?.field ?? RegionSortField.PATH], direction: order?.direction ?? SortDirection.ASC };
  }

  list(args: RegionsArgs) {
    const { where, sort, direction } = this.listQuery(args);
    return keysetPage<Region>(this.scope.em, Region, 'r', where, { first: args.first, after: args.after, sort, direction });
  }

  create(input: CreateRegionInput): Promise<Region> {
    const { em } = this.scope;
    return transactional(
      em,
      async (tx) => {
        const parent = await parentFor(tx, input.kind, input.parentId);
        const region = tx.create(Region, {
          code: input.code,
          name: input.name,
          nameZh: input.nameZh ?? null,
          kind: input.kind,
          parent,
          path: parent ? `${parent.path}/${input.code}` : input.code,
          keyCity: input.keyCity ?? false,
        });
        await tx.flush();
        return region;
      },
      CONSTRAINTS,
    );
  }

  update(id: string, input: UpdateRegionInput): Promise<Region> {
    const { em } = this.scope;
    return transactional(
      em,
      async (tx) => {
        const region = await loadForUpdate(tx, Region, requireId(id, 'id'), input.version);
        if (input.name !== undefined && input.name !== null) region.name = input.name;
        if (input.nameZh !== undefined) region.nameZh = input.nameZh;
        if (input.keyCity !== undefined && input.keyCity !== null) region.keyCity = input.keyCity;
        if (input.parentId !== undefined && input.parentId !== null) {
          const parent = await parentFor(tx, region.kind, input.parentId);
          if (parent && (parent.path === region.path || parent.path.startsWith(`${region.path}/`))) {
            throw new BadUserInputError('parentId', 'A region cannot move below itself');
          }
          const oldPath = region.path;
          const newPath = parent ? `${parent.path}/${region.code}` : region.code;
          if (newPath !== oldPath) {
            region.parent = tx.getReference(Region, parent!.id) as never;
            region.path = newPath;
            await tx.flush();
            await tx.execute(
              `update region set path = ? || substr(path, ?), version = version + 1, updated_at = now() where ${belowPath('path', '?::text')}`,
              [newPath, oldPath.length + 1, oldPath],
            );
          }
        }
        await tx.flush();
        return region;
      },
      CONSTRAINTS,
    );
  }

  remove(id: string, version: number): Promise<boolean> {
    const { em } = this.scope;
    return transactional(
      em,
      async (tx) => {
        const region = await loadForUpdate(tx, Region, requireId(id, 'id'), version, { lock: true });
        const [usage] = await tx.execute<{ used: boolean }[]>(
          `select exists(select 1 from region where parent_id = ?) or exists(select 1 from customer where territory_id = ?) as used`,
          [region.id, region.id],
        );
        if (usage?.used) throw new ConflictError('The region still has sub-regions or customers; move them first');
        tx.remove(region);
        await tx.flush();
        return true;
      },
      CONSTRAINTS,
    );
  }
}
