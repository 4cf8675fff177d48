import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { QUEUES } from './job-catalog';
import { checkPostgres, withTimeout } from '@scimify/persistence';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';

/** Liveness and readiness (Postgres and Redis answer) of an app, for the compose health checks. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
  ) {}

  @Get('live')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<Record<string, unknown>> {
    // BullMQ's client is an ioredis connection; only PING is used here.
    const client = (await this.queue.client) as unknown as { ping(): Promise<string> };
    const [postgres, redis] = await Promise.all([checkPostgres(this.dataSource), withTimeout(client.ping(), 2000)]);
    const body = { status: postgres.status === 'up' && redis.status === 'up' ? 'ok' : 'unavailable', postgres, redis };

    if (body.status !== 'ok') throw new ServiceUnavailableException(body);
    return body;
  }
}
