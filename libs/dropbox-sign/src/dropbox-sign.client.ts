import axios, { AxiosInstance, AxiosResponse, isAxiosError } from 'axios';
import { createHash } from 'node:crypto';
import { DropboxSignApiError, DropboxSignErrorCode, errorCodeFor, RateLimitState } from './dropbox-sign.exception';
import { AddMemberRequest, DropboxSignAccount, DropboxSignTeam, RemoveMemberRequest } from './dropbox-sign.types';

/** Paces calls per API key; the worker's Redis limiter implements it. */
export interface CallPacer {
  /**
   * Counts a call with this key and resolves when it may go out now. Rejects with
   * CallThrottledError when the key's allowance is used up, so that the caller can schedule
   * the call for later instead of waiting.
   */
  acquire(keyId: string): Promise<void>;
  /** Receives the rate-limit headers of a response. */
  observe(keyId: string, state: RateLimitState): Promise<void>;
}

/** One finished HTTP call, for metrics: `status` is the HTTP status or the transport failure code. */
export interface FinishedCall {
  method: string;
  endpoint: string;
  status: number | string;
  seconds: number;
}

export interface DropboxSignClientOptions {
  /** Base URL including the version, e.g. https://api.hellosign.com/v3. */
  baseUrl: string;
  timeoutMs: number;
  pacer?: CallPacer;
  /** Receives every finished call, with or without a response. */
  onCallFinished?: (call: FinishedCall) => void;
}

/** Derives a stable, non-secret identifier of an API key, for limiter keys and logs. */
export function apiKeyId(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}

/** Typed client of the Dropbox Sign Account and Team endpoints. Holds no key: each call takes one. */
export class DropboxSignClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: DropboxSignClientOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      validateStatus: () => true,
      headers: { Accept: 'application/json' },
    });
  }

  async getAccount(apiKey: string): Promise<DropboxSignAccount> {
    const body = await this.call(apiKey, 'GET', '/account');
    return parseAccount(objectAt(body, 'account'));
  }

  async getTeam(apiKey: string): Promise<DropboxSignTeam> {
    return parseTeam(await this.call(apiKey, 'GET', '/team'));
  }

  /** Invites the email address with the role; `team_id` is sent because the API ignores `role` without it. */
  async addMember(apiKey: string, request: AddMemberRequest): Promise<DropboxSignTeam> {
    const body = { email_address: request.email, role: request.role };
    return parseTeam(await this.call(apiKey, 'PUT', '/team/add_member', body, { team_id: request.teamId }));
  }

  /** Removes a member, or expires the pending invite of an invitee. */
  async removeMember(apiKey: string, request: RemoveMemberRequest): Promise<DropboxSignTeam> {
    const body: Record<string, string> = { email_address: request.email };
    if (request.newOwnerEmail) body.new_owner_email_address = request.newOwnerEmail;

    return parseTeam(await this.call(apiKey, 'POST', '/team/remove_member', body));
  }

  private async call(
    apiKey: string,
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    data?: Record<string, string>,
    params?: Record<string, string>,
  ): Promise<unknown> {
    const keyId = apiKeyId(apiKey);
    await this.options.pacer?.acquire(keyId);

    const response = await this.send({ method, url: path, data, params, auth: { username: apiKey, password: '' } });
    const rateLimit = readRateLimit(response);
    if (rateLimit) await this.options.pacer?.observe(keyId, rateLimit);

    if (response.status >= 200 && response.status < 300) return response.data;

    throw errorFromResponse(response, rateLimit);
  }

  private async send(config: Parameters<AxiosInstance['request']>[0]): Promise<AxiosResponse> {
    const started = performance.now();
    let status: number | string = DropboxSignErrorCode.ConnectionFailed;

    try {
      const response = await this.http.request(config);
      status = response.status;
      return response;
    } catch (error) {
      const failure = transportError(error);
      status = failure.code;
      throw failure;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.options.onCallFinished?.({ method: String(config.method), endpoint: String(config.url), status, seconds });
    }
  }
}

function transportError(error: unknown): DropboxSignApiError {
  if (isAxiosError(error) && (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT')) {
    return new DropboxSignApiError(DropboxSignErrorCode.Timeout, null, 'Dropbox Sign timed out: no response within DROPBOX_SIGN_TIMEOUT_MS');
  }

  const reason = error instanceof Error ? error.message : String(error);
  return new DropboxSignApiError(DropboxSignErrorCode.ConnectionFailed, null, `Dropbox Sign could not be reached: ${reason}`);
}

function errorFromResponse(response: AxiosResponse, rateLimit: RateLimitState | null): DropboxSignApiError {
  const error = isRecord(response.data) && isRecord(response.data.error) ? response.data.error : {};
  const code = errorCodeFor(response.status, error.error_name);
  const message = typeof error.error_msg === 'string' ? error.error_msg : `HTTP ${response.status}`;
  const errorPath = typeof error.error_path === 'string' ? error.error_path : null;

  return new DropboxSignApiError(code, response.status, message, rateLimit, errorPath);
}

/** Reads X-RateLimit-Limit, X-RateLimit-Remaining and X-Ratelimit-Reset (Unix seconds). */
function readRateLimit(response: AxiosResponse): RateLimitState | null {
  const limit = Number(response.headers['x-ratelimit-limit']);
  const remaining = Number(response.headers['x-ratelimit-remaining']);
  const resetAt = Number(response.headers['x-ratelimit-reset']);

  if (![limit, remaining, resetAt].every(Number.isFinite)) return null;

  return { limit, remaining, resetAt };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(body: unknown, key: string): Record<string, unknown> {
  const value = isRecord(body) ? body[key] : undefined;
  if (!isRecord(value)) {
    throw new DropboxSignApiError(DropboxSignErrorCode.InvalidResponse, null, `Dropbox Sign response has no "${key}" object`);
  }

  return value;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function parseAccount(account: Record<string, unknown>): DropboxSignAccount {
  return {
    accountId: stringOrNull(account.account_id),
    email: String(account.email_address ?? '').toLowerCase(),
    roleCode: stringOrNull(account.role_code),
    teamId: stringOrNull(account.team_id),
  };
}

function parseTeam(body: unknown): DropboxSignTeam {
  const team = objectAt(body, 'team');
  const accounts = Array.isArray(team.accounts) ? team.accounts.filter(isRecord) : [];
  const invitedAccounts = Array.isArray(team.invited_accounts) ? team.invited_accounts.filter(isRecord) : [];
  const invitedEmails = Array.isArray(team.invited_emails) ? team.invited_emails.filter((e) => typeof e === 'string') : [];

  return {
    name: String(team.name ?? ''),
    members: accounts.map(parseAccount),
    invites: [
      ...invitedAccounts.map(parseAccount).map((account) => ({ email: account.email, accountId: account.accountId })),
      ...invitedEmails.map((email: string) => ({ email: email.toLowerCase(), accountId: null })),
    ],
  };
}
