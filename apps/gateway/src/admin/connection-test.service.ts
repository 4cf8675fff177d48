import { GatewayTimeoutException, Injectable, Logger } from '@nestjs/common';
import { IntegrationsService } from '@scimify/integrations';
import { TestConnectionResult } from '@scimify/jobs';
import { TestConnectionClient } from './test-connection.client';

/** Dropbox Sign's documented role codes of GET /account (`a` and `m` only). */
const ROLE_NAMES: Record<string, string> = { a: 'Admin', m: 'Member' };

/** Runs a connection test through a worker, for the admin API and the console. */
@Injectable()
export class ConnectionTestService {
  private readonly logger = new Logger(ConnectionTestService.name);

  constructor(
    private readonly integrations: IntegrationsService,
    private readonly client: TestConnectionClient,
  ) {}

  async test(integrationId: string): Promise<TestConnectionResult> {
    await this.integrations.load(integrationId);

    try {
      return await this.client.test(integrationId);
    } catch (error) {
      this.logger.warn({ integrationId, error: error instanceof Error ? error.message : String(error) }, 'Connection test got no answer from a worker');
      throw new GatewayTimeoutException('No worker answered the connection test: check that the worker is running, then retry');
    }
  }
}

/** Names a Dropbox Sign role code for people: "Admin", "Member", or the code itself when undocumented. */
export function roleName(roleCode: string | null): string {
  if (roleCode === null) return 'no team role';

  return ROLE_NAMES[roleCode] ?? `role code "${roleCode}"`;
}
