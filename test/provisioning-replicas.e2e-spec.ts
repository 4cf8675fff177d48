import { redisOptionsFromUrl } from '@scimify/config';
import { JOBS, QUEUES, reconcileJobOptions } from '@scimify/jobs';
import { FakeDropboxSignControl, FakeRequest, FakeTeam, testServices } from '@scimify/testing';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { FakeDropboxSignServer, startFakeDropboxSign } from '../apps/dropbox-sign-fake/src/fake-server';
import { createDeployment, createIntegration, Deployment, ensureBuilt } from '../bench/provision-processes';
import { maxAcceptedInAWindow } from '../bench/provision-report';
import { scim } from './support/stack';
import { waitUntil } from './support/eventually';

/**
 * The changes below take 14 calls (GET /account, GET /team, 9 invitations, 3 removals): more
 * than one of the fake's one-minute windows allows, and few enough that the second window
 * finishes them in seconds.
 */
const RATE_LIMIT = 10;
const USERS = 9;
const LEAVERS = 3;

const oktaUser = (email: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: email,
  emails: [{ primary: true, value: email, type: 'work' }],
  active: true,
});

function callsTo(requests: FakeRequest[], path: string): FakeRequest[] {
  return requests.filter((request) => request.path === path);
}

function countByEmail(requests: FakeRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const email = String(request.body?.email_address);
    counts.set(email, (counts.get(email) ?? 0) + 1);
  }
  return counts;
}

describe('provisioning with two worker processes', () => {
  let fakeServer: FakeDropboxSignServer;
  let fake: FakeDropboxSignControl;
  let team: FakeTeam;
  let deployment: Deployment;
  let db: Client;
  let queue: Queue;
  let integration: { id: string; token: string; scimBaseUrl: string };

  beforeAll(async () => {
    ensureBuilt();
    const { databaseUrl, redisUrl } = await testServices();
    fakeServer = await startFakeDropboxSign();
    fake = new FakeDropboxSignControl(fakeServer.url);
    team = await fake.createTeam({ name: 'Replica Team', plan: 'enterprise', rateLimitPerMinute: RATE_LIMIT });

    deployment = await createDeployment({
      serverDatabaseUrl: databaseUrl,
      redisUrl,
      dropboxSignApiUrl: fake.apiUrl,
      name: 'test_replicas',
      config: { SCIM_SYNC_WAIT_MS: '0', WORKER_CONCURRENCY: '3', RECONCILE_BACKOFF_MS: '500' },
    });
    await Promise.all([deployment.start('worker', 'worker-1'), deployment.start('worker', 'worker-2')]);
    const gateway = await deployment.start('gateway', 'gateway');
    integration = await createIntegration(gateway.url, deployment.adminToken, 'Replica Team', team.apiKey);

    db = new Client({ connectionString: deployment.databaseUrl });
    await db.connect();
    queue = new Queue(QUEUES.reconcile, { connection: redisOptionsFromUrl(redisUrl), prefix: deployment.queuePrefix });
  }, 60_000);

  afterAll(async () => {
    await queue?.close();
    await db?.end();
    await deployment?.close();
    await fakeServer?.close();
  });

  it('applies every change once and stays within the rate limit', async () => {
    const users = (method: string, path: string, body?: unknown) => scim(integration.scimBaseUrl, integration.token, method, path, body);
    const emails = Array.from({ length: USERS }, (_, index) => `replica.user.${index}@example.test`);

    for (const email of emails) {
      const lookup = await users('GET', `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}&startIndex=1&count=100`);
      expect(lookup.body.totalResults).toBe(0);
      const created = await users('POST', '/Users', oktaUser(email));
      expect(created.status).toBe(201);

      // A second job for the same user, so that both workers may reach for the user at once.
      const payload = { integrationId: integration.id, userId: created.body.id, generation: 1 };
      await queue.add(JOBS.reconcileUser, payload, { ...reconcileJobOptions(payload, false, { attempts: 3, backoffMs: 500 }), jobId: `duplicate-${created.body.id}` });
    }

    // Leavers are users whose invitation went out already, so that each removal reaches Dropbox Sign.
    const invited = async () => (await db.query(`SELECT id FROM scim_user WHERE applied_generation >= 1 ORDER BY id LIMIT ${LEAVERS}`)).rows.map((row: { id: string }) => row.id);
    await waitUntil(async () => (await invited()).length === LEAVERS, 60_000, 'three users are invited', 250);
    const leavers = await invited();
    for (const id of leavers) {
      const patched = await users('PATCH', `/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
      expect(patched.status).toBe(200);
    }

    // 14 calls at 10 a minute span two or three of the fake's one-minute windows, and more on a loaded machine.
    await waitUntil(async () => (await db.query(`SELECT count(*)::int AS n FROM scim_user WHERE applied_generation < desired_generation`)).rows[0].n === 0, 170_000, 'every change is applied', 250);

    const { rows: states } = await db.query(`SELECT observed_state AS state, count(*)::int AS n FROM scim_user GROUP BY 1 ORDER BY 1`);
    expect(states).toEqual([
      { state: 'invited', n: USERS - LEAVERS },
      { state: 'removed', n: LEAVERS },
    ]);

    const requests = await fake.requests(team.teamId);
    expect(requests.filter((request) => request.status === 429)).toEqual([]);
    expect(maxAcceptedInAWindow(requests)).toBeLessThanOrEqual(RATE_LIMIT);

    const invites = countByEmail(callsTo(requests, '/v3/team/add_member'));
    expect([...invites.keys()].sort()).toEqual([...emails].sort());
    expect([...invites.values()].every((count) => count === 1)).toBe(true);

    const removals = countByEmail(callsTo(requests, '/v3/team/remove_member'));
    expect(removals.size).toBe(LEAVERS);
    expect([...removals.values()].every((count) => count === 1)).toBe(true);

    // One team read shared by both workers, and one account read for the team id.
    expect(callsTo(requests, '/v3/team').filter((request) => request.method === 'GET')).toHaveLength(1);
    expect(callsTo(requests, '/v3/account')).toHaveLength(1);
    expect(requests).toHaveLength(2 + USERS + LEAVERS);

    const completed = await queue.getCompleted(0, 1000);
    expect(new Set(completed.map((job) => job.processedBy)).size).toBe(2);
    const state = await fake.team(team.teamId);
    expect(state.invites).toHaveLength(USERS - LEAVERS);
  }, 240_000);
});
