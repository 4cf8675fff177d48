import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, FakeDropboxSignControl, TestDatabase, testServices, uniqueQueuePrefix } from '@scimify/testing';
import { startFakeDropboxSign, FakeDropboxSignServer } from '../apps/dropbox-sign-fake/src/fake-server';
import { eventually } from './support/eventually';

const ROOT = join(__dirname, '..');
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** docker-compose.yml gives each app this long to stop before it is killed (stop_grace_period). */
const STOP_GRACE_MS = 30_000;

interface RunningApp {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

function startApp(script: string, env: NodeJS.ProcessEnv): RunningApp {
  const child = spawn(process.execPath, [join(ROOT, script)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not respond within ${timeoutMs} ms`);
}

const built = existsSync(join(ROOT, 'dist/apps/worker/src/main.js'));

(built ? describe : describe.skip)('SIGTERM during work', () => {
  let database: TestDatabase;
  let fakeServer: FakeDropboxSignServer;
  let fake: FakeDropboxSignControl;
  let env: NodeJS.ProcessEnv;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    const { redisUrl } = await testServices();
    database = await createTestDatabase();
    fakeServer = await startFakeDropboxSign();
    fake = new FakeDropboxSignControl(fakeServer.url);
    const gatewayPort = String(20000 + Math.floor(Math.random() * 20000));
    env = {
      PATH: process.env.PATH,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: uniqueQueuePrefix(),
      SCIMIFY_ENCRYPTION_KEY: 'b'.repeat(64),
      SCIMIFY_ADMIN_TOKEN: 'shutdown-test-admin-token-0123456789',
      PUBLIC_BASE_URL: `http://127.0.0.1:${gatewayPort}`,
      DROPBOX_SIGN_API_URL: `${fakeServer.url}/v3`,
      GATEWAY_PORT: gatewayPort,
      WORKER_PORT: String(Number(gatewayPort) + 1),
      LISTEN_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SCIM_SYNC_WAIT_MS: '0',
      SWEEP_INTERVAL_SECONDS: '2',
      RECONCILE_BACKOFF_MS: '200',
    };
  });

  afterAll(async () => {
    for (const app of apps) app.child.kill('SIGKILL');
    await fakeServer?.close();
    await database?.drop();
  });

  it('lets the worker and gateway finish and exit within the grace period', async () => {
    const gateway = startApp('dist/apps/gateway/src/main.js', env);
    const worker = startApp('dist/apps/worker/src/main.js', env);
    apps.push(gateway, worker);
    await waitForHttp(`http://127.0.0.1:${env.GATEWAY_PORT}/health/ready`);
    await waitForHttp(`http://127.0.0.1:${env.WORKER_PORT}/health/ready`);

    const admin = { Authorization: `Bearer ${env.SCIMIFY_ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
    const adminUrl = `http://127.0.0.1:${env.GATEWAY_PORT}/admin/api/integrations`;
    const team = await fake.createTeam({ rateLimitPerMinute: 10_000 });
    const integration = await (await fetch(adminUrl, { method: 'POST', headers: admin, body: JSON.stringify({ displayName: 'Shutdown', apiKey: team.apiKey }) })).json() as { id: string };
    await fetch(`${adminUrl}/${integration.id}/enable`, { method: 'POST', headers: { Authorization: admin.Authorization } });
    const issued = await fetch(`${adminUrl}/${integration.id}/tokens`, { method: 'POST', headers: { Authorization: admin.Authorization } });
    const { token, scimBaseUrl } = (await issued.json()) as { token: string; scimBaseUrl: string };
    expect({ status: issued.status, scimBaseUrl }).toEqual({ status: 201, scimBaseUrl: expect.any(String) });

    // Slow calls keep the worker busy when SIGTERM arrives.
    await fake.addFault({ status: 0, latencyMs: 1500, count: -1, path: '/team/add_member' });
    const emails = Array.from({ length: 6 }, (_, index) => `shutdown${index}@example.test`);
    for (const email of emails) {
      const response = await fetch(`${scimBaseUrl}/Users`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' }, body: JSON.stringify({ schemas: [CORE], userName: email }) });
      expect(response.status).toBe(201);
    }
    await eventually(async () => (await fake.requests(team.teamId)).some((request) => request.path === '/v3/team/add_member'), 10_000);

    const stopStarted = Date.now();
    worker.child.kill('SIGTERM');
    gateway.child.kill('SIGTERM');
    const exits = await Promise.all([worker.exited, gateway.exited]);
    expect(Date.now() - stopStarted).toBeLessThan(STOP_GRACE_MS);
    // Nest closes the app and then raises the signal again, so a clean stop ends by SIGTERM. A failed close exits with code 1.
    for (const exit of exits) expect([{ code: 0, signal: null }, { code: null, signal: 'SIGTERM' }]).toContainEqual(exit);

    await fake.clearFaults();
    const restarted = startApp('dist/apps/worker/src/main.js', env);
    apps.push(restarted);

    const allInvited = await eventually(async () => {
      const state = await fake.team(team.teamId);
      return emails.every((email) => state.invites.some((invite) => invite.email === email));
    }, 60_000);
    expect(allInvited).toBe(true);

    const adds = (await fake.requests(team.teamId)).filter((request) => request.path === '/v3/team/add_member' && request.status === 200);
    for (const email of emails) {
      expect({ email, invites: adds.filter((request) => request.body?.email_address === email).length }).toEqual({ email, invites: 1 });
    }
  });
});
