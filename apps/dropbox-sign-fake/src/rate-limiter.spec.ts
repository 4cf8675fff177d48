import { RATE_LIMIT_WINDOW_MS, RateLimiter, rateLimitHeaders } from './rate-limiter';

describe('RateLimiter', () => {
  let now: number;
  let limiter: RateLimiter;

  beforeEach(() => {
    now = 1_700_000_000_500;
    limiter = new RateLimiter(() => now);
  });

  it('consume counts down the remaining allowance', () => {
    expect(limiter.consume('team', 3).remaining).toBe(2);
    expect(limiter.consume('team', 3).remaining).toBe(1);
    expect(limiter.consume('team', 3).remaining).toBe(0);
  });

  it('consume rejects past the limit', () => {
    limiter.consume('team', 1);

    const rejected = limiter.consume('team', 1);

    expect(rejected.allowed).toBe(false);
    expect(rejected.remaining).toBe(0);
  });

  it('rejected requests use no allowance', () => {
    limiter.consume('team', 2);
    limiter.consume('team', 2);
    limiter.consume('team', 2);
    limiter.consume('team', 2);

    expect(limiter.peek('team', 3).remaining).toBe(1);
  });

  it('reset time is the window end in seconds', () => {
    const decision = limiter.consume('team', 5);

    expect(decision.resetAt).toBe(Math.ceil((now + RATE_LIMIT_WINDOW_MS) / 1000));
  });

  it('window refills after sixty seconds', () => {
    limiter.consume('team', 1);
    now += RATE_LIMIT_WINDOW_MS - 1;
    expect(limiter.consume('team', 1).allowed).toBe(false);

    now += 1;
    const refilled = limiter.consume('team', 1);
    expect(refilled.allowed).toBe(true);
    expect(refilled.resetAt).toBe(Math.ceil((now + RATE_LIMIT_WINDOW_MS) / 1000));
  });

  it('windows are separate per key', () => {
    limiter.consume('team-a', 1);

    expect(limiter.consume('team-b', 1).allowed).toBe(true);
    expect(limiter.consume('team-a', 1).allowed).toBe(false);
  });

  it('peek does not use allowance', () => {
    limiter.peek('team', 1);
    limiter.peek('team', 1);

    expect(limiter.consume('team', 1).allowed).toBe(true);
  });

  it('headers use the Dropbox Sign spelling', () => {
    const headers = rateLimitHeaders({ allowed: true, limit: 100, remaining: 99, resetAt: 1430170900 });

    expect(headers).toEqual({
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '99',
      'X-Ratelimit-Reset': '1430170900',
    });
  });
});
