/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A point in time, ISO 8601 with a time zone (always UTC on output). */
  DateTime: { input: string; output: string; }
  /** An exact decimal number, serialised as a string (e.g. "1234.50"). */
  Decimal: { input: string; output: string; }
};

export type Address = {
  __typename?: 'Address';
  city?: Maybe<Scalars['String']['output']>;
  country?: Maybe<Scalars['String']['output']>;
  line?: Maybe<Scalars['String']['output']>;
  postalCode?: Maybe<Scalars['String']['output']>;
  province?: Maybe<Scalars['String']['output']>;
};

/** Postal address; every part optional. */
export type AddressInput = {
  city?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  line?: InputMaybe<Scalars['String']['input']>;
  postalCode?: InputMaybe<Scalars['String']['input']>;
  province?: InputMaybe<Scalars['String']['input']>;
};

export type AuthPayload = {
  __typename?: 'AuthPayload';
  expiresAt: Scalars['DateTime']['output'];
  /** Send as `Authorization: Bearer <token>`. */
  token: Scalars['String']['output'];
  user: User;
};

/** Where a customer or an interaction came through. */
export type Channel =
  | 'CALL_CENTRE'
  | 'EMAIL'
  | 'EVENT'
  | 'FIELD'
  | 'OTHER'
  | 'PHONE'
  | 'REFERRAL'
  | 'WEB';

/** A decision maker or responsible person at a customer. */
export type Contact = {
  __typename?: 'Contact';
  /** The contact agreed to be contacted for marketing. */
  consent: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  customer: Customer;
  decisionRole?: Maybe<DecisionRole>;
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** By network name. */
  imHandles: Array<ImHandle>;
  mobile?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** Direct line. */
  phone?: Maybe<Scalars['String']['output']>;
  preferredChannel?: Maybe<Channel>;
  preferredFrequency?: Maybe<ContactFrequency>;
  title?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** Pass it back on update; a stale version fails with CONFLICT. */
  version: Scalars['Int']['output'];
};

export type ContactConnection = {
  __typename?: 'ContactConnection';
  edges: Array<ContactEdge>;
  pageInfo: PageInfo;
  /** How many records match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type ContactEdge = {
  __typename?: 'ContactEdge';
  /** Opaque; pass as `after` to continue after this edge. */
  cursor: Scalars['String']['output'];
  node: Contact;
};

export type ContactFilter = {
  consent?: InputMaybe<Scalars['Boolean']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  decisionRole?: InputMaybe<DecisionRole>;
  /** Matches name, email, mobile or direct line. */
  search?: InputMaybe<Scalars['String']['input']>;
};

/** How often the contact wants to be contacted. */
export type ContactFrequency =
  | 'BIWEEKLY'
  | 'MONTHLY'
  | 'ON_DEMAND'
  | 'QUARTERLY'
  | 'WEEKLY'
  | 'YEARLY';

export type ContactOrder = {
  direction?: SortDirection;
  field: ContactSortField;
};

export type ContactSortField =
  | 'CREATED_AT'
  | 'NAME'
  | 'UPDATED_AT';

