import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** State of the user in Dropbox Sign, as last recorded by Scimify. */
export const OBSERVED_STATES = ['none', 'invited', 'member', 'removed', 'failed'] as const;
export type ObservedState = (typeof OBSERVED_STATES)[number];

/**
 * A SCIM User of one integration: the desired state sent by the identity provider and the
 * observed state in Dropbox Sign. The worker applies desired generation N and records it in
 * `appliedGeneration`; a row whose applied generation lags is picked up by the sweep.
 */
@Entity('scim_user')
// Case-insensitive uniqueness of userName among live users (RFC 7643 §4.1.1, caseExact false).
@Index('scim_user_integration_user_name_uq', { synchronize: false })
@Index('scim_user_pending_idx', { synchronize: false })
@Index('scim_user_removal_started_idx', { synchronize: false })
@Index('scim_user_removal_held_idx', { synchronize: false })
@Index('scim_user_integration_created_idx', ['integrationId', 'createdAt', 'id'])
@Index('scim_user_integration_email_idx', ['integrationId', 'email'])
export class ScimUserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'integration_id', type: 'uuid' })
  integrationId: string;

  @Column({ name: 'user_name', type: 'text' })
  userName: string;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  /** Lower-case email address that Dropbox Sign is asked to invite. */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** The stored SCIM resource without id, meta, groups and password. */
  @Column({ type: 'jsonb' })
  resource: Record<string, unknown>;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'varchar', length: 32 })
  role: string;

  @Column({ name: 'observed_state', type: 'varchar', length: 16, default: 'none' })
  observedState: ObservedState;

  /** The address under which Dropbox Sign lists the user, once invited or linked. */
  @Column({ name: 'dropbox_sign_email', type: 'text', nullable: true })
  dropboxSignEmail: string | null;

  @Column({ name: 'dropbox_sign_account_id', type: 'varchar', length: 64, nullable: true })
  dropboxSignAccountId: string | null;

  @Column({ name: 'invited_role', type: 'varchar', length: 32, nullable: true })
  invitedRole: string | null;

  @Column({ name: 'invited_at', type: 'timestamptz', nullable: true })
  invitedAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'last_error_code', type: 'varchar', length: 64, nullable: true })
  lastErrorCode: string | null;

  @Column({ name: 'desired_generation', type: 'integer', default: 1 })
  desiredGeneration: number;

  @Column({ name: 'applied_generation', type: 'integer', default: 0 })
  appliedGeneration: number;

  /** A Dropbox Sign call that was started and whose outcome is not recorded yet (crash marker). */
  @Column({ name: 'pending_operation', type: 'varchar', length: 32, nullable: true })
  pendingOperation: string | null;

  /** Bumped on every change of the stored resource; the weak ETag is W/"<version>". */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Set by SCIM DELETE: the user is gone for SCIM and awaits removal from Dropbox Sign. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  /** Start of the latest removal from Dropbox Sign; the mass-removal guard counts these per window. */
  @Column({ name: 'removal_started_at', type: 'timestamptz', nullable: true })
  removalStartedAt: Date | null;

  /** Set while the mass-removal guard holds the user's removal for an operator. */
  @Column({ name: 'removal_held_at', type: 'timestamptz', nullable: true })
  removalHeldAt: Date | null;

  /** Set when an operator released a held removal: the next removal passes the guard once. */
  @Column({ name: 'removal_released_at', type: 'timestamptz', nullable: true })
  removalReleasedAt: Date | null;
}
