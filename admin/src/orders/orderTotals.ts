/**
 * The order's totals while its lines are edited, by the API's documented rule: a line's amount is
 * round_half_up(quantity × unitPrice × (1 − discount/100), 2); subtotal = Σ round(quantity ×
 * unitPrice, 2); total = Σ amounts. Exact (integers of the smallest units), never floating point.
 * A preview only: what is saved is what the server computes.
 */
export interface DraftLine {
  quantity?: string | number | null;
  unitPrice?: string | number | null;
  discountPercent?: string | number | null;
}

export interface DraftTotals {
  subtotal: string;
  discountTotal: string;
  total: string;
  /** Lines left out because a number is missing or malformed. */
  incomplete: number;
}

/** "12.5" with at most `scale` decimals → 1250n (scale 2); null when it is not such a number. */
function scaled(value: string | number | null | undefined, scale: number): bigint | null {
  const text = typeof value === 'number' ? String(value) : (value ?? '').trim();
  const match = new RegExp(`^(\\d+)(?:\\.(\\d{0,${scale}}))?$`).exec(text);
  if (!match) return null;
  return BigInt(match[1]! + (match[2] ?? '').padEnd(scale, '0'));
}

/** value / 10^digits, rounded half-up (value ≥ 0). */
function roundDown(value: bigint, digits: number): bigint {
  const divisor = 10n ** BigInt(digits);
  return (value + divisor / 2n) / divisor;
}

function money(cents: bigint): string {
  const text = cents.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

export function draftTotals(lines: readonly (DraftLine | null | undefined)[]): DraftTotals {
  let subtotal = 0n;
  let total = 0n;
  let incomplete = 0;
  for (const line of lines) {
    const quantity = scaled(line?.quantity, 3);
    const unitPrice = scaled(line?.unitPrice, 2);
    const discount =
      line?.discountPercent === undefined || line?.discountPercent === null || line?.discountPercent === ''
        ? 0n
        : scaled(line.discountPercent, 2);
    if (quantity === null || unitPrice === null || discount === null || discount > 10_000n) {
      incomplete += 1;
      continue;
    }
    // quantity·10³ × price·10² = gross·10⁵; × (10⁴ − discount·10²) = amount·10⁹.
    const gross = quantity * unitPrice;
    subtotal += roundDown(gross, 3);
    total += roundDown(gross * (10_000n - discount), 7);
  }
  return { subtotal: money(subtotal), discountTotal: money(subtotal - total), total: money(total), incomplete };
}

/** What is still owed: nothing on a cancelled order, whatever was scheduled on it. */
export function balanceDue(order: { status: string; balance: string | null | undefined }): string | null {
  return order.status === 'CANCELLED' ? null : (order.balance ?? null);
}
