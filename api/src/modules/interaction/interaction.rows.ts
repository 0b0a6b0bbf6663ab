import type { RecordColumns, Timestamp } from '../../common/orm/loaders.js';
import type { Channel } from '../customer/customer.entity.js';
import type { InteractionKind } from './interaction.entity.js';

/** An interaction as the loaders read it: every column, relations as ids. */
export type InteractionRow = RecordColumns & {
  customer: string;
  contact: string | null;
  author: string;
  kind: InteractionKind;
  channel: Channel;
  occurredAt: Timestamp;
  summary: string;
  outcome: string | null;
  nextStep: string | null;
  followUpOn: string | null;
};
