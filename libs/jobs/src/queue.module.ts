import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig, redisOptionsFromUrl } from '@scimify/config';
import { QUEUES } from './job-catalog';

/** BullMQ's Redis connection (from REDIS_URL, keys under QUEUE_PREFIX) and every queue of the catalog. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: { ...redisOptionsFromUrl(config.REDIS_URL), maxRetriesPerRequest: null },
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    BullModule.registerQueue({ name: QUEUES.reconcile }, { name: QUEUES.maintenance }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
