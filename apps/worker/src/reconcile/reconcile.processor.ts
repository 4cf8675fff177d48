import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { JOBS, QUEUES, ReconcileUserPayload } from '@scimify/jobs';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { PermanentReconcileException, UserBusyException } from './reconcile.exception';
import { ReconcileOutcome, ReconcileService } from './reconcile.service';

/** How long a job waits when another worker holds the user's lock (milliseconds). */
const BUSY_DELAY_MS = 1000;

export const RECONCILE_HANDLED_JOBS = [JOBS.reconcileUser] as const;

@Processor(QUEUES.reconcile, { concurrency: 10 })
export class ReconcileProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReconcileProcessor.name);

  constructor(
    private readonly reconcileService: ReconcileService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  async process(job: Job<ReconcileUserPayload>, token?: string): Promise<ReconcileOutcome> {
    if (job.name !== JOBS.reconcileUser) throw new UnrecoverableError(`No handler for job "${job.name}" on queue ${QUEUES.reconcile}`);

    const payload = validPayload(job.data);
    const started = Date.now();
    const attempt = job.attemptsMade + 1;
    const context = { jobId: job.id ?? '', attempt, lastAttempt: attempt >= (job.opts.attempts ?? 1) };
    this.logger.debug({ jobId: job.id, integrationId: payload.integrationId, userId: payload.userId, attempt }, 'Reconcile started');

    try {
      const outcome = await this.reconcileService.reconcile(payload, context);
      this.logger.log({ jobId: job.id, integrationId: payload.integrationId, userId: payload.userId, attempt, outcome, durationMs: Date.now() - started }, 'Reconcile finished');
      return outcome;
    } catch (error) {
      if (error instanceof UserBusyException && token) {
        await job.moveToDelayed(Date.now() + BUSY_DELAY_MS, token);
        throw new DelayedError();
      }
      if (error instanceof PermanentReconcileException) throw new UnrecoverableError(`${error.code}: ${error.message}`);

      throw error;
    }
  }
}

function validPayload(data: unknown): ReconcileUserPayload {
  const payload = data as Partial<ReconcileUserPayload> | null;
  const valid = typeof payload?.integrationId === 'string' && typeof payload.userId === 'string' && Number.isInteger(payload.generation);
  if (!valid) throw new UnrecoverableError('Reconcile job payload must hold integrationId, userId and generation');

  return payload as ReconcileUserPayload;
}
