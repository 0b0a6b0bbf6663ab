import type { Role } from '../../common/access/index.js';
import type { RecordColumns } from '../../common/orm/loaders.js';

/** A user as the loaders read it (the password hash is lazy, never read; memberships are pivots). */
export type UserRow = RecordColumns & {
  email: string;
  name: string;
  role: Role;
  active: boolean;
  sessionVersion: number;
};
