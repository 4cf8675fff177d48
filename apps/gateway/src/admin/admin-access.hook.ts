import { Logger } from '@nestjs/common';
import { constantTimeEquals } from '@scimify/integrations';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adminPrincipalOf, AdminAuthService, AuthResult, setAdminPrincipal } from './admin-auth.service';

/** The only admin routes open without credentials: the login form and its submission. */
const PUBLIC_ROUTES = new Set(['/admin/login']);
/** Bull Board's UI cannot send the CSRF token; its requests are checked by origin instead. */
const BULL_BOARD_PREFIX = '/admin/queues/';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Puts every route under /admin (console pages, REST API, Bull Board) behind admin
 * authentication, as Fastify hooks so that routes outside Nest (Bull Board) are covered too.
 * A browser without a session is sent to the login page; other clients get 401 (or 429 while
 * their address is blocked). State-changing requests of a console session must carry the
 * session's CSRF token (X-CSRF-Token header or `_csrf` form field), on top of the SameSite=Strict
 * cookie.
 */
export function registerAdminAccessHooks(fastify: FastifyInstance, auth: AdminAuthService): void {
  const logger = new Logger('AdminAccess');

  /** Authenticates an admin request; returns false after it has sent the rejection. */
  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    let result: AuthResult;
    try {
      result = await auth.authenticate(request);
    } catch (error) {
      logger.error({ err: error }, 'Admin authentication failed to read the session store');
      void reply.code(503).send({ statusCode: 503, message: 'Admin sessions are unavailable because Redis did not respond: retry, or use the bearer token' });
      return false;
    }

    if (result.kind === 'ok') {
      setAdminPrincipal(request, result.principal);
      return true;
    }

    rejectRequest(request, reply, result);
    return false;
  };

  // Callback hooks, so that a SCIM request passes both without creating a promise. A hook that sent the reply does not call done.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!isAdminRequest(request) || PUBLIC_ROUTES.has(request.routeOptions.url ?? '')) {
      done();
      return;
    }

    authenticate(request, reply).then((passed) => {
      if (passed) done();
    }, done);
  });

  fastify.addHook('preHandler', (request, reply, done) => {
    if (passesCsrfCheck(request)) {
      done();
      return;
    }

    void reply.code(403).send({ statusCode: 403, message: 'Missing or invalid CSRF token: reload the admin page and submit again' });
  });
}

/** Lets through every request that is not a state-changing request of a console session, and those that carry its CSRF token. */
function passesCsrfCheck(request: FastifyRequest): boolean {
  const principal = adminPrincipalOf(request);
  if (principal?.method !== 'session' || SAFE_METHODS.has(request.method)) return true;
  if (hasCsrfToken(request, principal.session.csrfToken)) return true;

  return (request.routeOptions.url ?? '').startsWith(BULL_BOARD_PREFIX) && isSameOrigin(request);
}

/** Matches by route pattern and by decoded path, so that an encoded path cannot slip past the check. */
function isAdminRequest(request: FastifyRequest): boolean {
  const pattern = request.routeOptions.url ?? '';
  const path = decodedPath(request.url).toLowerCase();

  return isUnderAdmin(pattern) || isUnderAdmin(path);
}

function isUnderAdmin(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/');
}

function decodedPath(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (!path.includes('%')) return path;

  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function rejectRequest(request: FastifyRequest, reply: FastifyReply, result: Exclude<AuthResult, { kind: 'ok' }>): FastifyReply {
  if (result.kind === 'blocked') {
    const message = `Too many failed admin logins from this address: retry after ${result.retryAfterSeconds} seconds`;
    return reply.code(429).header('Retry-After', String(result.retryAfterSeconds)).send({ statusCode: 429, message });
  }

  if (request.method === 'GET' && (request.headers.accept ?? '').includes('text/html')) {
    const next = request.url.split('?')[0];
    return reply.code(303).header('Location', `/admin/login?next=${encodeURIComponent(next)}`).send();
  }

  const message = result.kind === 'invalid' ? result.message : 'Missing admin credentials: log in to the admin console or send Authorization: Bearer <SCIMIFY_ADMIN_TOKEN>';
  return reply.code(401).header('WWW-Authenticate', 'Bearer realm="scimify-admin"').send({ statusCode: 401, message });
}

function hasCsrfToken(request: FastifyRequest, expected: string): boolean {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return constantTimeEquals(header, expected);

  const field = (request.body as Record<string, unknown> | undefined)?._csrf;
  return typeof field === 'string' && constantTimeEquals(field, expected);
}

/** Browsers send Origin on every non-GET request; a forged cross-site request carries another origin. */
function isSameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;

  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}
