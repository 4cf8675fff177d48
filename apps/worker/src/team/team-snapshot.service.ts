import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { DropboxSignApiError, DropboxSignClient, DropboxSignTeam } from '@scimify/dropbox-sign';
import { AuditRepository, IntegrationEntity, SnapshotEntry, TeamSnapshotRepository } from '@scimify/persistence';
import { DataSource } from 'typeorm';

/**
 * Keeps each integration's team snapshot fresh enough to decide "already a member" and
 * "already invited" without a Dropbox Sign call per user.
 */
@Injectable()
export class TeamSnapshotService {
  /** Refreshes in progress in this process, so that concurrent jobs share one GET /team. */
  private readonly refreshes = new Map<string, Promise<void>>();

  constructor(
    private readonly client: DropboxSignClient,
    private readonly snapshots: TeamSnapshotRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the team id of the key owner, reading it once with GET /account. */
  async ensureTeamId(integration: IntegrationEntity, apiKey: string): Promise<string> {
    if (integration.teamId) return integration.teamId;

    const account = await this.audited(integration.id, 'get_account', () => this.client.getAccount(apiKey));
    if (!account.teamId) {
      throw new DropboxSignApiError('not_in_team', 404, `The API key owner ${account.email} belongs to no Dropbox Sign team`);
    }

    await this.dataSource.query(`UPDATE integration SET team_id = $2 WHERE id = $1`, [integration.id, account.teamId]);
    integration.teamId = account.teamId;
    return account.teamId;
  }

  /** Returns what the snapshot holds for an email, reading the team first when the snapshot is stale or `force` is set. */
  async lookup(integration: IntegrationEntity, apiKey: string, email: string, force: boolean): Promise<SnapshotEntry> {
    if (force || this.isStale(integration)) await this.refresh(integration, apiKey);

    return this.snapshots.findEntry(integration.id, email);
  }

  /** Reads the whole team (GET /team) and replaces the snapshot. */
  async refresh(integration: IntegrationEntity, apiKey: string): Promise<void> {
    const running = this.refreshes.get(integration.id);
    if (running) return running;

    const refresh = this.readTeam(integration, apiKey).finally(() => this.refreshes.delete(integration.id));
    this.refreshes.set(integration.id, refresh);
    return refresh;
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

  private isStale(integration: IntegrationEntity): boolean {
    if (!integration.teamSyncedAt) return true;

    return Date.now() - integration.teamSyncedAt.getTime() > this.config.TEAM_SNAPSHOT_MAX_AGE_SECONDS * 1000;
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

  /** Runs a read of the team or account and records its outcome in the audit trail. */
  private async audited<T>(integrationId: string, endpoint: string, read: () => Promise<T>): Promise<T> {
    try {
      const result = await read();
      await this.audit.record({ integrationId, actor: 'worker', action: `dropbox_sign.${endpoint}`, outcome: 'success' });
      return result;
    } catch (error) {
      const details = error instanceof DropboxSignApiError ? { status: error.status, errorName: error.code, message: error.message } : {};
      await this.audit.record({ integrationId, actor: 'worker', action: `dropbox_sign.${endpoint}`, outcome: 'failure', details });
      throw error;
    }
  }
}
