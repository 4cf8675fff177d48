import { Inject, Injectable, INestApplicationContext } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { AuditRepository, IntegrationEntity, ScimTokenEntity, sqlStateOf } from '@scimify/persistence';
import { DataSource, IsNull } from 'typeorm';
import { IntegrationChangeKind, IntegrationChangePublisher } from './integration-changes';
import { IntegrationErrorCode, IntegrationException } from './integration.exception';
import { decryptSecret, encryptSecret, generateToken, hashToken, parseEncryptionKey } from './secret-box';

export interface CreateIntegrationInput {
  displayName: string;
  apiKey: string;
  transferEmail?: string | null;
}

export interface UpdateIntegrationInput {
  displayName?: string;
  apiKey?: string;
  transferEmail?: string | null;
}

/** An integration as shown to administrators: never the API key, only its last four characters. */
export interface IntegrationView {
  id: string;
  displayName: string;
  apiKeyLast4: string;
  transferEmail: string | null;
  enabled: boolean;
  authFailing: boolean;
  teamId: string | null;
  teamName: string | null;
  connectionTestedAt: string | null;
  connectionTestOk: boolean | null;
  connectionTestMessage: string | null;
  scimBaseUrl: string;
  tokens: Array<{ id: string; createdAt: string; lastUsedAt: string | null }>;
  createdAt: string;
  updatedAt: string;
}

export interface IssuedToken {
  /** Shown once; only its hash is stored. */
  token: string;
  tokenId: string;
  scimBaseUrl: string;
}

/** Two tokens may be valid at once, so that a rotation does not break the identity provider. */
const MAX_ACTIVE_TOKENS = 2;
/** SQLSTATE of a statement on a table that does not exist. */
const UNDEFINED_TABLE = '42P01';
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Creates and changes integrations and their SCIM tokens. Every change is audited and published
 * to the gateways, which drop their cached authentication of the integration at once.
 */
