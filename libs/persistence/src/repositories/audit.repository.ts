import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditActor, AuditEventEntity, AuditOutcome } from '../entities';

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

  async listForIntegration(integrationId: string, limit = 500): Promise<AuditEventEntity[]> {
    return this.dataSource.getRepository(AuditEventEntity).find({
      where: { integrationId },
      order: { id: 'ASC' },
      take: limit,
    });
  }
}
