import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { QUEUES } from '@scimify/jobs';
import { IntegrationEntity } from '@scimify/persistence';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { RATE_LIMIT_WINDOW_MS } from './call-pacer.service';
import { IntegrationPausedException } from './integration-paused.exception';
import { WorkerRedisService } from '../worker-redis.service';

/** A parked job of an integration with a rejected key checks again after this long, in case its resume was missed (milliseconds). */
export const AUTH_RECHECK_MS = 5 * 60_000;

/**
 * Returns the next free start time of an integration and reserves it, one per `spacing`, so that
 * a backlog leaves the delayed set at the pace the key allows instead of all at the reset.
 * KEYS[1]: next free time. ARGV: earliest start, spacing, now (milliseconds).
 */
const RESERVE_SLOT_SCRIPT = `
local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(ARGV[1]))
local nextFree = slot + tonumber(ARGV[2])
redis.call('SET', KEYS[1], nextFree, 'PX', nextFree - tonumber(ARGV[3]) + 60000)
return slot
`;

interface RatePause {
  /** Unix time in milliseconds at which the key has allowance again. */
  until: number;
  /** Milliseconds between two calls at the key's rate. */
  spacingMs: number;
}

/** The job that meets a pause. */
export interface PausedJob {
  jobId: string;
  /** Removals retry at the end of the pause, before the spread-out invitations. */
  deprovision: boolean;
}

/**
 * Pauses the jobs of one integration without holding worker slots: while its key has no
 * allowance (rate limit) or Dropbox Sign rejects its key (401), its jobs are delayed and the
 * workers take other integrations' jobs. Pauses live in Redis, shared by every replica.
 */
@Injectable()
export class IntegrationPauseService {
  private readonly logger = new Logger(IntegrationPauseService.name);

  constructor(
    private readonly redis: WorkerRedisService,
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
    private readonly dataSource: DataSource,
  ) {}

  /** Throws IntegrationPausedException when the integration's jobs must wait. */
  async assertRunnable(integration: IntegrationEntity, job: PausedJob): Promise<void> {
    if (integration.authFailedAt) throw await this.parkForAuth(integration.id, job.jobId);

    const pause = await this.ratePause(integration.id);
    if (!pause) return;

    throw new IntegrationPausedException(integration.id, 'rate_limited', await this.retryTime(integration.id, pause, job.deprovision));
  }

  /** Pauses the integration's jobs until `until`, when its key has allowance again, and returns the exception for this job. */
  async pauseForRateLimit(integrationId: string, until: number, limit: number, job: PausedJob): Promise<IntegrationPausedException> {
    const pause: RatePause = { until, spacingMs: Math.ceil(RATE_LIMIT_WINDOW_MS / Math.max(1, limit)) };
    const ttl = Math.max(1, Math.ceil(until - Date.now()));

    const previous = await this.redis.client.set(this.pauseKey(integrationId), `${pause.until}:${pause.spacingMs}`, 'PX', ttl, 'GET');
    if (previous === null) {
      this.logger.log({ integrationId, until: new Date(until).toISOString(), limit }, 'Dropbox Sign rate limit reached: the jobs of the integration wait');
    }

    return new IntegrationPausedException(integrationId, 'rate_limited', await this.retryTime(integrationId, pause, job.deprovision));
  }

  /** Records that Dropbox Sign rejected the key (401). A key update or a successful connection test clears the mark. */
  async markAuthFailed(integrationId: string): Promise<void> {
    const [, updated] = await this.dataSource.query(`UPDATE integration SET auth_failed_at = now() WHERE id = $1 AND auth_failed_at IS NULL`, [integrationId]);

    if (updated > 0) {
      this.logger.warn({ integrationId }, 'Dropbox Sign rejected the API key (401): the jobs of the integration wait until the key is replaced or a connection test succeeds');
    }
  }

  /** Delays a job of an integration whose key was rejected. `resumeParked` brings it back once the key works. */
  async parkForAuth(integrationId: string, jobId: string): Promise<IntegrationPausedException> {
    await this.redis.client.multi().sadd(this.parkedKey(integrationId), jobId).sadd(this.parkedIntegrationsKey(), integrationId).exec();

    return new IntegrationPausedException(integrationId, 'auth_failed', Date.now() + AUTH_RECHECK_MS);
  }

  /** Returns the integrations that have jobs parked for a rejected key. */
  async parkedIntegrationIds(): Promise<string[]> {
    return this.redis.client.smembers(this.parkedIntegrationsKey());
  }

  /** Moves the parked jobs of an integration back to the queue and returns how many moved. */
  async resumeParked(integrationId: string): Promise<number> {
    const jobIds = await this.redis.client.smembers(this.parkedKey(integrationId));
    await this.redis.client.multi().del(this.parkedKey(integrationId)).srem(this.parkedIntegrationsKey(), integrationId).exec();

    let resumed = 0;
    for (const jobId of jobIds) {
      if (await this.promote(jobId)) resumed += 1;
    }

    if (resumed > 0) this.logger.log({ integrationId, resumed }, 'Resumed the jobs of an integration whose API key works again');
    return resumed;
  }

  private async promote(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job || !(await job.isDelayed())) return false;

    // The job may leave the delayed set between the check and the promotion (its delay ended).
    return job.promote().then(
      () => true,
      () => false,
    );
  }

  private async ratePause(integrationId: string): Promise<RatePause | null> {
    const value = await this.redis.client.get(this.pauseKey(integrationId));
    const [until, spacingMs] = (value ?? '').split(':').map(Number);

    if (!Number.isFinite(until) || !Number.isFinite(spacingMs) || until <= Date.now()) return null;
    return { until, spacingMs };
  }

  private async retryTime(integrationId: string, pause: RatePause, deprovision: boolean): Promise<number> {
    if (deprovision) return pause.until;

    const slot = await this.redis.client.eval(RESERVE_SLOT_SCRIPT, 1, this.redis.key('integration-slots', integrationId), pause.until, pause.spacingMs, Date.now());
    return Number(slot);
  }

  private pauseKey(integrationId: string): string {
    return this.redis.key('integration-pause', integrationId);
  }

  private parkedKey(integrationId: string): string {
    return this.redis.key('auth-parked-jobs', integrationId);
  }

  private parkedIntegrationsKey(): string {
    return this.redis.key('auth-parked-integrations');
  }
}