@Injectable()
export class IntegrationsService {
  private readonly encryptionKey: Buffer;
  private readonly changes: IntegrationChangePublisher;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.encryptionKey = parseEncryptionKey(config.SCIMIFY_ENCRYPTION_KEY);
    this.changes = new IntegrationChangePublisher(config);
  }

  scimBaseUrl(integrationId: string): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/scim/v2/${integrationId}`;
  }

  async create(input: CreateIntegrationInput, requestId?: string): Promise<IntegrationView> {
    const displayName = validDisplayName(input.displayName);
    const apiKey = validApiKey(input.apiKey);
    const transferEmail = validTransferEmail(input.transferEmail ?? null);

    const saved = await this.dataSource.transaction(async (manager) => {
      const entity = await manager.save(
        manager.create(IntegrationEntity, {
          displayName,
          apiKeyCiphertext: encryptSecret(apiKey, this.encryptionKey),
          apiKeyLast4: apiKey.slice(-4),
          transferEmail,
          enabled: false,
          settings: {},
        }),
      );
      await this.audit.record(
        { integrationId: entity.id, actor: 'admin', action: 'integration_created', outcome: 'success', requestId, details: { displayName, transferEmail } },
        manager,
      );
      return entity;
    });

    return this.view(saved);
  }

  async update(id: string, input: UpdateIntegrationInput, requestId?: string): Promise<IntegrationView> {
    const entity = await this.load(id);
    const changed: string[] = [];

    if (input.displayName !== undefined) {
      entity.displayName = validDisplayName(input.displayName);
      changed.push('displayName');
    }
    if (input.apiKey !== undefined) {
      const apiKey = validApiKey(input.apiKey);
      entity.apiKeyCiphertext = encryptSecret(apiKey, this.encryptionKey);
      entity.apiKeyLast4 = apiKey.slice(-4);
      entity.authFailedAt = null;
      entity.teamId = null;
      changed.push('apiKey');
    }
    if (input.transferEmail !== undefined) {
      entity.transferEmail = validTransferEmail(input.transferEmail);
      changed.push('transferEmail');
    }

    await this.dataSource.getRepository(IntegrationEntity).save(entity);
    await this.audit.record({ integrationId: id, actor: 'admin', action: 'integration_updated', outcome: 'success', requestId, details: { changed } });
    await this.publishChange(id, 'updated');

    return this.view(entity);
  }

  async setEnabled(id: string, enabled: boolean, requestId?: string): Promise<IntegrationView> {
    const entity = await this.load(id);
    entity.enabled = enabled;

    await this.dataSource.getRepository(IntegrationEntity).save(entity);
    await this.audit.record({
      integrationId: id,
      actor: 'admin',
      action: enabled ? 'integration_enabled' : 'integration_disabled',
      outcome: 'success',
      requestId,
    });
    await this.publishChange(id, enabled ? 'enabled' : 'disabled');

    return this.view(entity);
  }

  /** Issues a new SCIM token; the oldest active one is revoked when two are active already. */
  async issueToken(id: string, requestId?: string): Promise<IssuedToken> {
    await this.load(id);
    const token = generateToken();

    const saved = await this.dataSource.transaction(async (manager) => {
      const active = await manager.find(ScimTokenEntity, { where: { integrationId: id, revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
      const revoked = active.slice(0, Math.max(0, active.length - MAX_ACTIVE_TOKENS + 1));

      for (const old of revoked) await manager.update(ScimTokenEntity, { id: old.id }, { revokedAt: new Date() });

      const entity = await manager.save(manager.create(ScimTokenEntity, { integrationId: id, tokenHash: hashToken(token) }));
      await this.audit.record(
        { integrationId: id, actor: 'admin', action: 'scim_token_issued', outcome: 'success', requestId, details: { tokenId: entity.id, revokedTokenIds: revoked.map((old) => old.id) } },
        manager,
      );
      return entity;
    });
    await this.publishChange(id, 'token_issued');

    return { token, tokenId: saved.id, scimBaseUrl: this.scimBaseUrl(id) };
  }

  async revokeToken(id: string, tokenId: string, requestId?: string): Promise<void> {
    const result = await this.dataSource.getRepository(ScimTokenEntity).update({ id: tokenId, integrationId: id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw new IntegrationException(IntegrationErrorCode.NotFound, `Active token ${tokenId} of integration ${id} not found`);

    await this.audit.record({ integrationId: id, actor: 'admin', action: 'scim_token_revoked', outcome: 'success', requestId, details: { tokenId } });
    await this.publishChange(id, 'token_revoked');
  }

  async list(): Promise<IntegrationView[]> {
    const entities = await this.dataSource.getRepository(IntegrationEntity).find({ order: { createdAt: 'ASC' } });
    return Promise.all(entities.map((entity) => this.view(entity)));
  }

  async get(id: string): Promise<IntegrationView> {
    return this.view(await this.load(id));
  }

  async load(id: string): Promise<IntegrationEntity> {
    const entity = isUuid(id) ? await this.dataSource.getRepository(IntegrationEntity).findOneBy({ id }) : null;
    if (!entity) throw new IntegrationException(IntegrationErrorCode.NotFound, `Integration ${id} not found`);

    return entity;
  }

  /**
   * Throws when integrations exist and SCIMIFY_ENCRYPTION_KEY decrypts none of the newest five API
   * keys, so that a process started with another key stops instead of failing on every call.
   */
  async verifyEncryptionKey(): Promise<void> {
    let rows: Array<{ apiKeyCiphertext: string }>;
    try {
      rows = await this.dataSource.query(`SELECT api_key_ciphertext AS "apiKeyCiphertext" FROM integration ORDER BY created_at DESC LIMIT 5`);
    } catch (error) {
      if (sqlStateOf(error) !== UNDEFINED_TABLE) throw error;
      throw new Error('The database has no Scimify tables: run the migrations first (npm run migrate, or the migrate service of docker-compose.yml)');
    }

    if (rows.length === 0 || rows.some((row) => decrypts(row.apiKeyCiphertext, this.encryptionKey))) return;

    throw new Error(
      'SCIMIFY_ENCRYPTION_KEY does not decrypt the Dropbox Sign API keys stored in the database: set the key that the gateway and worker were started with when the integrations were created',
    );
  }

  /** Decrypts the integration's Dropbox Sign API key. Only the worker calls this. */
  apiKeyOf(entity: IntegrationEntity): string {
    return decryptSecret(entity.apiKeyCiphertext, this.encryptionKey);
  }

  private async publishChange(integrationId: string, kind: IntegrationChangeKind): Promise<void> {
    await this.changes.publish({ integrationId, kind });
  }

  private async view(entity: IntegrationEntity): Promise<IntegrationView> {
    const tokens = await this.dataSource.getRepository(ScimTokenEntity).find({
      where: { integrationId: entity.id, revokedAt: IsNull() },
      order: { createdAt: 'ASC' },
    });

    return {
      id: entity.id,
      displayName: entity.displayName,
      apiKeyLast4: entity.apiKeyLast4,
      transferEmail: entity.transferEmail,
      enabled: entity.enabled,
      authFailing: entity.authFailedAt !== null,
      teamId: entity.teamId,
      teamName: entity.teamName,
      connectionTestedAt: entity.connectionTestedAt?.toISOString() ?? null,
      connectionTestOk: entity.connectionTestOk,
      connectionTestMessage: entity.connectionTestMessage,
      scimBaseUrl: this.scimBaseUrl(entity.id),
      tokens: tokens.map((token) => ({ id: token.id, createdAt: token.createdAt.toISOString(), lastUsedAt: token.lastUsedAt?.toISOString() ?? null })),
      createdAt: entity.createdAt.toISOString(),
      updatedAt: entity.updatedAt.toISOString(),
    };
  }
}

/** Closes the app and rethrows when SCIMIFY_ENCRYPTION_KEY cannot decrypt the stored API keys. Gateway and worker call it before they listen. */
export async function verifyEncryptionKeyOnStart(app: INestApplicationContext): Promise<void> {
  try {
    await app.get(IntegrationsService).verifyEncryptionKey();
  } catch (error) {
    await app.close();
    throw error;
  }
}

function decrypts(sealed: string, key: Buffer): boolean {
  try {
    decryptSecret(sealed, key);
    return true;
  } catch {
    return false;
  }
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function validDisplayName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name.length === 0 || name.length > 200) {
    throw new IntegrationException(IntegrationErrorCode.InvalidInput, 'displayName is required: give 1 to 200 characters');
  }

  return name;
}

function validApiKey(value: unknown): string {
  const key = typeof value === 'string' ? value.trim() : '';
  if (key.length < 8 || key.length > 512 || /\s/.test(key)) {
    throw new IntegrationException(IntegrationErrorCode.InvalidInput, 'apiKey is invalid: paste the Dropbox Sign API key (8 to 512 characters, no spaces)');
  }

  return key;
}

function validTransferEmail(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;

  const email = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!EMAIL_PATTERN.test(email) || email.length > 320) {
    throw new IntegrationException(IntegrationErrorCode.InvalidInput, `transferEmail "${String(value)}" is not an email address: give the address of a team member or leave it empty`);
  }

  return email;
}
