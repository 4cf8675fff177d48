import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Names of the variables whose values are secrets: never logged or echoed in error messages. */
export const SECRET_VARIABLES = new Set(['SCIMIFY_ENCRYPTION_KEY', 'SCIMIFY_ADMIN_TOKEN', 'METRICS_BEARER_TOKEN']);

const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/**
 * Environment variables read by every Scimify process. Validated once at start-up; see
 * `loadConfig`. Field names are the variable names so that error messages can name them.
 */
export class EnvironmentVariables {
  @trimmed()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL: string;

  @trimmed()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL: string;

  /** 32 bytes for AES-256-GCM, as 64 hex characters or base64. */
  @trimmed()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'must be 32 random bytes as 64 hex characters or 44 base64 characters (openssl rand -hex 32)',
  })
  SCIMIFY_ENCRYPTION_KEY: string;

  @IsString()
  @MinLength(24, { message: 'must be at least 24 characters (openssl rand -hex 24)' })
  SCIMIFY_ADMIN_TOKEN: string;

  /** The URL at which identity providers reach the gateway; SCIM base URLs start with it. */
  @trimmed()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  PUBLIC_BASE_URL: string;

  @trimmed()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  DROPBOX_SIGN_API_URL = 'https://api.hellosign.com/v3';

  /** How long a SCIM write waits for its reconcile job before it responds (milliseconds). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(0)
  @Max(50_000, { message: 'must be at most 50000 so that Okta, which times out after 60 s, gets a response' })
  SCIM_SYNC_WAIT_MS = 10_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65_535)
  GATEWAY_PORT = 3000;

  /** Port of the worker's health endpoints. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65_535)
  WORKER_PORT = 3001;

  /** Address the HTTP servers bind to. */
  @IsString()
  LISTEN_HOST = '0.0.0.0';

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** Prefix of every Redis key and channel, so that several deployments or tests can share one Redis. */
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'must be 1 to 40 letters, digits, "_" or "-"' })
  QUEUE_PREFIX = 'scimify';

  /** The team snapshot is read again (GET /team) when older than this (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  TEAM_SNAPSHOT_MAX_AGE_SECONDS = 300;

  /** Interval of the periodic team sync that turns accepted invites into members (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  TEAM_SYNC_INTERVAL_SECONDS = 300;

  /** Interval of the sweep that enqueues users whose desired state was not applied (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SWEEP_INTERVAL_SECONDS = 60;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  DROPBOX_SIGN_TIMEOUT_MS = 15_000;

  /** Attempts of a reconcile job before it lands in the failed set. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  RECONCILE_ATTEMPTS = 8;

  /** Delay before the first retry of a reconcile job; it doubles with every attempt (milliseconds). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  RECONCILE_BACKOFF_MS = 2000;

  /** Reconcile jobs one worker process runs at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  WORKER_CONCURRENCY = 10;

  /**
   * Dropbox Sign requests a minute that one API key may make, assumed until a response reports
   * its own X-RateLimit-Limit. Dropbox Sign documents 100 a minute (10 in test mode).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  DROPBOX_SIGN_RATE_LIMIT_PER_MINUTE = 100;

  /**
   * How long a reconcile job stays locked to its worker without a renewal (BullMQ lockDuration,
   * also its stalled-job check interval): the jobs of a killed worker run again after about
   * twice this time (milliseconds).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  WORKER_LOCK_DURATION_MS = 30_000;

  /** Largest page of a SCIM list response (RFC 7644 §3.4.2.4 `count`). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  SCIM_MAX_RESULTS = 200;

  /** Largest accepted SCIM request body (bytes). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  SCIM_MAX_BODY_BYTES = 1_048_576;

  /** Lifetime of an admin console session after login; it is not extended by activity (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  ADMIN_SESSION_TTL_SECONDS = 8 * 3600;

  /** Wrong admin tokens (login or bearer) from one client address within ADMIN_LOGIN_BLOCK_SECONDS before that address gets 429. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  ADMIN_LOGIN_MAX_FAILURES = 5;

  /** How long a client address stays blocked after too many failed admin logins (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ADMIN_LOGIN_BLOCK_SECONDS = 900;

  /** Wrong SCIM tokens from one client address within SCIM_AUTH_BLOCK_SECONDS before that address gets 429. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SCIM_AUTH_MAX_FAILURES = 20;

  /** How long an address that sent too many wrong SCIM tokens is refused (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SCIM_AUTH_BLOCK_SECONDS = 300;

  /**
   * Removals (member removals and invite cancellations of inactive or deleted users) that one
   * integration may apply within MASS_REMOVAL_WINDOW_MINUTES; further removals are held for an
   * operator. An integration's settings.massRemoval.maxCount overrides it.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MASS_REMOVAL_MAX_COUNT = 50;

  /**
   * Share of the integration's users with access (invited or member) that may be removed within
   * MASS_REMOVAL_WINDOW_MINUTES before further removals are held (percent). An integration's
   * settings.massRemoval.maxPercent overrides it.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  MASS_REMOVAL_MAX_PERCENT = 20;

  /**
   * Removals within a window that the percent limit never holds, so that a small team can lose a
   * member without an operator. MASS_REMOVAL_MAX_COUNT still applies. An integration's
   * settings.massRemoval.minCount overrides it.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  MASS_REMOVAL_MIN_COUNT = 20;

  /** Sliding window over which removals are counted for the mass-removal limits (minutes). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  MASS_REMOVAL_WINDOW_MINUTES = 60;

  /** Interval of the worker's heartbeat in Redis; the gateway counts a worker as alive for three intervals (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(300)
  WORKER_HEARTBEAT_INTERVAL_SECONDS = 5;

  /** When set, GET /metrics needs `Authorization: Bearer <value>`; unset, /metrics is open. */
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'must be at least 24 characters (openssl rand -hex 24)' })
  METRICS_BEARER_TOKEN?: string;

  @IsOptional()
  @IsString()
  NODE_ENV?: string;
}

export type AppConfig = Readonly<EnvironmentVariables>;
