import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { checkPostgres, DependencyStatus, withTimeout } from '@scimify/persistence';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUES } from './job-catalog';
import { HEALTH_ROLE, HealthRole, WorkerHeartbeatService } from './worker-heartbeat.service';

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  postgres: DependencyStatus;
  redis: DependencyStatus;
  /** Gateway only: whether any worker wrote a heartbeat recently. It does not change `status`. */
  workers?: DependencyStatus & { alive: number; lastBeatSecondsAgo: number | null };
  /** Worker only: this worker's own heartbeat; a worker that cannot write it is not ready. */
  heartbeat?: DependencyStatus & { lastBeatSecondsAgo: number | null };
}

/**
 * Liveness and readiness of an app, for the compose health checks and load balancers.
 *
 * Readiness needs Postgres and Redis. A gateway without a live worker stays ready: SCIM changes
 * are stored and queued, and a worker applies them once it runs, whereas taking the gateway out
 * of service would turn every identity provider request into an error. The report still shows
 * whether a worker heartbeat is recent. Written by hand rather than with @nestjs/terminus,
 * because terminus marks the whole check down when any indicator is down, and the worker
 * indicator must be reported without deciding readiness.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
    private readonly heartbeats: WorkerHeartbeatService,
    @Inject(HEALTH_ROLE) private readonly role: HealthRole,
  ) {}

  @Get('live')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<ReadinessReport> {
    // BullMQ's client is an ioredis connection; only PING is used here.
    const client = (await this.queue.client) as unknown as { ping(): Promise<string> };
    const [postgres, redis] = await Promise.all([checkPostgres(this.dataSource), withTimeout(client.ping(), 2000)]);
    const report: ReadinessReport = { status: 'ok', postgres, redis };

    if (this.role === 'gateway') report.workers = await this.workerStatus();
    if (this.role === 'worker') report.heartbeat = this.ownHeartbeat();

    const ready = postgres.status === 'up' && redis.status === 'up' && report.heartbeat?.status !== 'down';
    if (!ready) throw new ServiceUnavailableException({ ...report, status: 'unavailable' });

    return report;
  }

  private async workerStatus(): Promise<NonNullable<ReadinessReport['workers']>> {
    try {
      const workers = await this.heartbeats.readWorkers();
      return { status: workers.alive > 0 ? 'up' : 'down', ...workers };
    } catch (error) {
      return { status: 'down', alive: 0, lastBeatSecondsAgo: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private ownHeartbeat(): NonNullable<ReadinessReport['heartbeat']> {
    const lastBeatSecondsAgo = this.heartbeats.ownBeatSecondsAgo();
    const recent = lastBeatSecondsAgo !== null && lastBeatSecondsAgo * 1000 <= this.heartbeats.aliveWindowMs;

    return recent ? { status: 'up', lastBeatSecondsAgo } : { status: 'down', lastBeatSecondsAgo, error: 'the heartbeat could not be written to Redis recently' };
  }
}
