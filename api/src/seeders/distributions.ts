/** How often things happen in the demo: the weighted choices behind every customer, contact, order and interaction. */
import { ContactFrequency } from '../modules/contact/contact.entity.js';
import {
  Channel,
  CreditStanding,
  IndustryStanding,
  LifecycleStage,
  OwnershipType,
  RelationshipLevel,
  SizeBand,
} from '../modules/customer/customer.entity.js';
import { InteractionKind } from '../modules/interaction/interaction.entity.js';
import { Choice } from './random.js';
import { CATALOG } from './vocabulary.js';

export type CatalogItem = (typeof CATALOG)[number];

export const SIZE = new Choice<SizeBand>([
  [SizeBand.MICRO, 10],
  [SizeBand.SMALL, 30],
  [SizeBand.MEDIUM, 35],
  [SizeBand.LARGE, 18],
  [SizeBand.ENTERPRISE, 7],
]);
export const SIZE_FACTOR: Record<SizeBand, number> = { MICRO: 0.3, SMALL: 0.6, MEDIUM: 1, LARGE: 2, ENTERPRISE: 4 };
export const STANDING = new Choice<IndustryStanding>([
  [IndustryStanding.LEADER, 10],
  [IndustryStanding.CHALLENGER, 25],
  [IndustryStanding.FOLLOWER, 45],
  [IndustryStanding.NICHE, 20],
]);
export const CREDIT = new Choice<CreditStanding>([
  [CreditStanding.EXCELLENT, 15],
  [CreditStanding.GOOD, 40],
  [CreditStanding.FAIR, 25],
  [CreditStanding.POOR, 8],
  [CreditStanding.UNKNOWN, 12],
]);
export const LATE: Record<CreditStanding, number> = { EXCELLENT: 0.04, GOOD: 0.12, FAIR: 0.25, POOR: 0.45, UNKNOWN: 0.15 };
export const DEFAULT: Record<CreditStanding, number> = { EXCELLENT: 0.003, GOOD: 0.01, FAIR: 0.04, POOR: 0.15, UNKNOWN: 0.02 };
export const SOURCE = new Choice<Channel>([
  [Channel.FIELD, 25],
  [Channel.PHONE, 15],
  [Channel.WEB, 20],
  [Channel.CALL_CENTRE, 5],
  [Channel.EMAIL, 5],
  [Channel.REFERRAL, 15],
  [Channel.EVENT, 12],
  [Channel.OTHER, 3],
]);
/** Kotler's levels, lowest first. */
export const RELATIONSHIP: readonly RelationshipLevel[] = [
  RelationshipLevel.BASIC,
  RelationshipLevel.REACTIVE,
  RelationshipLevel.ACCOUNTABLE,
  RelationshipLevel.PROACTIVE,
  RelationshipLevel.PARTNERSHIP,
];
export const FREQUENCY = new Choice<ContactFrequency>([
  [ContactFrequency.MONTHLY, 35],
  [ContactFrequency.QUARTERLY, 25],
  [ContactFrequency.BIWEEKLY, 15],
  [ContactFrequency.WEEKLY, 8],
  [ContactFrequency.YEARLY, 5],
  [ContactFrequency.ON_DEMAND, 12],
]);
export const PREFERRED_CHANNEL = new Choice<Channel>([
  [Channel.PHONE, 35],
  [Channel.EMAIL, 18],
  [Channel.FIELD, 22],
  [Channel.OTHER, 20],
  [Channel.WEB, 5],
]);
export const CONTACT_COUNT = new Choice([
  [1, 30],
  [2, 35],
  [3, 22],
  [4, 13],
] as const);
export const LINE_COUNT = new Choice([
  [1, 25],
  [2, 25],
  [3, 22],
  [4, 15],
  [5, 13],
] as const);
export const DISCOUNT = new Choice([
  [0, 55],
  [300, 8],
  [500, 12],
  [800, 7],
  [1000, 8],
  [1250, 4],
  [1500, 4],
  [2000, 2],
] as const);
export const INSTALMENTS = new Choice([
  [[100], 50],
  [[30, 70], 30],
  [[30, 60, 10], 20],
] as const);
export const TERMS = new Choice([
  [0, 10],
  [30, 45],
  [60, 30],
  [90, 15],
] as const);
export const PRE_PURCHASE = new Choice<InteractionKind>([
  [InteractionKind.VISIT, 30],
  [InteractionKind.CALL, 30],
  [InteractionKind.EMAIL, 15],
  [InteractionKind.MEETING, 12],
  [InteractionKind.DEMO, 10],
  [InteractionKind.SUGGESTION, 1],
]);
export const POST_PURCHASE = new Choice<InteractionKind>([
  [InteractionKind.VISIT, 22],
  [InteractionKind.CALL, 25],
  [InteractionKind.EMAIL, 12],
  [InteractionKind.MEETING, 8],
  [InteractionKind.DEMO, 3],
  [InteractionKind.SERVICE_REQUEST, 10],
  [InteractionKind.INSTALLATION, 5],
  [InteractionKind.REPAIR, 7],
  [InteractionKind.COMPLAINT, 4],
  [InteractionKind.SUGGESTION, 4],
]);
export const KIND_CHANNEL: Record<InteractionKind, Choice<Channel>> = {
  VISIT: new Choice([[Channel.FIELD, 1]]),
  CALL: new Choice([
    [Channel.PHONE, 90],
    [Channel.CALL_CENTRE, 10],
  ]),
  EMAIL: new Choice([[Channel.EMAIL, 1]]),
  MEETING: new Choice([
    [Channel.FIELD, 70],
    [Channel.EVENT, 20],
    [Channel.WEB, 10],
  ]),
  DEMO: new Choice([
    [Channel.FIELD, 60],
    [Channel.WEB, 40],
  ]),
  SERVICE_REQUEST: new Choice([
    [Channel.CALL_CENTRE, 50],
    [Channel.PHONE, 30],
    [Channel.WEB, 20],
  ]),
  INSTALLATION: new Choice([[Channel.FIELD, 1]]),
  REPAIR: new Choice([
    [Channel.FIELD, 85],
    [Channel.PHONE, 15],
  ]),
  COMPLAINT: new Choice([
    [Channel.CALL_CENTRE, 40],
    [Channel.PHONE, 35],
    [Channel.EMAIL, 20],
    [Channel.WEB, 5],
  ]),
  SUGGESTION: new Choice([
    [Channel.WEB, 40],
    [Channel.EMAIL, 35],
    [Channel.FIELD, 25],
  ]),
};
export const SERVICE_KINDS = new Set<InteractionKind>([
  InteractionKind.SERVICE_REQUEST,
  InteractionKind.INSTALLATION,
  InteractionKind.REPAIR,
  InteractionKind.COMPLAINT,
  InteractionKind.SUGGESTION,
]);

