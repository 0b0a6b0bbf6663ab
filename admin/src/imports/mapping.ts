import type { ImportField } from '../../../schema/generated/graphql';

/** Every field a column may go to, in the order the select lists them: the company, its place, its contact. */
export const IMPORT_FIELDS: readonly ImportField[] = [
  'LEGAL_NAME',
  'REGISTRATION_ID',
  'EXTERNAL_ID',
  'INDUSTRY',
  'PRODUCTS',
  'SIZE_BAND',
  'OWNERSHIP_TYPE',
  'SOURCE_CHANNEL',
  'WEBSITE',
  'TAGS',
  'NOTES',
  'PROVINCE',
  'CITY',
  'ADDRESS_LINE',
  'POSTAL_CODE',
  'COUNTRY',
  'TERRITORY',
  'OWNER_EMAIL',
  'CONTACT_NAME',
  'CONTACT_TITLE',
  'CONTACT_MOBILE',
  'CONTACT_PHONE',
  'CONTACT_EMAIL',
];

export interface ColumnChoice {
  index: number;
  field: ImportField | null;
}

export type MappingProblem = { kind: 'twice'; field: ImportField } | { kind: 'legalNameMissing'; field?: undefined };

/** What keeps a mapping from being used: a field chosen for two columns, or no company name column. */
export function mappingProblems(columns: readonly ColumnChoice[]): MappingProblem[] {
  const seen = new Map<ImportField, number>();
  for (const { field } of columns) if (field) seen.set(field, (seen.get(field) ?? 0) + 1);
  const problems: MappingProblem[] = [...seen].filter(([, count]) => count > 1).map(([field]) => ({ kind: 'twice' as const, field }));
  if (!seen.has('LEGAL_NAME')) problems.push({ kind: 'legalNameMissing' });
  return problems;
}

export function sameMapping(columns: readonly ColumnChoice[], saved: readonly { index: number; field?: ImportField | null }[]): boolean {
  return (
    columns.length === saved.length &&
    columns.every((column) => (saved.find((other) => other.index === column.index)?.field ?? null) === column.field)
  );
}
