import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { PRIORITY, QUEUES } from '../job-catalog';
import { HEALTH_ROLE, HealthRole, WorkerHeartbeatService } from '../worker-heartbeat.service';
import { MetricsService } from './metrics.service';

/** BullMQ job states reported as queue depth. */
const JOB_STATES = ['wait', 'prioritized', 'paused', 'active', 'delayed', 'failed', 'completed', 'waiting-children'] as const;
/** BullMQ scores a prioritized job as priority × 2^32 + insertion counter, so each priority is one score range. */
const PRIORITY_SCORE_STEP = 2 ** 32;
/** A scrape gives up on Redis after this long and reports no queue values (milliseconds). */
const COLLECT_TIMEOUT_MS = 2000;

/** The subset of ioredis used to find the oldest waiting job. */
interface QueueRedis {
  lindex(key: string, index: number): Promise<string | null>;
  zrangebyscore(key: string, min: number, max: number, limit: 'LIMIT', offset: number, count: number): Promise<string[]>;
  hget(key: string, field: string): Promise<string | null>;
}

/**
 * Queue depth by state, the age of the oldest waiting job and, on the gateway, the number of
 * live workers. Read from Redis at scrape time, so every replica reports the same queue values.
 */
@Injectable()
export class QueueMetricsService implements OnModuleInit {
  private readonly logger = new Logger(QueueMetricsService.name);
  private readonly queues: Queue[];

  constructor(
    private readonly metrics: MetricsService,
    private readonly heartbeats: WorkerHeartbeatService,
    @Inject(HEALTH_ROLE) private readonly role: HealthRole,
    @InjectQueue(QUEUES.reconcile) reconcile: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
  ) {
    this.queues = [reconcile, maintenance];
  }

  onModuleInit(): void {
    const depth: Gauge<'queue' | 'state'> = new Gauge({
      name: 'scimify_queue_jobs',
      help: 'Jobs in each BullMQ queue by state (wait and prioritized are waiting to run)',
      labelNames: ['queue', 'state'],
      registers: [this.metrics.registry],
      collect: (): Promise<void> => this.collect(() => this.collectDepth(depth)),
    });
    const oldest: Gauge<'queue'> = new Gauge({
      name: 'scimify_queue_oldest_waiting_job_age_seconds',
      help: 'Age of the oldest job waiting to run (wait or prioritized), 0 when none waits',
      labelNames: ['queue'],
      registers: [this.metrics.registry],
      collect: (): Promise<void> => this.collect(() => this.collectOldest(oldest)),
    });

    if (this.role === 'gateway') this.registerWorkerGauge();
  }

  private registerWorkerGauge(): void {
    const workers: Gauge = new Gauge({
      name: 'scimify_workers_alive',
      help: 'Workers whose heartbeat in Redis is recent',
      registers: [this.metrics.registry],
      collect: (): Promise<void> => this.collect(async () => workers.set((await this.heartbeats.readWorkers()).alive)),
    });
  }

  private async collectDepth(gauge: Gauge<'queue' | 'state'>): Promise<void> {
    gauge.reset();
    for (const queue of this.queues) {
      const counts = await queue.getJobCounts(...JOB_STATES);
      for (const state of JOB_STATES) gauge.set({ queue: queue.name, state }, counts[state] ?? 0);
    }
  }

  private async collectOldest(gauge: Gauge<'queue'>): Promise<void> {
    gauge.reset();
    for (const queue of this.queues) {
      const oldest = await this.oldestWaitingTimestamp(queue);
      gauge.set({ queue: queue.name }, oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
    }
  }

  /**
   * Creation time of the oldest waiting job: the tail of the wait list (BullMQ pushes new jobs at
   * the head) and the first job of each priority of the catalog, in milliseconds.
   */
  private async oldestWaitingTimestamp(queue: Queue): Promise<number | null> {
    const redis = (await queue.client) as unknown as QueueRedis;
    const candidates = [await redis.lindex(queue.keys.wait, -1)];

    for (const priority of new Set(Object.values(PRIORITY))) {
      const min = priority * PRIORITY_SCORE_STEP;
      candidates.push(...(await redis.zrangebyscore(queue.keys.prioritized, min, min + PRIORITY_SCORE_STEP - 1, 'LIMIT', 0, 1)));
    }

    const timestamps: number[] = [];
    for (const jobId of candidates) {
      const timestamp = jobId ? Number(await redis.hget(queue.toKey(jobId), 'timestamp')) : NaN;
      if (Number.isFinite(timestamp) && timestamp > 0) timestamps.push(timestamp);
    }

    return timestamps.length === 0 ? null : Math.min(...timestamps);
  }

  /** Runs one collection with a time limit; a failed one leaves the series empty and logs once per scrape. */
  private async collect(work: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not respond within ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
    });

    try {
      await Promise.race([work(), timeout]);
    } catch (error) {
      this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'Reading queue metrics from Redis failed');
    } finally {
      clearTimeout(timer);
    }
  }
}
