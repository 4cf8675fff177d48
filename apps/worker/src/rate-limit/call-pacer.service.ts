import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { CallPacer, CallThrottledError, RateLimitState } from '@scimify/dropbox-sign';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { WorkerRedisService } from '../worker-redis.service';

/** Dropbox Sign counts requests per account in windows of one minute. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Maximum wait that a response may impose, so that a wrong X-Ratelimit-Reset cannot stop an integration for days. */
const MAX_RESET_WAIT_MS = 3_600_000;

/** How long a limit reported by X-RateLimit-Limit is kept without a newer response (seconds). */
const REPORTED_LIMIT_TTL_SECONDS = 3600;

/**
 * Raises the request count of the current window to what Dropbox Sign reported, and makes the
 * window last at least until Dropbox Sign's reset, in one step so that no concurrent `consume`
 * of another replica is lost. rate-limiter-flexible has no atomic "at least" operation: its
 * `set` overwrites the count and its `penalty` keeps the expiry. Neither value is ever lowered,
 * because a response that left Dropbox Sign before a window ended may arrive after it.
 * KEYS[1]: the limiter's counter, KEYS[2]: the reported limit.
 * ARGV: requests used, milliseconds until the reset, reported limit, TTL of the limit (seconds).
 */
const ALIGN_WINDOW_SCRIPT = `
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
local used = tonumber(ARGV[1])
local resetMs = tonumber(ARGV[2])
local counted = redis.call('GET', KEYS[1])
if not counted then
  redis.call('SET', KEYS[1], used, 'PX', resetMs)
  return
end
if tonumber(counted) < used then redis.call('SET', KEYS[1], used, 'KEEPTTL') end
if redis.call('PTTL', KEYS[1]) < resetMs then redis.call('PEXPIRE', KEYS[1], resetMs) end
`;

/**
 * Paces Dropbox Sign calls per API key across every worker replica with a fixed-window counter
 * in Redis (rate-limiter-flexible's RateLimiterRedis). The window mirrors the API's own. Its size
 * starts at DROPBOX_SIGN_RATE_LIMIT_PER_MINUTE and then follows X-RateLimit-Limit. Each response
 * raises the count to what X-RateLimit-Remaining implies and moves the window's end to
 * X-Ratelimit-Reset, so that calls made with the same key elsewhere count too.
 */
@Injectable()
export class CallPacerService implements CallPacer {
  /** Limiters by window size. They share the counter of a key, because only `points` differs. */
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    private readonly redis: WorkerRedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async acquire(keyId: string): Promise<void> {
    const limit = await this.limitOf(keyId);

    try {
      await this.limiter(limit).consume(keyId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;

      throw new CallThrottledError(Date.now() + rejection.msBeforeNext, limit);
    }
  }

  async observe(keyId: string, state: RateLimitState): Promise<void> {
    const untilReset = Math.min(state.resetAt * 1000 - Date.now(), MAX_RESET_WAIT_MS);
    const valid = Number.isInteger(state.limit) && state.limit > 0 && state.remaining >= 0;
    // A reset in the past belongs to a window that has ended already.
    if (!valid || untilReset <= 0) return;

    const used = Math.max(0, state.limit - state.remaining);
    const keys = [this.limiter(state.limit).getKey(keyId), this.limitKey(keyId)];
    await this.redis.client.eval(ALIGN_WINDOW_SCRIPT, keys.length, ...keys, used, Math.ceil(untilReset), state.limit, REPORTED_LIMIT_TTL_SECONDS);
  }

  /** Returns the window size of a key: the last reported X-RateLimit-Limit, else the configured one. */
  async limitOf(keyId: string): Promise<number> {
    const reported = Number(await this.redis.client.get(this.limitKey(keyId)));

    return Number.isInteger(reported) && reported > 0 ? reported : this.config.DROPBOX_SIGN_RATE_LIMIT_PER_MINUTE;
  }

  private limiter(points: number): RateLimiterRedis {
    let limiter = this.limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis.client,
        keyPrefix: this.redis.key('dropbox-sign-rate'),
        points,
        duration: RATE_LIMIT_WINDOW_MS / 1000,
      });
      this.limiters.set(points, limiter);
    }

    return limiter;
  }

  private limitKey(keyId: string): string {
    return this.redis.key('dropbox-sign-limit', keyId);
  }
}