export type CreateContactInput = {
  /** The contact agreed to be contacted for marketing. */
  consent?: InputMaybe<Scalars['Boolean']['input']>;
  /** An existing customer that is not archived. */
  customerId: Scalars['ID']['input'];
  decisionRole?: InputMaybe<DecisionRole>;
  /** Stored lower-cased. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** Replaces all handles; one per network. */
  imHandles?: InputMaybe<Array<ImHandleInput>>;
  mobile?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  /** Direct line. */
  phone?: InputMaybe<Scalars['String']['input']>;
  preferredChannel?: InputMaybe<Channel>;
  preferredFrequency?: InputMaybe<ContactFrequency>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type CreateCustomerInput = {
  address?: InputMaybe<AddressInput>;
  creditStanding?: InputMaybe<CreditStanding>;
  industry?: InputMaybe<Scalars['String']['input']>;
  industryStanding?: InputMaybe<IndustryStanding>;
  legalName: Scalars['String']['input'];
  lifecycleStage?: InputMaybe<LifecycleStage>;
  notes?: InputMaybe<Scalars['String']['input']>;
  /** Defaults to the signed-in rep. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  ownershipType?: InputMaybe<OwnershipType>;
  products?: InputMaybe<Scalars['String']['input']>;
  /** Registration / tax id. */
  registrationId?: InputMaybe<Scalars['String']['input']>;
  relationshipLevel?: InputMaybe<RelationshipLevel>;
  sizeBand?: InputMaybe<SizeBand>;
  sourceChannel?: InputMaybe<Channel>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** A territory (the lowest level of the region tree). */
  territoryId: Scalars['ID']['input'];
  /** Website or domain; stored as the bare domain. */
  websiteDomain?: InputMaybe<Scalars['String']['input']>;
};

/** Totals are computed from the lines; they are never accepted from input. */
export type CreateOrderInput = {
  contractRef?: InputMaybe<Scalars['String']['input']>;
  /** ISO 4217 code, e.g. CNY (the default), USD. */
  currency?: InputMaybe<Scalars['String']['input']>;
  customerId: Scalars['ID']['input'];
  lines: Array<OrderLineInput>;
  /** Unique; generated (SO-<year>-<sequence>) when absent on create. */
  number?: InputMaybe<Scalars['String']['input']>;
  orderedAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Default QUOTE. */
  status?: InputMaybe<OrderStatus>;
  /** Quotes only: chance of winning, 0–100. */
  winProbability?: InputMaybe<Scalars['Int']['input']>;
};

export type CreatePaymentInput = {
  /** More than 0, at most 2 decimal places. */
  amount: Scalars['Decimal']['input'];
  /** YYYY-MM-DD. */
  dueDate: Scalars['String']['input'];
  orderId: Scalars['ID']['input'];
  /** When it was received; absent while it is still due. */
  paidAt?: InputMaybe<Scalars['DateTime']['input']>;
};

export type CreateRegionInput = {
  /** Stable code: letters, digits, "_" and "-"; unique. */
  code: Scalars['String']['input'];
  keyCity?: InputMaybe<Scalars['Boolean']['input']>;
  kind: RegionKind;
  name: Scalars['String']['input'];
  nameZh?: InputMaybe<Scalars['String']['input']>;
  /** Required below the top level. */
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

export type CreateUserInput = {
  email: Scalars['String']['input'];
  /** Managers: regions they oversee. */
  managedRegionIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  name: Scalars['String']['input'];
  /** At least 8 characters. */
  password: Scalars['String']['input'];
  role: Role;
  /** Reps: territories they work in. */
  territoryIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** Credit standing (资信). */
export type CreditStanding =
  | 'EXCELLENT'
  | 'FAIR'
  | 'GOOD'
  | 'POOR'
  | 'UNKNOWN';

/** An account. Every customer has a territory and an owner. */
export type Customer = {
  __typename?: 'Customer';
  address: Address;
  /** Archived customers are hidden from lists unless asked for. */
  archivedAt?: Maybe<Scalars['DateTime']['output']>;
  contacts: Array<Contact>;
  createdAt: Scalars['DateTime']['output'];
  creditStanding: CreditStanding;
  /** Results of every evaluation cycle, newest cycle first. */
  evaluations: Array<Evaluation>;
  id: Scalars['ID']['output'];
  industry?: Maybe<Scalars['String']['output']>;
  industryStanding?: Maybe<IndustryStanding>;
  /** Newest first. */
  interactions: InteractionConnection;
  legalName: Scalars['String']['output'];
  lifecycleStage: LifecycleStage;
  notes?: Maybe<Scalars['String']['output']>;
  /** Newest first. */
  orders: OrderConnection;
  owner: User;
  ownershipType?: Maybe<OwnershipType>;
  /** Products and services the customer buys or makes. */
  products?: Maybe<Scalars['String']['output']>;
  /** Registration / tax id (统一社会信用代码). */
  registrationId?: Maybe<Scalars['String']['output']>;
  relationshipLevel: RelationshipLevel;
  sizeBand?: Maybe<SizeBand>;
  sourceChannel?: Maybe<Channel>;
  tags: Array<Scalars['String']['output']>;
  territory: Region;
  updatedAt: Scalars['DateTime']['output'];
  /** Pass it back on update; a stale version fails with CONFLICT. */
  version: Scalars['Int']['output'];
  websiteDomain?: Maybe<Scalars['String']['output']>;
};


/** An account. Every customer has a territory and an owner. */
export type CustomerInteractionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** An account. Every customer has a territory and an owner. */
export type CustomerOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type CustomerConnection = {
  __typename?: 'CustomerConnection';
  edges: Array<CustomerEdge>;
  pageInfo: PageInfo;
  /** How many records match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type CustomerEdge = {
  __typename?: 'CustomerEdge';
  /** Opaque; pass as `after` to continue after this edge. */
  cursor: Scalars['String']['output'];
  node: Customer;
};

export type CustomerFilter = {
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Include archived customers (default: no). */
  includeArchived?: InputMaybe<Scalars['Boolean']['input']>;
  industry?: InputMaybe<Scalars['String']['input']>;
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** In this region or anywhere below it. */
  regionId?: InputMaybe<Scalars['ID']['input']>;
  /** Matches the legal name, registration id, or a contact's name, email or mobile. */
  search?: InputMaybe<Scalars['String']['input']>;
  stages?: InputMaybe<Array<LifecycleStage>>;
  tag?: InputMaybe<Scalars['String']['input']>;
  territoryId?: InputMaybe<Scalars['ID']['input']>;
  updatedAfter?: InputMaybe<Scalars['DateTime']['input']>;
  updatedBefore?: InputMaybe<Scalars['DateTime']['input']>;
};

export type CustomerOrder = {
  direction?: SortDirection;
  field: CustomerSortField;
};

export type CustomerSortField =
  | 'CREATED_AT'
  | 'LEGAL_NAME'
  | 'UPDATED_AT';

export type CycleStatus =
  | 'COMPUTED'
  | 'DRAFT'
  | 'PUBLISHED';

export type DecisionRole =
  | 'BUYER'
  | 'DECISION_MAKER'
  | 'GATEKEEPER'
  | 'INFLUENCER'
  | 'OTHER'
  | 'USER';

/** One customer's result in one evaluation cycle. */
export type Evaluation = {
  __typename?: 'Evaluation';
  amountPaid: Scalars['Decimal']['output'];
  averageDaysLate?: Maybe<Scalars['Float']['output']>;
  /** Share of the cycle's revenue, 0–1. */
  contribution?: Maybe<Scalars['Float']['output']>;
  createdAt: Scalars['DateTime']['output'];
  customer: Customer;
  cycle: EvaluationCycle;
  grade?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Share of payments made on time, 0–1. */
  onTimeShare?: Maybe<Scalars['Float']['output']>;
  purchaseAmount: Scalars['Decimal']['output'];
  purchaseCount: Scalars['Int']['output'];
  score?: Maybe<Scalars['Float']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** Pass it back on update; a stale version fails with CONFLICT. */
  version: Scalars['Int']['output'];
};

export type EvaluationConnection = {
  __typename?: 'EvaluationConnection';
  edges: Array<EvaluationEdge>;
  pageInfo: PageInfo;
  /** How many records match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An evaluation period (评价周期): at its close every customer is scored and graded. */
export type EvaluationCycle = {
  __typename?: 'EvaluationCycle';
  createdAt: Scalars['DateTime']['output'];
  /** The cycle's results, in order of last change (oldest first): a stable order for bulk pulls of a published snapshot. */
  evaluations: EvaluationConnection;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Last day of the period (YYYY-MM-DD), inclusive. */
  periodEnd: Scalars['String']['output'];
  /** First day of the period (YYYY-MM-DD). */
  periodStart: Scalars['String']['output'];
  publishedAt?: Maybe<Scalars['DateTime']['output']>;
  status: CycleStatus;
  updatedAt: Scalars['DateTime']['output'];
  /** Pass it back on update; a stale version fails with CONFLICT. */
  version: Scalars['Int']['output'];
};


/** An evaluation period (评价周期): at its close every customer is scored and graded. */
export type EvaluationCycleEvaluationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type EvaluationCycleConnection = {
  __typename?: 'EvaluationCycleConnection';
  edges: Array<EvaluationCycleEdge>;
  pageInfo: PageInfo;
  /** How many records match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type EvaluationCycleEdge = {
  __typename?: 'EvaluationCycleEdge';
  /** Opaque; pass as `after` to continue after this edge. */
  cursor: Scalars['String']['output'];
  node: EvaluationCycle;
};

export type EvaluationEdge = {
  __typename?: 'EvaluationEdge';
  /** Opaque; pass as `after` to continue after this edge. */
  cursor: Scalars['String']['output'];
  node: Evaluation;
};

/** A handle on one IM network (WeChat, QQ, …). */
export type ImHandle = {
  __typename?: 'ImHandle';
  handle: Scalars['String']['output'];
  /** Lower-case network name, e.g. wechat, qq. */
  network: Scalars['String']['output'];
};

/** A handle on one IM network. */
export type ImHandleInput = {
  handle: Scalars['String']['input'];
  /** Network, e.g. wechat, qq, whatsapp, telegram, line, dingtalk; stored lower-case. */
  network: Scalars['String']['input'];
};

export type IndustryStanding =
  | 'CHALLENGER'
  | 'FOLLOWER'
  | 'LEADER'
  | 'NICHE';

/** A follow-up, visit, call or after-sales event on a customer. */
export type Interaction = {
  __typename?: 'Interaction';
  /** Who logged it. */
  author: User;
  channel: Channel;
  contact?: Maybe<Contact>;
  createdAt: Scalars['DateTime']['output'];
  customer: Customer;
  /** Follow-up date (YYYY-MM-DD). */
  followUpOn?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  kind: InteractionKind;
  nextStep?: Maybe<Scalars['String']['output']>;
  occurredAt: Scalars['DateTime']['output'];
  outcome?: Maybe<Scalars['String']['output']>;
  summary: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Pass it back on update; a stale version fails with CONFLICT. */
  version: Scalars['Int']['output'];
};

export type InteractionConnection = {
  __typename?: 'InteractionConnection';
  edges: Array<InteractionEdge>;
  pageInfo: PageInfo;
  /** How many records match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type InteractionEdge = {
  __typename?: 'InteractionEdge';
  /** Opaque; pass as `after` to continue after this edge. */
  cursor: Scalars['String']['output'];
  node: Interaction;
};

export type InteractionFilter = {
  authorId?: InputMaybe<Scalars['ID']['input']>;
  channels?: InputMaybe<Array<Channel>>;
  contactId?: InputMaybe<Scalars['ID']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Follow-ups due on or before this date (YYYY-MM-DD). */
  followUpDueBy?: InputMaybe<Scalars['String']['input']>;
  kinds?: InputMaybe<Array<InteractionKind>>;
  /** Occurred at or after this instant. */
  occurredAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Occurred before this instant. */
  occurredBefore?: InputMaybe<Scalars['DateTime']['input']>;
};

export type InteractionKind =
  | 'CALL'
  | 'COMPLAINT'
  | 'DEMO'
  | 'EMAIL'
  | 'INSTALLATION'
  | 'MEETING'
  | 'REPAIR'
  | 'SERVICE_REQUEST'
  | 'SUGGESTION'
  | 'VISIT';

export type InteractionOrder = {
  direction?: SortDirection;
  field: InteractionSortField;
};

export type InteractionSortField =
  | 'CREATED_AT'
  | 'OCCURRED_AT';

/** Customer lifecycle (客户生命周期). */
export type LifecycleStage =
  | 'DORMANT'
  | 'FIRST_PURCHASE'
  | 'INTENTION'
  | 'LOST'
  | 'POTENTIAL'
  | 'REPEAT';

/** The author is the signed-in user. */
export type LogInteractionInput = {
  channel: Channel;
  /** A contact of the same customer. */
  contactId?: InputMaybe<Scalars['ID']['input']>;
  customerId: Scalars['ID']['input'];
  /** Follow-up date, YYYY-MM-DD. */
  followUpOn?: InputMaybe<Scalars['String']['input']>;
  kind: InteractionKind;
  nextStep?: InputMaybe<Scalars['String']['input']>;
  /** Defaults to now; at most one day in the future. */
  occurredAt?: InputMaybe<Scalars['DateTime']['input']>;
  outcome?: InputMaybe<Scalars['String']['input']>;
  summary: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Hide the customer from lists; its history stays. */
  archiveCustomer: Customer;
  createContact: Contact;
  createCustomer: Customer;
  /** Totals are computed from the lines; the number is generated when not given. */
  createOrder: Order;
  /** Payments on an order may not add up to more than its total. */
  createPayment: Payment;
  createRegion: Region;
  createUser: User;
  /** The contact's interactions stay, without a contact. */
  deleteContact: Scalars['Boolean']['output'];
  deleteInteraction: Scalars['Boolean']['output'];
  /** Only quotes and cancelled orders can be deleted. */
  deleteOrder: Scalars['Boolean']['output'];
  deletePayment: Scalars['Boolean']['output'];
  /** Only an empty node (no sub-regions, no customers) can be deleted. */
  deleteRegion: Scalars['Boolean']['output'];
  /** Record a visit, call or after-sales event; the signed-in user is the author. */
  logInteraction: Interaction;
  login: AuthPayload;
  restoreCustomer: Customer;
  updateContact: Contact;
  updateCustomer: Customer;
  updateInteraction: Interaction;
  /** Lines, when given, replace all lines and the totals are recomputed. */
  updateOrder: Order;
  updatePayment: Payment;
  /** Rename, flag or move a node; moving carries everything below it. */
  updateRegion: Region;
  /** Change role, memberships, password, or deactivate (active: false). */
  updateUser: User;
};


export type MutationArchiveCustomerArgs = {
  id: Scalars['ID']['input'];
  version: Scalars['Int']['input'];
};


export type MutationCreateContactArgs = {
  input: CreateContactInput;
};


export type MutationCreateCustomerArgs = {
  input: CreateCustomerInput;
};


export type MutationCreateOrderArgs = {
  input: CreateOrderInput;
};


export type MutationCreatePaymentArgs = {
  input: CreatePaymentInput;
};


export type MutationCreateRegionArgs = {
  input: CreateRegionInput;
};


export type MutationCreateUserArgs = {
  input: CreateUserInput;
};


export type MutationDeleteContactArgs = {
  id: Scalars['ID']['input'];
  version: Scalars['Int']['input'];
};


export type MutationDeleteInteractionArgs = {
  id: Scalars['ID']['input'];
  version: Scalars['Int']['input'];
};


export type MutationDeleteOrderArgs = {
  id: Scalars['ID']['input'];
  version: Scalars['Int']['input'];
};


export type MutationDeletePaymentArgs = {
  id: Scalars['ID']['input'];
  version: Scalars['Int']['input'];
};


export type MutationDeleteRegionArgs = {
  id: Scalars['ID']['input'];
  version: Scalars['Int']['input'];
};


export type MutationLogInteractionArgs = {
  input: LogInteractionInput;
};


export type MutationLoginArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationRestoreCustomerArgs = {
  id: Scalars['ID']['input'];
  version: Scalars['Int']['input'];
};


export type MutationUpdateContactArgs = {
  id: Scalars['ID']['input'];
  input: UpdateContactInput;
};


export type MutationUpdateCustomerArgs = {
  id: Scalars['ID']['input'];
  input: UpdateCustomerInput;
};


export type MutationUpdateInteractionArgs = {
  id: Scalars['ID']['input'];
  input: UpdateInteractionInput;
};


export type MutationUpdateOrderArgs = {
  id: Scalars['ID']['input'];
  input: UpdateOrderInput;
};


export type MutationUpdatePaymentArgs = {
  id: Scalars['ID']['input'];
  input: UpdatePaymentInput;
};


export type MutationUpdateRegionArgs = {
  id: Scalars['ID']['input'];
  input: UpdateRegionInput;
};


export type MutationUpdateUserArgs = {
  id: Scalars['ID']['input'];
  input: UpdateUserInput;
};

/** A quote or an order. Totals are computed by the server from the lines. */
export type Order = {
  __typename?: 'Order';
  /** Sum of the payments received (with a paid-at time). */
  amountPaid: Scalars['Decimal']['output'];
  /** Total minus the amount paid. */
  balance: Scalars['Decimal']['output'];
  contractRef?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** ISO 4217 code. */
  currency: Scalars['String']['output'];
  customer: Customer;
  /** Sum of line discounts. */
  discountTotal: Scalars['Decimal']['output'];
  id: Scalars['ID']['output'];
  /** In position order. */
  lines: Array<OrderLine>;
  number: Scalars['String']['output'];
  orderedAt: Scalars['DateTime']['output'];
  /** By due date. */
  payments: Array<Payment>;
  status: OrderStatus;
  /** Sum of quantity × unit price. */
  subtotal: Scalars['Decimal']['output'];
  total: Scalars['Decimal']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Pass it back on update; a stale version fails with CONFLICT. */
  version: Scalars['Int']['output'];
  /** Quotes: chance of winning, 0–100. */
  winProbability?: Maybe<Scalars['Int']['output']>;
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  edges: Array<OrderEdge>;
  pageInfo: PageInfo;
  /** How many records match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type OrderEdge = {
  __typename?: 'OrderEdge';
  /** Opaque; pass as `after` to continue after this edge. */
  cursor: Scalars['String']['output'];
  node: Order;
};

export type OrderFilter = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Ordered at or after this instant. */
  orderedAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Ordered before this instant. */
  orderedBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Matches the order number. */
  search?: InputMaybe<Scalars['String']['input']>;
  statuses?: InputMaybe<Array<OrderStatus>>;
};

export type OrderLine = {
  __typename?: 'OrderLine';
  /** quantity × unit price − discount, rounded half-up to cents. */
  amount: Scalars['Decimal']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Discount on the line as a percentage, 0–100. */
  discountPercent: Scalars['Decimal']['output'];
  id: Scalars['ID']['output'];
  /** Position of the line in the order, from 1. */
  position: Scalars['Int']['output'];
  product: Scalars['String']['output'];
  quantity: Scalars['Decimal']['output'];
  unitPrice: Scalars['Decimal']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Pass it back on update; a stale version fails with CONFLICT. */
  version: Scalars['Int']['output'];
};

/** One line of an order. Its amount is computed by the server. */
export type OrderLineInput = {
  /** 0–100 (default 0), at most 2 decimal places. */
  discountPercent?: InputMaybe<Scalars['Decimal']['input']>;
  product: Scalars['String']['input'];
  /** More than 0, at most 3 decimal places. */
  quantity: Scalars['Decimal']['input'];
  /** At least 0, at most 2 decimal places. */
  unitPrice: Scalars['Decimal']['input'];
};

/** Sort order for orders. */
export type OrderSort = {
  direction?: SortDirection;
  field: OrderSortField;
};

export type OrderSortField =
  | 'CREATED_AT'
  | 'NUMBER'
  | 'ORDERED_AT'
  | 'TOTAL';

export type OrderStatus =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'DELIVERED'
  | 'QUOTE'
  | 'SHIPPED';

export type OwnershipType =
  | 'FOREIGN'
  | 'OTHER'
  | 'PRIVATE'
  | 'STATE_OWNED';

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  /** True when the page was fetched with `after`. */
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A payment due or received on an order. */
export type Payment = {
  __typename?: 'Payment';
  amount: Scalars['Decimal']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** YYYY-MM-DD. */
  dueDate: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  order: Order;
  paidAt?: Maybe<Scalars['DateTime']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** Pass it back on update; a stale version fails with CONFLICT. */
  version: Scalars['Int']['output'];
};

export type Query = {
  __typename?: 'Query';
  contact?: Maybe<Contact>;
  contacts: ContactConnection;
  customer?: Maybe<Customer>;
  customers: CustomerConnection;
  evaluationCycle?: Maybe<EvaluationCycle>;
  /** Newest period first. */
  evaluationCycles: EvaluationCycleConnection;
  interaction?: Maybe<Interaction>;
  /** Newest first unless ordered otherwise. */
  interactions: InteractionConnection;
  /** The signed-in user. */
  me: User;
  order?: Maybe<Order>;
  /** Newest first unless ordered otherwise. */
  orders: OrderConnection;
  region?: Maybe<Region>;
  /** The territory tree, flat; filter by parent or subtree. */
  regions: RegionConnection;
  user?: Maybe<User>;
  users: UserConnection;
};


export type QueryContactArgs = {
  id: Scalars['ID']['input'];
};


export type QueryContactsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ContactFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ContactOrder>;
};


export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<CustomerFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<CustomerOrder>;
};


export type QueryEvaluationCycleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryEvaluationCyclesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryInteractionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryInteractionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<InteractionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<InteractionOrder>;
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<OrderSort>;
};


