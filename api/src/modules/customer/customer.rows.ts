import type { RecordColumns, Timestamp } from '../../common/orm/loaders.js';
import type { MaskedCustomerOf } from '../access/index.js';
import type {
  Channel,
  CreditStanding,
  IndustryStanding,
  LifecycleStage,
  OwnershipType,
  RelationshipLevel,
  SizeBand,
} from './customer.entity.js';

/** A customer as the loaders read it (`selectList`): every column, relations as ids. */
export type CustomerRow = RecordColumns & {
  legalName: string;
  normalizedName: string;
  registrationId: string | null;
  externalId: string | null;
  importId: string | null;
  registrationKey: string | null;
  industry: string | null;
  products: string | null;
  industryStanding: IndustryStanding | null;
  sizeBand: SizeBand | null;
  ownershipType: OwnershipType | null;
  creditStanding: CreditStanding;
  addressLine: string | null;
  city: string | null;
  province: string | null;
  postalCode: string | null;
  country: string | null;
  websiteDomain: string | null;
  territory: string;
  owner: string;
  lifecycleStage: LifecycleStage;
  relationshipLevel: RelationshipLevel;
  tags: string[];
  sourceChannel: Channel | null;
  notes: string | null;
  archivedAt: Timestamp | null;
  lastInteractionAt: Timestamp | null;
  lastOrderAt: Timestamp | null;
  mergedInto: string | null;
};

/**
 * What a Customer's resolvers receive: a row through `maskCustomer`, its level and readable groups
 * with it. Only the directory card is certain; the rest is absent where its group is not readable.
 */
export type MaskedCustomerRow = MaskedCustomerOf<CustomerRow>;
