/**
 * Server errors are shown from the console's catalogues, never as the API's English sentence:
 * a failed request's message is a key `app.serverErrors.<code>.<field>`, and translating it falls
 * back to the code's default, then to the generic message (see i18nProvider).
 */
export const SERVER_ERROR_PREFIX = 'app.serverErrors.';

/** `input.lines[2].unitPrice` → `unitPrice`: the catalogue is keyed by the input's own name. */
export function fieldKey(field: string): string | null {
  const parts = field.split(/[.[\]]+/).filter((part) => part && !/^\d+$/.test(part));
  const last = parts.at(-1);
  return last && /^\w+$/.test(last) ? last : null;
}

export function serverErrorKey(code: string, field?: string | null, reason?: string | null): string {
  const name = field ? fieldKey(field) : null;
  // A refusal that names its reason gets a wording of its own, `<field>__<REASON>`, falling back to the field's.
  const suffix = name && reason && /^[A-Z][A-Z0-9_]*$/.test(reason) ? `__${reason}` : '';
  return `${SERVER_ERROR_PREFIX}${/^[A-Z_]+$/.test(code) ? code : 'default'}.${name ? `${name}${suffix}` : 'default'}`;
}

/** The keys to try for `key`, most specific first. */
export function serverErrorFallbacks(key: string): string[] {
  const [code, field] = key.slice(SERVER_ERROR_PREFIX.length).split('.');
  const keys = [key];
  if (code && field?.includes('__')) keys.push(`${SERVER_ERROR_PREFIX}${code}.${field.split('__')[0]}`);
  if (code && field !== 'default') keys.push(`${SERVER_ERROR_PREFIX}${code}.default`);
  keys.push(`${SERVER_ERROR_PREFIX}default`);
  return keys;
}
