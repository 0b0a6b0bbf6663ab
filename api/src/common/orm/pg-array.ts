/**
 * A PostgreSQL array literal for one `?` parameter (knex would expand a JS array into a list).
 * Elements are quoted and escaped, so any text is safe.
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
