/** Instants, calendar days and decimal amounts as the generator writes them. */
import type { Rng } from './random.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** Business happens in China Standard Time (UTC+8, no DST). */
export const CST = 8 * HOUR;

/** The calendar date in China of an instant, as days since 1970-01-01 (how `date` columns travel). */
export const cnDay = (ms: number) => Math.floor((ms + CST) / DAY);
export const cnYear = (ms: number) => new Date(ms + CST).getUTCFullYear();

/**
 * An instant on the same China calendar day as `ms`, during office hours (09:00–18:00 CST);
 * a weekend day mostly moves to a random weekday of the same week.
 */
export function officeHours(rng: Rng, ms: number, weekendShift = 0.85): number {
  let day = Math.floor((ms + CST) / DAY) * DAY - CST;
  const weekday = new Date(day + CST).getUTCDay();
  if ((weekday === 0 || weekday === 6) && rng.chance(weekendShift)) day -= (weekday === 6 ? rng.int(1, 5) : rng.int(2, 6)) * DAY;
  return day + 9 * HOUR + Math.floor(rng.next() * 9 * HOUR);
}

/** Cents as a decimal string: 123456 → "1234.56". Cents are integers, never summed as floats. */
export function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  return `${sign}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

/** Thousandths as a decimal string: 2500 → "2.5", 3000 → "3". */
export function thousandths(value: number): string {
  const whole = Math.floor(value / 1000);
  const frac = value - whole * 1000;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

/** Hundredths as a decimal string: 1250 → "12.5", 0 → "0". */
export function hundredths(value: number): string {
  const whole = Math.floor(value / 100);
  const frac = value - whole * 100;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0+$/, '')}`;
}

/**
 * Line amount in cents: round_half_up(quantity × unitPrice × (1 − discount/100), 2), exactly.
 * quantity in thousandths, price in cents, discount in hundredths of a percent.
 */
export function lineAmountCents(quantity3: number, unitPriceCents: number, discount2: number): number {
  const numerator = BigInt(quantity3) * BigInt(unitPriceCents) * BigInt(10_000 - discount2);
  const denominator = 10_000_000n; // 1000 (quantity) × 10000 (percent in hundredths)
  return Number((numerator * 2n + denominator) / (2n * denominator));
}
