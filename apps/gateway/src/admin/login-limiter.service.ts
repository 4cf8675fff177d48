import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AdminRedisService } from './admin-redis.service';

/**
 * Counts failed admin logins and wrong admin bearer tokens per client address in Redis, shared by
 * every gateway replica. After ADMIN_LOGIN_MAX_FAILURES failures within ADMIN_LOGIN_BLOCK_SECONDS
 * the address is blocked for ADMIN_LOGIN_BLOCK_SECONDS, even with the right token.
 *
 * NOTE: the gateway trusts X-Forwarded-For (Fastify trustProxy), so a client that reaches it
 * without a proxy replacing that header can send each attempt from another claimed address.
 */
@Injectable()
export class LoginLimiterService {
  private readonly logger = new Logger(LoginLimiterService.name);
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: AdminRedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: redis.key('admin-login-failures'),
      points: config.ADMIN_LOGIN_MAX_FAILURES,
      duration: config.ADMIN_LOGIN_BLOCK_SECONDS,
    });
  }

  /** Seconds until the address may try again, or null when it is not blocked. */
  async blockedFor(address: string): Promise<number | null> {
    try {
      const state = await this.limiter.get(address);
      return state && state.consumedPoints >= this.config.ADMIN_LOGIN_MAX_FAILURES ? retryAfterSeconds(state) : null;
    } catch (error) {
      // The token has at least 24 characters, so a limiter outage (Redis down) does not make guessing feasible.
      this.logger.warn({ error: describe(error) }, 'Reading the admin login limiter failed; the attempt is allowed');
      return null;
    }
  }

  /** Counts one failure; returns the seconds the address is now blocked for, or null when it may try again. */
  async recordFailure(address: string): Promise<number | null> {
    try {
      const state = await this.limiter.consume(address).catch(resultOrError);
      if (state.consumedPoints < this.config.ADMIN_LOGIN_MAX_FAILURES) return null;

      // The block runs from the last failure, not from the first one of the window.
      await this.limiter.block(address, this.config.ADMIN_LOGIN_BLOCK_SECONDS);
      return this.config.ADMIN_LOGIN_BLOCK_SECONDS;
    } catch (error) {
      this.logger.warn({ error: describe(error) }, 'Recording a failed admin login failed');
      return null;
    }
  }

  async reset(address: string): Promise<void> {
    await this.limiter.delete(address).catch((error: unknown) => this.logger.warn({ error: describe(error) }, 'Resetting the admin login limiter failed'));
  }
}

/** consume() rejects with the limiter state when the points are used up, and with an Error when Redis fails. */
function resultOrError(rejection: unknown): RateLimiterRes {
  if (rejection instanceof RateLimiterRes) return rejection;
  throw rejection;
}

function retryAfterSeconds(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
