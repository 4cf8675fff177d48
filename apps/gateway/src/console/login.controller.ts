import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { fastifyCookie } from '@fastify/cookie';
import { AuditRepository } from '@scimify/persistence';
import { FastifyReply, FastifyRequest } from 'fastify';
import { adminPrincipalOf, AdminAuthService, LoginResult } from '../admin/admin-auth.service';
import { AdminSessionService, SESSION_COOKIE } from '../admin/admin-session.service';
import { requestIdOf } from '../scim/scim-request';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { redirect, sendPage } from './console-page';
import { loginPage } from './login-page';

const HOME = '/admin/integrations';

/** Console login and logout. The login routes are the only /admin routes open without credentials. */
@Controller('admin')
@UseFilters(ConsoleExceptionFilter)
export class LoginController {
  constructor(
    private readonly auth: AdminAuthService,
    private readonly sessions: AdminSessionService,
    private readonly audit: AuditRepository,
  ) {}

  @Get()
  async home(@Res() reply: FastifyReply): Promise<void> {
    await redirect(reply, HOME);
  }

  @Get('login')
  async form(@Query('next') next: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    await sendPage(reply, 200, loginPage(safeNext(next), null));
  }

  @Post('login')
  async login(@Body() form: Record<string, unknown> | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const next = safeNext(typeof form?.next === 'string' ? form.next : undefined);
    const token = typeof form?.token === 'string' ? form.token : '';
    const result = await this.auth.login(token, request.ip);
    await this.recordLogin(request, result);

    if (result.kind === 'blocked') {
      reply.header('Retry-After', String(result.retryAfterSeconds));
      return sendPage(reply, 429, loginPage(next, 'blocked', result.retryAfterSeconds));
    }
    if (result.kind === 'invalid') return sendPage(reply, 401, loginPage(next, 'invalid'));

    reply.header('Set-Cookie', this.sessionCookie(request, result.created.sessionId, this.sessions.ttlSeconds));
    await redirect(reply, next);
  }

  /** Ends the session; the access hook has checked the session and its CSRF token. */
  @Post('logout')
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const principal = adminPrincipalOf(request);
    if (principal) await this.auth.logout(principal);
    await this.audit.record({ integrationId: null, actor: 'admin', action: 'admin_logout', outcome: 'success', requestId: requestIdOf(request), details: { address: request.ip } });

    reply.header('Set-Cookie', this.sessionCookie(request, '', 0));
    await redirect(reply, '/admin/login');
  }

  /** Records every console login attempt with the client address; the token itself is never recorded. */
  private async recordLogin(request: FastifyRequest, result: LoginResult): Promise<void> {
    await this.audit.record({
      integrationId: null,
      actor: 'admin',
      action: 'admin_login',
      outcome: result.kind === 'ok' ? 'success' : 'failure',
      requestId: requestIdOf(request),
      details: { address: request.ip, ...(result.kind === 'blocked' ? { blockedForSeconds: result.retryAfterSeconds } : {}) },
    });
  }

  /** HttpOnly, SameSite=Strict, limited to /admin, and Secure when the request came over TLS (directly or through a trusted proxy). */
  private sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
    return fastifyCookie.serialize(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
      path: '/admin',
      maxAge: maxAgeSeconds,
    });
  }
}

/** Keeps the post-login redirect inside the console, so that the login form cannot send anyone elsewhere. */
function safeNext(next: string | undefined): string {
  // Plain path segments only: no dots, encodings or empty segments that a browser could resolve elsewhere.
  if (!next || !/^\/admin(\/[\w-]+)*$/.test(next) || next.startsWith('/admin/login')) return HOME;

  return next;
}
