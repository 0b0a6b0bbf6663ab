/** A relation read either from a hydrated entity (a Ref) or from a raw row (the foreign key). */
export type RelationValue = string | { id: string } | null | undefined;

export function idOf(value: RelationValue): string | null {
  if (value == null) return null;
  return typeof value === 'string' ? value : value.id;
}
