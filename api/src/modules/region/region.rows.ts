import type { RecordColumns } from '../../common/orm/loaders.js';
import type { RegionKind } from './region.entity.js';

/** A region as the loaders read it: its parent as an id. */
export type RegionRow = RecordColumns & {
  code: string;
  name: string;
  nameZh: string | null;
  kind: RegionKind;
  parent: string | null;
  path: string;
  keyCity: boolean;
};
