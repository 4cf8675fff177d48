import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { JOBS, QUEUES, SyncTeamPayload } from '@scimify/jobs';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { TeamSyncService } from '../team/team-sync.service';
import { SweepService } from './sweep.service';

export const MAINTENANCE_HANDLED_JOBS = [JOBS.syncTeam, JOBS.syncAllTeams, JOBS.sweepPending] as const;

/** Periodic work: the sweep of pending users and the team sync. */
@Processor(QUEUES.maintenance, { concurrency: 2 })
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly sweepService: SweepService,
    private readonly teamSync: TeamSyncService,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /** Registers the schedules; every replica does it, and BullMQ keeps one scheduler per id. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(JOBS.sweepPending, { every: this.config.SWEEP_INTERVAL_SECONDS * 1000 }, { name: JOBS.sweepPending, data: {} });
    await this.queue.upsertJobScheduler(JOBS.syncAllTeams, { every: this.config.TEAM_SYNC_INTERVAL_SECONDS * 1000 }, { name: JOBS.syncAllTeams, data: {} });
  }

  async process(job: Job): Promise<number> {
    const started = Date.now();
    const result = await this.run(job);
    this.logger.log({ jobId: job.id, job: job.name, result, durationMs: Date.now() - started }, 'Maintenance job finished');
    return result;
  }

  private async run(job: Job): Promise<number> {
    switch (job.name) {
      case JOBS.sweepPending:
        return this.sweepService.sweep();
      case JOBS.syncAllTeams:
        return this.scheduleTeamSyncs();
      case JOBS.syncTeam:
        return this.teamSync.syncTeam((job.data as SyncTeamPayload).integrationId, job.id ?? '');
      default:
        throw new UnrecoverableError(`No handler for job "${job.name}" on queue ${QUEUES.maintenance}`);
    }
  }

  private async scheduleTeamSyncs(): Promise<number> {
    const ids = await this.teamSync.enabledIntegrationIds();
    for (const integrationId of ids) {
      await this.queue.add(JOBS.syncTeam, { integrationId }, { jobId: `sync-team-${integrationId}-${Date.now()}`, removeOnComplete: 100, removeOnFail: 500, attempts: 3, backoff: { type: 'exponential', delay: 5000 } });
    }
    return ids.length;
  }
}