export type QueryRegionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRegionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<RegionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<RegionOrder>;
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<UserFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<UserOrder>;
};

export type Region = {
  __typename?: 'Region';
  children: Array<Region>;
  /** Stable code, unique across the tree. */
  code: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  keyCity: Scalars['Boolean']['output'];
  kind: RegionKind;
  name: Scalars['String']['output'];
  /** Name in Simplified Chinese. */
  nameZh?: Maybe<Scalars['String']['output']>;
  parent?: Maybe<Region>;
  /** Codes from the root down to this node, separated by "/". */
  path: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Pass it back on update; a stale version fails with CONFLICT. */
  version: Scalars['Int']['output'];
};

export type RegionConnection = {
  __typename?: 'RegionConnection';
  edges: Array<RegionEdge>;
  pageInfo: PageInfo;
  /** How many records match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type RegionEdge = {
  __typename?: 'RegionEdge';
  /** Opaque; pass as `after` to continue after this edge. */
  cursor: Scalars['String']['output'];
  node: Region;
};

export type RegionFilter = {
  keyCity?: InputMaybe<Scalars['Boolean']['input']>;
  kind?: InputMaybe<RegionKind>;
  /** Direct children of this node. */
  parentId?: InputMaybe<Scalars['ID']['input']>;
  /** Matches code, name or Chinese name. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** This node and everything below it. */
  withinId?: InputMaybe<Scalars['ID']['input']>;
};

