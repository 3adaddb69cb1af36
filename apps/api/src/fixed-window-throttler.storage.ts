import { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  hits: number;
  resetAt: number;
  blockedUntil: number;
}

/** Clients tracked before expired windows are swept. */
const SWEEP_ABOVE = 10_000;

/**
 * A fixed-window counter per client for @nestjs/throttler: one number per
 * client instead of the default storage's timestamp per hit, which it
 * filters and spreads on every request (O(hits) per request, and slower the
 * busier a client is). Windows are coarser at their edges, which a rate limit
 * of tens of thousands a minute does not notice.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();

  async increment(key: string, ttl: number, limit: number, blockDuration: number) {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || (window.resetAt <= now && window.blockedUntil <= now)) {
      if (this.windows.size > SWEEP_ABOVE) this.sweep(now);
      window = { hits: 0, resetAt: now + ttl, blockedUntil: 0 };
      this.windows.set(key, window);
    }
    if (window.blockedUntil <= now) {
      window.hits++;
      if (window.hits > limit) window.blockedUntil = now + blockDuration;
    }
    return {
      totalHits: window.hits,
      timeToExpire: Math.max(0, Math.ceil((window.resetAt - now) / 1000)),
      isBlocked: window.blockedUntil > now,
      timeToBlockExpire: Math.max(0, Math.ceil((window.blockedUntil - now) / 1000)),
    };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now && window.blockedUntil <= now) this.windows.delete(key);
    }
  }
}
