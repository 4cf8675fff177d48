import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { CallThrottledError, DropboxSignApiError, DropboxSignClient, DropboxSignTeam } from '@scimify/dropbox-sign';
import { AuditRepository, IntegrationEntity, SnapshotEntry, TeamSnapshotRepository } from '@scimify/persistence';
import { DataSource } from 'typeorm';
import { WorkerRedisService } from '../worker-redis.service';
import { TeamReadBusyException } from './team-read-busy.exception';

/**
 * Keeps each integration's team snapshot fresh enough to decide "already a member" and
 * "already invited" without a Dropbox Sign call per user. One worker across all replicas reads
 * the team at a time, under a Redis lock.
 */
@Injectable()
export class TeamSnapshotService {
  constructor(
    private readonly client: DropboxSignClient,
    private readonly snapshots: TeamSnapshotRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
    private readonly redis: WorkerRedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the time after which a snapshot counts as fresh: `forcedAfter` when given, else the configured age. */
  freshAfter(forcedAfter: Date | null): Date {
    return forcedAfter ?? new Date(Date.now() - this.config.TEAM_SNAPSHOT_MAX_AGE_SECONDS * 1000);
  }

  /**
   * Returns the team id of the key owner once the snapshot was read at or after `notBefore`,
   * reading the account (GET /account, once) and the team (GET /team) when needed. A worker that
   * finds another worker reading gets TeamReadBusyException instead of a second read.
   */
  async prepare(integration: IntegrationEntity, apiKey: string, notBefore: Date): Promise<string> {
    if (integration.teamId && isFresh(integration.teamSyncedAt, notBefore)) return integration.teamId;

    const release = await this.redis.tryLock(this.redis.key('team-read', integration.id), this.lockTtlMs());
    if (!release) throw new TeamReadBusyException(integration.id);

    try {
      // Another worker may have read the team while this one waited for the lock.
      await this.reloadTeamFields(integration);
      const teamId = integration.teamId ?? (await this.readAccount(integration, apiKey));
      if (!isFresh(integration.teamSyncedAt, notBefore)) await this.readTeam(integration, apiKey);

      return teamId;
    } finally {
      await release();
    }
  }

  /** Returns what the snapshot holds for an email. */
  async entryFor(integrationId: string, email: string): Promise<SnapshotEntry> {
    return this.snapshots.findEntry(integrationId, email);
  }

  /** Records the part of a returned team that concerns one email (add_member and remove_member return the team). */
  async applyTeamResponse(integrationId: string, email: string, team: DropboxSignTeam): Promise<SnapshotEntry> {
    const member = team.members.find((account) => account.email === email);
    const invite = team.invites.find((entry) => entry.email === email);
    const entry: SnapshotEntry = {
      member: member ? { email, accountId: member.accountId, roleCode: member.roleCode } : null,
      invite: invite ? { email, accountId: invite.accountId } : null,
    };

    await this.snapshots.updateEntry(integrationId, email, entry, new Date());
    return entry;
  }

  /** Marks the snapshot stale, after a result that contradicts it. */
  async invalidate(integration: IntegrationEntity): Promise<void> {
    await this.dataSource.query(`UPDATE integration SET team_synced_at = NULL WHERE id = $1`, [integration.id]);
    integration.teamSyncedAt = null;
  }

  /** Returns the lock's lifetime: longer than two calls and the snapshot write, and short enough to expire soon after its holder dies. */
  private lockTtlMs(): number {
    return 2 * this.config.DROPBOX_SIGN_TIMEOUT_MS + 5000;
  }

  private async reloadTeamFields(integration: IntegrationEntity): Promise<void> {
    const [row] = await this.dataSource.query(`SELECT team_id AS "teamId", team_synced_at AS "teamSyncedAt" FROM integration WHERE id = $1`, [integration.id]);

    integration.teamId = row?.teamId ?? null;
    integration.teamSyncedAt = row?.teamSyncedAt ?? null;
  }

  private async readAccount(integration: IntegrationEntity, apiKey: string): Promise<string> {
    const account = await this.audited(integration.id, 'get_account', () => this.client.getAccount(apiKey));
    if (!account.teamId) {
      throw new DropboxSignApiError('not_in_team', 404, `The API key owner ${account.email} belongs to no Dropbox Sign team`);
    }

    await this.dataSource.query(`UPDATE integration SET team_id = $2 WHERE id = $1`, [integration.id, account.teamId]);
    integration.teamId = account.teamId;
    return account.teamId;
  }

  private async readTeam(integration: IntegrationEntity, apiKey: string): Promise<void> {
    const syncedAt = new Date();
    const team = await this.audited(integration.id, 'get_team', () => this.client.getTeam(apiKey));

    await this.snapshots.replace(
      integration.id,
      {
        members: team.members.map((account) => ({ email: account.email, accountId: account.accountId, roleCode: account.roleCode })),
        invites: team.invites,
      },
      syncedAt,
    );
    await this.dataSource.query(`UPDATE integration SET team_name = $2 WHERE id = $1`, [integration.id, team.name]);
    integration.teamSyncedAt = syncedAt;
  }

  /** Runs a read of the team or account and records its outcome in the audit trail. A call that the pacer held back was not sent, so it is not recorded. */
  private async audited<T>(integrationId: string, endpoint: string, read: () => Promise<T>): Promise<T> {
    try {
      const result = await read();
      await this.audit.record({ integrationId, actor: 'worker', action: `dropbox_sign.${endpoint}`, outcome: 'success' });
      return result;
    } catch (error) {
      if (error instanceof CallThrottledError) throw error;

      const details = error instanceof DropboxSignApiError ? { status: error.status, errorName: error.code, message: error.message } : {};
      await this.audit.record({ integrationId, actor: 'worker', action: `dropbox_sign.${endpoint}`, outcome: 'failure', details });
      throw error;
    }
  }
}

function isFresh(syncedAt: Date | null, notBefore: Date): boolean {
  return syncedAt !== null && new Date(syncedAt).getTime() >= notBefore.getTime();
}
