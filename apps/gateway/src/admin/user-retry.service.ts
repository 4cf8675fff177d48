import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { isUuid } from '@scimify/integrations';
import { JOBS, QUEUES, reconcileJobOptions, ReconcileUserPayload } from '@scimify/jobs';
import { AuditRepository } from '@scimify/persistence';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';

export interface RetriedUser {
  userId: string;
  generation: number;
  jobId: string;
}

/**
 * Retries a user's provisioning for an operator. A failed job cannot simply be retried: after a
 * permanent failure the user's change counts as applied, so the worker would find nothing to do.
 * The retry bumps the desired generation instead, as an identity provider change would, and
 * enqueues a reconcile, which re-plans from the current team state.
 */
@Injectable()
export class UserRetryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async retry(integrationId: string, userId: string, requestId: string): Promise<RetriedUser> {
    const user = await this.bumpGeneration(integrationId, userId, requestId);
    const payload: ReconcileUserPayload = { integrationId, userId, generation: user.generation };
    const retry = { attempts: this.config.RECONCILE_ATTEMPTS, backoffMs: this.config.RECONCILE_BACKOFF_MS };

    // If Redis fails here, the sweep enqueues the bumped generation later.
    const job = await this.queue.add(JOBS.reconcileUser, payload, reconcileJobOptions(payload, user.deprovision, retry));
    return { userId, generation: user.generation, jobId: job.id ?? '' };
  }

  private async bumpGeneration(integrationId: string, userId: string, requestId: string): Promise<{ generation: number; deprovision: boolean }> {
    if (!isUuid(integrationId) || !isUuid(userId)) throw notFound(integrationId, userId);

    return this.dataSource.transaction(async (manager) => {
      const [rows]: [Array<{ generation: number; deprovision: boolean; userName: string }>] = await manager.query(
        `UPDATE scim_user SET desired_generation = desired_generation + 1
         WHERE id = $1 AND integration_id = $2
         RETURNING desired_generation AS generation, (NOT active OR deleted_at IS NOT NULL) AS deprovision, user_name AS "userName"`,
        [userId, integrationId],
      );
      if (rows.length === 0) throw notFound(integrationId, userId);

      const { generation, deprovision, userName } = rows[0];
      await this.audit.record(
        { integrationId, userId, actor: 'admin', action: 'user_reconcile_retried', outcome: 'success', requestId, details: { userName, generation } },
        manager,
      );
      return { generation, deprovision };
    });
  }
}

function notFound(integrationId: string, userId: string): NotFoundException {
  return new NotFoundException(`User ${userId} not found in integration ${integrationId}`);
}
