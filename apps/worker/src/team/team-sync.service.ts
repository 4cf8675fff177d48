import { Injectable, Logger } from '@nestjs/common';
import { DropboxSignApiError, DropboxSignErrorCode } from '@scimify/dropbox-sign';
import { IntegrationsService } from '@scimify/integrations';
import { AuditRepository, IntegrationEntity } from '@scimify/persistence';
import { DataSource } from 'typeorm';
import { IntegrationPauseService } from '../rate-limit/integration-pause.service';
import { TeamSnapshotService } from './team-snapshot.service';

/** Reads each integration's team and turns accepted invites into members. */
@Injectable()
export class TeamSyncService {
  private readonly logger = new Logger(TeamSyncService.name);

  constructor(
    private readonly snapshots: TeamSnapshotService,
    private readonly pauses: IntegrationPauseService,
    private readonly integrations: IntegrationsService,
    private readonly audit: AuditRepository,
    private readonly dataSource: DataSource,
  ) {}

  async enabledIntegrationIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM integration WHERE enabled AND auth_failed_at IS NULL ORDER BY created_at`,
    );
    return rows.map((row) => row.id);
  }

  /**
   * Reads the team unless another worker read it after `startedAt`, and returns how many invited
   * users became members. A 401 marks the integration as failing authentication.
   */
  async syncTeam(integrationId: string, jobId: string, startedAt = new Date()): Promise<number> {
    const integration = await this.dataSource.getRepository(IntegrationEntity).findOneBy({ id: integrationId });
    if (!integration?.enabled || integration.authFailedAt) return 0;

    if (!(await this.readTeam(integration, startedAt))) return 0;
    const promoted = await this.promoteAcceptedInvites(integrationId);

    for (const user of promoted) {
      await this.audit.record({
        integrationId,
        userId: user.id,
        actor: 'worker',
        action: 'invite_accepted',
        outcome: 'success',
        jobId,
        details: { email: user.email, accountId: user.accountId },
      });
    }

    this.logger.log({ integrationId, jobId, promoted: promoted.length }, 'Team synced');
    return promoted.length;
  }

  /** Returns false when Dropbox Sign rejected the key. */
  private async readTeam(integration: IntegrationEntity, startedAt: Date): Promise<boolean> {
    try {
      await this.snapshots.prepare(integration, this.integrations.apiKeyOf(integration), startedAt);
      return true;
    } catch (error) {
      if (!(error instanceof DropboxSignApiError && error.code === DropboxSignErrorCode.Unauthorized)) throw error;

      await this.pauses.markAuthFailed(integration.id);
      return false;
    }
  }

  private async promoteAcceptedInvites(integrationId: string): Promise<Array<{ id: string; email: string; accountId: string | null }>> {
    const [rows] = await this.dataSource.query(
      `UPDATE scim_user u SET observed_state = 'member', dropbox_sign_account_id = m.account_id
       FROM team_member m
       WHERE u.integration_id = $1 AND m.integration_id = u.integration_id
         AND m.email = COALESCE(u.dropbox_sign_email, u.email) AND u.observed_state = 'invited'
       RETURNING u.id, m.email, m.account_id AS "accountId"`,
      [integrationId],
    );
    return rows;
  }
}
