import { INestApplication } from '@nestjs/common';
import { FakeTeam, testConfig, testServices, uniqueQueuePrefix } from '@scimify/testing';
import { Queue } from 'bullmq';
import { createGatewayApp } from '../apps/gateway/src/gateway-app';
import { createWorkerApp } from '../apps/worker/src/worker-app';
import { http } from './support/admin-http';
import { createIntegration, scim, Stack, startStack } from './support/stack';
import { waitFor } from './support/eventually';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

function userBody(email: string): Record<string, unknown> {
  return { schemas: [CORE], userName: email, emails: [{ primary: true, value: email, type: 'work' }], active: true };
}

async function text(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** Reads the value of one series from Prometheus exposition text; null when the series is absent. */
function sample(metrics: string, series: string): number | null {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe('operations: health, metrics and Bull Board', () => {
  let stack: Stack;
  let team: FakeTeam;
  let integration: { id: string; token: string; scimBaseUrl: string };
  let workerUrl: string;
  const bearer = () => ({ Authorization: `Bearer ${stack.config.SCIMIFY_ADMIN_TOKEN}` });

  beforeAll(async () => {
    stack = await startStack({ RECONCILE_ATTEMPTS: '1', SCIM_SYNC_WAIT_MS: '1000', WORKER_HEARTBEAT_INTERVAL_SECONDS: '1' });
    team = await stack.fake.createTeam({ name: 'Operations', plan: 'enterprise', rateLimitPerMinute: 1000 });
    integration = await createIntegration(stack, { displayName: 'Operations', apiKey: team.apiKey });
    workerUrl = (await stack.worker.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('reports both apps live and ready, the gateway with the worker heartbeat', async () => {
    const gatewayLive = await text(`${stack.gatewayUrl}/health/live`);
    const gatewayReady = await text(`${stack.gatewayUrl}/health/ready`);
    const workerReady = await text(`${workerUrl}/health/ready`);

    expect(gatewayLive.status).toBe(200);
    expect(gatewayReady.status).toBe(200);
    expect(JSON.parse(gatewayReady.body)).toMatchObject({ status: 'ok', postgres: { status: 'up' }, redis: { status: 'up' }, workers: { status: 'up', alive: 1 } });
    expect(workerReady.status).toBe(200);
    expect(JSON.parse(workerReady.body)).toMatchObject({ status: 'ok', heartbeat: { status: 'up' } });
  });

  it('counts a second worker while it runs and drops it when it stops', async () => {
    const second = await createWorkerApp(stack.config);
    await second.listen(0, '127.0.0.1');
    const withTwo = JSON.parse((await text(`${stack.gatewayUrl}/health/ready`)).body);
    await second.close();
    const afterStop = JSON.parse((await text(`${stack.gatewayUrl}/health/ready`)).body);

    expect(withTwo.workers.alive).toBe(2);
    expect(afterStop.workers.alive).toBe(1);
  });

  it('exposes SCIM requests by route pattern, jobs and Dropbox Sign calls as metrics', async () => {
    const created = await scim(integration.scimBaseUrl, integration.token, 'POST', '/Users', userBody('metrics.user@example.test'));
    await scim(integration.scimBaseUrl, integration.token, 'GET', `/Users/${created.body.id}`);
    const worker = await waitFor(
      () => text(`${workerUrl}/metrics`).then((response) => response.body),
      (body) => (sample(body, 'scimify_job_duration_seconds_count{queue="reconcile",name="reconcile-user",outcome="completed"}') ?? 0) >= 1,
    );
    const gateway = await text(`${stack.gatewayUrl}/metrics`);

    expect(gateway.status).toBe(200);
    expect(gateway.headers.get('content-type')).toContain('text/plain');
    expect(sample(gateway.body, 'scimify_http_request_duration_seconds_count{method="POST",route="/scim/v2/:integrationId/Users",status_code="201"}')).toBe(1);
    expect(sample(gateway.body, 'scimify_http_request_duration_seconds_count{method="GET",route="/scim/v2/:integrationId/Users/:id",status_code="200"}')).toBe(1);
    expect(gateway.body).not.toContain(integration.id);
    expect(gateway.body).not.toContain(created.body.id);
    expect(sample(gateway.body, 'scimify_workers_alive')).toBe(1);
    expect(sample(gateway.body, 'scimify_queue_jobs{queue="reconcile",state="completed"}')).toBeGreaterThanOrEqual(1);
    expect(sample(gateway.body, 'scimify_queue_oldest_waiting_job_age_seconds{queue="reconcile"}')).toBe(0);
    expect(sample(worker, 'scimify_dropbox_sign_request_duration_seconds_count{method="PUT",endpoint="/team/add_member",status="200"}')).toBe(1);
    expect(worker).toContain('# TYPE scimify_limiter_wait_seconds histogram');
    expect(worker).toContain('process_resident_memory_bytes');
  });

  it('counts Dropbox Sign 429 responses', async () => {
    // A team of its own, because after a 429 the worker delays this key's jobs until the reset time.
    const limitedTeam = await stack.fake.createTeam({ name: 'Rate limited', plan: 'enterprise', rateLimitPerMinute: 1000 });
    const limited = await createIntegration(stack, { displayName: 'Rate limited', apiKey: limitedTeam.apiKey });
    await stack.fake.addFault({ status: 429, errorName: 'exceeded_rate', method: 'PUT', path: '/team/add_member', count: 1 });
    await scim(limited.scimBaseUrl, limited.token, 'POST', '/Users', userBody('limited.user@example.test'));
    const worker = await waitFor(
      () => text(`${workerUrl}/metrics`).then((response) => response.body),
      (body) => sample(body, 'scimify_dropbox_sign_rate_limited_total{endpoint="/team/add_member"}') === 1,
    );

    expect(sample(worker, 'scimify_dropbox_sign_request_duration_seconds_count{method="PUT",endpoint="/team/add_member",status="429"}')).toBe(1);
    expect(sample(worker, 'scimify_dropbox_sign_rate_limited_total{endpoint="/team/add_member"}')).toBe(1);
  });

  it('serves Bull Board for both queues offline', async () => {
    const page = await http(stack, 'GET', '/admin/queues', { headers: bearer() });
    const queues = await http(stack, 'GET', '/admin/queues/api/queues', { headers: bearer() });

    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(queues.json().queues.map((queue: { name: string }) => queue.name).sort()).toEqual(['maintenance', 'reconcile']);
  });

  it('audits a job retried in Bull Board with the ids of its user', async () => {
    await stack.fake.addFault({ status: 500, method: 'PUT', path: '/team/add_member', count: -1 });
    const created = await scim(integration.scimBaseUrl, integration.token, 'POST', '/Users', userBody('retry.me@example.test'));
    const jobId = `user-${created.body.id}-g1`;
    const reconcile = new Queue('reconcile', { connection: { url: stack.config.REDIS_URL } as never, prefix: stack.config.QUEUE_PREFIX });
    await waitFor(() => reconcile.getJobState(jobId), (state) => state === 'failed');
    await stack.fake.clearFaults();

    const retried = await http(stack, 'PUT', `/admin/queues/api/queues/reconcile/${jobId}/retry`, { headers: bearer() });
    const state = await waitFor(() => reconcile.getJobState(jobId), (value) => value === 'completed');
    const audit = await stack.admin('GET', `/audit?action=job_retried`);
    await reconcile.close();

    expect(retried.status).toBeLessThan(300);
    expect(state).toBe('completed');
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0]).toMatchObject({ actor: 'admin', outcome: 'success', jobId, integrationId: integration.id, userId: created.body.id });
    expect(audit.body.events[0].details).toMatchObject({ source: 'bull_board', operation: 'retry', queue: 'reconcile' });
  });

  describe('a gateway without a worker', () => {
    let gateway: INestApplication;
    let url: string;
    let prefix: string;
    const metricsToken = 'metrics-token-0123456789abcdef';

    beforeAll(async () => {
      const { redisUrl } = await testServices();
      prefix = uniqueQueuePrefix();
      // A second gateway on the same database, so it needs the same encryption key.
      const config = testConfig({
        databaseUrl: stack.config.DATABASE_URL,
        redisUrl,
        queuePrefix: prefix,
        METRICS_BEARER_TOKEN: metricsToken,
        SCIMIFY_ENCRYPTION_KEY: stack.config.SCIMIFY_ENCRYPTION_KEY,
      });
      gateway = await createGatewayApp(config);
      await gateway.listen(0, '127.0.0.1');
      url = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
    });

    afterAll(async () => {
      await gateway?.close();
    });

    it('stays ready and reports that no worker is alive', async () => {
      const ready = await text(`${url}/health/ready`);

      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toMatchObject({ status: 'ok', workers: { status: 'down', alive: 0, lastBeatSecondsAgo: null } });
    });

    it('protects /metrics with METRICS_BEARER_TOKEN when it is set', async () => {
      expect((await text(`${url}/metrics`)).status).toBe(401);
      expect((await text(`${url}/metrics`, { Authorization: 'Bearer wrong-metrics-token-000000' })).status).toBe(401);
      expect((await text(`${url}/metrics`, { Authorization: `Bearer ${metricsToken}` })).status).toBe(200);
    });

    it('reports queue depth and the age of the oldest waiting job', async () => {
      const connection = { url: stack.config.REDIS_URL } as never;
      const reconcile = new Queue('reconcile', { connection, prefix });
      const maintenance = new Queue('maintenance', { connection, prefix });
      await reconcile.add('reconcile-user', { integrationId: integration.id, userId: 'u', generation: 1 }, { priority: 5 });
      await reconcile.add('reconcile-user', { integrationId: integration.id, userId: 'v', generation: 1 }, { priority: 1 });
      await maintenance.add('sweep-pending', {});
      await new Promise((resolve) => setTimeout(resolve, 1100));

      const metrics = (await text(`${url}/metrics`, { Authorization: `Bearer ${metricsToken}` })).body;
      await Promise.all([reconcile.obliterate({ force: true }), maintenance.obliterate({ force: true })]);
      await Promise.all([reconcile.close(), maintenance.close()]);

      expect(sample(metrics, 'scimify_queue_jobs{queue="reconcile",state="prioritized"}')).toBe(2);
      expect(sample(metrics, 'scimify_queue_jobs{queue="maintenance",state="wait"}')).toBe(1);
      expect(sample(metrics, 'scimify_queue_oldest_waiting_job_age_seconds{queue="reconcile"}')).toBeGreaterThanOrEqual(1);
      expect(sample(metrics, 'scimify_queue_oldest_waiting_job_age_seconds{queue="maintenance"}')).toBeGreaterThanOrEqual(1);
      expect(sample(metrics, 'scimify_workers_alive')).toBe(0);
    });
  });
});
