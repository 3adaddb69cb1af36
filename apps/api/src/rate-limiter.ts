interface Window {
  hits: number;
  resetAt: number;
}

/** Clients tracked before expired windows are swept. */
const SWEEP_ABOVE = 10_000;

/**
 * A fixed-window request counter per client address: one number per client
 * and O(1) per request. Windows are coarse at their edges (a client can
 * send up to twice the limit across a boundary), which a limit of tens of
 * thousands a minute does not notice.
 */
export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, Window>();

  /**
   * @param limit requests allowed per client per window
   * @param windowMs length of a window (default one minute)
   */
  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts a request; returns 0 when it is allowed, else the seconds until the client may retry. */
  hit(client: string, now = Date.now()): number {
    let window = this.windows.get(client);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > SWEEP_ABOVE) this.sweep(now);
      window = { hits: 0, resetAt: now + this.windowMs };
      this.windows.set(client, window);
    }
    window.hits++;
    return window.hits <= this.limit ? 0 : Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [client, window] of this.windows) if (window.resetAt <= now) this.windows.delete(client);
  }
}
