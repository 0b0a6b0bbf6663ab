import type { TranslateFunction } from 'react-admin';
import type { AdminMergeSideFragment, MergeField } from '../../../schema/generated/graphql';

export type MergeSide = AdminMergeSideFragment;

/** The profile fields a merge may take from either record, in the order the screen shows them. */
export const MERGE_FIELDS: readonly { field: MergeField; value: (side: MergeSide) => unknown; enumName?: string }[] = [
  { field: 'LEGAL_NAME', value: (side) => side.legalName },
  { field: 'REGISTRATION_ID', value: (side) => side.registrationId },
  { field: 'WEBSITE_DOMAIN', value: (side) => side.websiteDomain },
  { field: 'INDUSTRY', value: (side) => side.industry },
  { field: 'PRODUCTS', value: (side) => side.products },
  { field: 'INDUSTRY_STANDING', value: (side) => side.industryStanding, enumName: 'IndustryStanding' },
  { field: 'SIZE_BAND', value: (side) => side.sizeBand, enumName: 'SizeBand' },
  { field: 'OWNERSHIP_TYPE', value: (side) => side.ownershipType, enumName: 'OwnershipType' },
  { field: 'CREDIT_STANDING', value: (side) => side.creditStanding, enumName: 'CreditStanding' },
  { field: 'RELATIONSHIP_LEVEL', value: (side) => side.relationshipLevel, enumName: 'RelationshipLevel' },
  { field: 'SOURCE_CHANNEL', value: (side) => side.sourceChannel, enumName: 'Channel' },
  { field: 'ADDRESS', value: (side) => side.address },
  { field: 'TAGS', value: (side) => side.tags },
  { field: 'NOTES', value: (side) => side.notes },
];

const ENUM_OF = new Map(MERGE_FIELDS.map(({ field, enumName }) => [field, enumName]));

export function isBlank(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>).every(([key, part]) => key === '__typename' || isBlank(part));
  return false;
}

/** A field's value as the screen prints it: enums translated, lists joined, an address on one line. */
export function displayValue(field: MergeField, value: unknown, translate: TranslateFunction): string {
  if (isBlank(value)) return '—';
  const enumName = ENUM_OF.get(field);
  if (enumName && typeof value === 'string') return translate(`enums.${enumName}.${value}`, { _: value });
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') {
    const { line, city, province, postalCode, country } = value as Record<string, string | null | undefined>;
    return [line, city, province, postalCode, country].filter(Boolean).join(', ');
  }
  return String(value);
}

/** Same value on both sides: nothing to choose. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isBlank(a) && isBlank(b)) return true;
  const strip = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([key]) => key !== '__typename'))
      : value;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/**
 * The choice each field starts with: the survivor's value, unless it is empty and the other
 * record has one (a merge should not lose what either record knows).
 */
export function defaultChoices(survivor: MergeSide, other: MergeSide): Record<MergeField, string> {
  return Object.fromEntries(
    MERGE_FIELDS.map(({ field, value }) => [field, isBlank(value(survivor)) && !isBlank(value(other)) ? other.id : survivor.id]),
  ) as Record<MergeField, string>;
}

/** The choices to send: only fields taken from another record than the survivor. */
export function fieldChoices(choices: Record<MergeField, string>, survivorId: string): { field: MergeField; fromId: string }[] {
  return MERGE_FIELDS.flatMap(({ field }) => (choices[field] && choices[field] !== survivorId ? [{ field, fromId: choices[field] }] : []));
}
