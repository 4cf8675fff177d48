import { FakeDropboxSignControl, FakeRequest, FakeTeam, testServices } from '@scimify/testing';
import { Client } from 'pg';
import { FakeDropboxSignServer, startFakeDropboxSign } from '../apps/dropbox-sign-fake/src/fake-server';
import { AppProcess, createDeployment, createIntegration, deleteRedisKeys, Deployment, ensureBuilt, requestJson } from '../bench/provision-processes';
import { waitUntil } from './support/eventually';

/** Short job locks, so that the jobs of a killed worker run again within seconds instead of a minute. */
const LOCK_MS = 1500;

interface ScimTarget {
  id: string;
  token: string;
  scimBaseUrl: string;
}

async function createUser(target: ScimTarget, email: string): Promise<string> {
  const created = await requestJson<{ id: string }>(
    'POST',
    `${target.scimBaseUrl}/Users`,
    { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: email, emails: [{ primary: true, value: email }], active: true },
    { Authorization: `Bearer ${target.token}`, Accept: 'application/scim+json' },
  );
  return created.id;
}

function addMemberCalls(requests: FakeRequest[], email: string): FakeRequest[] {
  return requests.filter((request) => request.path === '/v3/team/add_member' && request.body?.email_address === email);
}

describe('provisioning after a worker crash and a Redis flush', () => {
  let redisUrl: string;
  let fakeServer: FakeDropboxSignServer;
  let fake: FakeDropboxSignControl;
  let team: FakeTeam;
  let deployment: Deployment;
  let db: Client;
  let integration: ScimTarget;

  const count = async (query: string, values: unknown[] = []): Promise<number> => (await db.query(query, values)).rows[0].n;
  const pendingChanges = () => count(`SELECT count(*)::int AS n FROM scim_user WHERE applied_generation < desired_generation`);

  beforeAll(async () => {
    ensureBuilt();
    const services = await testServices();
    redisUrl = services.redisUrl;
    fakeServer = await startFakeDropboxSign();
    fake = new FakeDropboxSignControl(fakeServer.url);
    team = await fake.createTeam({ name: 'Crash Team', plan: 'enterprise', rateLimitPerMinute: 1000 });

    deployment = await createDeployment({
      serverDatabaseUrl: services.databaseUrl,
      redisUrl,
      dropboxSignApiUrl: fake.apiUrl,
      name: 'test_crash',
      config: { SCIM_SYNC_WAIT_MS: '0', WORKER_CONCURRENCY: '4', WORKER_LOCK_DURATION_MS: String(LOCK_MS), SWEEP_INTERVAL_SECONDS: '1' },
    });
    const gateway = await deployment.start('gateway', 'gateway');
    integration = await createIntegration(gateway.url, deployment.adminToken, 'Crash Team', team.apiKey);

    db = new Client({ connectionString: deployment.databaseUrl });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await fake?.clearFaults();
    await db?.end();
    await deployment?.close();
    await fakeServer?.close();
  });

  it('finishes a batch after a worker is killed mid-call, without a second invite', async () => {
    const worker = await deployment.start('worker', 'worker-killed');
    // Slow invitations, so that the worker dies while Dropbox Sign is applying them.
    await fake.addFault({ status: 0, latencyMs: 1500, method: 'PUT', path: '/team/add_member', count: 4 });
    const emails = Array.from({ length: 10 }, (_, index) => `crash.user.${index}@example.test`);
    for (const email of emails) await createUser(integration, email);

    await waitUntil(async () => (await count(`SELECT count(*)::int AS n FROM scim_user WHERE pending_operation = 'add_member'`)) >= 2, 20_000, 'invitations are in flight', 200);
    await worker.kill();
    expect(worker.child.signalCode).toBe('SIGKILL');

    const restarted: AppProcess = await deployment.start('worker', 'worker-restarted');
    await waitUntil(async () => (await pendingChanges()) === 0, 30_000, 'the batch is applied', 200);

    const requests = await fake.requests(team.teamId);
    for (const email of emails) expect(addMemberCalls(requests, email)).toHaveLength(1);
    expect(await count(`SELECT count(*)::int AS n FROM scim_user WHERE observed_state = 'invited' AND pending_operation IS NULL`)).toBe(emails.length);
    const state = await fake.team(team.teamId);
    expect(state.invites.map((invite) => invite.email).sort()).toEqual([...emails].sort());
    // The recovered jobs read the team again instead of trusting a snapshot taken before the crash.
    expect(requests.filter((request) => request.method === 'GET' && request.path === '/v3/team').length).toBeGreaterThanOrEqual(2);

    await restarted.stop();
  }, 90_000);

  it('applies changes whose jobs Redis lost once the sweep runs', async () => {
    // Failed invitations wait a minute before their retry, so the changes are pending in Redis when it is flushed.
    const worker = await deployment.start('worker', 'worker-flushed', { RECONCILE_BACKOFF_MS: '60000' });
    await fake.addFault({ status: 503, errorName: 'unavailable', method: 'PUT', path: '/team/add_member', count: -1 });
    const emails = Array.from({ length: 4 }, (_, index) => `flushed.user.${index}@example.test`);
    const ids: string[] = [];
    for (const email of emails) ids.push(await createUser(integration, email));
    await waitUntil(async () => (await count(`SELECT count(*)::int AS n FROM scim_user WHERE id = ANY($1::uuid[]) AND last_error_code = 'unavailable'`, [ids])) === ids.length, 20_000, 'every invitation failed once', 200);

    const deleted = await deleteRedisKeys(redisUrl, deployment.queuePrefix);
    expect(deleted).toBeGreaterThan(0);
    await fake.clearFaults();

    await waitUntil(async () => (await pendingChanges()) === 0, 40_000, 'the sweep has applied the lost changes', 200);
    const requests = await fake.requests(team.teamId);
    for (const email of emails) {
      const accepted = addMemberCalls(requests, email).filter((request) => request.status === 200);
      expect(accepted).toHaveLength(1);
    }
    expect((await fake.team(team.teamId)).invites.map((invite) => invite.email)).toEqual(expect.arrayContaining(emails));

    await worker.stop();
  }, 90_000);
});
