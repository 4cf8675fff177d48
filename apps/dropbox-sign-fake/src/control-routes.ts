import { IncomingMessage, ServerResponse } from 'node:http';

import { ApiError, badRequest, conflict, errorBody, notFound } from './api-error';
import { controlTeamView } from './api-views';
import { FakeContext } from './fake-context';
import { randomHex, Team } from './fake-state';
import { parseFaultInput } from './fault-input';
import { JsonObject, parseBody, queryRecord, readBody, sendEmpty, sendJson } from './http-io';
import { logger } from './logger';
import { optionalEmail, optionalPlan, optionalPositiveInteger, optionalRole, optionalString } from './request-fields';
import { matchRoute, normalizePath, Route } from './router';
import { acceptInvite } from './team-membership';

interface ControlRequest {
  ctx: FakeContext;
  params: string[];
  query: Record<string, string>;
  body: JsonObject | null;
}

/** A control API result. A result without a body is sent with no content. */
interface ControlResult {
  status: number;
  body?: unknown;
}

type ControlHandler = (request: ControlRequest) => ControlResult;

const DEFAULT_RATE_LIMIT_PER_MINUTE = 100;

const CONTROL_ROUTES: Route<ControlHandler>[] = [
  { method: 'POST', pattern: /^\/_fake\/teams$/, handler: createTeam },
  { method: 'GET', pattern: /^\/_fake\/teams\/([^/]+)$/, handler: getTeamState },
  { method: 'PATCH', pattern: /^\/_fake\/teams\/([^/]+)$/, handler: patchTeam },
  { method: 'POST', pattern: /^\/_fake\/teams\/([^/]+)\/invites\/accept$/, handler: postAcceptInvite },
  { method: 'POST', pattern: /^\/_fake\/accounts$/, handler: createAccount },
  { method: 'POST', pattern: /^\/_fake\/faults$/, handler: createFault },
  { method: 'DELETE', pattern: /^\/_fake\/faults$/, handler: clearFaults },
  { method: 'GET', pattern: /^\/_fake\/requests$/, handler: listRequests },
  { method: 'DELETE', pattern: /^\/_fake\/requests$/, handler: clearRequests },
  { method: 'DELETE', pattern: /^\/_fake$/, handler: resetAll },
];

/** Handles one request to the unauthenticated control API under /_fake. */
export async function handleControlRequest(
  ctx: FakeContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const path = normalizePath(url.pathname);
  const parsed = parseBody(await readBody(req), req.headers['content-type']);
  let result: ControlResult;
  try {
    const match = matchRoute(CONTROL_ROUTES, method, path);
    if (match.kind === 'not_found') {
      throw notFound(`No control endpoint matches ${method} ${path}.`);
    }
    if (match.kind === 'method_not_allowed') {
      const message = `${method} is not supported on ${path}. Use ${match.allowed.join(' or ')}.`;
      throw new ApiError(405, 'method_not_supported', message);
    }
    if (parsed.error !== null) {
      throw parsed.error;
    }
    result = match.handler({ ctx, params: match.params, query: queryRecord(url), body: parsed.body });
  } catch (error) {
    result = errorResult(error, method, path);
  }
  if (result.body === undefined) {
    sendEmpty(res, result.status);
  } else {
    sendJson(res, result.status, result.body);
  }
}

function errorResult(error: unknown, method: string, path: string): ControlResult {
  if (error instanceof ApiError) {
    return { status: error.status, body: error.toBody() };
  }
  logger.error({ err: error, method, path }, 'Control request handler failed');
  const message = 'The control request failed. See the fake server log for the error.';
  return { status: 500, body: errorBody('unknown', message) };
}

function findTeamOrThrow(ctx: FakeContext, teamId: string): Team {
  const team = ctx.state.findTeam(teamId);
  if (team === undefined) {
    throw notFound(`No fake team has teamId ${teamId}.`);
  }
  return team;
}

