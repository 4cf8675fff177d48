import { InjectQueue } from '@nestjs/bullmq';
import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { isUuid } from '@scimify/integrations';
import { JOBS, QUEUES, reconcileJobOptions, ReconcileUserPayload } from '@scimify/jobs';
import { HeldRemoval, HeldRemovalChange, HeldRemovalRepository } from '@scimify/persistence';
import { Queue } from 'bullmq';

export interface HeldRemovalsDecision {
  userIds: string[];
}

/** Lists, releases and discards held removals for the admin API and console, and enqueues the changed users at once. */
@Injectable()
export class HeldRemovalsService {
  constructor(
    private readonly heldRemovals: HeldRemovalRepository,
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  list(integrationId: string): Promise<HeldRemoval[]> {
    return this.heldRemovals.list(integrationId);
  }

  count(integrationIds: string[]): Promise<Map<string, number>> {
    return this.heldRemovals.count(integrationIds);
  }

  async release(integrationId: string, userIds: string[] | undefined, requestId: string): Promise<HeldRemovalsDecision> {
    const users = await this.heldRemovals.release(integrationId, validUserIds(userIds), requestId);

    await this.enqueue(integrationId, users);
    return { userIds: users.map((user) => user.id) };
  }

  async discard(integrationId: string, userIds: string[] | undefined, requestId: string): Promise<HeldRemovalsDecision> {
    const users = await this.heldRemovals.discard(integrationId, validUserIds(userIds), requestId);

    // A discarded deletion is marked applied, so only the reactivated users need a reconcile.
    await this.enqueue(integrationId, users.filter((user) => !user.deprovision));
    return { userIds: users.map((user) => user.id) };
  }

  /** Enqueues the users' reconciles; if Redis fails here, the sweep enqueues them later. */
  private async enqueue(integrationId: string, users: HeldRemovalChange[]): Promise<void> {
    const retry = { attempts: this.config.RECONCILE_ATTEMPTS, backoffMs: this.config.RECONCILE_BACKOFF_MS };

    for (const user of users) {
      const payload: ReconcileUserPayload = { integrationId, userId: user.id, generation: user.generation };
      await this.queue.add(JOBS.reconcileUser, payload, reconcileJobOptions(payload, user.deprovision, retry));
    }
  }
}

function validUserIds(userIds: string[] | undefined): string[] | undefined {
  if (userIds !== undefined && !userIds.every(isUuid)) {
    throw new BadRequestException('userIds must be an array of user ids (UUIDs); omit it to select every held removal');
  }

  return userIds;
}
