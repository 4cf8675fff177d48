import { AppConfig } from '@scimify/config';
import { CallThrottledError } from '@scimify/dropbox-sign';
import { IntegrationEntity } from '@scimify/persistence';
import { testConfig, testServices, uniqueQueuePrefix } from '@scimify/testing';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { WorkerRedisService } from '../worker-redis.service';
import { CallPacerService } from './call-pacer.service';
import { IntegrationPauseService } from './integration-pause.service';
import { IntegrationPausedException } from './integration-paused.exception';

/** Deletes the test's keys, because other test files share this Redis. */
async function deleteKeys(redis: WorkerRedisService): Promise<void> {
  const keys = await redis.client.keys(redis.key('*'));
  if (keys.length > 0) await redis.client.del(...keys);
}

/** Runs `work` and returns what it threw. */
async function thrownBy(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('CallPacerService on Redis', () => {
  let config: AppConfig;
  const replicas: WorkerRedisService[] = [];

  /** Creates a pacer with a Redis connection of its own, like a worker replica. */
  function replica(): CallPacerService {
    const redis = new WorkerRedisService(config);
    replicas.push(redis);
    return new CallPacerService(redis, config);
  }

  beforeAll(async () => {
    const { redisUrl } = await testServices();
    config = testConfig({ databaseUrl: 'postgres://unused@127.0.0.1/unused', redisUrl, queuePrefix: uniqueQueuePrefix(), DROPBOX_SIGN_RATE_LIMIT_PER_MINUTE: '3' });
  });

  afterAll(async () => {
    await deleteKeys(replicas[0]);
    await Promise.all(replicas.map((redis) => redis.onApplicationShutdown()));
  });

  it('allows the configured calls a minute, then throttles', async () => {
    const pacer = replica();
    for (let call = 0; call < 3; call += 1) await pacer.acquire('key-configured');

    const error = await thrownBy(() => pacer.acquire('key-configured'));
    expect(error).toBeInstanceOf(CallThrottledError);
    expect((error as CallThrottledError).limit).toBe(3);
    expect((error as CallThrottledError).retryAt).toBeGreaterThan(Date.now() + 55_000);
    expect((error as CallThrottledError).retryAt).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('shares one allowance between replicas', async () => {
    const first = replica();
    const second = replica();

    await first.acquire('key-shared');
    await second.acquire('key-shared');
    await first.acquire('key-shared');

    expect(await thrownBy(() => second.acquire('key-shared'))).toBeInstanceOf(CallThrottledError);
  });

  it('takes the window size from X-RateLimit-Limit', async () => {
    const pacer = replica();
    await pacer.observe('key-reported', { limit: 5, remaining: 4, resetAt: Math.ceil(Date.now() / 1000) + 50 });

    expect(await pacer.limitOf('key-reported')).toBe(5);
    for (let call = 0; call < 4; call += 1) await pacer.acquire('key-reported');
    const error = await thrownBy(() => pacer.acquire('key-reported'));
    expect((error as CallThrottledError).limit).toBe(5);
  });

  it('counts calls made elsewhere with the same key', async () => {
    const pacer = replica();
    await pacer.acquire('key-elsewhere');
    await pacer.observe('key-elsewhere', { limit: 3, remaining: 0, resetAt: Math.ceil(Date.now() / 1000) + 20 });

    expect(await thrownBy(() => pacer.acquire('key-elsewhere'))).toBeInstanceOf(CallThrottledError);
  });

  it('keeps the window open until X-Ratelimit-Reset', async () => {
    const pacer = replica();
    await pacer.acquire('key-reset');
    await pacer.observe('key-reset', { limit: 3, remaining: 2, resetAt: Math.ceil(Date.now() / 1000) + 90 });
    await pacer.acquire('key-reset');
    await pacer.acquire('key-reset');

    const error = await thrownBy(() => pacer.acquire('key-reset'));
    expect((error as CallThrottledError).retryAt).toBeGreaterThan(Date.now() + 85_000);
  });

  it('ignores a reset time in the past', async () => {
    const pacer = replica();
    await pacer.observe('key-stale', { limit: 3, remaining: 0, resetAt: Math.floor(Date.now() / 1000) - 5 });

    await expect(pacer.acquire('key-stale')).resolves.toBeUndefined();
  });
});

describe('IntegrationPauseService on Redis', () => {
  let redis: WorkerRedisService;
  let pauses: IntegrationPauseService;
  const integration = { id: 'integration-a', authFailedAt: null } as IntegrationEntity;

  beforeAll(async () => {
    const { redisUrl } = await testServices();
    const config = testConfig({ databaseUrl: 'postgres://unused@127.0.0.1/unused', redisUrl, queuePrefix: uniqueQueuePrefix() });
    redis = new WorkerRedisService(config);
    // The rate-limit pause uses neither the queue nor the database.
    pauses = new IntegrationPauseService(redis, {} as Queue, {} as DataSource);
  });

  afterAll(async () => {
    await deleteKeys(redis);
    await redis.onApplicationShutdown();
  });

  it('spreads paused invitations at the key rate and lets removals go first', async () => {
    const until = Date.now() + 30_000;

    const first = await pauses.pauseForRateLimit(integration.id, until, 60, { jobId: 'job-1', deprovision: false });
    const second = await pauses.pauseForRateLimit(integration.id, until, 60, { jobId: 'job-2', deprovision: false });
    const removal = await pauses.pauseForRateLimit(integration.id, until, 60, { jobId: 'job-3', deprovision: true });

    expect(first.retryAt).toBe(until);
    expect(second.retryAt).toBe(until + 1000);
    expect(removal.retryAt).toBe(until);
    expect(first.reason).toBe('rate_limited');
  });

  it('delays the other jobs of a paused integration', async () => {
    const error = await thrownBy(() => pauses.assertRunnable(integration, { jobId: 'job-4', deprovision: false }));

    expect(error).toBeInstanceOf(IntegrationPausedException);
    expect((error as IntegrationPausedException).retryAt).toBeGreaterThan(Date.now() + 30_000);
  });

  it('lets the jobs of another integration run', async () => {
    const other = { id: 'integration-b', authFailedAt: null } as IntegrationEntity;

    await expect(pauses.assertRunnable(other, { jobId: 'job-5', deprovision: false })).resolves.toBeUndefined();
  });
});
