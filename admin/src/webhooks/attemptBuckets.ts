/** What the chart needs of an attempt. */
export interface AttemptPoint {
  attemptedAt: string;
  succeeded: boolean;
  latencyMs: number;
}

export interface AttemptBucket {
  /** Start of the bucket, ms since the epoch. */
  start: number;
  succeeded: number;
  failed: number;
  /** Median latency of the bucket's attempts; null when it has none. */
  latencyMs: number | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Bucket widths, narrowest first: the chart takes the narrowest that fits the span in `maxBuckets`. */
export const BUCKET_STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY];

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/**
 * Attempts per time bucket, oldest first, empty buckets included so a quiet hour shows as one.
 * Buckets start on whole steps of local time (`offsetMs`: the zone's offset from UTC, so a day
 * bucket starts at local midnight).
 */
export function bucketAttempts(
  attempts: readonly AttemptPoint[],
  maxBuckets = 24,
  offsetMs = -new Date().getTimezoneOffset() * MINUTE,
): { step: number; buckets: AttemptBucket[] } {
  const times = attempts.map((attempt) => Date.parse(attempt.attemptedAt)).filter(Number.isFinite);
  if (!times.length) return { step: BUCKET_STEPS[0]!, buckets: [] };
  const first = Math.min(...times);
  const last = Math.max(...times);
  const floorTo = (time: number, step: number) => Math.floor((time + offsetMs) / step) * step - offsetMs;
  const step =
    BUCKET_STEPS.find((candidate) => (floorTo(last, candidate) - floorTo(first, candidate)) / candidate + 1 <= maxBuckets) ??
    BUCKET_STEPS.at(-1)!;
  const origin = floorTo(first, step);
  const count = Math.round((floorTo(last, step) - origin) / step) + 1;
  const latencies: number[][] = Array.from({ length: count }, () => []);
  const buckets: AttemptBucket[] = Array.from({ length: count }, (_, index) => ({
    start: origin + index * step,
    succeeded: 0,
    failed: 0,
    latencyMs: null,
  }));
  attempts.forEach((attempt) => {
    const time = Date.parse(attempt.attemptedAt);
    if (!Number.isFinite(time)) return;
    const index = Math.min(count - 1, Math.max(0, Math.round((floorTo(time, step) - origin) / step)));
    const bucket = buckets[index]!;
    if (attempt.succeeded) bucket.succeeded += 1;
    else bucket.failed += 1;
    latencies[index]!.push(attempt.latencyMs);
  });
  buckets.forEach((bucket, index) => (bucket.latencyMs = median(latencies[index]!)));
  return { step, buckets };
}
