import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { QUEUES } from './job-catalog';

/** Whether this process is a worker (writes heartbeats) or a gateway (reads them). */
export type HealthRole = 'gateway' | 'worker';
export const HEALTH_ROLE = Symbol('HEALTH_ROLE');

/** A worker counts as alive for this many heartbeat intervals after its last beat. */
const ALIVE_INTERVALS = 3;
/** Redis commands of the heartbeat give up after this long, so that a readiness probe does not hang on Redis (milliseconds). */
const REDIS_TIMEOUT_MS = 2000;

export interface WorkerHeartbeats {
  /** Workers whose last beat is recent. */
  alive: number;
  /** Seconds since the most recent beat of any worker; null when none is recorded. */
  lastBeatSecondsAgo: number | null;
}

/** The subset of ioredis that the heartbeat uses; BullMQ's queue client is an ioredis connection. */
interface HeartbeatRedis {
  zadd(key: string, score: number, member: string): Promise<unknown>;
  zrem(key: string, member: string): Promise<unknown>;
  zremrangebyscore(key: string, min: number, max: number): Promise<unknown>;
  pexpire(key: string, milliseconds: number): Promise<unknown>;
  zrange(key: string, start: number, stop: number, withScores: 'WITHSCORES'): Promise<string[]>;
  zcount(key: string, min: number, max: string): Promise<number>;
}

/**
 * Worker heartbeats in a Redis sorted set under QUEUE_PREFIX (member: host, process id and a
 * random suffix; score: time of the last beat in milliseconds). Workers write one every
 * WORKER_HEARTBEAT_INTERVAL_SECONDS; the gateway reads them for its readiness report and metrics.
 */
@Injectable()
export class WorkerHeartbeatService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerHeartbeatService.name);
  private readonly member = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private lastWrittenAt: number | null = null;
  private failuresLogged = 0;

  constructor(
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(HEALTH_ROLE) private readonly role: HealthRole,
  ) {}

  get key(): string {
    return `${this.config.QUEUE_PREFIX}:worker-heartbeats`;
  }

  /** How long a beat counts as recent (milliseconds). */
  get aliveWindowMs(): number {
    return this.config.WORKER_HEARTBEAT_INTERVAL_SECONDS * 1000 * ALIVE_INTERVALS;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.role !== 'worker') return;

    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.WORKER_HEARTBEAT_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  /** Stops beating and removes this worker at once, so that the gateway does not count it until its beat ages out. */
  async onModuleDestroy(): Promise<void> {
    if (!this.timer) return;

    clearInterval(this.timer);
    this.timer = null;
    await withTimeout(this.redis().then((redis) => redis.zrem(this.key, this.member))).catch(() => undefined);
  }

  /** Seconds since this worker last wrote its heartbeat; null before the first one. */
  ownBeatSecondsAgo(): number | null {
    return this.lastWrittenAt === null ? null : (Date.now() - this.lastWrittenAt) / 1000;
  }

  async readWorkers(): Promise<WorkerHeartbeats> {
    const redis = await this.redis();
    const now = Date.now();
    const [alive, newest] = await withTimeout(
      Promise.all([redis.zcount(this.key, now - this.aliveWindowMs, '+inf'), redis.zrange(this.key, -1, -1, 'WITHSCORES')]),
    );
    const lastBeatAt = newest.length === 2 ? Number(newest[1]) : null;

    return { alive, lastBeatSecondsAgo: lastBeatAt === null ? null : Math.max(0, (now - lastBeatAt) / 1000) };
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    const retentionMs = this.aliveWindowMs * 10;

    try {
      const redis = await this.redis();
      await withTimeout(Promise.all([redis.zadd(this.key, now, this.member), redis.zremrangebyscore(this.key, 0, now - retentionMs), redis.pexpire(this.key, retentionMs)]));
      this.lastWrittenAt = now;
      this.failuresLogged = 0;
    } catch (error) {
      // One line per outage, not one per beat.
      if (this.failuresLogged++ === 0) this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'Writing the worker heartbeat to Redis failed');
    }
  }

  private async redis(): Promise<HeartbeatRedis> {
    return (await this.queue.client) as unknown as HeartbeatRedis;
  }
}

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not respond within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
  });

  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
