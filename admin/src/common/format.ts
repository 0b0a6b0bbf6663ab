/** Display-only formatting; amounts stay the server's decimal strings everywhere else. */
export function intlLocale(locale: string): string {
  return locale === 'zh' ? 'zh-CN' : 'en-GB';
}

/**
 * Building an Intl formatter costs far more than formatting with it (a list of 25 rows with
 * three dates each spent ~30 ms building them): one per locale and options, kept.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, build: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) {
    formatter = build();
    formatters.set(key, formatter);
  }
  return formatter;
}

export function formatMoney(amount: string | null | undefined, currency: string | null | undefined, locale: string): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const value = Number(amount);
  if (!Number.isFinite(value)) return amount;
  try {
    const code = currency || 'CNY';
    return cached(
      `money ${locale} ${code}`,
      () => new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency: code, minimumFractionDigits: 2 }),
    ).format(value);
  } catch {
    return `${amount} ${currency ?? ''}`.trim();
  }
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

export function formatPercent(share: number | null | undefined, locale: string): string {
  if (share === null || share === undefined) return '—';
  return cached(
    `percent ${locale}`,
    () => new Intl.NumberFormat(intlLocale(locale), { style: 'percent', maximumFractionDigits: 1 }),
  ).format(share);
}

/** A region's name in the console's language. */
export function regionName(region: { name: string; nameZh?: string | null } | null | undefined, locale: string): string {
  if (!region) return '—';
  return locale === 'zh' && region.nameZh ? region.nameZh : region.name;
}

/** "5 minutes ago", "昨天": how long ago `value` was, in the locale's words. */
export function formatRelative(value: string, locale: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(value) - now) / 1000);
  if (!Number.isFinite(seconds)) return value;
  const format = cached(`relative ${locale}`, () => new Intl.RelativeTimeFormat(intlLocale(locale), { numeric: 'auto' }));
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 7],
    ['week', 4.35],
    ['month', 12],
  ];
  let amount = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return format.format(Math.round(amount), unit);
    amount /= size;
  }
  return format.format(Math.round(amount), 'year');
}
