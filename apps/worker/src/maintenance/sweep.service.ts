import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { JOBS, QUEUES, reconcileJobId, reconcileJobOptions } from '@scimify/jobs';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { IntegrationPauseService } from '../rate-limit/integration-pause.service';
import { INTEGRATION_ERROR_CODES } from '../reconcile/reconcile.exception';

/** Users changed more recently than this are left to the job the gateway enqueued (milliseconds). */
const SWEEP_GRACE_MS = 5000;
const SWEEP_BATCH = 2000;

interface PendingUser {
  id: string;
  integrationId: string;
  desiredGeneration: number;
  active: boolean;
  lastErrorCode: string | null;
  integrationUpdatedAt: Date;
}

/**
 * Finds users whose desired state was not applied and makes sure a job exists for each. Redis
 * may lose queued jobs at any moment (flush, restart); Postgres keeps the desired state, so this
 * sweep is what guarantees that no change is lost. A removal held by the mass-removal guard waits
 * for an operator, so it is skipped until the user is active again or the hold is released.
 */
@Injectable()
export class SweepService {
  private readonly logger = new Logger(SweepService.name);

  constructor(
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
    private readonly dataSource: DataSource,
    private readonly pauses: IntegrationPauseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns how many jobs were added, retried or resumed. */
  async sweep(): Promise<number> {
    let scheduled = await this.resumeFixedIntegrations();
    const pending = await this.findPending();

    for (const user of pending) {
      if (await this.ensureJob(user)) scheduled += 1;
    }

    if (scheduled > 0) this.logger.log({ pending: pending.length, scheduled }, 'Sweep scheduled reconcile jobs');
    return scheduled;
  }

  /**
   * Resumes the parked jobs of integrations whose key works again: an admin replaced the key
   * (through the gateway, which clears auth_failed_at) or a connection test succeeded.
   */
  private async resumeFixedIntegrations(): Promise<number> {
    const parked = await this.pauses.parkedIntegrationIds();
    if (parked.length === 0) return 0;

    const fixed: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM integration WHERE id = ANY($1::uuid[]) AND auth_failed_at IS NULL AND enabled`, [parked]);
    let resumed = 0;
    for (const { id } of fixed) resumed += await this.pauses.resumeParked(id);

    return resumed;
  }

  private async findPending(): Promise<PendingUser[]> {
    return this.dataSource.query(
      `SELECT u.id, u.integration_id AS "integrationId", u.desired_generation AS "desiredGeneration", u.active,
              u.last_error_code AS "lastErrorCode", i.updated_at AS "integrationUpdatedAt"
       FROM scim_user u JOIN integration i ON i.id = u.integration_id
       WHERE u.applied_generation < u.desired_generation AND u.updated_at < $1 AND i.enabled AND i.auth_failed_at IS NULL
         AND NOT (u.removal_held_at IS NOT NULL AND (NOT u.active OR u.deleted_at IS NOT NULL))
       ORDER BY u.updated_at LIMIT $2`,
      [new Date(Date.now() - SWEEP_GRACE_MS), SWEEP_BATCH],
    );
  }

  private async ensureJob(user: PendingUser): Promise<boolean> {
    const jobId = reconcileJobId(user.id, user.desiredGeneration);
    const job = await this.queue.getJob(jobId);
    const state = job ? await job.getState() : 'unknown';

    if (state === 'failed' && job) return this.retryIfFixed(user, job);
    if (state === 'completed' && job) await job.remove();
    if (state !== 'unknown' && state !== 'completed') return false;

    await this.enqueue(user);
    return true;
  }

  /** Retries a job that failed on an integration-level error once the integration was changed since. */
  private async retryIfFixed(user: PendingUser, job: NonNullable<Awaited<ReturnType<Queue['getJob']>>>): Promise<boolean> {
    const integrationLevel = user.lastErrorCode !== null && INTEGRATION_ERROR_CODES.has(user.lastErrorCode);
    const changedSince = job.finishedOn !== undefined && new Date(user.integrationUpdatedAt).getTime() > job.finishedOn;
    if (!integrationLevel || !changedSince) return false;

    await job.retry('failed');
    return true;
  }

  private async enqueue(user: PendingUser): Promise<void> {
    const payload = { integrationId: user.integrationId, userId: user.id, generation: user.desiredGeneration };
    const retry = { attempts: this.config.RECONCILE_ATTEMPTS, backoffMs: this.config.RECONCILE_BACKOFF_MS };

    await this.queue.add(JOBS.reconcileUser, payload, reconcileJobOptions(payload, !user.active, retry));
  }
}