/** Stage by customer age in days: young accounts cannot be repeat buyers or dormant yet. */
export const STAGE_BY_AGE: ReadonlyArray<readonly [number, Choice<LifecycleStage>]> = [
  [
    30,
    new Choice<LifecycleStage>([
      [LifecycleStage.POTENTIAL, 60],
      [LifecycleStage.INTENTION, 35],
      [LifecycleStage.FIRST_PURCHASE, 5],
    ]),
  ],
  [
    180,
    new Choice<LifecycleStage>([
      [LifecycleStage.POTENTIAL, 30],
      [LifecycleStage.INTENTION, 30],
      [LifecycleStage.FIRST_PURCHASE, 30],
      [LifecycleStage.REPEAT, 10],
    ]),
  ],
  [
    400,
    new Choice<LifecycleStage>([
      [LifecycleStage.POTENTIAL, 4],
      [LifecycleStage.INTENTION, 6],
      [LifecycleStage.FIRST_PURCHASE, 24],
      [LifecycleStage.REPEAT, 66],
    ]),
  ],
  [
    // Most of an older base buys again (the evaluation's quadrants lean on it); leads this old are few.
    Infinity,
    new Choice<LifecycleStage>([
      [LifecycleStage.POTENTIAL, 2],
      [LifecycleStage.INTENTION, 2],
      [LifecycleStage.FIRST_PURCHASE, 4],
      [LifecycleStage.REPEAT, 86],
      [LifecycleStage.DORMANT, 4],
      [LifecycleStage.LOST, 2],
    ]),
  ],
];
export const STAGE_LEVEL: Record<LifecycleStage, number> = {
  POTENTIAL: -0.6,
  INTENTION: 0,
  FIRST_PURCHASE: 0.4,
  REPEAT: 1.4,
  DORMANT: 0.5,
  LOST: 0,
};
export const SIZE_LEVEL: Record<SizeBand, number> = { MICRO: -0.6, SMALL: 0, MEDIUM: 0.4, LARGE: 1.1, ENTERPRISE: 1.7 };
export const OWNERSHIP_ZH = new Choice<OwnershipType>([
  [OwnershipType.PRIVATE, 70],
  [OwnershipType.STATE_OWNED, 22],
  [OwnershipType.OTHER, 8],
]);
export const CATALOG_CHOICE = new Choice<CatalogItem>(
  CATALOG.map((item) => [item, { unit: 10, small: 8, bulk: 3, service: 4, capital: 1 }[item[3]]] as const),
);
export const TLD = new Choice([
  ['.com', 55],
  ['.cn', 25],
  ['.com.cn', 20],
] as const);
