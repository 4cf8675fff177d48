import { Injectable } from '@nestjs/common';
import { CallThrottledError, DropboxSignApiError, DropboxSignClient } from '@scimify/dropbox-sign';
import { IntegrationsService } from '@scimify/integrations';
import { AuditRepository, IntegrationEntity } from '@scimify/persistence';
import { TestConnectionResult } from '@scimify/jobs';
import { DataSource } from 'typeorm';
import { IntegrationPauseService } from '../rate-limit/integration-pause.service';

/** Calls GET /account with the integration's key and records the result on the integration. */
@Injectable()
export class TestConnectionService {
  constructor(
    private readonly client: DropboxSignClient,
    private readonly integrations: IntegrationsService,
    private readonly audit: AuditRepository,
    private readonly dataSource: DataSource,
    private readonly pauses: IntegrationPauseService,
  ) {}

  async test(integrationId: string): Promise<TestConnectionResult> {
    const integration = await this.integrations.load(integrationId);
    const result = await this.callAccount(integration);

    await this.dataSource.getRepository(IntegrationEntity).update(
      { id: integrationId },
      {
        connectionTestedAt: new Date(result.testedAt),
        connectionTestOk: result.ok,
        connectionTestMessage: result.message,
        ...(result.ok ? { teamId: result.teamId, teamName: result.teamName, authFailedAt: null } : {}),
      },
    );
    // A working key ends a pause for a rejected one at once, without waiting for the sweep.
    if (result.ok && integration.authFailedAt) await this.pauses.resumeParked(integrationId);

    await this.audit.record({
      integrationId,
      actor: 'admin',
      action: 'connection_tested',
      outcome: result.ok ? 'success' : 'failure',
      details: { message: result.message, teamId: result.teamId, accountEmail: result.accountEmail },
    });

    return result;
  }

  private async callAccount(integration: IntegrationEntity): Promise<TestConnectionResult> {
    const testedAt = new Date().toISOString();
    const empty = { teamId: null, teamName: integration.teamName, accountEmail: null, roleCode: null, testedAt };

    try {
      const apiKey = this.integrations.apiKeyOf(integration);
      const account = await this.client.getAccount(apiKey);
      const base = { ...empty, teamId: account.teamId, accountEmail: account.email, roleCode: account.roleCode };

      if (!account.teamId) return { ...base, ok: false, message: `The key owner ${account.email} belongs to no Dropbox Sign team: create or join a team first` };
      if (account.roleCode !== 'a') {
        return { ...base, ok: false, message: `The key owner ${account.email} is not a team admin (role code "${account.roleCode ?? 'none'}"): use the API key of a team Admin` };
      }

      const team = await this.client.getTeam(apiKey);
      return { ...base, teamName: team.name, ok: true, message: `Connected to team "${team.name}" as admin ${account.email}` };
    } catch (error) {
      return { ...empty, ok: false, message: describeFailure(error) };
    }
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof CallThrottledError) {
    return `The Dropbox Sign rate limit of this API key (${error.limit} requests a minute) is used up: run the test again after ${new Date(error.retryAt).toISOString()}`;
  }
  if (error instanceof DropboxSignApiError && error.code === 'unauthorized') {
    return 'Dropbox Sign rejected the API key (401 unauthorized): paste a valid key from Settings → API in Dropbox Sign';
  }
  if (error instanceof DropboxSignApiError) return `Dropbox Sign returned ${error.code}: ${error.message}`;

  return `The connection test failed: ${error instanceof Error ? error.message : String(error)}`;
}
