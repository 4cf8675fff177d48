import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { CallThrottledError, DropboxSignApiError, DropboxSignErrorCode } from '@scimify/dropbox-sign';
import { DataSource } from 'typeorm';
import { RATE_LIMIT_WINDOW_MS } from '../rate-limit/call-pacer.service';
import { IntegrationPauseService } from '../rate-limit/integration-pause.service';
import { IntegrationPausedException } from '../rate-limit/integration-paused.exception';
import { TeamReadBusyException } from '../team/team-read-busy.exception';
import { TeamSnapshotService } from '../team/team-snapshot.service';
import { ReconcileContext } from './reconcile-context';
import { INTEGRATION_ERROR_CODES, PermanentReconcileException, ReconcileErrorCode, RetryableReconcileException } from './reconcile.exception';

/**
 * Turns a failed reconcile into what the job does next: a pause of the integration's jobs
 * (rate limit, rejected key), or a failure recorded on the user that BullMQ retries or ends.
 */
@Injectable()
export class ReconcileFailureService {
  private readonly logger = new Logger(ReconcileFailureService.name);

  constructor(
    private readonly snapshots: TeamSnapshotService,
    private readonly pauses: IntegrationPauseService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the error that the job throws. */
  async handle(context: ReconcileContext, error: unknown): Promise<Error> {
    // Another worker reads the team: nothing failed, the job only waits for it.
    if (error instanceof TeamReadBusyException) return error;

    const pause = await this.pauseFor(context, error);
    if (pause) return pause;

    return this.recordFailure(context, error);
  }

  /** Pauses the integration's jobs after a throttled call, a 429 or a 401, and returns null for other errors. */
  private async pauseFor(context: ReconcileContext, error: unknown): Promise<IntegrationPausedException | null> {
    const integrationId = context.integration.id;
    const job = { jobId: context.job.jobId, deprovision: context.job.deprovision };

    if (error instanceof CallThrottledError) return this.pauses.pauseForRateLimit(integrationId, error.retryAt, error.limit, job);
    if (!(error instanceof DropboxSignApiError)) return null;

    if (error.code === DropboxSignErrorCode.ExceededRate || error.status === 429) {
      // Dropbox Sign sends no Retry-After header, but X-Ratelimit-Reset gives the time at which the allowance refills.
      const resetAt = (error.rateLimit?.resetAt ?? 0) * 1000;
      const until = resetAt > Date.now() ? resetAt : Date.now() + RATE_LIMIT_WINDOW_MS;
      return this.pauses.pauseForRateLimit(integrationId, until, error.rateLimit?.limit ?? this.config.DROPBOX_SIGN_RATE_LIMIT_PER_MINUTE, job);
    }

    if (error.code === DropboxSignErrorCode.Unauthorized) {
      await this.pauses.markAuthFailed(integrationId);
      await this.recordRejectedKey(context.user.id);
      return this.pauses.parkForAuth(integrationId, context.job.jobId);
    }

    return null;
  }

  /** Records a failure on the user and returns the error the job throws. */
  private async recordFailure(context: ReconcileContext, error: unknown): Promise<Error> {
    const classified = await this.classify(context, error);
    const code = 'code' in classified ? String(classified.code) : 'internal_error';
    const permanent = classified instanceof PermanentReconcileException;
    const integrationLevel = INTEGRATION_ERROR_CODES.has(code);

    // A user-level permanent failure, or the last attempt, ends this generation: the user shows as failed.
    const failsUser = (permanent && !integrationLevel) || context.job.lastAttempt;
    // The crash marker (pending_operation) stays, because a call that failed without a 4xx may have been applied.
    await this.dataSource.query(
      `UPDATE scim_user SET last_error = $2, last_error_code = $3,
         observed_state = CASE WHEN $4::boolean THEN 'failed' ELSE observed_state END,
         applied_generation = CASE WHEN $5::boolean THEN GREATEST(applied_generation, $6) ELSE applied_generation END
       WHERE id = $1`,
      [context.user.id, classified.message.slice(0, 2000), code, failsUser, permanent && !integrationLevel, context.generation],
    );

    this.logger.warn({ userId: context.user.id, integrationId: context.integration.id, jobId: context.job.jobId, code, permanent }, `Reconcile failed: ${classified.message}`);
    return classified;
  }

  /** Records on the user that its change waits for a working API key, without failing the user. */
  async recordRejectedKey(userId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE scim_user SET last_error = $2, last_error_code = $3 WHERE id = $1 AND last_error_code IS DISTINCT FROM $3`,
      [userId, 'Dropbox Sign rejected the API key (401): replace the key of the integration or run its connection test', DropboxSignErrorCode.Unauthorized],
    );
  }

  private async classify(context: ReconcileContext, error: unknown): Promise<Error> {
    if (error instanceof PermanentReconcileException || error instanceof RetryableReconcileException) return error;
    if (!(error instanceof DropboxSignApiError)) {
      const message = error instanceof Error ? error.message : String(error);
      return new RetryableReconcileException('internal_error', message);
    }

    if (error.retryable) return new RetryableReconcileException(error.code, error.message);

    // A 400 or 404 from add_member or remove_member contradicts the snapshot (the user was already
    // present, or already gone): read the team again and re-plan, once.
    const contradictsSnapshot = error.code === 'bad_request' || error.code === 'not_found';
    if (contradictsSnapshot && context.job.attempt === 1 && !context.job.lastAttempt) {
      await this.snapshots.invalidate(context.integration);
      return new RetryableReconcileException(ReconcileErrorCode.StaleSnapshot, `Dropbox Sign returned ${error.code}: ${error.message}; reading the team again`);
    }

    return new PermanentReconcileException(error.code, `Dropbox Sign returned ${error.code}: ${error.message}`);
  }
}
