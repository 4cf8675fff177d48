import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AdminRedisService } from './admin-redis.service';

/**
 * Counts authentication failures per client address in Redis, shared by every gateway replica.
 * After `maxFailures` failures within `blockSeconds` the address is blocked for `blockSeconds`,
 * even with the right credentials.
 *
 * NOTE: the gateway trusts X-Forwarded-For (Fastify trustProxy), so a client that reaches it
 * without a proxy replacing that header can send each attempt from another claimed address.
 */
export class FailureLimiter {
  private readonly logger: Logger;
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: AdminRedisService,
    private readonly name: string,
    private readonly maxFailures: number,
    private readonly blockSeconds: number,
  ) {
    this.logger = new Logger(`FailureLimiter:${name}`);
    this.limiter = new RateLimiterRedis({ storeClient: redis.client, keyPrefix: redis.key(`${name}-failures`), points: maxFailures, duration: blockSeconds });
  }

  /** Seconds until the address may try again, or null when it is not blocked. */
  async blockedFor(address: string): Promise<number | null> {
    try {
      const state = await this.limiter.get(address);
      return state && state.consumedPoints >= this.maxFailures ? retryAfterSeconds(state) : null;
    } catch (error) {
      // Tokens have at least 24 random characters, so a limiter outage (Redis down) does not make guessing feasible.
      this.logger.warn({ error: describe(error) }, `Reading the ${this.name} limiter failed; the attempt is allowed`);
      return null;
    }
  }

  /** Counts one failure; returns the seconds the address is now blocked for, or null when it may try again. */
  async recordFailure(address: string): Promise<number | null> {
    try {
      const state = await this.limiter.consume(address).catch(resultOrError);
      if (state.consumedPoints < this.maxFailures) return null;

      // The block runs from the last failure, not from the first one of the window.
      await this.limiter.block(address, this.blockSeconds);
      return this.blockSeconds;
    } catch (error) {
      this.logger.warn({ error: describe(error) }, `Recording a failure in the ${this.name} limiter failed`);
      return null;
    }
  }

  async reset(address: string): Promise<void> {
    await this.limiter.delete(address).catch((error: unknown) => this.logger.warn({ error: describe(error) }, 'Resetting the admin login limiter failed'));
  }
}

/** Failed admin logins and wrong admin bearer tokens (ADMIN_LOGIN_MAX_FAILURES within ADMIN_LOGIN_BLOCK_SECONDS). */
@Injectable()
export class LoginLimiterService extends FailureLimiter {
  constructor(redis: AdminRedisService, @Inject(APP_CONFIG) config: AppConfig) {
    super(redis, 'admin-login', config.ADMIN_LOGIN_MAX_FAILURES, config.ADMIN_LOGIN_BLOCK_SECONDS);
  }
}

/** Wrong SCIM bearer tokens (SCIM_AUTH_MAX_FAILURES within SCIM_AUTH_BLOCK_SECONDS). */
@Injectable()
export class ScimAuthLimiterService extends FailureLimiter {
  constructor(redis: AdminRedisService, @Inject(APP_CONFIG) config: AppConfig) {
    super(redis, 'scim-auth', config.SCIM_AUTH_MAX_FAILURES, config.SCIM_AUTH_BLOCK_SECONDS);
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
