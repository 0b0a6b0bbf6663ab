import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from '../../common/graphql/json.scalar.js';

export enum ImportStatus {
  /** Stored, the dry run not yet started. */
  UPLOADED = 'UPLOADED',
  /** The dry run is classifying the rows. */
  ANALYZING = 'ANALYZING',
  /** The dry run is done: counts and rows say what the run would do. */
  READY = 'READY',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
  FAILED = 'FAILED',
  REVERTED = 'REVERTED',
  /** The revert is removing and restoring the import's records, batch by batch, in the background. */
  REVERTING = 'REVERTING',
}
registerEnumType(ImportStatus, { name: 'ImportStatus' });

export enum ImportFormat {
  CSV = 'CSV',
  XLSX = 'XLSX',
}
registerEnumType(ImportFormat, { name: 'ImportFormat' });

export enum ImportAction {
  /** A new customer. */
  CREATE = 'CREATE',
  /** An account the importer may edit, matched by external id or registration id. */
  UPDATE = 'UPDATE',
  /** A further row of the company on the row before: adds its contact. */
  CONTACT = 'CONTACT',
  /** The company exists under an owner whose account the importer may not edit: never changed. */
  DUPLICATE_OWNED = 'DUPLICATE_OWNED',
  /** A value is missing or wrong: `field` and `code` say which and why. */
  INVALID = 'INVALID',
}
registerEnumType(ImportAction, {
  name: 'ImportAction',
  description: 'What the run does (did) with a row.',
});

/** Where a column's values go. */
export enum ImportField {
  LEGAL_NAME = 'LEGAL_NAME',
  REGISTRATION_ID = 'REGISTRATION_ID',
  EXTERNAL_ID = 'EXTERNAL_ID',
  PROVINCE = 'PROVINCE',
  CITY = 'CITY',
  ADDRESS_LINE = 'ADDRESS_LINE',
  POSTAL_CODE = 'POSTAL_CODE',
  COUNTRY = 'COUNTRY',
  INDUSTRY = 'INDUSTRY',
  PRODUCTS = 'PRODUCTS',
  SIZE_BAND = 'SIZE_BAND',
  OWNERSHIP_TYPE = 'OWNERSHIP_TYPE',
  SOURCE_CHANNEL = 'SOURCE_CHANNEL',
  WEBSITE = 'WEBSITE',
  TAGS = 'TAGS',
  NOTES = 'NOTES',
  TERRITORY = 'TERRITORY',
  OWNER_EMAIL = 'OWNER_EMAIL',
  CONTACT_NAME = 'CONTACT_NAME',
  CONTACT_MOBILE = 'CONTACT_MOBILE',
  CONTACT_PHONE = 'CONTACT_PHONE',
  CONTACT_EMAIL = 'CONTACT_EMAIL',
  CONTACT_TITLE = 'CONTACT_TITLE',
}
registerEnumType(ImportField, { name: 'ImportField', description: 'A customer or contact field an import column maps to.' });

/** Why a row is INVALID or DUPLICATE_OWNED, or was left as it was by a revert. */
export enum ImportRowCode {
  REQUIRED = 'REQUIRED',
  TOO_LONG = 'TOO_LONG',
  INVALID_FORMAT = 'INVALID_FORMAT',
  UNKNOWN_VALUE = 'UNKNOWN_VALUE',
  UNKNOWN_TERRITORY = 'UNKNOWN_TERRITORY',
  UNKNOWN_OWNER = 'UNKNOWN_OWNER',
  OWNER_MISFIT = 'OWNER_MISFIT',
  TERRITORY_FORBIDDEN = 'TERRITORY_FORBIDDEN',
  OWNER_FORBIDDEN = 'OWNER_FORBIDDEN',
  NO_RULE = 'NO_RULE',
  SCOPE_MISSING = 'SCOPE_MISSING',
  /** The company is already on an earlier row of the file (not the row just before). */
  DUPLICATE_IN_FILE = 'DUPLICATE_IN_FILE',
  /** External id and registration id name two different accounts. */
  AMBIGUOUS_MATCH = 'AMBIGUOUS_MATCH',
  /** The company has a live record the importer may not edit. */
  OWNED_ELSEWHERE = 'OWNED_ELSEWHERE',
  /** The row's company was invalid, so its contact is not added. */
  GROUP_INVALID = 'GROUP_INVALID',
  /** The updated account already has this contact (same mobile, e-mail, or name and phone): it was not added again. */
  CONTACT_EXISTS = 'CONTACT_EXISTS',
  /** Revert: the record was changed after the import. */
  CHANGED_SINCE = 'CHANGED_SINCE',
  /** Revert: the record is gone or was archived. */
  GONE = 'GONE',
  /** Revert: the created account has activity of its own (interactions, orders). */
  HAS_ACTIVITY = 'HAS_ACTIVITY',
  /** Revert: whoever asked may read the account but no longer edit it (it moved out of their territories). */
  NOT_EDITABLE = 'NOT_EDITABLE',
  /** Revert: a name, registration id, website or external id of the account before the import is another live account's now. */
  IDENTITY_TAKEN = 'IDENTITY_TAKEN',
}
registerEnumType(ImportRowCode, { name: 'ImportRowCode' });