/** Level in the territory tree: region → province/area → territory (city). */
export type RegionKind =
  | 'PROVINCE'
  | 'REGION'
  | 'TERRITORY';

export type RegionOrder = {
  direction?: SortDirection;
  field: RegionSortField;
};

export type RegionSortField =
  | 'CODE'
  | 'NAME'
  | 'PATH';

/** Kotler's relationship levels. */
export type RelationshipLevel =
  | 'ACCOUNTABLE'
  | 'BASIC'
  | 'PARTNERSHIP'
  | 'PROACTIVE'
  | 'REACTIVE';

/** What a console user is. */
export type Role =
  | 'ADMIN'
  | 'MANAGER'
  | 'REP';

export type SizeBand =
  | 'ENTERPRISE'
  | 'LARGE'
  | 'MEDIUM'
  | 'MICRO'
  | 'SMALL';

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type UpdateContactInput = {
  /** The contact agreed to be contacted for marketing. */
  consent?: InputMaybe<Scalars['Boolean']['input']>;
  decisionRole?: InputMaybe<DecisionRole>;
  /** Stored lower-cased. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** Replaces all handles; one per network. */
  imHandles?: InputMaybe<Array<ImHandleInput>>;
  mobile?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** Direct line. */
  phone?: InputMaybe<Scalars['String']['input']>;
  preferredChannel?: InputMaybe<Channel>;
  preferredFrequency?: InputMaybe<ContactFrequency>;
  title?: InputMaybe<Scalars['String']['input']>;
  version: Scalars['Int']['input'];
};

