import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A member of the integration's Dropbox Sign team, as of the last team read. */
@Entity('team_member')
export class TeamMemberEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'uuid' })
  integrationId: string;

  /** Lower-case email address. */
  @PrimaryColumn({ type: 'text' })
  email: string;

  @Column({ name: 'account_id', type: 'varchar', length: 64, nullable: true })
  accountId: string | null;

  /** Dropbox Sign's one-letter role code (`a` admin, `m` member; others undocumented). */
  @Column({ name: 'role_code', type: 'varchar', length: 8, nullable: true })
  roleCode: string | null;

  @Column({ name: 'synced_at', type: 'timestamptz' })
  syncedAt: Date;
}

/** A pending invitation of the integration's team, as of the last team read. */
@Entity('team_invite')
export class TeamInviteEntity {
  @PrimaryColumn({ name: 'integration_id', type: 'uuid' })
  integrationId: string;

  @PrimaryColumn({ type: 'text' })
  email: string;

  /** Set when the invitee already has a Dropbox Sign account (`invited_accounts`). */
  @Column({ name: 'account_id', type: 'varchar', length: 64, nullable: true })
  accountId: string | null;

  @Column({ name: 'synced_at', type: 'timestamptz' })
  syncedAt: Date;
}
