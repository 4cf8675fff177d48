import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, Type } from '@nestjs/common';
import { AppConfig } from '@scimify/config';
import { JOBS, PRIORITY, QUEUES, ReconcileUserPayload } from '@scimify/jobs';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { hostname } from 'node:os';
import { IntegrationPausedException } from '../rate-limit/integration-paused.exception';
import { TeamReadBusyException } from '../team/team-read-busy.exception';
import { JobContext } from './reconcile-context';
import { PermanentReconcileException, UserBusyException } from './reconcile.exception';
import { ReconcileOutcome, ReconcileService } from './reconcile.service';

/** How long a job waits when another worker holds the user's lock or reads the team (milliseconds). */
const BUSY_DELAY_MS = 1000;

export const RECONCILE_HANDLED_JOBS = [JOBS.reconcileUser] as const;

/** Runs reconcile jobs. The worker module registers it through `reconcileProcessorFor`, which sets its BullMQ options. */
@Injectable()
export class ReconcileProcessor extends WorkerHost {
  private readonly logger = new Logger(ReconcileProcessor.name);

  constructor(private readonly reconcileService: ReconcileService) {
    super();
  }

  async process(job: Job<ReconcileUserPayload>, token?: string): Promise<ReconcileOutcome> {
    if (job.name !== JOBS.reconcileUser) throw new UnrecoverableError(`No handler for job "${job.name}" on queue ${QUEUES.reconcile}`);

    const payload = validPayload(job.data);
    const context = jobContext(job);
    const started = Date.now();
    this.logger.debug({ jobId: job.id, integrationId: payload.integrationId, userId: payload.userId, attempt: context.attempt }, 'Reconcile started');

    try {
      const outcome = await this.reconcileService.reconcile(payload, context);
      this.logger.log({ jobId: job.id, integrationId: payload.integrationId, userId: payload.userId, attempt: context.attempt, outcome, durationMs: Date.now() - started }, 'Reconcile finished');
      return outcome;
    } catch (error) {
      await this.delayIfWaiting(job, token, error);
      if (error instanceof PermanentReconcileException) throw new UnrecoverableError(`${error.code}: ${error.message}`);

      throw error;
    }
  }

  /**
   * Moves a job that must wait back to the delayed set without counting an attempt, and throws
   * DelayedError so that BullMQ leaves it there: the worker slot takes the next job at once
   * instead of sleeping.
   */
  private async delayIfWaiting(job: Job, token: string | undefined, error: unknown): Promise<void> {
    const retryAt = retryTimeOf(error);
    if (retryAt === null || !token) return;

    await job.moveToDelayed(retryAt, token);
    this.logger.debug({ jobId: job.id, retryAt: new Date(retryAt).toISOString(), reason: error instanceof Error ? error.name : 'unknown' }, 'Reconcile delayed');
    throw new DelayedError();
  }
}

/**
 * Returns ReconcileProcessor with its BullMQ worker options taken from the configuration.
 * @Processor() takes its options when the decorator runs, so it decorates a subclass made here.
 */
export function reconcileProcessorFor(config: AppConfig): Type<ReconcileProcessor> {
  @Processor(QUEUES.reconcile, {
    // Stored on each job as `processedBy`, so that Bull Board shows which replica ran it.
    name: `${hostname()}:${process.pid}`,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.WORKER_LOCK_DURATION_MS,
    stalledInterval: config.WORKER_LOCK_DURATION_MS,
  })
  class ConfiguredReconcileProcessor extends ReconcileProcessor {}

  return ConfiguredReconcileProcessor;
}

function retryTimeOf(error: unknown): number | null {
  if (error instanceof IntegrationPausedException) return error.retryAt;
  if (error instanceof UserBusyException || error instanceof TeamReadBusyException) return Date.now() + BUSY_DELAY_MS;

  return null;
}

function jobContext(job: Job): JobContext {
  const attempt = job.attemptsMade + 1;

  return {
    jobId: job.id ?? '',
    attempt,
    lastAttempt: attempt >= (job.opts.attempts ?? 1),
    deprovision: job.opts.priority === PRIORITY.deprovision,
  };
}

function validPayload(data: unknown): ReconcileUserPayload {
  const payload = data as Partial<ReconcileUserPayload> | null;
  const valid = typeof payload?.integrationId === 'string' && typeof payload.userId === 'string' && Number.isInteger(payload.generation);
  if (!valid) throw new UnrecoverableError('Reconcile job payload must hold integrationId, userId and generation');

  return payload as ReconcileUserPayload;
}
