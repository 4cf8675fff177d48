import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Result of a job attempt: done, failed with a retry to come, or failed for good. */
export type JobOutcome = 'completed' | 'retrying' | 'failed';

/**
 * Why a Dropbox Sign call or a job waited for the per-key limiter: `pacing` before a call
 * while the key's allowance is used up, `rate_limited` until the reset time after a 429,
 * `auth_failed` while the integration's key is rejected.
 */
export type LimiterWaitReason = 'pacing' | 'rate_limited' | 'auth_failed';

/** Latency buckets of HTTP requests and Dropbox Sign calls (seconds). */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Buckets of job durations and limiter waits, which run from milliseconds to minutes (seconds). */
const LONG_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

/**
 * Prometheus metrics of one app, in a registry of its own so that several apps in one process
 * (tests) do not collide. Other services record through the named methods below. Dashboards and
 * alerts use the series names, so change a name only together with them.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Histogram({
    name: 'scimify_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code, with their duration',
    labelNames: ['method', 'route', 'status_code'],
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });

  private readonly jobs = new Histogram({
    name: 'scimify_job_duration_seconds',
    help: 'Job attempts by queue, job name and outcome (completed, retrying, failed), with their duration',
    labelNames: ['queue', 'name', 'outcome'],
    buckets: LONG_BUCKETS,
    registers: [this.registry],
  });

  private readonly dropboxSignCalls = new Histogram({
    name: 'scimify_dropbox_sign_request_duration_seconds',
    help: 'Dropbox Sign API calls by method, endpoint and HTTP status (or timeout, connection_failed), with their duration',
    labelNames: ['method', 'endpoint', 'status'],
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });

  private readonly rateLimited = new Counter({
    name: 'scimify_dropbox_sign_rate_limited_total',
    help: 'Dropbox Sign responses with HTTP 429 (exceeded_rate), by endpoint',
    labelNames: ['endpoint'],
    registers: [this.registry],
  });

  private readonly limiterWaits = new Histogram({
    name: 'scimify_limiter_wait_seconds',
    help: 'Waits imposed by the per-key Dropbox Sign limiter, by reason (pacing, rate_limited, auth_failed)',
    labelNames: ['reason'],
    buckets: LONG_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one HTTP request; `route` is the route pattern such as /scim/v2/:integrationId/Users/:id. */
  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpRequests.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /** Records one job attempt. */
  observeJob(queue: string, name: string, outcome: JobOutcome, seconds: number): void {
    this.jobs.observe({ queue, name, outcome }, seconds);
  }

  /**
   * Records one Dropbox Sign call; `endpoint` is the API path such as /team/add_member, and
   * `status` the HTTP status or the transport failure. A 429 also counts as rate limited.
   */
  observeDropboxSignCall(method: string, endpoint: string, status: number | string, seconds: number): void {
    this.dropboxSignCalls.observe({ method: method.toUpperCase(), endpoint, status: String(status) }, seconds);
    if (status === 429) this.rateLimited.inc({ endpoint });
  }

  /** Records a wait of the per-key limiter: the time a call was held, or the delay given to a job. */
  observeLimiterWait(reason: LimiterWaitReason, seconds: number): void {
    this.limiterWaits.observe({ reason }, seconds);
  }

  /** Renders every metric of this app in the Prometheus text format. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
