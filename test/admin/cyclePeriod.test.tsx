// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { proposedPeriod } from '../../admin/src/evaluations/CycleForm';

// The new-cycle form proposes last calendar year unless a cycle covers part of it, and then the
// year after the latest cycle: expected periods written out by hand.
const now = new Date('2026-12-02T10:00:00Z');

describe('the period proposed for a new cycle', () => {
  it('is last calendar year when no cycle covers any of it', () => {
    expect(proposedPeriod([], now)).toEqual({ periodStart: '2025-01-01', periodEnd: '2025-12-31', name: 'FY2025' });
    expect(proposedPeriod([{ periodStart: '2024-01-01', periodEnd: '2024-12-31' }], now)).toMatchObject({ periodStart: '2025-01-01' });
  });

  it('follows the latest cycle when last year is taken, even in part', () => {
    expect(proposedPeriod([{ periodStart: '2025-01-01', periodEnd: '2025-12-31' }], now)).toEqual({
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      name: 'FY2026',
    });
    expect(
      proposedPeriod(
        [
          { periodStart: '2024-01-01', periodEnd: '2024-12-31' },
          { periodStart: '2025-04-01', periodEnd: '2026-03-31' },
        ],
        now,
      ),
    ).toEqual({ periodStart: '2026-04-01', periodEnd: '2027-03-31', name: '2026-04-01 – 2027-03-31' });
  });

  it('handles a leap day and a year end', () => {
    expect(proposedPeriod([{ periodStart: '2025-03-01', periodEnd: '2028-02-28' }], now)).toEqual({
      periodStart: '2028-02-29',
      periodEnd: '2029-02-28',
      name: '2028-02-29 – 2029-02-28',
    });
  });
});
