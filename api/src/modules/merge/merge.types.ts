import { ArrayMaxSize, ArrayMinSize, Max, Min } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../../common/graphql/connection.js';
import { GraphQLJSONObject } from '../../common/graphql/json.scalar.js';

/** Why two accounts look like one company (docs/merge.md, "Candidates"). */
export enum DuplicateReason {
  /** Normalised legal names are trigram-similar (pg_trgm) at or above the threshold. */
  SIMILAR_NAME = 'SIMILAR_NAME',
  /** A contact of each has the same phone or mobile number (digits only). */
  SAME_PHONE = 'SAME_PHONE',
  /** A contact of each has an e-mail address at the same company domain (public mail providers excluded). */
  SAME_EMAIL_DOMAIN = 'SAME_EMAIL_DOMAIN',
  /** Both are in the same city. Only strengthens another reason; never a candidate on its own. */
  SAME_CITY = 'SAME_CITY',
  /** The second is archived (not merged) and has the first's registration id (its look-alike skeleton): the live one took its identity. */
  ARCHIVED_SAME_REGISTRATION_ID = 'ARCHIVED_SAME_REGISTRATION_ID',
  /** The second is archived (not merged) and has the first's normalised name, its identity key. */
  ARCHIVED_SAME_NAME = 'ARCHIVED_SAME_NAME',
}
registerEnumType(DuplicateReason, { name: 'DuplicateReason', description: 'Why two accounts look like the same company.' });

/** The profile fields a merge takes from one of the records. */
export enum MergeField {
  LEGAL_NAME = 'LEGAL_NAME',
  REGISTRATION_ID = 'REGISTRATION_ID',
  WEBSITE_DOMAIN = 'WEBSITE_DOMAIN',
  INDUSTRY = 'INDUSTRY',
  PRODUCTS = 'PRODUCTS',
  INDUSTRY_STANDING = 'INDUSTRY_STANDING',
  SIZE_BAND = 'SIZE_BAND',
  OWNERSHIP_TYPE = 'OWNERSHIP_TYPE',
  CREDIT_STANDING = 'CREDIT_STANDING',
  RELATIONSHIP_LEVEL = 'RELATIONSHIP_LEVEL',
  SOURCE_CHANNEL = 'SOURCE_CHANNEL',
  ADDRESS = 'ADDRESS',
  TAGS = 'TAGS',
  NOTES = 'NOTES',
}
registerEnumType(MergeField, { name: 'MergeField', description: 'A profile field the survivor of a merge may take from a merged record.' });

/** What a merge moves to the survivor, or links to it. */
export enum MergeChildKind {
  CONTACT = 'CONTACT',
  INTERACTION = 'INTERACTION',
  ORDER = 'ORDER',
  /** Payments follow their orders; counted, never moved on their own. */
  PAYMENT = 'PAYMENT',
  LIFECYCLE_TRANSITION = 'LIFECYCLE_TRANSITION',
  LIFECYCLE_ALERT = 'LIFECYCLE_ALERT',
  /** Evaluation snapshots stay on the merged record (published cycles are immutable) and are linked to the survivor. */
  EVALUATION = 'EVALUATION',
}
registerEnumType(MergeChildKind, { name: 'MergeChildKind', description: 'A kind of record a merge moves (or, for evaluations, links).' });

@ArgsType()
export class DuplicateCandidatesArgs extends PageArgs {
  @Field(() => Float, { nullable: true, description: 'Only pairs scoring at least this (0–1); default 0.5.' })
  @Min(0)
  @Max(1)
  minScore?: number;
}

@ObjectType({ simpleResolvers: true, description: 'Two accounts the viewer may edit that look like the same company.' })
export class DuplicateCandidate {
  @Field(() => ID, { description: 'The pair, stable: the two ids in order.' })
  id!: string;

  /** The account with the smaller id. */
  firstId!: string;
  secondId!: string;

  @Field(() => Float, { description: 'From 0 to 1: name similarity + 0.5 for a shared phone + 0.2 for a shared e-mail domain, at most 1.' })
  score!: number;

  @Field(() => Float, { description: 'Trigram similarity of the normalised legal names (0–1).' })
  nameSimilarity!: number;