/** Profile changes. Owner and territory change through a transfer, not here. */
export type UpdateCustomerInput = {
  address?: InputMaybe<AddressInput>;
  creditStanding?: InputMaybe<CreditStanding>;
  industry?: InputMaybe<Scalars['String']['input']>;
  industryStanding?: InputMaybe<IndustryStanding>;
  legalName?: InputMaybe<Scalars['String']['input']>;
  notes?: InputMaybe<Scalars['String']['input']>;
  ownershipType?: InputMaybe<OwnershipType>;
  products?: InputMaybe<Scalars['String']['input']>;
  /** Registration / tax id. */
  registrationId?: InputMaybe<Scalars['String']['input']>;
  relationshipLevel?: InputMaybe<RelationshipLevel>;
  sizeBand?: InputMaybe<SizeBand>;
  sourceChannel?: InputMaybe<Channel>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  version: Scalars['Int']['input'];
  /** Website or domain; stored as the bare domain. */
  websiteDomain?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateInteractionInput = {
  channel?: InputMaybe<Channel>;
  /** A contact of the same customer. */
  contactId?: InputMaybe<Scalars['ID']['input']>;
  /** Follow-up date, YYYY-MM-DD. */
  followUpOn?: InputMaybe<Scalars['String']['input']>;
  kind?: InputMaybe<InteractionKind>;
  nextStep?: InputMaybe<Scalars['String']['input']>;
  /** At most one day in the future. */
  occurredAt?: InputMaybe<Scalars['DateTime']['input']>;
  outcome?: InputMaybe<Scalars['String']['input']>;
  summary?: InputMaybe<Scalars['String']['input']>;
  version: Scalars['Int']['input'];
};

export type UpdateOrderInput = {
  contractRef?: InputMaybe<Scalars['String']['input']>;
  /** ISO 4217 code, e.g. CNY (the default), USD. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** Replaces every line; allowed on quotes and confirmed orders. */
  lines?: InputMaybe<Array<OrderLineInput>>;
  /** Unique; generated (SO-<year>-<sequence>) when absent on create. */
  number?: InputMaybe<Scalars['String']['input']>;
  orderedAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** QUOTE → CONFIRMED → SHIPPED → DELIVERED; any open order → CANCELLED. */
  status?: InputMaybe<OrderStatus>;
  version: Scalars['Int']['input'];
  /** Quotes only: chance of winning, 0–100. */
  winProbability?: InputMaybe<Scalars['Int']['input']>;
};

export type UpdatePaymentInput = {
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  dueDate?: InputMaybe<Scalars['String']['input']>;
  /** null marks it unpaid again. */
  paidAt?: InputMaybe<Scalars['DateTime']['input']>;
  version: Scalars['Int']['input'];
};

export type UpdateRegionInput = {
  keyCity?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  nameZh?: InputMaybe<Scalars['String']['input']>;
  /** Move the node (and everything below it) under another parent. */
  parentId?: InputMaybe<Scalars['ID']['input']>;
  version: Scalars['Int']['input'];
};

export type UpdateUserInput = {
  /** Deactivated users cannot sign in; their tokens stop working. */
  active?: InputMaybe<Scalars['Boolean']['input']>;
  managedRegionIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  name?: InputMaybe<Scalars['String']['input']>;
  password?: InputMaybe<Scalars['String']['input']>;
  role?: InputMaybe<Role>;
  territoryIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  version: Scalars['Int']['input'];
};

export type User = {
  __typename?: 'User';
  active: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Managers: the regions they oversee (with everything below). */
  managedRegions: Array<Region>;
  name: Scalars['String']['output'];
  role: Role;
  /** Reps: the territories they work in. */
  territories: Array<Region>;
  updatedAt: Scalars['DateTime']['output'];
  /** Pass it back on update; a stale version fails with CONFLICT. */
  version: Scalars['Int']['output'];
};

export type UserConnection = {
  __typename?: 'UserConnection';
  edges: Array<UserEdge>;
  pageInfo: PageInfo;
  /** How many records match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type UserEdge = {
  __typename?: 'UserEdge';
  /** Opaque; pass as `after` to continue after this edge. */
  cursor: Scalars['String']['output'];
  node: User;
};

export type UserFilter = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  role?: InputMaybe<Role>;
  /** Matches name or email. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Reps working in this territory. */
  territoryId?: InputMaybe<Scalars['ID']['input']>;
};