export interface MappedColumn {
  index: number;
  header: string;
  field: ImportField | null;
  samples: string[];
}

export interface ImportCountsRow {
  create: number;
  update: number;
  contact: number;
  duplicateOwned: number;
  invalid: number;
}

export interface ImportResultRow {
  createdCustomers?: number;
  updatedCustomers?: number;
  createdContacts?: number;
  skippedRows?: number;
  revertedRecords?: number;
  revertRefused?: number;
  removedCustomers?: number;
  restoredCustomers?: number;
  removedContacts?: number;
}

@ObjectType({ simpleResolvers: true, description: 'A column of the file and where its values go.' })
export class ImportColumn {
  @Field(() => Int, { description: 'From 0, in file order.' })
  index!: number;

  @Field(() => String)
  header!: string;

  @Field(() => ImportField, { nullable: true, description: 'Null: the column is ignored.' })
  field!: ImportField | null;

  @Field(() => [String], { description: 'The first few non-empty values of the column.' })
  samples!: string[];
}

@ObjectType({ simpleResolvers: true, description: 'Rows per action of the dry run (updated as the run re-classifies rows).' })
export class ImportCounts {
  @Field(() => Int) create!: number;
  @Field(() => Int) update!: number;
  @Field(() => Int, { description: 'Rows adding a contact to the company of the row before.' }) contact!: number;
  @Field(() => Int) duplicateOwned!: number;
  @Field(() => Int) invalid!: number;
}

@ObjectType({ simpleResolvers: true, description: 'What a run did, and what a revert undid.' })
export class ImportResult {
  @Field(() => Int) createdCustomers!: number;
  @Field(() => Int) updatedCustomers!: number;
  @Field(() => Int) createdContacts!: number;
  @Field(() => Int, { description: 'Rows the run left alone: invalid, owned elsewhere.' }) skippedRows!: number;
  @Field(() => Int, { description: 'Records a revert removed or restored.' }) revertedRecords!: number;
  @Field(() => Int, { description: 'Rows whose records a revert left as they were (see rows with revertCode).' }) revertRefused!: number;
  @Field(() => Int, { description: 'Accounts the revert removed.' }) removedCustomers!: number;
  @Field(() => Int, { description: 'Accounts the revert restored to their state before the import.' }) restoredCustomers!: number;
  @Field(() => Int, { description: 'Contacts the revert removed (besides those of removed accounts).' }) removedContacts!: number;
}

/** A row as read for `ImportJob.rows`. */
export interface ImportRowView {
  jobId: string;
  line: number;
  action: ImportAction | null;
  field: string | null;
  code: ImportRowCode | null;
  params: Record<string, unknown> | null;
  values: (string | null)[];
  customerId: string | null;
  applied: boolean;
  revertCode: ImportRowCode | null;
}

@ObjectType('ImportRow', {
  simpleResolvers: true,
  description: 'One data row of an import and what the dry run or the run decided for it.',
})
export class ImportRowNode {
  @Field(() => Int, { description: 'The line in the file (the header is line 1).' })
  line!: number;

  @Field(() => ImportAction, { nullable: true, description: 'Null until the dry run reaches the row.' })
  action!: ImportAction | null;

  @Field(() => ImportField, { nullable: true, description: 'The field at fault (INVALID) or that matched (UPDATE, DUPLICATE_OWNED).' })
  field!: ImportField | null;

  @Field(() => ImportRowCode, { nullable: true })
  code!: ImportRowCode | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Details of the code, e.g. `{ "max": 300 }` or `{ "value": "X" }`.' })
  params!: Record<string, unknown> | null;

  @Field(() => [String], { nullable: 'items', description: 'The raw values, by column index, as uploaded.' })
  values!: (string | null)[];

  @Field(() => Boolean, { description: 'The run has written this row.' })
  applied!: boolean;

  @Field(() => ImportRowCode, { nullable: true, description: 'Why a revert left this row’s record as it was.' })
  revertCode!: ImportRowCode | null;
}

@ObjectType({ simpleResolvers: true, description: 'A saved mapping entry: a header and its field.' })
export class ImportTemplateColumn {
  @Field(() => String) header!: string;
  @Field(() => ImportField) field!: ImportField;
}
