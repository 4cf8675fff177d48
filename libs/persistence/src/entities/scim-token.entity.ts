import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A SCIM bearer token of an integration, stored as the SHA-256 hex digest of the token. */
@Entity('scim_token')
export class ScimTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('scim_token_integration_idx')
  @Column({ name: 'integration_id', type: 'uuid' })
  integrationId: string;

  @Index('scim_token_hash_uq', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
