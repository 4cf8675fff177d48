import { getQueueToken } from '@nestjs/bullmq';
import { QUEUES, reconcileJobId } from '@scimify/jobs';
import { FakeRequest, FakeTeam } from '@scimify/testing';
import { Job, Queue } from 'bullmq';
import { ReconcileProcessor } from '../apps/worker/src/reconcile/reconcile.processor';
import { createIntegration, scim, Stack, startStack } from './support/stack';
import { waitUntil } from './support/eventually';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function oktaUser(email: string): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: email, emails: [{ primary: true, value: email, type: 'work' }], active: true };
}

/** Creates users through SCIM and returns their ids. */
async function createUsers(integration: { scimBaseUrl: string; token: string }, emails: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const email of emails) {
    const created = await scim(integration.scimBaseUrl, integration.token, 'POST', '/Users', oktaUser(email));
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  return ids;
}

async function pendingCount(stack: Stack, ids: string[]): Promise<number> {
  const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM scim_user WHERE id = ANY($1::uuid[]) AND applied_generation < desired_generation`, [ids]);
  return rows[0].n;
}

function teamChanges(requests: FakeRequest[]): FakeRequest[] {
  return requests.filter((request) => request.path === '/v3/team/add_member' || request.path === '/v3/team/remove_member');
}

describe('provisioning fairness between integrations', () => {
  let stack: Stack;
  let queue: Queue;

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '0', WORKER_CONCURRENCY: '2', SWEEP_INTERVAL_SECONDS: '1', RECONCILE_ATTEMPTS: '2' });
    queue = stack.worker.get<Queue>(getQueueToken(QUEUES.reconcile));
  });

  afterAll(async () => {
    await stack?.fake.clearFaults();
    await stack?.close();
  });

  it('provisions beside an integration at 429', async () => {
    const limited = await stack.fake.createTeam({ name: 'Limited Team', rateLimitPerMinute: 4 });
    const healthy = await stack.fake.createTeam({ name: 'Healthy Team', rateLimitPerMinute: 1000 });
    // Another application with the same key uses up the window, so Scimify's first call gets 429.
    let resetAt = 0;
    for (let call = 0; call < 4; call += 1) {
      const response = await fetch(`${stack.fake.apiUrl}/account`, { headers: { Authorization: `Basic ${Buffer.from(`${limited.apiKey}:`).toString('base64')}` } });
      resetAt = Number(response.headers.get('x-ratelimit-reset'));
    }

    const limitedIntegration = await createIntegration(stack, { displayName: 'Limited', apiKey: limited.apiKey });
    const healthyIntegration = await createIntegration(stack, { displayName: 'Healthy', apiKey: healthy.apiKey });
    const limitedIds = await createUsers(limitedIntegration, Array.from({ length: 6 }, (_, index) => `limited.${index}@example.test`));
    const healthyIds = await createUsers(healthyIntegration, Array.from({ length: 3 }, (_, index) => `healthy.${index}@example.test`));

    await waitUntil(async () => (await pendingCount(stack, healthyIds)) === 0, 20_000, 'the healthy integration is provisioned');
    expect((await stack.fake.team(healthy.teamId)).invites).toHaveLength(3);

    const limitedRequests = await stack.fake.requests(limited.teamId);
    expect(limitedRequests.map((request) => request.status)).toEqual([200, 200, 200, 200, 429]);
    expect(await pendingCount(stack, limitedIds)).toBe(limitedIds.length);
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM scim_user WHERE id = ANY($1::uuid[]) AND observed_state = 'failed'`, [limitedIds]);
    expect(rows[0].n).toBe(0);

    // The jobs wait for the reset in the delayed set, and the 429 cost none of their attempts.
    const redis = await queue.client;
    for (const id of limitedIds) {
      const job = (await queue.getJob(reconcileJobId(id, 1))) as Job;
      expect(await job.getState()).toBe('delayed');
      expect(job.attemptsMade).toBe(0);
      // BullMQ scores a delayed job by its due time in milliseconds times 4096.
      const dueAt = Math.floor(Number(await redis.zscore(queue.keys.delayed, job.id!)) / 0x1000);
      expect(dueAt).toBeGreaterThanOrEqual(resetAt * 1000);
    }
  }, 40_000);

  it('pauses a rejected key until replaced', async () => {
    const team = await stack.fake.createTeam({ name: 'Rotated Team' });
    const integration = await createIntegration(stack, { displayName: 'Rotated', apiKey: 'revoked-key-0000000000' });
    const ids = await createUsers(integration, ['rotated.0@example.test', 'rotated.1@example.test']);

    await waitUntil(async () => {
      const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM scim_user WHERE id = ANY($1::uuid[]) AND last_error_code = 'unauthorized'`, [ids]);
      return rows[0].n === ids.length;
    }, 20_000, 'both users show the rejected key');
    expect((await stack.admin('GET', `/integrations/${integration.id}`)).body.authFailing).toBe(true);
    for (const id of ids) {
      const job = (await queue.getJob(reconcileJobId(id, 1))) as Job;
      expect(await job.getState()).toBe('delayed');
      expect(job.attemptsMade).toBe(0);
    }
    const { rows } = await stack.db.query(`SELECT observed_state AS state FROM scim_user WHERE id = ANY($1::uuid[])`, [ids]);
    expect(rows.map((row: { state: string }) => row.state)).toEqual(['none', 'none']);

    const updated = await stack.admin('PATCH', `/integrations/${integration.id}`, { apiKey: team.apiKey });
    expect(updated.status).toBe(200);

    // The sweep resumes the parked jobs long before their own recheck.
    await waitUntil(async () => (await pendingCount(stack, ids)) === 0, 15_000, 'the parked jobs ran with the new key');
    const invited = (await stack.fake.team(team.teamId)).invites.map((invite) => invite.email).sort();
    expect(invited).toEqual(['rotated.0@example.test', 'rotated.1@example.test']);
  }, 40_000);

  it('keeps exhausted jobs in the failed set', async () => {
    const team = await stack.fake.createTeam({ name: 'Failing Team' });
    const integration = await createIntegration(stack, { displayName: 'Failing', apiKey: team.apiKey });
    await stack.fake.addFault({ status: 500, method: 'PUT', path: '/team/add_member', count: 2 });

    const [id] = await createUsers(integration, ['failing.0@example.test']);
    const job = (await queue.getJob(reconcileJobId(id, 1))) as Job;
    await waitUntil(async () => (await job.getState()) === 'failed', 20_000, 'the job has failed');

    const failed = await queue.getFailed();
    expect(failed.map((entry) => entry.id)).toContain(job.id);
    const { rows } = await stack.db.query(`SELECT observed_state AS state, last_error AS error, last_error_code AS code FROM scim_user WHERE id = $1`, [id]);
    expect(rows[0].state).toBe('failed');
    expect(rows[0].code).toBe('unknown');
    expect(rows[0].error).toEqual(expect.any(String));
    expect(teamChanges(await stack.fake.requests(team.teamId))).toHaveLength(2);
  }, 40_000);
});

describe('provisioning priorities', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '0', WORKER_CONCURRENCY: '1' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('removes leavers before inviting newcomers', async () => {
    const team: FakeTeam = await stack.fake.createTeam({ name: 'Priority Team', rateLimitPerMinute: 1000 });
    const integration = await createIntegration(stack, { displayName: 'Priority', apiKey: team.apiKey });
    const leavers = await createUsers(integration, ['leaver.0@example.test', 'leaver.1@example.test', 'leaver.2@example.test']);
    await waitUntil(async () => (await pendingCount(stack, leavers)) === 0, 20_000, 'the leavers are invited');

    const worker = stack.worker.get(ReconcileProcessor).worker;
    await worker.pause();
    const newcomers = await createUsers(integration, ['newcomer.0@example.test', 'newcomer.1@example.test', 'newcomer.2@example.test', 'newcomer.3@example.test']);
    for (const id of leavers) {
      const patched = await scim(integration.scimBaseUrl, integration.token, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
      expect(patched.status).toBe(200);
    }
    const before = (await stack.fake.requests(team.teamId)).length;
    worker.resume();

    await waitUntil(async () => (await pendingCount(stack, [...leavers, ...newcomers])) === 0, 20_000, 'every change is applied');
    const calls = teamChanges((await stack.fake.requests(team.teamId)).slice(before)).map((request) => request.path.replace('/v3/team/', ''));
    expect(calls).toEqual(['remove_member', 'remove_member', 'remove_member', 'add_member', 'add_member', 'add_member', 'add_member']);
  }, 40_000);
});