export type UserOrder = {
  direction?: SortDirection;
  field: UserSortField;
};

export type UserSortField =
  | 'CREATED_AT'
  | 'EMAIL'
  | 'NAME';

/** Postal address; every part optional. */
export type AddressInput = {
  city?: string | null | undefined;
  country?: string | null | undefined;
  line?: string | null | undefined;
  postalCode?: string | null | undefined;
  province?: string | null | undefined;
};

/** Where a customer or an interaction came through. */
export type Channel =
  | 'CALL_CENTRE'
  | 'EMAIL'
  | 'EVENT'
  | 'FIELD'
  | 'OTHER'
  | 'PHONE'
  | 'REFERRAL'
  | 'WEB';

export type CreateCustomerInput = {
  address?: AddressInput | null | undefined;
  creditStanding?: CreditStanding | null | undefined;
  industry?: string | null | undefined;
  industryStanding?: IndustryStanding | null | undefined;
  legalName: string;
  lifecycleStage?: LifecycleStage | null | undefined;
  notes?: string | null | undefined;
  /** Defaults to the signed-in rep. */
  ownerId?: string | number | null | undefined;
  ownershipType?: OwnershipType | null | undefined;
  products?: string | null | undefined;
  /** Registration / tax id. */
  registrationId?: string | null | undefined;
  relationshipLevel?: RelationshipLevel | null | undefined;
  sizeBand?: SizeBand | null | undefined;
  sourceChannel?: Channel | null | undefined;
  tags?: Array<string> | null | undefined;
  /** A territory (the lowest level of the region tree). */
  territoryId: string | number;
  /** Website or domain; stored as the bare domain. */
  websiteDomain?: string | null | undefined;
};

/** Credit standing (资信). */
export type CreditStanding =
  | 'EXCELLENT'
  | 'FAIR'
  | 'GOOD'
  | 'POOR'
  | 'UNKNOWN';

export type CustomerFilter = {
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  /** Include archived customers (default: no). */
  includeArchived?: boolean | null | undefined;
  industry?: string | null | undefined;
  ownerId?: string | number | null | undefined;
  /** In this region or anywhere below it. */
  regionId?: string | number | null | undefined;
  /** Matches the legal name, registration id, or a contact's name, email or mobile. */
  search?: string | null | undefined;
  stages?: Array<LifecycleStage> | null | undefined;
  tag?: string | null | undefined;
  territoryId?: string | number | null | undefined;
  updatedAfter?: string | null | undefined;
  updatedBefore?: string | null | undefined;
};

export type CustomerOrder = {
  direction?: SortDirection;
  field: CustomerSortField;
};

export type CustomerSortField =
  | 'CREATED_AT'
  | 'LEGAL_NAME'
  | 'UPDATED_AT';

export type IndustryStanding =
  | 'CHALLENGER'
  | 'FOLLOWER'
  | 'LEADER'
  | 'NICHE';

export type InteractionKind =
  | 'CALL'
  | 'COMPLAINT'
  | 'DEMO'
  | 'EMAIL'
  | 'INSTALLATION'
  | 'MEETING'
  | 'REPAIR'
  | 'SERVICE_REQUEST'
  | 'SUGGESTION'
  | 'VISIT';

/** Customer lifecycle (客户生命周期). */
export type LifecycleStage =
  | 'DORMANT'
  | 'FIRST_PURCHASE'
  | 'INTENTION'
  | 'LOST'
  | 'POTENTIAL'
  | 'REPEAT';

export type OrderStatus =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'DELIVERED'
  | 'QUOTE'
  | 'SHIPPED';

export type OwnershipType =
  | 'FOREIGN'
  | 'OTHER'
  | 'PRIVATE'
  | 'STATE_OWNED';

/** Kotler's relationship levels. */
export type RelationshipLevel =
  | 'ACCOUNTABLE'
  | 'BASIC'
  | 'PARTNERSHIP'
  | 'PROACTIVE'
  | 'REACTIVE';

/** What a console user is. */
export type Role =
  | 'ADMIN'
  | 'MANAGER'
  | 'REP';

export type SizeBand =
  | 'ENTERPRISE'
  | 'LARGE'
  | 'MEDIUM'
  | 'MICRO'
  | 'SMALL';

