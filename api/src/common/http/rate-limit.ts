/**
 * In-process limiters. Each instance keeps its own counts: behind several API instances the
 * effective limit is the sum over instances unless a shared store (e.g. Redis) replaces these.
 */

/** At most this many keys are tracked; beyond it, keys that have fully recovered are dropped first. */
const MAX_KEYS = 100_000;

export interface Verdict {
  allowed: boolean;
  /** Whole seconds until a request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/** A token bucket per key: `burst` requests at once, refilled at `perMinute`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  take(key: string): Verdict {
    if (this.perMs === 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.prune(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  private prune(now: number): void {
    if (this.buckets.size <= MAX_KEYS) return;
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size <= MAX_KEYS * 0.9) break;
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.burst) this.buckets.delete(key);
    }
    // Still full of active keys: drop the least recently used.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= MAX_KEYS) break;
      this.buckets.delete(key);
    }
  }
}

/** A reserved attempt: give it back with `release` if it turns out not to count. */
export interface Reservation extends Verdict {
  at: number;
}

/**
 * Attempts per key within a sliding window. `reserve` checks and records in one synchronous step
 * (nothing can run between the test and the increment), for all its keys or none: concurrent
 * callers can never be granted more than `max` attempts per key and window.
 */
export class AttemptWindow {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** One attempt per entry of `keys` (a key may repeat: several attempts in one request). */
  reserve(keys: readonly string[]): Reservation {
    const now = this.now();
    const wanted = new Map<string, number>();
    for (const key of keys) wanted.set(key, (wanted.get(key) ?? 0) + 1);
    const lists = new Map([...wanted.keys()].map((key) => [key, this.recent(key, now)]));
    const full = [...wanted].filter(([key, count]) => lists.get(key)!.length + count > this.max).map(([key]) => lists.get(key)!);
    if (full.length > 0) {
      // The oldest attempt in the window frees the next slot (an empty list: the request alone exceeds the limit).
      const retryAfterSeconds = Math.max(...full.map((list) => Math.max(1, Math.ceil(((list[0] ?? now) + this.windowMs - now) / 1000))));
      return { allowed: false, retryAfterSeconds, at: now };
    }
    for (const [key, count] of wanted) {
      const list = lists.get(key)!;
      for (let i = 0; i < count; i += 1) list.push(now);
      this.attempts.delete(key);
      this.attempts.set(key, list);
    }
    this.prune();
    return { allowed: true, retryAfterSeconds: 0, at: now };
  }

  /** Gives back one attempt reserved at `at` (an attempt that did not count). */
  release(key: string, at: number): void {
    const list = this.attempts.get(key);
    const index = list?.indexOf(at) ?? -1;
    if (index >= 0) list!.splice(index, 1);
  }

  reset(key: string): void {
    this.attempts.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const cutoff = now - this.windowMs;
    return (this.attempts.get(key) ?? []).filter((at) => at > cutoff);
  }

  private prune(): void {
    for (const key of this.attempts.keys()) {
      if (this.attempts.size <= MAX_KEYS) break;
      this.attempts.delete(key);
    }
  }
}
