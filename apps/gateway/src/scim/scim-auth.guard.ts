import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { hashToken, isUuid } from '@scimify/integrations';
import { IntegrationEntity } from '@scimify/persistence';
import { ScimError } from '@scimify/scim';
import { DataSource } from 'typeorm';
import { ScimRequest } from './scim-request';

/** last_used_at is written at most this often per token, to keep reads free of writes (milliseconds). */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Authenticates `Authorization: Bearer <token>` against the tokens of the integration named in
 * the URL. A token of another integration gets the same 401 as a wrong one, so that a tenant
 * cannot learn which integration ids exist.
 */
@Injectable()
export class ScimAuthGuard implements CanActivate {
  constructor(private readonly dataSource: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScimRequest>();
    const integrationId = (request.params as Record<string, string>).integrationId ?? '';
    const token = bearerToken(request.headers.authorization);

    if (!token || !isUuid(integrationId)) throw unauthorized();

    const rows: Array<{ tokenId: string; lastUsedAt: Date | null }> = await this.dataSource.query(
      `SELECT t.id AS "tokenId", t.last_used_at AS "lastUsedAt" FROM scim_token t
       WHERE t.token_hash = $1 AND t.integration_id = $2 AND t.revoked_at IS NULL`,
      [hashToken(token), integrationId],
    );
    if (rows.length === 0) throw unauthorized();

    const integration = await this.dataSource.getRepository(IntegrationEntity).findOneBy({ id: integrationId });
    if (!integration) throw unauthorized();
    if (!integration.enabled) {
      throw new ScimError(403, `Integration ${integrationId} is disabled: enable it in the Scimify admin console, then retry`);
    }

    await this.touch(rows[0].tokenId, rows[0].lastUsedAt);
    request.integration = integration;
    return true;
  }

  private async touch(tokenId: string, lastUsedAt: Date | null): Promise<void> {
    if (lastUsedAt && Date.now() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;

    await this.dataSource.query(`UPDATE scim_token SET last_used_at = now() WHERE id = $1`, [tokenId]);
  }
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
}

function unauthorized(): ScimError {
  return new ScimError(401, 'Missing or invalid bearer token: use the SCIM token issued for this integration in the Scimify admin console');
}
