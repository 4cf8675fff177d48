import { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

import { ApiError, defaultErrorMessage, defaultErrorName, errorBody, notFound } from './api-error';
import { API_ROUTES, ApiResult } from './dropbox-sign-routes';
import { FakeContext } from './fake-context';
import { Team } from './fake-state';
import { Fault } from './faults';
import { ParsedBody, parseBody, queryRecord, readBody, sendJson } from './http-io';
import { logger } from './logger';
import { rateLimitHeaders } from './rate-limiter';
import { LoggedRequest } from './request-log';
import { matchRoute, normalizePath } from './router';

type AuthResult = { team: Team; error: null } | { team: null; error: ApiError };

interface ApiResponse extends ApiResult {
  headers: OutgoingHttpHeaders;
}

interface RoutedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  parsed: ParsedBody;
}

/** Handles one /v3 request: faults first, then authentication, the rate limit and the endpoint. */
export async function handleApiRequest(
  ctx: FakeContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const at = new Date().toISOString();
  const request: RoutedRequest = {
    method: req.method ?? 'GET',
    path: normalizePath(url.pathname),
    query: queryRecord(url),
    parsed: parseBody(await readBody(req), req.headers['content-type']),
  };
  const auth = authenticate(ctx, req.headers.authorization);
  const entry: LoggedRequest = {
    method: request.method,
    path: request.path,
    query: request.query,
    body: request.parsed.body,
    status: 0,
    teamId: auth.team?.teamId ?? null,
    at,
  };

  const fault = ctx.faults.take(request.method, request.path);
  const faultStatus = fault === undefined ? null : await applyFault(ctx, fault, auth.team, res);
  if (faultStatus === null) {
    const response = respond(ctx, auth, request);
    sendJson(res, response.status, response.body, response.headers);
    entry.status = response.status;
  } else {
    entry.status = faultStatus;
  }
  ctx.requestLog.append(entry);
}

/** Finds the team whose API key is the user name of the HTTP Basic credentials. The password is ignored. */
function authenticate(ctx: FakeContext, header: string | undefined): AuthResult {
  if (header === undefined || header === '') {
    return unauthorized('Unauthorized user. No credentials supplied.');
  }
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (match === null) {
    return unauthorized('Unauthorized user. Send the API key as the user name of HTTP Basic authentication.');
  }
  const apiKey = Buffer.from(match[1], 'base64').toString('utf8').split(':')[0];
  if (apiKey === '') {
    return unauthorized('Unauthorized user. No credentials supplied.');
  }
  const team = ctx.state.findTeamByApiKey(apiKey);
  return team === undefined ? unauthorized('Unauthorized user. The API key is invalid.') : { team, error: null };
}

function unauthorized(message: string): AuthResult {
  return { team: null, error: new ApiError(401, 'unauthorized', message) };
}

/**
 * Applies a fault and returns the status sent (0 for a dropped connection), or null when the fault
 * only delays the normal response. Faults skip authentication and use none of the rate limit.
 */
async function applyFault(
  ctx: FakeContext,
  fault: Fault,
  team: Team | null,
  res: ServerResponse,
): Promise<number | null> {
  if (fault.latencyMs > 0) {
    await ctx.delay(fault.latencyMs);
  }
  if (fault.dropConnection) {
    res.socket?.destroy();
    return 0;
  }
  if (fault.status === 0) {
    return null;
  }
  let headers: OutgoingHttpHeaders = {};
  if (team !== null) {
    const decision = ctx.limiter.peek(team.teamId, team.rateLimitPerMinute);
    headers = rateLimitHeaders(fault.status === 429 ? { ...decision, remaining: 0 } : decision);
  }
  const name = fault.errorName ?? defaultErrorName(fault.status);
  sendJson(res, fault.status, errorBody(name, fault.errorMsg ?? defaultErrorMessage(fault.status)), headers);
  return fault.status;
}

/** Builds the response to a request that no fault handled. A 401 has no rate-limit headers because it has no team. */
function respond(ctx: FakeContext, auth: AuthResult, request: RoutedRequest): ApiResponse {
  if (auth.team === null) {
    return { status: auth.error.status, body: auth.error.toBody(), headers: {} };
  }
  const team = auth.team;
  const decision = ctx.limiter.consume(team.teamId, team.rateLimitPerMinute);
  const headers = rateLimitHeaders(decision);
  if (!decision.allowed) {
    return { status: 429, body: errorBody('exceeded_rate', 'Too many requests.'), headers };
  }
  try {
    return { ...dispatch(ctx, team, request), headers };
  } catch (error) {
    if (error instanceof ApiError) {
      return { status: error.status, body: error.toBody(), headers };
    }
    const { method, path } = request;
    logger.error({ err: error, method, path, teamId: team.teamId }, 'Request handler failed');
    return { status: 500, body: errorBody('unknown', defaultErrorMessage(500)), headers };
  }
}

function dispatch(ctx: FakeContext, team: Team, request: RoutedRequest): ApiResult {
  const match = matchRoute(API_ROUTES, request.method, request.path);
  if (match.kind === 'not_found') {
    throw notFound(`No API endpoint matches ${request.method} ${request.path}.`);
  }
  if (match.kind === 'method_not_allowed') {
    const message = `${request.method} is not supported on ${request.path}. Use ${match.allowed.join(' or ')}.`;
    throw new ApiError(405, 'method_not_supported', message);
  }
  if (request.parsed.error !== null) {
    throw request.parsed.error;
  }
  const { state } = ctx;
  return match.handler({ state, team, params: match.params, query: request.query, body: request.parsed.body });
}