export type SortDirection =
  | 'ASC'
  | 'DESC';

/** Profile changes. Owner and territory change through a transfer, not here. */
export type UpdateCustomerInput = {
  address?: AddressInput | null | undefined;
  creditStanding?: CreditStanding | null | undefined;
  industry?: string | null | undefined;
  industryStanding?: IndustryStanding | null | undefined;
  legalName?: string | null | undefined;
  notes?: string | null | undefined;
  ownershipType?: OwnershipType | null | undefined;
  products?: string | null | undefined;
  /** Registration / tax id. */
  registrationId?: string | null | undefined;
  relationshipLevel?: RelationshipLevel | null | undefined;
  sizeBand?: SizeBand | null | undefined;
  sourceChannel?: Channel | null | undefined;
  tags?: Array<string> | null | undefined;
  version: number;
  /** Website or domain; stored as the bare domain. */
  websiteDomain?: string | null | undefined;
};

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type LoginMutation = { login: { token: string, expiresAt: string, user: { id: string, email: string, name: string, role: Role } } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, name: string, role: Role, territories: Array<{ id: string, code: string }>, managedRegions: Array<{ id: string, code: string }> } };

export type CustomerProfileFragment = { id: string, version: number, legalName: string, registrationId: string | null, industry: string | null, lifecycleStage: LifecycleStage, relationshipLevel: RelationshipLevel, creditStanding: CreditStanding, tags: Array<string>, websiteDomain: string | null, notes: string | null, archivedAt: string | null, createdAt: string, updatedAt: string, address: { line: string | null, city: string | null, province: string | null, postalCode: string | null, country: string | null }, territory: { id: string, code: string, name: string }, owner: { id: string, name: string } };

