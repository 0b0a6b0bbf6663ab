/** Display-only formatting; amounts stay the server's decimal strings everywhere else. */
import { cached, intlLocale } from './formatDate.js';

export { formatDateTime, intlLocale, regionName } from './formatDate.js';

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

export function formatPercent(share: number | null | undefined, locale: string): string {
  if (share === null || share === undefined) return '—';
  return cached(
    `percent ${locale}`,
    () => new Intl.NumberFormat(intlLocale(locale), { style: 'percent', maximumFractionDigits: 1 }),
  ).format(share);
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
