import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { CallThrottledError } from '@scimify/dropbox-sign';
import { JOBS, QUEUES, SyncTeamPayload } from '@scimify/jobs';
import { DelayedError, Job, Queue, UnrecoverableError } from 'bullmq';
import { TeamReadBusyException } from '../team/team-read-busy.exception';
import { TeamSyncService } from '../team/team-sync.service';
import { SweepService } from './sweep.service';

export const MAINTENANCE_HANDLED_JOBS = [JOBS.syncTeam, JOBS.syncAllTeams, JOBS.sweepPending] as const;

/** How long a team sync waits when another worker reads the same team (milliseconds). */
const BUSY_DELAY_MS = 1000;

/** Periodic work: the sweep of pending users and the team sync. */
@Processor(QUEUES.maintenance, { concurrency: 2 })
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceProcessor.name);
  private scheduleCheck: NodeJS.Timeout | null = null;

  constructor(
    private readonly sweepService: SweepService,
    private readonly teamSync: TeamSyncService,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /**
   * Registers the schedules. Every replica does it, and BullMQ keeps one scheduler per id. Redis
   * may lose them (flush, restart without persistence), so each replica checks every sweep
   * interval and registers a missing one again, because the sweep is what recovers lost jobs.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.registerSchedules(false);

    this.scheduleCheck = setInterval(() => {
      this.registerSchedules(true).catch((error: unknown) => {
        this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'Checking the maintenance schedules failed');
      });
    }, this.config.SWEEP_INTERVAL_SECONDS * 1000);
    this.scheduleCheck.unref();
  }

  onApplicationShutdown(): void {
    if (this.scheduleCheck) clearInterval(this.scheduleCheck);
  }

  async process(job: Job, token?: string): Promise<number> {
    const started = Date.now();

    try {
      const result = await this.run(job);
      this.logger.log({ jobId: job.id, job: job.name, result, durationMs: Date.now() - started }, 'Maintenance job finished');
      return result;
    } catch (error) {
      await this.delayIfWaiting(job, token, error);
      throw error;
    }
  }

  private async run(job: Job): Promise<number> {
    switch (job.name) {
      case JOBS.sweepPending:
        return this.sweepService.sweep();
      case JOBS.syncAllTeams:
        return this.scheduleTeamSyncs();
      case JOBS.syncTeam:
        return this.teamSync.syncTeam((job.data as SyncTeamPayload).integrationId, job.id ?? '', new Date(job.timestamp));
      default:
        throw new UnrecoverableError(`No handler for job "${job.name}" on queue ${QUEUES.maintenance}`);
    }
  }

  /** Registers each schedule, or with `onlyMissing` only those that Redis lost, so that a present schedule keeps its next run. */
  private async registerSchedules(onlyMissing: boolean): Promise<void> {
    const schedules = [
      { id: JOBS.sweepPending, every: this.config.SWEEP_INTERVAL_SECONDS * 1000 },
      { id: JOBS.syncAllTeams, every: this.config.TEAM_SYNC_INTERVAL_SECONDS * 1000 },
    ];

    for (const schedule of schedules) {
      if (onlyMissing && (await this.queue.getJobScheduler(schedule.id))) continue;

      await this.queue.upsertJobScheduler(schedule.id, { every: schedule.every }, { name: schedule.id, data: {} });
      if (onlyMissing) this.logger.warn({ scheduler: schedule.id }, 'Registered a maintenance schedule again after Redis lost it');
    }
  }

  /** Delays a team sync that must wait for the rate limit or for another worker's team read, without counting an attempt. */
  private async delayIfWaiting(job: Job, token: string | undefined, error: unknown): Promise<void> {
    const retryAt = retryTimeOf(error);
    if (retryAt === null || !token) return;

    await job.moveToDelayed(retryAt, token);
    throw new DelayedError();
  }

  private async scheduleTeamSyncs(): Promise<number> {
    const ids = await this.teamSync.enabledIntegrationIds();
    for (const integrationId of ids) {
      await this.queue.add(JOBS.syncTeam, { integrationId }, { jobId: `sync-team-${integrationId}-${Date.now()}`, removeOnComplete: 100, removeOnFail: 500, attempts: 3, backoff: { type: 'exponential', delay: 5000 } });
    }
    return ids.length;
  }
}

function retryTimeOf(error: unknown): number | null {
  if (error instanceof CallThrottledError) return error.retryAt;
  if (error instanceof TeamReadBusyException) return Date.now() + BUSY_DELAY_MS;

  return null;
}
