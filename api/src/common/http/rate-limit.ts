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

  constructor(perMinute: number, private readonly burst: number, private readonly now: () => number = Date.now) {
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

/** Failures per key within a sliding window; a key with `max` recent failures is refused until the oldest expires. */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  check(key: string): Verdict {
    const recent = this.recent(key);
    if (recent.length < this.max) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + this.windowMs - this.now()) / 1000)) };
  }

  fail(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    if (recent.length > this.max) recent.splice(0, recent.length - this.max);
    this.failures.delete(key);
    this.failures.set(key, recent);
    if (this.failures.size > MAX_KEYS) {
      for (const stale of this.failures.keys()) {
        if (this.failures.size <= MAX_KEYS) break;
        this.failures.delete(stale);
      }
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((at) => at > cutoff);
    if (list.length === 0) this.failures.delete(key);
    return list;
  }
}
