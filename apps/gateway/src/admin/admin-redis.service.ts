import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig, redisOptionsFromUrl } from '@scimify/config';
import Redis from 'ioredis';

/** The gateway's Redis connection for admin sessions and the login limiter; keys start with QUEUE_PREFIX. */
@Injectable()
export class AdminRedisService implements OnModuleDestroy {
  readonly client: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // A request fails after one reconnect attempt instead of waiting for Redis indefinitely.
    this.client = new Redis({ ...redisOptionsFromUrl(config.REDIS_URL), maxRetriesPerRequest: 1, connectTimeout: 5000 });
  }

  key(...parts: string[]): string {
    return [this.config.QUEUE_PREFIX, ...parts].join(':');
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
