import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { hashToken, isUuid } from '@scimify/integrations';
import { IntegrationEntity } from '@scimify/persistence';
import { ScimError } from '@scimify/scim';
import { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { ScimAuthLimiterService } from '../admin/login-limiter.service';
import { BlockedAddressCache } from './blocked-address-cache';
import { ScimRequest } from './scim-request';
import { AuthenticatedToken, TokenCacheService } from './token-cache.service';

/** last_used_at is written at most this often per token and replica, to keep reads free of writes (milliseconds). */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Authenticates `Authorization: Bearer <token>` against the tokens of the integration named in
 * the URL. A token of another integration gets the same 401 as a wrong one, so that a tenant
 * cannot learn which integration ids exist. Lookups go through TokenCacheService and the
 * limiter's state through BlockedAddressCache, so most requests cost no database query and no
 * Redis round trip.
 */
@Injectable()
export class ScimAuthGuard implements CanActivate {
  private readonly logger = new Logger(ScimAuthGuard.name);
  private readonly blockedAddresses = new BlockedAddressCache();

  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: TokenCacheService,
    private readonly limiter: ScimAuthLimiterService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScimRequest>();
    const integrationId = (request.params as Record<string, string>).integrationId ?? '';
    const token = bearerToken(request.headers.authorization);

    const blockedFor = await this.blockedAddresses.blockedFor(request.ip, () => this.limiter.blockedFor(request.ip));
    if (blockedFor !== null) throw tooManyFailures(context, blockedFor);

    const tokenHash = token && isUuid(integrationId) ? hashToken(token) : null;
    const found = tokenHash ? await this.cache.lookup(integrationId, tokenHash, () => this.load(integrationId, tokenHash)) : null;
    if (!found) {
      this.blockedAddresses.remember(request.ip, await this.limiter.recordFailure(request.ip));
      throw unauthorized();
    }
    if (!found.integration.enabled) {
      throw new ScimError(403, `Integration ${integrationId} is disabled: enable it in the Scimify admin console, then retry`);
    }

    await this.touch(found);
    request.integration = found.integration;
    return true;
  }

  private async load(integrationId: string, tokenHash: string): Promise<AuthenticatedToken | null> {
    const rows: Array<{ tokenId: string; lastUsedAt: Date | null }> = await this.dataSource.query(
      `SELECT t.id AS "tokenId", t.last_used_at AS "lastUsedAt" FROM scim_token t
       WHERE t.token_hash = $1 AND t.integration_id = $2 AND t.revoked_at IS NULL`,
      [tokenHash, integrationId],
    );
    if (rows.length === 0) return null;

    const integration = await this.dataSource.getRepository(IntegrationEntity).findOneBy({ id: integrationId });
    if (!integration) return null;

    return { tokenId: rows[0].tokenId, integration, lastUsedWrittenAt: rows[0].lastUsedAt?.getTime() ?? 0 };
  }

  /** Records the token's use at most once a minute per replica. A failed write only leaves last_used_at older, so it is logged, not thrown. */
  private async touch(found: AuthenticatedToken): Promise<void> {
    const now = Date.now();
    if (now - found.lastUsedWrittenAt < LAST_USED_RESOLUTION_MS) return;

    // Set before the write, so that concurrent requests do not write the same minute again.
    found.lastUsedWrittenAt = now;
    try {
      await this.dataSource.query(`UPDATE scim_token SET last_used_at = now() WHERE id = $1`, [found.tokenId]);
    } catch (error) {
      this.logger.warn({ tokenId: found.tokenId, error: error instanceof Error ? error.message : String(error) }, 'Recording the last use of a SCIM token failed');
    }
  }
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
}

/** Repeated wrong tokens from one address are refused with 429 and Retry-After, so that tokens cannot be guessed. */
function tooManyFailures(context: ExecutionContext, retryAfterSeconds: number): ScimError {
  context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfterSeconds));
  return new ScimError(429, `Too many requests with an invalid bearer token from this address: fix the SCIM token in the identity provider and retry after ${retryAfterSeconds} s`);
}

function unauthorized(): ScimError {
  return new ScimError(401, 'Missing or invalid bearer token: use the SCIM token issued for this integration in the Scimify admin console');
}
