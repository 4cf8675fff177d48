import { Inject, Injectable } from '@nestjs/common';
import { fastifyCookie } from '@fastify/cookie';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { constantTimeEquals } from '@scimify/integrations';
import { FastifyRequest } from 'fastify';
import { AdminSession, AdminSessionService, CreatedSession, SESSION_COOKIE } from './admin-session.service';
import { LoginLimiterService } from './login-limiter.service';

/** Identity behind an admin request: a script with the bearer token, or a console session. */
export type AdminPrincipal = { method: 'bearer' } | { method: 'session'; sessionId: string; session: AdminSession };

export type AuthResult =
  | { kind: 'ok'; principal: AdminPrincipal }
  | { kind: 'missing' }
  | { kind: 'invalid'; message: string }
  | { kind: 'blocked'; retryAfterSeconds: number };

export type LoginResult = { kind: 'ok'; created: CreatedSession } | { kind: 'invalid' } | { kind: 'blocked'; retryAfterSeconds: number };

/** Principals of authenticated requests, set by the admin access hook and read by guards and pages. */
const principals = new WeakMap<object, AdminPrincipal>();

export function adminPrincipalOf(request: FastifyRequest): AdminPrincipal | null {
  return principals.get(request.raw) ?? null;
}

export function setAdminPrincipal(request: FastifyRequest, principal: AdminPrincipal): void {
  principals.set(request.raw, principal);
}

/**
 * Admin authentication: `Authorization: Bearer <SCIMIFY_ADMIN_TOKEN>` for scripts, or the session
 * cookie that a console login sets. Wrong tokens, at login or as bearer, count towards the
 * per-address login limit.
 */
@Injectable()
export class AdminAuthService {
  constructor(
    private readonly sessions: AdminSessionService,
    private readonly limiter: LoginLimiterService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async authenticate(request: FastifyRequest): Promise<AuthResult> {
    const bearer = bearerToken(request.headers.authorization);
    if (bearer !== null) return this.checkBearer(bearer, request.ip);

    const sessionId = sessionIdOf(request);
    if (!sessionId) return { kind: 'missing' };

    const session = await this.sessions.find(sessionId);
    if (!session) return { kind: 'invalid', message: 'The admin session expired or was ended: log in again' };

    return { kind: 'ok', principal: { method: 'session', sessionId, session } };
  }

  /** Exchanges the admin token for a new session. */
  async login(token: string, address: string): Promise<LoginResult> {
    const blocked = await this.limiter.blockedFor(address);
    if (blocked !== null) return { kind: 'blocked', retryAfterSeconds: blocked };

    if (!constantTimeEquals(token.trim(), this.config.SCIMIFY_ADMIN_TOKEN)) {
      const nowBlocked = await this.limiter.recordFailure(address);
      return nowBlocked === null ? { kind: 'invalid' } : { kind: 'blocked', retryAfterSeconds: nowBlocked };
    }

    await this.limiter.reset(address);
    return { kind: 'ok', created: await this.sessions.create() };
  }

  async logout(principal: AdminPrincipal): Promise<void> {
    if (principal.method === 'session') await this.sessions.delete(principal.sessionId);
  }

  private async checkBearer(token: string, address: string): Promise<AuthResult> {
    const blocked = await this.limiter.blockedFor(address);
    if (blocked !== null) return { kind: 'blocked', retryAfterSeconds: blocked };
    if (constantTimeEquals(token, this.config.SCIMIFY_ADMIN_TOKEN)) return { kind: 'ok', principal: { method: 'bearer' } };

    const nowBlocked = await this.limiter.recordFailure(address);
    if (nowBlocked !== null) return { kind: 'blocked', retryAfterSeconds: nowBlocked };

    return { kind: 'invalid', message: 'Invalid admin token: send Authorization: Bearer <SCIMIFY_ADMIN_TOKEN>' };
  }
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
}

function sessionIdOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;

  return fastifyCookie.parse(header)[SESSION_COOKIE] ?? null;
}
