import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig, redisOptionsFromUrl } from '@scimify/config';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';

/** Deletes a lock only while it still holds the caller's token, so that an expired lock taken by another worker survives. */
const RELEASE_LOCK_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Releases a lock taken with `tryLock`. */
export type ReleaseLock = () => Promise<void>;

/**
 * The worker's Redis connection for state that every replica shares besides the queues: request
 * counters per API key, integration pauses and the lock of team reads. Keys start with
 * QUEUE_PREFIX like the queues, and losing them costs at most a few extra calls.
 */
@Injectable()
export class WorkerRedisService implements OnApplicationShutdown {
  readonly client: Redis;
  private readonly logger = new Logger(WorkerRedisService.name);
  private errorLogged = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = new Redis(redisOptionsFromUrl(config.REDIS_URL));
    this.client.on('ready', () => (this.errorLogged = false));
    this.client.on('error', (error: Error) => {
      // ioredis reconnects by itself: one line per outage, not one per attempt.
      if (!this.errorLogged) this.logger.warn({ error: error.message }, 'Redis connection of the worker failed');
      this.errorLogged = true;
    });
  }

  /** Builds a key under QUEUE_PREFIX from its parts. */
  key(...parts: string[]): string {
    return [this.config.QUEUE_PREFIX, ...parts].join(':');
  }

  /** Takes a lock that expires after `ttlMs` unless released. Returns null when another holder has it. */
  async tryLock(key: string, ttlMs: number): Promise<ReleaseLock | null> {
    const token = randomBytes(12).toString('hex');
    const taken = await this.client.set(key, token, 'PX', ttlMs, 'NX');
    if (taken === null) return null;

    return async () => {
      await this.client.eval(RELEASE_LOCK_SCRIPT, 1, key, token);
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => undefined);
  }
}
