import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, redisOptionsFromUrl } from '@scimify/config';
import { JOBS, QUEUES, reconcileJobOptions, ReconcileUserPayload } from '@scimify/jobs';
import { Queue, QueueEvents } from 'bullmq';

/** A queue add that takes longer than this is abandoned: the sweep enqueues the change later (milliseconds). */
const ENQUEUE_TIMEOUT_MS = 2000;

/** Enqueues reconcile jobs and waits for them up to SCIM_SYNC_WAIT_MS. */
@Injectable()
export class ProvisioningQueueService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ProvisioningQueueService.name);
  private queueEvents: QueueEvents | null = null;

  constructor(
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.SCIM_SYNC_WAIT_MS === 0) return;

    this.queueEvents = new QueueEvents(QUEUES.reconcile, {
      connection: { ...redisOptionsFromUrl(this.config.REDIS_URL), maxRetriesPerRequest: null },
      prefix: this.config.QUEUE_PREFIX,
    });
    this.queueEvents.on('error', (error) => this.logger.warn({ error: error.message }, 'Queue events connection failed'));
  }

  async onModuleDestroy(): Promise<void> {
    await this.queueEvents?.close();
  }

  /**
   * Enqueues the user's reconcile and waits for it to finish, fail or time out. Never throws:
   * the desired state is already in Postgres, and the sweep enqueues it if Redis lost the job.
   * Returns whether it waited, that is whether the worker may have changed the user meanwhile.
   */
  async enqueueAndWait(payload: ReconcileUserPayload, deprovision: boolean): Promise<boolean> {
    const retry = { attempts: this.config.RECONCILE_ATTEMPTS, backoffMs: this.config.RECONCILE_BACKOFF_MS };

    try {
      const job = await withTimeout(this.queue.add(JOBS.reconcileUser, payload, reconcileJobOptions(payload, deprovision, retry)), ENQUEUE_TIMEOUT_MS);
      if (!this.queueEvents) return false;

      await job.waitUntilFinished(this.queueEvents, this.config.SCIM_SYNC_WAIT_MS);
    } catch (error) {
      // A failed or slow job is reported through the user's provisioning state, not here.
      this.logger.debug({ userId: payload.userId, error: error instanceof Error ? error.message : String(error) }, 'Reconcile did not finish within the wait');
    }

    return this.queueEvents !== null;
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue did not respond within ${timeoutMs} ms`)), timeoutMs);
  });

  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
