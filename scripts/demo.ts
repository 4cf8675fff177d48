/**
 * `npm run demo`: runs gateway, worker and the fake Dropbox Sign on this machine against local
 * Postgres and Redis, seeds a fake team and an integration, and prints what Okta needs. It is a
 * launcher for people trying Scimify, so it reads the environment itself to pass it on.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { seedDemo } from './demo-seed';

// Compiled to dist/scripts/demo.js, so the scripts it starts sit one folder up.
const root = join(__dirname, '..', '..');
const env = process.env;
const host = '127.0.0.1';
const gatewayPort = env.GATEWAY_PORT ?? '3000';
const workerPort = env.WORKER_PORT ?? '3001';
const fakePort = env.FAKE_DROPBOX_SIGN_PORT ?? '3010';
const gatewayUrl = `http://${host}:${gatewayPort}`;
const fakeUrl = `http://${host}:${fakePort}`;
const children: ChildProcess[] = [];

// Without DATABASE_URL the demo starts from an empty database of its own on every run, because
// its encryption key is new on every run unless SCIMIFY_ENCRYPTION_KEY is set.
const ownDatabase = env.DATABASE_URL === undefined;

const appEnv: NodeJS.ProcessEnv = {
  ...env,
  DATABASE_URL: env.DATABASE_URL ?? `postgres://postgres@${host}:5432/scimify_demo`,
  REDIS_URL: env.REDIS_URL ?? `redis://${host}:6379`,
  SCIMIFY_ENCRYPTION_KEY: env.SCIMIFY_ENCRYPTION_KEY ?? randomBytes(32).toString('hex'),
  SCIMIFY_ADMIN_TOKEN: env.SCIMIFY_ADMIN_TOKEN ?? randomBytes(24).toString('hex'),
  PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? gatewayUrl,
  DROPBOX_SIGN_API_URL: `${fakeUrl}/v3`,
  GATEWAY_PORT: gatewayPort,
  WORKER_PORT: workerPort,
  FAKE_DROPBOX_SIGN_PORT: fakePort,
  LISTEN_HOST: host,
  QUEUE_PREFIX: env.QUEUE_PREFIX ?? 'scimify_demo',
  // A short team sync makes accepted invites show up quickly in the demo.
  TEAM_SYNC_INTERVAL_SECONDS: env.TEAM_SYNC_INTERVAL_SECONDS ?? '15',
  LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
};

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  await ensureDatabase(appEnv.DATABASE_URL!);
  await runToEnd('dist/libs/persistence/src/migrate.js');

  start('fake', 'dist/apps/dropbox-sign-fake/src/main.js');
  start('worker', 'dist/apps/worker/src/main.js');
  start('gateway', 'dist/apps/gateway/src/main.js');
  await waitFor(`${fakeUrl}/_fake/requests`);
  await waitFor(`${gatewayUrl}/health/ready`);
  await waitFor(`http://${host}:${workerPort}/health/ready`);

  const seeded = await seedDemo({ gatewayUrl, fakeUrl, adminToken: appEnv.SCIMIFY_ADMIN_TOKEN! });
  process.stdout.write(
    [
      '',
      `SCIM base URL: ${seeded.scimBaseUrl}`,
      `SCIM token: ${seeded.token}`,
      `Admin URL: ${gatewayUrl}/admin`,
      `Admin token: ${appEnv.SCIMIFY_ADMIN_TOKEN}`,
      `Fake Dropbox Sign URL: ${fakeUrl}`,
      `Fake team id: ${seeded.teamId}`,
      `Command line: ${cliEnvironment()} npm run scimify -- integrations:list`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

/**
 * Returns the variables that the admin command line needs to work on the demo's database. A
 * variable that the caller set is referenced, not printed, because it may hold a secret.
 */
function cliEnvironment(): string {
  const names = ['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX', 'SCIMIFY_ENCRYPTION_KEY', 'SCIMIFY_ADMIN_TOKEN', 'PUBLIC_BASE_URL'];
  return names.map((name) => (env[name] === undefined ? `${name}=${appEnv[name]}` : `${name}="$${name}"`)).join(' ');
}

/** Creates the demo's database when it is missing. The demo's own database is dropped and created again. */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1).replace(/"/g, '');
  url.pathname = '/postgres';

  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    if (ownDatabase) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

function start(name: string, script: string): void {
  const child = spawn(process.execPath, [join(root, script)], { env: appEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${name} exited (${signal ?? code}); stopping the demo\n`);
      void stop(1);
    }
  });
  children.push(child);
}

function runToEnd(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, script)], { env: appEnv, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
  });
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not respond within ${timeoutMs} ms`);
}

let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;

  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(`Demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
});
