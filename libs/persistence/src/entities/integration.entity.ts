import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One Dropbox Sign team connected to one identity provider app: a SCIM endpoint of its own. */
@Entity('integration')
export class IntegrationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName: string;

  /** AES-256-GCM ciphertext of the Dropbox Sign API key: `v1.<iv>.<tag>.<data>` in base64url. */
  @Column({ name: 'api_key_ciphertext', type: 'text' })
  apiKeyCiphertext: string;

  @Column({ name: 'api_key_last4', type: 'varchar', length: 4 })
  apiKeyLast4: string;

  @Column({ name: 'transfer_email', type: 'varchar', length: 320, nullable: true })
  transferEmail: string | null;

  @Column({ type: 'boolean', default: false })
  enabled: boolean;

  /** Time of the last 401 from Dropbox Sign for this key. A successful connection test or a new key clears it. */
  @Column({ name: 'auth_failed_at', type: 'timestamptz', nullable: true })
  authFailedAt: Date | null;

  @Column({ name: 'team_id', type: 'varchar', length: 64, nullable: true })
  teamId: string | null;

  @Column({ name: 'team_name', type: 'text', nullable: true })
  teamName: string | null;

  @Column({ name: 'team_synced_at', type: 'timestamptz', nullable: true })
  teamSyncedAt: Date | null;

  @Column({ name: 'connection_tested_at', type: 'timestamptz', nullable: true })
  connectionTestedAt: Date | null;

  @Column({ name: 'connection_test_ok', type: 'boolean', nullable: true })
  connectionTestOk: boolean | null;

  @Column({ name: 'connection_test_message', type: 'text', nullable: true })
  connectionTestMessage: string | null;

  @Column({ type: 'jsonb', default: {} })
  settings: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
