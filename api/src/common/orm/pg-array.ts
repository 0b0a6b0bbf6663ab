/**
 * A PostgreSQL array literal for one `?` parameter (knex would expand a JS array into a list).
 * Elements are quoted and escaped, so any text is safe; null is SQL NULL.
 */
export function pgArray(values: readonly (string | null)[]): string {
  return `{${values.map((value) => (value === null ? 'NULL' : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}