export type Customer360FieldsFragment = { id: string, version: number, legalName: string, registrationId: string | null, industry: string | null, lifecycleStage: LifecycleStage, relationshipLevel: RelationshipLevel, creditStanding: CreditStanding, tags: Array<string>, websiteDomain: string | null, notes: string | null, archivedAt: string | null, createdAt: string, updatedAt: string, contacts: Array<{ id: string, name: string, title: string | null, email: string | null, mobile: string | null, phone: string | null }>, interactions: { totalCount: number, edges: Array<{ node: { id: string, kind: InteractionKind, channel: Channel, occurredAt: string, summary: string, outcome: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, orders: { edges: Array<{ node: { id: string, number: string, status: OrderStatus, orderedAt: string, currency: string, total: string, lines: Array<{ position: number, product: string, quantity: string, unitPrice: string, discountPercent: string, amount: string }>, payments: Array<{ amount: string, dueDate: string, paidAt: string | null }> } }> }, evaluations: Array<{ grade: string | null, score: number | null }>, address: { line: string | null, city: string | null, province: string | null, postalCode: string | null, country: string | null }, territory: { id: string, code: string, name: string }, owner: { id: string, name: string } };

export type Customer360QueryVariables = Exact<{
  id: string | number;
}>;


export type Customer360Query = { customer: { id: string, version: number, legalName: string, registrationId: string | null, industry: string | null, lifecycleStage: LifecycleStage, relationshipLevel: RelationshipLevel, creditStanding: CreditStanding, tags: Array<string>, websiteDomain: string | null, notes: string | null, archivedAt: string | null, createdAt: string, updatedAt: string, contacts: Array<{ id: string, name: string, title: string | null, email: string | null, mobile: string | null, phone: string | null }>, interactions: { totalCount: number, edges: Array<{ node: { id: string, kind: InteractionKind, channel: Channel, occurredAt: string, summary: string, outcome: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, orders: { edges: Array<{ node: { id: string, number: string, status: OrderStatus, orderedAt: string, currency: string, total: string, lines: Array<{ position: number, product: string, quantity: string, unitPrice: string, discountPercent: string, amount: string }>, payments: Array<{ amount: string, dueDate: string, paidAt: string | null }> } }> }, evaluations: Array<{ grade: string | null, score: number | null }>, address: { line: string | null, city: string | null, province: string | null, postalCode: string | null, country: string | null }, territory: { id: string, code: string, name: string }, owner: { id: string, name: string } } | null };

export type Customer360PageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: CustomerFilter | null | undefined;
}>;


export type Customer360PageQuery = { customers: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, version: number, legalName: string, registrationId: string | null, industry: string | null, lifecycleStage: LifecycleStage, relationshipLevel: RelationshipLevel, creditStanding: CreditStanding, tags: Array<string>, websiteDomain: string | null, notes: string | null, archivedAt: string | null, createdAt: string, updatedAt: string, contacts: Array<{ id: string, name: string, title: string | null, email: string | null, mobile: string | null, phone: string | null }>, interactions: { totalCount: number, edges: Array<{ node: { id: string, kind: InteractionKind, channel: Channel, occurredAt: string, summary: string, outcome: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, orders: { edges: Array<{ node: { id: string, number: string, status: OrderStatus, orderedAt: string, currency: string, total: string, lines: Array<{ position: number, product: string, quantity: string, unitPrice: string, discountPercent: string, amount: string }>, payments: Array<{ amount: string, dueDate: string, paidAt: string | null }> } }> }, evaluations: Array<{ grade: string | null, score: number | null }>, address: { line: string | null, city: string | null, province: string | null, postalCode: string | null, country: string | null }, territory: { id: string, code: string, name: string }, owner: { id: string, name: string } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CustomerListQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: CustomerFilter | null | undefined;
  orderBy?: CustomerOrder | null | undefined;
}>;


export type CustomerListQuery = { customers: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, version: number, legalName: string, registrationId: string | null, industry: string | null, lifecycleStage: LifecycleStage, relationshipLevel: RelationshipLevel, creditStanding: CreditStanding, tags: Array<string>, websiteDomain: string | null, notes: string | null, archivedAt: string | null, createdAt: string, updatedAt: string, address: { line: string | null, city: string | null, province: string | null, postalCode: string | null, country: string | null }, territory: { id: string, code: string, name: string }, owner: { id: string, name: string } } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type CreateCustomerMutationVariables = Exact<{
  input: CreateCustomerInput;
}>;


export type CreateCustomerMutation = { createCustomer: { id: string, version: number, legalName: string, registrationId: string | null, industry: string | null, lifecycleStage: LifecycleStage, relationshipLevel: RelationshipLevel, creditStanding: CreditStanding, tags: Array<string>, websiteDomain: string | null, notes: string | null, archivedAt: string | null, createdAt: string, updatedAt: string, address: { line: string | null, city: string | null, province: string | null, postalCode: string | null, country: string | null }, territory: { id: string, code: string, name: string }, owner: { id: string, name: string } } };

export type UpdateCustomerMutationVariables = Exact<{
  id: string | number;
  input: UpdateCustomerInput;
}>;


export type UpdateCustomerMutation = { updateCustomer: { id: string, version: number, legalName: string, registrationId: string | null, industry: string | null, lifecycleStage: LifecycleStage, relationshipLevel: RelationshipLevel, creditStanding: CreditStanding, tags: Array<string>, websiteDomain: string | null, notes: string | null, archivedAt: string | null, createdAt: string, updatedAt: string, address: { line: string | null, city: string | null, province: string | null, postalCode: string | null, country: string | null }, territory: { id: string, code: string, name: string }, owner: { id: string, name: string } } };

export type ArchiveCustomerMutationVariables = Exact<{
  id: string | number;
  version: number;
}>;


export type ArchiveCustomerMutation = { archiveCustomer: { id: string, version: number, archivedAt: string | null } };

export const CustomerProfileFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerProfile"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"registrationId"}},{"kind":"Field","name":{"kind":"Name","value":"industry"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"relationshipLevel"}},{"kind":"Field","name":{"kind":"Name","value":"creditStanding"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"websiteDomain"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"archivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"line"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"province"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"country"}}]}},{"kind":"Field","name":{"kind":"Name","value":"territory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<CustomerProfileFragment, unknown>;
export const Customer360FieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Customer360Fields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerProfile"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"mobile"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"interactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"orderedAt"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"}},{"kind":"Field","name":{"kind":"Name","value":"discountPercent"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"paidAt"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"evaluations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"grade"}},{"kind":"Field","name":{"kind":"Name","value":"score"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerProfile"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"registrationId"}},{"kind":"Field","name":{"kind":"Name","value":"industry"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"relationshipLevel"}},{"kind":"Field","name":{"kind":"Name","value":"creditStanding"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"websiteDomain"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"archivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"line"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"province"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"country"}}]}},{"kind":"Field","name":{"kind":"Name","value":"territory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<Customer360FieldsFragment, unknown>;
export const LoginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Login"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"password"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}},{"kind":"Argument","name":{"kind":"Name","value":"password"},"value":{"kind":"Variable","name":{"kind":"Name","value":"password"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}}]} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"territories"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"managedRegions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const Customer360Document = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Customer360"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Customer360Fields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerProfile"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"registrationId"}},{"kind":"Field","name":{"kind":"Name","value":"industry"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"relationshipLevel"}},{"kind":"Field","name":{"kind":"Name","value":"creditStanding"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"websiteDomain"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"archivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"line"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"province"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"country"}}]}},{"kind":"Field","name":{"kind":"Name","value":"territory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Customer360Fields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerProfile"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"mobile"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"interactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"orderedAt"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"}},{"kind":"Field","name":{"kind":"Name","value":"discountPercent"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"paidAt"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"evaluations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"grade"}},{"kind":"Field","name":{"kind":"Name","value":"score"}}]}}]}}]} as unknown as DocumentNode<Customer360Query, Customer360QueryVariables>;
export const Customer360PageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Customer360Page"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Customer360Fields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerProfile"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"registrationId"}},{"kind":"Field","name":{"kind":"Name","value":"industry"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"relationshipLevel"}},{"kind":"Field","name":{"kind":"Name","value":"creditStanding"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"websiteDomain"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"archivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"line"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"province"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"country"}}]}},{"kind":"Field","name":{"kind":"Name","value":"territory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Customer360Fields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerProfile"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"mobile"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"interactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"orderedAt"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"}},{"kind":"Field","name":{"kind":"Name","value":"discountPercent"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"paidAt"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"evaluations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"grade"}},{"kind":"Field","name":{"kind":"Name","value":"score"}}]}}]}}]} as unknown as DocumentNode<Customer360PageQuery, Customer360PageQueryVariables>;
export const CustomerListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CustomerList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerProfile"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerProfile"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"registrationId"}},{"kind":"Field","name":{"kind":"Name","value":"industry"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"relationshipLevel"}},{"kind":"Field","name":{"kind":"Name","value":"creditStanding"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"websiteDomain"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"archivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"line"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"province"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"country"}}]}},{"kind":"Field","name":{"kind":"Name","value":"territory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<CustomerListQuery, CustomerListQueryVariables>;
export const CreateCustomerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateCustomer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCustomerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCustomer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerProfile"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerProfile"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"registrationId"}},{"kind":"Field","name":{"kind":"Name","value":"industry"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"relationshipLevel"}},{"kind":"Field","name":{"kind":"Name","value":"creditStanding"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"websiteDomain"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"archivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"line"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"province"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"country"}}]}},{"kind":"Field","name":{"kind":"Name","value":"territory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<CreateCustomerMutation, CreateCustomerMutationVariables>;
export const UpdateCustomerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateCustomer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateCustomerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateCustomer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerProfile"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerProfile"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"registrationId"}},{"kind":"Field","name":{"kind":"Name","value":"industry"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"relationshipLevel"}},{"kind":"Field","name":{"kind":"Name","value":"creditStanding"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"websiteDomain"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"archivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"line"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"province"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"country"}}]}},{"kind":"Field","name":{"kind":"Name","value":"territory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<UpdateCustomerMutation, UpdateCustomerMutationVariables>;
export const ArchiveCustomerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ArchiveCustomer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"archiveCustomer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"archivedAt"}}]}}]}}]} as unknown as DocumentNode<ArchiveCustomerMutation, ArchiveCustomerMutationVariables>;