import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditActor = 'idp' | 'worker' | 'admin';
export type AuditOutcome = 'success' | 'failure' | 'info';

/** Append-only record of a SCIM change, an admin action or a Dropbox Sign call. Holds no secret. */
@Entity('audit_event')
@Index('audit_event_integration_time_idx', ['integrationId', 'occurredAt'])
@Index('audit_event_user_time_idx', ['userId', 'occurredAt'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ name: 'integration_id', type: 'uuid', nullable: true })
  integrationId: string | null;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 16 })
  actor: AuditActor;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 16 })
  outcome: AuditOutcome;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @Column({ name: 'job_id', type: 'varchar', length: 128, nullable: true })
  jobId: string | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;
}
