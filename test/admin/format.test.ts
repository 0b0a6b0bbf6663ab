import { describe, expect, it } from 'vitest';
import { formatDateTime, formatMoney, formatPercent, formatRelative } from '../../admin/src/common/format.js';

// The formatters are kept per locale and options: each call must still format in its own.
describe('console formatting', () => {
  it('formats dates in the locale asked for, call after call', () => {
    expect(formatDateTime('2026-03-05', 'en', false)).toBe('5 Mar 2026');
    expect(formatDateTime('2026-03-05', 'zh', false)).toBe('2026年3月5日');
    expect(formatDateTime('2026-03-05T14:07:00', 'en')).toBe('5 Mar 2026, 14:07');
    expect(formatDateTime('2026-11-30T09:05:00', 'en')).toBe('30 Nov 2026, 09:05');
    expect(formatDateTime('2026-03-05', 'en', false)).toBe('5 Mar 2026');
    expect(formatDateTime(null, 'en')).toBe('—');
    expect(formatDateTime('not a date', 'en')).toBe('not a date');
  });

  it('formats money in its own currency, and an unknown currency as written', () => {
    expect(formatMoney('1234.5', 'CNY', 'en')).toBe('CN¥1,234.50');
    expect(formatMoney('1234.5', 'USD', 'en')).toBe('US$1,234.50');
    expect(formatMoney('1234.5', 'CNY', 'zh')).toBe('¥1,234.50');
    expect(formatMoney('1234.5', 'NOT-A-CODE', 'en')).toBe('1234.5 NOT-A-CODE');
    expect(formatMoney('', 'CNY', 'en')).toBe('—');
  });

  it('formats shares and relative times per locale', () => {
    expect(formatPercent(0.125, 'en')).toBe('12.5%');
    expect(formatPercent(0.125, 'zh')).toBe('12.5%');
    const now = Date.parse('2026-03-05T12:00:00Z');
    expect(formatRelative('2026-03-05T11:55:00Z', 'en', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-03-04T12:00:00Z', 'zh', now)).toBe('昨天');
    expect(formatRelative('2026-03-04T12:00:00Z', 'en', now)).toBe('yesterday');
  });
});
