import type { RecordColumns } from '../../common/orm/loaders.js';
import type { Channel } from '../customer/customer.entity.js';
import type { MaskedContactOf } from '../access/index.js';
import type { ContactFrequency, DecisionRole, ImHandles } from './contact.entity.js';

/** A contact as the loaders read it: every column, its account as an id. */
export type ContactRow = RecordColumns & {
  customer: string;
  name: string;
  title: string | null;
  decisionRole: DecisionRole | null;
  phone: string | null;
  mobile: string | null;
  email: string | null;
  imHandles: ImHandles;
  preferredChannel: Channel | null;
  preferredFrequency: ContactFrequency | null;
  importId: string | null;
  consent: boolean;
};

/** What a Contact's resolvers receive: a row through `maskContact`, personal data absent unless `piiReadable`. */
export type MaskedContactRow = MaskedContactOf<ContactRow>;
