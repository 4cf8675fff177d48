/** `error_name` values of the Dropbox Sign API that the connector acts on, plus local transport failures. */
export enum DropboxSignErrorCode {
  BadRequest = 'bad_request',
  Unauthorized = 'unauthorized',
  PaymentRequired = 'payment_required',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  MethodNotSupported = 'method_not_supported',
  Conflict = 'conflict',
  Deleted = 'deleted',
  UnprocessableEntity = 'unprocessable_entity',
  ExceededRate = 'exceeded_rate',
  Unknown = 'unknown',
  Maintenance = 'maintenance',
  Unavailable = 'unavailable',
  TeamInviteFailed = 'team_invite_failed',
  InvalidRecipient = 'invalid_recipient',
  Timeout = 'timeout',
  ConnectionFailed = 'connection_failed',
  InvalidResponse = 'invalid_response',
}

const RETRYABLE_CODES = new Set<string>([
  DropboxSignErrorCode.ExceededRate,
  DropboxSignErrorCode.Maintenance,
  DropboxSignErrorCode.Unavailable,
  DropboxSignErrorCode.Unknown,
  DropboxSignErrorCode.Conflict,
  DropboxSignErrorCode.Timeout,
  DropboxSignErrorCode.ConnectionFailed,
]);

const CODE_BY_STATUS: Record<number, DropboxSignErrorCode> = {
  400: DropboxSignErrorCode.BadRequest,
  401: DropboxSignErrorCode.Unauthorized,
  402: DropboxSignErrorCode.PaymentRequired,
  403: DropboxSignErrorCode.Forbidden,
  404: DropboxSignErrorCode.NotFound,
  405: DropboxSignErrorCode.MethodNotSupported,
  409: DropboxSignErrorCode.Conflict,
  410: DropboxSignErrorCode.Deleted,
  422: DropboxSignErrorCode.UnprocessableEntity,
  429: DropboxSignErrorCode.ExceededRate,
};

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Unix time in seconds at which the allowance refills (`X-Ratelimit-Reset`). */
  resetAt: number;
}

/**
 * A failed Dropbox Sign call. `code` is the API's `error_name` when the body has one and is
 * derived from the HTTP status otherwise; `retryable` follows the API's error catalogue:
 * rate limits, 5xx, maintenance and transport failures are retried, other 4xx are not.
 */
export class DropboxSignApiError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: string,
    readonly status: number | null,
    message: string,
    readonly rateLimit: RateLimitState | null = null,
    readonly errorPath: string | null = null,
  ) {
    super(message);
    this.name = 'DropboxSignApiError';
    this.retryable = RETRYABLE_CODES.has(code) || (status !== null && status >= 500 && !isPermanentCode(code));
  }
}

/**
 * Raised by a CallPacer before sending: the API key's allowance is used up, so the request was
 * not sent. The caller should try again at `retryAt`.
 */
export class CallThrottledError extends Error {
  constructor(
    /** Unix time in milliseconds at which the allowance refills. */
    readonly retryAt: number,
    /** Requests per window that the pacer applied to the key. */
    readonly limit: number,
  ) {
    super(`The Dropbox Sign rate limit of ${limit} requests a minute for this API key is used up until ${new Date(retryAt).toISOString()}`);
    this.name = 'CallThrottledError';
  }
}

function isPermanentCode(code: string): boolean {
  return code === DropboxSignErrorCode.TeamInviteFailed || code === DropboxSignErrorCode.InvalidRecipient;
}

/** Picks the error code: the API's `error_name` first, the HTTP status as the fallback. */
export function errorCodeFor(status: number, errorName: unknown): string {
  if (typeof errorName === 'string' && errorName.length > 0) return errorName;
  if (status >= 500) return DropboxSignErrorCode.Unknown;

  return CODE_BY_STATUS[status] ?? DropboxSignErrorCode.BadRequest;
}
