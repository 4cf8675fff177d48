import { badRequest, notFound } from './api-error';
import { accountResponse, teamInviteResponse, teamResponse } from './api-views';
import { FakeState, sameEmail, Team } from './fake-state';
import { JsonObject } from './http-io';
import { optionalEmail, optionalRole, optionalString } from './request-fields';
import { Route } from './router';
import { addMember, removeMember } from './team-membership';

/** An authenticated /v3 request after routing. `team` is the team whose owner owns the API key. */
export interface ApiRequest {
  state: FakeState;
  team: Team;
  params: string[];
  query: Record<string, string>;
  body: JsonObject | null;
}

export interface ApiResult {
  status: number;
  body: unknown;
}

type ApiHandler = (request: ApiRequest) => ApiResult;

const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;

/** The Dropbox Sign endpoints the fake implements. Other documented endpoints return 404 or 405. */
export const API_ROUTES: Route<ApiHandler>[] = [
  { method: 'GET', pattern: /^\/v3\/account$/, handler: getAccount },
  { method: 'GET', pattern: /^\/v3\/team$/, handler: getTeam },
  { method: 'GET', pattern: /^\/v3\/team\/members\/([^/]+)$/, handler: listTeamMembers },
  { method: 'GET', pattern: /^\/v3\/team\/invites$/, handler: listTeamInvites },
  { method: 'PUT', pattern: /^\/v3\/team\/add_member$/, handler: putAddMember },
  { method: 'POST', pattern: /^\/v3\/team\/remove_member$/, handler: postRemoveMember },
];

/** Returns the key owner's account, or the one named by `account_id` (which wins) or `email_address`. */
function getAccount({ state, team, query }: ApiRequest): ApiResult {
  const accountId = query.account_id || undefined;
  const email = query.email_address || undefined;
  if (accountId === undefined && email === undefined) {
    return { status: 200, body: { account: accountResponse(state.owner(team)) } };
  }
  const account = accountId !== undefined ? state.findAccount(accountId) : state.findAccountByEmail(email ?? '');
  if (account === undefined) {
    const path = accountId !== undefined ? 'account_id' : 'email_address';
    throw notFound(`No account has ${path} ${accountId ?? email}.`, path);
  }
  return { status: 200, body: { account: accountResponse(account) } };
}

function getTeam({ state, team }: ApiRequest): ApiResult {
  return { status: 200, body: { team: teamResponse(state, team) } };
}

/**
 * `GET /team/members/{team_id}`, paginated. A team_id other than the caller's gets 404 with the
 * spec's "Team does not exist" example text.
 */
function listTeamMembers({ state, team, params, query }: ApiRequest): ApiResult {
  if (params[0] !== team.teamId) {
    throw notFound('Team does not exist', 'team_id');
  }
  const page = parsePageParameter(query, 'page', 1, Number.MAX_SAFE_INTEGER);
  const pageSize = parsePageParameter(query, 'page_size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const members = state.members(team);
  const start = (page - 1) * pageSize;
  const teamMembers = members.slice(start, start + pageSize).map((account) => ({
    account_id: account.accountId,
    email_address: account.email,
    role: account.role,
  }));
  const listInfo = {
    page,
    num_pages: Math.max(1, Math.ceil(members.length / pageSize)),
    num_results: members.length,
    page_size: pageSize,
  };
  return { status: 200, body: { team_members: teamMembers, list_info: listInfo } };
}

function parsePageParameter(query: Record<string, string>, name: string, fallback: number, max: number): number {
  const raw = query[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`;
    throw badRequest(`${name} must be ${range}, got "${raw}".`, name);
  }
  return value;
}

/** `GET /team/invites`: the caller's team's pending invites, optionally for one `email_address`. */
function listTeamInvites({ team, query }: ApiRequest): ApiResult {
  const email = query.email_address || undefined;
  const invites = team.invites.filter((invite) => email === undefined || sameEmail(invite.email, email));
  return { status: 200, body: { team_invites: invites.map((invite) => teamInviteResponse(team, invite)) } };
}

function putAddMember({ state, team, query, body }: ApiRequest): ApiResult {
  addMember(state, team, {
    accountId: optionalString(body, 'account_id'),
    email: optionalEmail(body, 'email_address'),
    role: optionalRole(body, 'role'),
    teamId: query.team_id || undefined,
  });
  return { status: 200, body: { team: teamResponse(state, team) } };
}

function postRemoveMember({ state, team, body }: ApiRequest): ApiResult {
  removeMember(state, team, {
    accountId: optionalString(body, 'account_id'),
    email: optionalEmail(body, 'email_address'),
    newOwnerEmail: optionalEmail(body, 'new_owner_email_address'),
    newTeamId: optionalString(body, 'new_team_id'),
    newRole: optionalRole(body, 'new_role'),
  });
  return { status: 201, body: { team: teamResponse(state, team) } };
}
