/** Helpers for the fake's own tests: plain `fetch` calls against a running fake server. */

import { ErrorBody } from './api-error';
import { AccountResponse, TeamInviteResponse, TeamResponse } from './api-views';

/** A response with its JSON body cast, unchecked, to `Body` (null for an empty body). */
export interface HttpResult<Body = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: Body;
}

export type ErrorResult = HttpResult<ErrorBody>;
export type AccountBody = { account: AccountResponse };
export type TeamBody = { team: TeamResponse };
export type TeamInvitesBody = { team_invites: TeamInviteResponse[] };
export interface TeamMembersBody {
  team_members: { account_id: string; email_address: string; role: string }[];
  list_info: { page: number; num_pages: number; num_results: number; page_size: number };
}

/** State of a fake team as `GET /_fake/teams/{teamId}` returns it. */
export interface TeamStateBody {
  teamId: string;
  name: string;
  plan: string;
  rateLimitPerMinute: number;
  members: { accountId: string; email: string; role: string }[];
  invites: { email: string; role: string; accountId: string | null; sentAt: string }[];
  transfers: { fromEmail: string; toEmail: string }[];
}

export interface CreatedTeam {
  teamId: string;
  name: string;
  apiKey: string;
  plan: string;
  rateLimitPerMinute: number;
  ownerAccountId: string;
  ownerEmail: string;
}

export interface ApiCallOptions {
  json?: Record<string, unknown>;
  form?: Record<string, string>;
  query?: Record<string, string>;
  /** Authorization header to send instead of Basic auth with the API key. */
  authorization?: string;
}

async function toResult<Body>(response: Response): Promise<HttpResult<Body>> {
  const text = await response.text();
  const body = (text === '' ? null : JSON.parse(text)) as Body;
  return { status: response.status, headers: response.headers, body };
}

export function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
}

/** Calls the fake Dropbox Sign API at `${baseUrl}/v3${path}`, authenticated with `apiKey` unless null. */
export async function callApi<Body = Record<string, unknown>>(
  baseUrl: string,
  apiKey: string | null,
  method: string,
  path: string,
  options: ApiCallOptions = {},
): Promise<HttpResult<Body>> {
  const headers: Record<string, string> = {};
  const authorization = options.authorization ?? (apiKey === null ? undefined : basicAuth(apiKey));
  if (authorization !== undefined) {
    headers.Authorization = authorization;
  }
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const query = options.query === undefined ? '' : `?${new URLSearchParams(options.query).toString()}`;
  return toResult<Body>(await fetch(`${baseUrl}/v3${path}${query}`, { method, headers, body }));
}

/** Calls the control API at `${baseUrl}/_fake${path}` with an optional JSON body. */
export async function callControl<Body = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  json?: unknown,
): Promise<HttpResult<Body>> {
  const init: RequestInit = { method };
  if (json !== undefined) {
    init.headers = { 'Content-Type': 'application/json' };
    init.body = JSON.stringify(json);
  }
  return toResult<Body>(await fetch(`${baseUrl}/_fake${path}`, init));
}

export async function createTeam(baseUrl: string, options: Record<string, unknown> = {}): Promise<CreatedTeam> {
  const result = await callControl<CreatedTeam>(baseUrl, 'POST', '/teams', options);
  if (result.status !== 201) {
    throw new Error(`Creating a fake team failed with ${result.status}: ${JSON.stringify(result.body)}`);
  }
  return result.body;
}

export interface CreatedAccount {
  accountId: string;
  email: string;
  teamId: string | null;
}

export async function createAccount(baseUrl: string, body: Record<string, unknown>): Promise<CreatedAccount> {
  const result = await callControl<CreatedAccount>(baseUrl, 'POST', '/accounts', body);
  if (result.status !== 201) {
    throw new Error(`Creating a fake account failed with ${result.status}: ${JSON.stringify(result.body)}`);
  }
  return result.body;
}

export async function getTeamState(baseUrl: string, teamId: string): Promise<TeamStateBody> {
  const result = await callControl<TeamStateBody>(baseUrl, 'GET', `/teams/${teamId}`);
  if (result.status !== 200) {
    throw new Error(`Reading fake team ${teamId} failed with ${result.status}: ${JSON.stringify(result.body)}`);
  }
  return result.body;
}
