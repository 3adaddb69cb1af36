import { FixedWindowRateLimiter } from './rate-limiter';

describe('FixedWindowRateLimiter', () => {
  it('allows up to the limit per client and window, then says how long to wait', () => {
    const limiter = new FixedWindowRateLimiter(2, 60_000);
    expect(limiter.hit('a', 0)).toBe(0);
    expect(limiter.hit('a', 1000)).toBe(0);
    expect(limiter.hit('a', 2000)).toBe(58);
    expect(limiter.hit('b', 2000)).toBe(0);
  });

  it('starts a new window once the old one has passed', () => {
    const limiter = new FixedWindowRateLimiter(1, 1000);
    expect(limiter.hit('a', 0)).toBe(0);
    expect(limiter.hit('a', 500)).toBe(1);
    expect(limiter.hit('a', 1000)).toBe(0);
  });
});
