import { OutgoingHttpHeaders } from 'node:http';

export const RATE_LIMIT_WINDOW_MS = 60_000;

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix time in seconds at which the allowance refills. */
  resetAt: number;
}

interface Window {
  startedAt: number;
  used: number;
}

/**
 * Fixed-window rate limiter keyed by team id. A window opens with the first request after the
 * previous one ended and lasts `RATE_LIMIT_WINDOW_MS`. Rejected requests use none of the allowance.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one request against `key` unless the window's allowance is used up. */
  consume(key: string, limit: number): RateLimitDecision {
    const window = this.currentWindow(key);
    if (window.used >= limit) {
      return { allowed: false, limit, remaining: 0, resetAt: resetAt(window) };
    }
    window.used += 1;
    return { allowed: true, limit, remaining: limit - window.used, resetAt: resetAt(window) };
  }

  /** Returns the current allowance of `key` without counting a request. */
  peek(key: string, limit: number): RateLimitDecision {
    const window = this.currentWindow(key);
    const remaining = Math.max(0, limit - window.used);
    return { allowed: remaining > 0, limit, remaining, resetAt: resetAt(window) };
  }

  reset(): void {
    this.windows.clear();
  }

  private currentWindow(key: string): Window {
    const now = this.now();
    const window = this.windows.get(key);
    if (window !== undefined && now < window.startedAt + RATE_LIMIT_WINDOW_MS) {
      return window;
    }
    const fresh = { startedAt: now, used: 0 };
    this.windows.set(key, fresh);
    return fresh;
  }
}

function resetAt(window: Window): number {
  return Math.ceil((window.startedAt + RATE_LIMIT_WINDOW_MS) / 1000);
}

/** Rate-limit headers as Dropbox Sign spells them, including the lower-case "l" of `X-Ratelimit-Reset`. */
export function rateLimitHeaders(decision: RateLimitDecision): OutgoingHttpHeaders {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-Ratelimit-Reset': String(decision.resetAt),
  };
}
