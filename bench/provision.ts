/**
 * `npm run bench:provision`: provisions users through the SCIM API the way Okta does (GET with a
 * userName filter, then POST) and deactivates some of them (PATCH active false). It waits until
 * the worker has applied every change to the fake Dropbox Sign, then reports the API calls per
 * change, the 429 responses and the call rate achieved against the team's rate limit. Gateway, worker and
 * fake run as child processes from dist/; Postgres and Redis are the ones named by DATABASE_URL
 * and REDIS_URL (default: loopback). Writes bench/results/provision.json.
 *
 * BENCH_USERS (1000), BENCH_DEACTIVATE (200), BENCH_RATE_LIMIT (600 a minute) and BENCH_CLIENTS
 * (8 concurrent SCIM clients) change the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDeployment, createIntegration, Deployment, REPOSITORY_ROOT, requestJson, startApp } from './provision-processes';
import { FakeRequest, ProvisionResult, summarizeRun } from './provision-report';

const env = process.env;
const settings = {
  users: positiveInteger('BENCH_USERS', 1000),
  deactivate: positiveInteger('BENCH_DEACTIVATE', 200),
  rateLimitPerMinute: positiveInteger('BENCH_RATE_LIMIT', 600),
  clients: positiveInteger('BENCH_CLIENTS', 8),
  serverDatabaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};
/** The whole run gives up after this long, so that a stuck worker cannot hang the benchmark (milliseconds). */
const RUN_TIMEOUT_MS = 15 * 60_000;

interface ScimTarget {
  baseUrl: string;
  token: string;
}

async function main(): Promise<void> {
  if (settings.deactivate > settings.users) throw new Error(`BENCH_DEACTIVATE (${settings.deactivate}) must not exceed BENCH_USERS (${settings.users})`);

  const fake = await startApp('fake', 'fake', { LOG_LEVEL: 'warn' });
  let deployment: Deployment | null = null;

  try {
    const team = await requestJson<{ teamId: string; apiKey: string }>('POST', `${fake.url}/_fake/teams`, { name: 'Bench Team', plan: 'enterprise', rateLimitPerMinute: settings.rateLimitPerMinute });
    // SCIM_SYNC_WAIT_MS=0: the gateway responds at once, so the load generator is not held back by the worker.
    deployment = await createDeployment({ ...settings, dropboxSignApiUrl: `${fake.url}/v3`, name: 'bench_provision', config: { SCIM_SYNC_WAIT_MS: '0' } });
    await deployment.start('worker', 'worker');
    const gateway = await deployment.start('gateway', 'gateway');
    const integration = await createIntegration(gateway.url, deployment.adminToken, 'Bench Dropbox Sign Team', team.apiKey);

    const readRequests = async () => (await requestJson<{ requests: FakeRequest[] }>('GET', `${fake.url}/_fake/requests?teamId=${team.teamId}`)).requests;
    const result = await run(deployment, { baseUrl: integration.scimBaseUrl, token: integration.token }, readRequests);
    report(result);
  } finally {
    await deployment?.close();
    await fake.stop();
  }
}

async function run(deployment: Deployment, target: ScimTarget, readRequests: () => Promise<FakeRequest[]>): Promise<ProvisionResult> {
  const db = new Client({ connectionString: deployment.databaseUrl });
  await db.connect();

  try {
    const emails = Array.from({ length: settings.users }, (_, index) => `bench.user.${String(index).padStart(5, '0')}@example.test`);
    const startedAt = Date.now();

    const ids = await provision(target, emails);
    const provisionedAt = Date.now();
    const leavers = ids.slice(0, settings.deactivate);
    // Each leaver is deactivated after its invitation went out, so that both changes reach Dropbox Sign.
    await waitFor(db, `SELECT count(*)::int AS count FROM scim_user WHERE id = ANY($1::uuid[]) AND applied_generation < 1`, [leavers]);
    await forEachConcurrently(leavers, (id) => deactivate(target, id));
    await waitFor(db, `SELECT count(*)::int AS count FROM scim_user WHERE applied_generation < desired_generation`, []);
    const finishedAt = Date.now();

    const failed = await db.query(`SELECT count(*)::int AS count FROM scim_user WHERE observed_state = 'failed'`);
    const requests = await readRequests();

    return summarizeRun({ settings, requests, startedAt, provisionedAt, finishedAt, failedUsers: failed.rows[0].count, machine: machine() });
  } finally {
    await db.end();
  }
}

/** Sends Okta's create sequence for every email, `settings.clients` at a time, and returns the SCIM ids in email order. */
async function provision(target: ScimTarget, emails: string[]): Promise<string[]> {
  const ids: string[] = new Array(emails.length);

  await forEachConcurrently(emails, async (email, index) => {
    const filter = encodeURIComponent(`userName eq "${email}"`);
    const found = await scim<{ totalResults: number }>(target, 'GET', `/Users?filter=${filter}&startIndex=1&count=100`);
    if (found.totalResults !== 0) throw new Error(`${email} exists already`);

    const created = await scim<{ id: string }>(target, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: email,
      name: { givenName: 'Bench', familyName: `User ${index}` },
      emails: [{ primary: true, value: email, type: 'work' }],
      active: true,
    });
    ids[index] = created.id;
  });

  return ids;
}

async function deactivate(target: ScimTarget, id: string): Promise<void> {
  await scim(target, 'PATCH', `/Users/${id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', value: { active: false } }],
  });
}

async function scim<T>(target: ScimTarget, method: string, path: string, body?: unknown): Promise<T> {
  return requestJson<T>(method, `${target.baseUrl}${path}`, body, {
    Authorization: `Bearer ${target.token}`,
    Accept: 'application/scim+json',
    'User-Agent': 'Okta SCIM Client 1.0.0',
  });
}

async function forEachConcurrently<T>(items: T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const client = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  };

  await Promise.all(Array.from({ length: settings.clients }, client));
}

/** Polls until the query's count is zero. */
async function waitFor(db: Client, query: string, values: unknown[]): Promise<void> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;

  while (Date.now() < deadline) {
    const { rows } = await db.query(query, values);
    if (rows[0].count === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  throw new Error(`Changes were still pending after ${RUN_TIMEOUT_MS / 60_000} minutes`);
}

function report(result: ProvisionResult): void {
  const folder = join(REPOSITORY_ROOT, 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'provision.json'), `${JSON.stringify(result, null, 2)}\n`);

  process.stdout.write(`${JSON.stringify(result, null, 2)}\nWritten to bench/results/provision.json\n`);
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node.js ${process.version}`;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;

  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`Provisioning benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
