import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditActor, AuditEventEntity, AuditOutcome } from '../entities';

/** Filters of an audit search; every field given narrows the result. */
export interface AuditSearch {
  integrationId?: string;
  /** Events about these users only; an empty list matches nothing. */
  userIds?: string[];
  /** An exact action, or a prefix when it ends with `*` (for example `dropbox_sign.*`). */
  action?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  /** Events with a smaller id only, for paging from newest to oldest. */
  beforeId?: string;
}

export interface AuditEventInput {
  integrationId: string | null;
  userId?: string | null;
  actor: AuditActor;
  action: string;
  outcome: AuditOutcome;
  requestId?: string | null;
  jobId?: string | null;
  /** Free-form context. Callers pass no secret: no API key, token or password. */
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends one event, inside the caller's transaction when a manager is given. */
  async record(event: AuditEventInput, manager?: EntityManager): Promise<void> {
    const target = manager ?? this.dataSource.manager;

    await target.query(
      `INSERT INTO audit_event (integration_id, user_id, actor, action, outcome, request_id, job_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        event.integrationId,
        event.userId ?? null,
        event.actor,
        event.action,
        event.outcome,
        event.requestId ?? null,
        event.jobId ?? null,
        JSON.stringify(event.details ?? {}),
      ],
    );
  }

  /** Returns matching events, newest first. */
  async search(filter: AuditSearch, limit: number): Promise<AuditEventEntity[]> {
    if (filter.userIds?.length === 0) return [];

    const query = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('event');
    applySearch(query, filter);

    return query.orderBy('event.id', 'DESC').limit(limit).getMany();
  }

  /**
   * Returns the ids of users whose userName or email is `userQuery` (case-insensitive): current
   * users, and users known only from their audit records (deleted, or a create that Dropbox Sign
   * rejected). A null integration id searches every integration.
   */
  async findUserIds(integrationId: string | null, userQuery: string, limit = 100): Promise<string[]> {
    // NOTE: the audit_event part scans details without an index; it is bounded by integration when one is given.
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM scim_user
       WHERE ($1::uuid IS NULL OR integration_id = $1) AND (lower(user_name) = lower($2) OR lower(email) = lower($2))
       UNION
       SELECT DISTINCT user_id AS id FROM audit_event
       WHERE user_id IS NOT NULL AND ($1::uuid IS NULL OR integration_id = $1)
         AND (lower(details->>'userName') = lower($2) OR lower(details->>'email') = lower($2))
       LIMIT $3`,
      [integrationId, userQuery, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Returns one user's events, oldest first. */
  async listForUser(userId: string, limit: number): Promise<AuditEventEntity[]> {
    return this.dataSource.getRepository(AuditEventEntity).find({ where: { userId }, order: { id: 'ASC' }, take: limit });
  }

  async listForIntegration(integrationId: string, limit = 500): Promise<AuditEventEntity[]> {
    return this.dataSource.getRepository(AuditEventEntity).find({
      where: { integrationId },
      order: { id: 'ASC' },
      take: limit,
    });
  }
}

function applySearch(query: SelectQueryBuilder<AuditEventEntity>, filter: AuditSearch): void {
  if (filter.integrationId) query.andWhere('event.integrationId = :integrationId', { integrationId: filter.integrationId });
  if (filter.userIds) query.andWhere('event.userId IN (:...userIds)', { userIds: filter.userIds });
  if (filter.outcome) query.andWhere('event.outcome = :outcome', { outcome: filter.outcome });
  if (filter.from) query.andWhere('event.occurredAt >= :from', { from: filter.from });
  if (filter.to) query.andWhere('event.occurredAt < :to', { to: filter.to });
  if (filter.beforeId) query.andWhere('event.id < :beforeId', { beforeId: filter.beforeId });

  if (filter.action?.endsWith('*')) {
    query.andWhere(`event.action LIKE :action ESCAPE '\\'`, { action: `${escapeLike(filter.action.slice(0, -1))}%` });
  } else if (filter.action) {
    query.andWhere('event.action = :action', { action: filter.action });
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