function createTeam({ ctx, body }: ControlRequest): ControlResult {
  const apiKey = optionalString(body, 'apiKey') ?? randomHex(32);
  if (ctx.state.findTeamByApiKey(apiKey) !== undefined) {
    throw conflict('Another fake team already uses this apiKey.');
  }
  const ownerEmail = optionalEmail(body, 'ownerEmail') ?? `owner-${randomHex(4)}@example.com`;
  const existingOwner = ctx.state.findAccountByEmail(ownerEmail);
  if (existingOwner !== undefined && existingOwner.teamId !== null) {
    throw conflict(`${ownerEmail} already belongs to team ${existingOwner.teamId}.`);
  }
  const team = ctx.state.createTeam({
    name: optionalString(body, 'name') ?? 'Fake Team',
    apiKey,
    plan: optionalPlan(body, 'plan') ?? 'standard',
    rateLimitPerMinute: optionalPositiveInteger(body, 'rateLimitPerMinute') ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    ownerEmail,
  });
  const { teamId, name, plan, rateLimitPerMinute, ownerAccountId } = team;
  const owner = ctx.state.owner(team);
  return {
    status: 201,
    body: { teamId, name, apiKey, plan, rateLimitPerMinute, ownerAccountId, ownerEmail: owner.email },
  };
}

function getTeamState({ ctx, params }: ControlRequest): ControlResult {
  return { status: 200, body: controlTeamView(ctx.state, findTeamOrThrow(ctx, params[0])) };
}

/** Changes a team's plan or rate limit. A new limit applies to the current window at once. */
function patchTeam({ ctx, params, body }: ControlRequest): ControlResult {
  const team = findTeamOrThrow(ctx, params[0]);
  team.rateLimitPerMinute = optionalPositiveInteger(body, 'rateLimitPerMinute') ?? team.rateLimitPerMinute;
  team.plan = optionalPlan(body, 'plan') ?? team.plan;
  return { status: 200, body: controlTeamView(ctx.state, team) };
}

function postAcceptInvite({ ctx, params, body }: ControlRequest): ControlResult {
  const team = findTeamOrThrow(ctx, params[0]);
  const email = optionalEmail(body, 'email');
  if (email === undefined) {
    throw badRequest('email is required.', 'email');
  }
  acceptInvite(ctx.state, team, email);
  return { status: 200, body: controlTeamView(ctx.state, team) };
}

/** Creates an account, as a member of `teamId` with `role` (default Member) or with no team. */
function createAccount({ ctx, body }: ControlRequest): ControlResult {
  const email = optionalEmail(body, 'email');
  if (email === undefined) {
    throw badRequest('email is required.', 'email');
  }
  const teamId = optionalString(body, 'teamId');
  const team = teamId === undefined ? undefined : findTeamOrThrow(ctx, teamId);
  const role = optionalRole(body, 'role') ?? 'Member';
  if (ctx.state.findAccountByEmail(email) !== undefined) {
    throw conflict(`An account with email ${email} already exists.`);
  }
  const account = ctx.state.createAccount(email);
  if (team !== undefined) {
    ctx.state.joinTeam(account, team, role);
  }
  return { status: 201, body: { accountId: account.accountId, email: account.email, teamId: account.teamId } };
}

function listRequests({ ctx, query }: ControlRequest): ControlResult {
  return { status: 200, body: { requests: ctx.requestLog.list(query.teamId || undefined) } };
}

function clearRequests({ ctx }: ControlRequest): ControlResult {
  ctx.requestLog.clear();
  return { status: 204 };
}

function createFault({ ctx, body }: ControlRequest): ControlResult {
  const id = ctx.faults.add(parseFaultInput(body));
  return { status: 201, body: { id } };
}

function clearFaults({ ctx }: ControlRequest): ControlResult {
  ctx.faults.clear();
  return { status: 204 };
}

function resetAll({ ctx }: ControlRequest): ControlResult {
  ctx.reset();
  return { status: 204 };
}
