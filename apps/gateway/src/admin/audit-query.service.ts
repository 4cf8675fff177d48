import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, NotFoundException } from '@nestjs/common';
import { isUuid } from '@scimify/integrations';
import { QUEUES, reconcileJobId } from '@scimify/jobs';
import { AuditEventEntity, AuditRepository, AuditSearch } from '@scimify/persistence';
import { Queue } from 'bullmq';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AuditFilterInput } from './audit-filter';
import { csvLine } from './csv';

export interface AuditEventView {
  id: string;
  occurredAt: string;
  integrationId: string | null;
  userId: string | null;
  actor: string;
  action: string;
  outcome: string;
  requestId: string | null;
  jobId: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  events: AuditEventView[];
  /** Pass as `before` for the next, older page; null on the last page. */
  nextBefore: string | null;
}

export interface TimelineUser {
  id: string;
  integrationId: string;
  userName: string;
  email: string | null;
  active: boolean;
  role: string;
  observedState: string;
  lastError: string | null;
  desiredGeneration: number;
  appliedGeneration: number;
  deletedAt: string | null;
}

/** A reconcile job of the user as BullMQ stores it; BullMQ removes completed jobs after a day. */
export interface TimelineJob {
  jobId: string;
  state: string;
  attemptsMade: number;
  attempts: number;
  failedReason: string | null;
  createdAt: string;
  processedAt: string | null;
  finishedAt: string | null;
}

/** One user's history: the identity provider requests, the job attempts and each Dropbox Sign call, oldest first. */
export interface UserTimeline {
  userId: string;
  /** Null when the user row is gone (a create that Dropbox Sign rejected leaves only audit records). */
  user: TimelineUser | null;
  events: AuditEventView[];
  jobs: TimelineJob[];
}

export const CSV_COLUMNS = ['id', 'occurredAt', 'integrationId', 'userId', 'actor', 'action', 'outcome', 'requestId', 'jobId', 'details'] as const;
/** Largest CSV export; narrow the filters for more (rows). */
export const MAX_EXPORT_ROWS = 100_000;
const EXPORT_BATCH = 1000;
const TIMELINE_MAX_EVENTS = 2000;
/** Generations before the current one whose reconcile jobs the timeline looks up in BullMQ. */
const TIMELINE_GENERATIONS = 5;

/** Audit trail queries of the admin API and console: search, CSV export and one user's timeline. */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
  ) {}

  async search(input: AuditFilterInput): Promise<AuditPage> {
    const filter = await this.resolve(input);
    const events = await this.audit.search(filter, input.limit);
    const nextBefore = events.length === input.limit ? events[events.length - 1].id : null;

    return { events: events.map(toView), nextBefore };
  }

  /** Returns the CSV export as a stream; the filters are checked and resolved before it starts. */
  async exportCsv(input: AuditFilterInput): Promise<Readable> {
    const filter = await this.resolve(input);
    return Readable.from(this.csvLines(filter));
  }

  /** Yields the header, then the events newest first, in batches so that memory stays flat. */
  private async *csvLines(filter: AuditSearch): AsyncGenerator<string> {
    let exported = 0;
    yield csvLine([...CSV_COLUMNS]);

    while (exported < MAX_EXPORT_ROWS) {
      const batch = await this.audit.search(filter, Math.min(EXPORT_BATCH, MAX_EXPORT_ROWS - exported));
      for (const event of batch) yield csvLine(CSV_COLUMNS.map((column) => csvValue(toView(event)[column])));

      exported += batch.length;
      if (batch.length < EXPORT_BATCH) return;
      filter.beforeId = batch[batch.length - 1].id;
    }
  }

  async timeline(userId: string): Promise<UserTimeline> {
    if (!isUuid(userId)) throw new NotFoundException(`User ${userId} not found: give the SCIM id of a user`);

    const [user, events] = await Promise.all([this.loadUser(userId), this.audit.listForUser(userId, TIMELINE_MAX_EVENTS)]);
    if (!user && events.length === 0) throw new NotFoundException(`User ${userId} not found and has no audit records`);

    const jobs = await this.loadJobs(userId, user, events);
    return { userId, user, events: events.map(toView), jobs };
  }

  private async resolve(input: AuditFilterInput): Promise<AuditSearch> {
    const filter: AuditSearch = { integrationId: input.integrationId, action: input.action, outcome: input.outcome, from: input.from, to: input.to, beforeId: input.before };
    if (input.user) filter.userIds = isUuid(input.user) ? [input.user] : await this.audit.findUserIds(input.integrationId ?? null, input.user);

    return filter;
  }

  private async loadUser(userId: string): Promise<TimelineUser | null> {
    const rows: Array<Omit<TimelineUser, 'deletedAt'> & { deletedAt: Date | null }> = await this.dataSource.query(
      `SELECT id, integration_id AS "integrationId", user_name AS "userName", email, active, role, observed_state AS "observedState",
              last_error AS "lastError", desired_generation AS "desiredGeneration", applied_generation AS "appliedGeneration", deleted_at AS "deletedAt"
       FROM scim_user WHERE id = $1`,
      [userId],
    );
    return rows.length === 0 ? null : { ...rows[0], deletedAt: rows[0].deletedAt ? new Date(rows[0].deletedAt).toISOString() : null };
  }

  /** Looks up the jobs named in the user's audit records and those of the latest generations. */
  private async loadJobs(userId: string, user: TimelineUser | null, events: AuditEventEntity[]): Promise<TimelineJob[]> {
    const ids = new Set(events.map((event) => event.jobId).filter((jobId): jobId is string => jobId?.startsWith(`user-${userId}-`) ?? false));
    const latest = user?.desiredGeneration ?? 0;
    for (let generation = Math.max(1, latest - TIMELINE_GENERATIONS); generation <= latest; generation += 1) ids.add(reconcileJobId(userId, generation));

    const jobs: TimelineJob[] = [];
    for (const jobId of ids) {
      const job = await this.queue.getJob(jobId);
      if (!job) continue;

      jobs.push({
        jobId,
        state: await job.getState(),
        attemptsMade: job.attemptsMade,
        attempts: job.opts.attempts ?? 1,
        failedReason: job.failedReason || null,
        createdAt: new Date(job.timestamp).toISOString(),
        processedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
        finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      });
    }

    return jobs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}

export function toView(event: AuditEventEntity): AuditEventView {
  return {
    id: event.id,
    occurredAt: new Date(event.occurredAt).toISOString(),
    integrationId: event.integrationId,
    userId: event.userId,
    actor: event.actor,
    action: event.action,
    outcome: event.outcome,
    requestId: event.requestId,
    jobId: event.jobId,
    details: event.details,
  };
}

function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';

  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
