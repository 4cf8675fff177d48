/**
 * Runs Scimify's gateway and workers as child processes from dist/, each deployment with a
 * database and a QUEUE_PREFIX of its own, for the provisioning benchmark and the tests that need
 * real worker processes (two replicas, a killed worker). Like the other bench scripts it may read
 * process.env; it passes the configuration to the children through their environment.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { runMigrations } from '@scimify/persistence';

/** Lines of output kept per child process, for the error message of a failed start or test. */
const KEPT_OUTPUT_LINES = 200;
/** How long a stopped child may take to finish its jobs before it is killed (milliseconds). */
const STOP_TIMEOUT_MS = 10_000;

/** The repository root: the nearest folder above this file with a package.json, in the sources and in dist/ alike. */
export const REPOSITORY_ROOT = findRoot(__dirname);

export const DIST_SCRIPTS = {
  gateway: 'dist/apps/gateway/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
  fake: 'dist/apps/dropbox-sign-fake/src/main.js',
} as const;

export type AppKind = keyof typeof DIST_SCRIPTS;

export interface AppProcess {
  name: string;
  /** Base URL of the process's HTTP listener on loopback. */
  url: string;
  child: ChildProcess;
  /** The last lines the process wrote to stdout and stderr. */
  output(): string;
  /** Sends SIGTERM and waits for the exit. SIGKILL follows after STOP_TIMEOUT_MS. */
  stop(): Promise<void>;
  /** Sends SIGKILL and waits for the exit: the process gets no chance to finish anything. */
  kill(): Promise<void>;
}

/** One Scimify deployment: its configuration and the processes started with it. */
export interface Deployment {
  env: Record<string, string>;
  databaseUrl: string;
  queuePrefix: string;
  adminToken: string;
  processes: AppProcess[];
  /** Starts a gateway or a worker from dist/ with this deployment's environment plus `overrides`, and waits until it is ready. */
  start(kind: 'gateway' | 'worker', name: string, overrides?: Record<string, string>): Promise<AppProcess>;
  /** Stops every process, drops the database and deletes the deployment's Redis keys. */
  close(): Promise<void>;
}

export interface DeploymentOptions {
  /** URL of a Postgres server database in which a database of the deployment is created. */
  serverDatabaseUrl: string;
  redisUrl: string;
  dropboxSignApiUrl: string;
  /** Start of the QUEUE_PREFIX and database name. */
  name: string;
  /** Configuration of every process of the deployment. */
  config?: Record<string, string>;
}

/** Builds dist/ with `npm run build` unless the worker's entry point is there already. */
export function ensureBuilt(): void {
  // NOTE: an existing dist/ is used as it is, even when it is older than the sources. CI builds before it tests.
  if (existsSync(join(REPOSITORY_ROOT, DIST_SCRIPTS.worker))) return;

  const result = spawnSync('npm', ['run', 'build'], { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build failed with exit code ${result.status}`);
}

/** Creates the migrated database and the configuration of a deployment. No process runs yet. */
export async function createDeployment(options: DeploymentOptions): Promise<Deployment> {
  const suffix = randomBytes(4).toString('hex');
  const queuePrefix = `${options.name}_${suffix}`;
  const databaseUrl = await createDatabase(options.serverDatabaseUrl, queuePrefix);
  const adminToken = randomBytes(24).toString('hex');
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: options.redisUrl,
    SCIMIFY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SCIMIFY_ADMIN_TOKEN: adminToken,
    PUBLIC_BASE_URL: 'http://127.0.0.1',
    DROPBOX_SIGN_API_URL: options.dropboxSignApiUrl,
    LISTEN_HOST: '127.0.0.1',
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'warn',
    ...options.config,
  };
  const processes: AppProcess[] = [];

  return {
    env,
    databaseUrl,
    queuePrefix,
    adminToken,
    processes,
    start: async (kind, name, overrides = {}) => {
      const started = await startApp(kind, name, { ...env, ...overrides });
      processes.push(started);
      return started;
    },
    close: async () => {
      await Promise.all(processes.map((process) => process.stop()));
      await dropDatabase(options.serverDatabaseUrl, databaseUrl);
      await deleteRedisKeys(options.redisUrl, queuePrefix);
    },
  };
}

/** Starts an app from dist/ on a free loopback port and waits until its readiness probe (for the fake: its control API) responds. */
export async function startApp(kind: AppKind, name: string, env: Record<string, string>): Promise<AppProcess> {
  const port = String(await freePort());
  const child = spawn(process.execPath, [join(REPOSITORY_ROOT, DIST_SCRIPTS[kind])], {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, ...listenerVariables(kind, port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const app = describeProcess(name, `http://127.0.0.1:${port}`, child);

  const probe = kind === 'fake' ? `${app.url}/_fake/requests` : `${app.url}/health/ready`;
  try {
    await waitForUrl(probe, 30_000, child);
  } catch (error) {
    await app.kill();
    throw new Error(`${name} did not start: ${error instanceof Error ? error.message : String(error)}\n${app.output()}`);
  }

  return app;
}

/** Deletes every Redis key under `prefix:` with SCAN and UNLINK, leaving other prefixes alone. Returns how many keys were deleted. */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl);
  let deleted = 0;

  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }

  return deleted;
}