  @Field(() => [DuplicateReason])
  reasons!: DuplicateReason[];
}

@InputType({ description: 'Take this field from that record (the survivor or one of the merged).' })
export class MergeFieldChoiceInput {
  @Field(() => MergeField)
  field!: MergeField;

  @Field(() => ID)
  fromId!: string;
}

@InputType({ description: 'The version of a record as the caller saw it: a newer one makes the merge a CONFLICT.' })
export class RecordVersionInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  version!: number;
}

@InputType()
export class MergeCustomersInput {
  @Field(() => ID, { description: 'The record that stays.' })
  survivorId!: string;

  @Field(() => [ID], { description: 'The records merged into the survivor (archived, with mergedInto).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  mergedIds!: string[];

  @Field(() => [MergeFieldChoiceInput], {
    nullable: true,
    description: 'Fields taken from another record than the survivor; the rest stay.',
  })
  @ArrayMaxSize(50)
  fieldChoices?: MergeFieldChoiceInput[];

  @Field(() => [RecordVersionInput], { description: 'The version of the survivor and of every merged record, as the caller saw them.' })
  @ArrayMaxSize(21)
  versions!: RecordVersionInput[];

  @Field(() => Boolean, { nullable: true, description: 'Only say what would happen; nothing is written.' })
  dryRun?: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'One field of the survivor as the merge leaves it.' })
export class MergeFieldValue {
  @Field(() => MergeField)
  field!: MergeField;

  @Field(() => ID, { description: 'The record it comes from.' })
  fromId!: string;

  @Field(() => GraphQLJSONObject, { description: '{ "value": … }: the value (text, list or address object, or null).' })
  value!: { value: unknown };
}

@ObjectType({ simpleResolvers: true, description: 'What a merge moves (or links) of one kind.' })
export class MergeMove {
  @Field(() => MergeChildKind)
  kind!: MergeChildKind;

  @Field(() => Int)
  count!: number;

  @Field(() => [ID], { description: 'The records, at most 200 (count says how many in all).' })
  ids!: string[];
}

@ObjectType({ simpleResolvers: true, description: 'A merge of accounts into a survivor, kept with its before-images so it can be undone.' })
export class CustomerMerge {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  survivorId!: string;

  @Field(() => [ID])
  mergedIds!: string[];

  @Field(() => [MergeFieldValue], { description: 'The survivor fields taken from merged records.' })
  fields!: MergeFieldValue[];

  @Field(() => [MergeMove])
  moves!: MergeMove[];

  @Field(() => ID, { nullable: true, description: 'The user or API key that merged.' })
  actorId!: string | null;

  @Field(() => Date)
  mergedAt!: Date;

  @Field(() => Date, { description: 'Undo is possible until then (MERGE_UNDO_HOURS), while nothing newer touched the records.' })
  undoableUntil!: Date;

  @Field(() => Date, { nullable: true })
  undoneAt!: Date | null;
}

@ObjectType({ simpleResolvers: true, description: 'The outcome of mergeCustomers: with dryRun, what would happen.' })
export class MergeResult {
  @Field(() => Boolean)
  dryRun!: boolean;

  @Field(() => ID)
  survivorId!: string;

  @Field(() => [ID])
  mergedIds!: string[];

  @Field(() => [MergeFieldValue], { description: 'Every profile field of the survivor as the merge leaves it, and where it comes from.' })
  fields!: MergeFieldValue[];

  @Field(() => [MergeMove])
  moves!: MergeMove[];

  /** The merge written (null for a dry run). */
  merge!: CustomerMerge | null;
}

/** Why an undo was refused (extensions.reason of the CONFLICT). */
export enum UndoRefusal {
  ALREADY_UNDONE = 'ALREADY_UNDONE',
  WINDOW_CLOSED = 'WINDOW_CLOSED',
  CHANGED_SINCE = 'CHANGED_SINCE',
  IDENTITY_TAKEN = 'IDENTITY_TAKEN',
}
registerEnumType(UndoRefusal, { name: 'UndoRefusal', description: 'Why a merge cannot be undone (extensions.reason of its CONFLICT).' });

@ArgsType()
export class MergesArgs extends PageArgs {}
