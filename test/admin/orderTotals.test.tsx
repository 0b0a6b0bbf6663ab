import { describe, expect, it } from 'vitest';
import { draftTotals } from '../../admin/src/orders/orderTotals';

describe('an order being edited: its totals by the documented rule', () => {
  it('rounds each line half-up to the cent and sums the rounded amounts', () => {
    // 3 × 100.00 at 5 % = 285.00; 1.333 × 0.15 = 0.19995 → 0.20 gross, at 10 % 0.179955 → 0.18.
    expect(
      draftTotals([
        { quantity: '2', unitPrice: '100', discountPercent: '0' },
        { quantity: '3', unitPrice: '100.00', discountPercent: '5' },
        { quantity: '1.333', unitPrice: '0.15', discountPercent: '10' },
      ]),
    ).toEqual({
      subtotal: '500.20',
      discountTotal: '15.02',
      total: '485.18',
      incomplete: 0,
    });
  });

  it('is exact where floating point is not', () => {
    // 0.1 + 0.2 style sums: 3 lines of 0.10, and a large order.
    expect(
      draftTotals([
        { quantity: '1', unitPrice: '0.10' },
        { quantity: '1', unitPrice: '0.10' },
        { quantity: '1', unitPrice: '0.10' },
      ]).total,
    ).toBe('0.30');
    expect(draftTotals([{ quantity: '999999.999', unitPrice: '99999999.99', discountPercent: '33.33' }])).toMatchObject({
      subtotal: '99999999890000.00',
      total: '66669999926663.00',
    });
  });

  it('leaves out lines still being typed, and counts them', () => {
    expect(
      draftTotals([
        { quantity: '2', unitPrice: '' },
        { quantity: 'x', unitPrice: '3' },
        { quantity: '1', unitPrice: '4.5', discountPercent: '101' },
        null,
        { quantity: 1, unitPrice: 2.5 },
      ]),
    ).toEqual({ subtotal: '2.50', discountTotal: '0.00', total: '2.50', incomplete: 4 });
    expect(draftTotals([])).toEqual({ subtotal: '0.00', discountTotal: '0.00', total: '0.00', incomplete: 0 });
  });
});