/** Sends a JSON request and returns the parsed response body. A status outside 2xx throws an error that contains the body. */
export async function requestJson<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} failed with HTTP ${response.status}: ${text}`);

  return (text ? JSON.parse(text) : undefined) as T;
}

/** Creates an integration through the admin API, enables it and issues a SCIM token. */
export async function createIntegration(gatewayUrl: string, adminToken: string, name: string, apiKey: string): Promise<{ id: string; token: string; scimBaseUrl: string }> {
  const admin = <T>(method: string, path: string, body?: unknown) => requestJson<T>(method, `${gatewayUrl}/admin/api${path}`, body, { Authorization: `Bearer ${adminToken}` });

  const created = await admin<{ id: string }>('POST', '/integrations', { displayName: name, apiKey });
  await admin('POST', `/integrations/${created.id}/enable`);
  const issued = await admin<{ token: string }>('POST', `/integrations/${created.id}/tokens`);

  return { id: created.id, token: issued.token, scimBaseUrl: `${gatewayUrl}/scim/v2/${created.id}` };
}

async function createDatabase(serverDatabaseUrl: string, name: string): Promise<string> {
  await withClient(serverDatabaseUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverDatabaseUrl);
  url.pathname = `/${name}`;

  await runMigrations(url.toString());
  return url.toString();
}

async function dropDatabase(serverDatabaseUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await withClient(serverDatabaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

async function withClient<T>(databaseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();

  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function listenerVariables(kind: AppKind, port: string): Record<string, string> {
  switch (kind) {
    case 'gateway':
      return { GATEWAY_PORT: port };
    case 'worker':
      return { WORKER_PORT: port };
    case 'fake':
      return { FAKE_DROPBOX_SIGN_PORT: port, FAKE_DROPBOX_SIGN_HOST: '127.0.0.1' };
  }
}

function describeProcess(name: string, url: string, child: ChildProcess): AppProcess {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > KEPT_OUTPUT_LINES) lines.splice(0, lines.length - KEPT_OUTPUT_LINES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const signal = async (kind: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(kind);
    await exited;
  };

  return {
    name,
    url,
    child,
    output: () => lines.join('\n'),
    kill: () => signal('SIGKILL'),
    stop: async () => {
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await signal('SIGTERM');
      clearTimeout(timer);
    },
  };
}

async function waitForUrl(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the process exited (${child.signalCode ?? child.exitCode})`);
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  throw new Error(`${url} timed out: no response within ${timeoutMs} ms`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function findRoot(start: string): string {
  let folder = start;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`No package.json above ${start}`);
    folder = parent;
  }

  return folder;
}
