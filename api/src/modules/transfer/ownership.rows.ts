import type { Timestamp } from '../../common/orm/loaders.js';

/** One period of an account's ownership as the loaders read it: relations as ids. */
export type OwnershipPeriodRow = {
  id: string;
  customer: string;
  owner: string;
  territory: string;
  validFrom: Timestamp;
  validTo: Timestamp | null;
  reason: string | null;
  changedBy: string | null;
};
