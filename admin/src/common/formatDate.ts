/**
 * Dates and region names as the console shows them: a module of its own, because the page's entry
 * (the customer list's pre-paint) formats with them before the console loads, and a module the
 * entry shares with the console is in the entry whole. format.ts re-exports them.
 */
export function intlLocale(locale: string): string {
  return locale === 'zh' ? 'zh-CN' : 'en-GB';
}

/**
 * Building an Intl formatter costs far more than formatting with it (a list of 25 rows with
 * three dates each spent ~30 ms building them): one per locale and options, kept.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
export function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, build: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) {
    formatter = build();
    formatters.set(key, formatter);
  }
  return formatter;
}

export function formatDateTime(value: string | null | undefined, locale: string, withTime = true): string {
  if (!value) return '—';
  const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  if (Number.isNaN(date.getTime())) return value;
  return cached(
    `date ${locale} ${withTime}`,
    () =>
      new Intl.DateTimeFormat(
        intlLocale(locale),
        withTime
          ? { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
          : { year: 'numeric', month: 'short', day: 'numeric' },
      ),
  ).format(date);
}

/** A region's name in the console's language. */
export function regionName(region: { name: string; nameZh?: string | null } | null | undefined, locale: string): string {
  if (!region) return '—';
  return locale === 'zh' && region.nameZh ? region.nameZh : region.name;
}
