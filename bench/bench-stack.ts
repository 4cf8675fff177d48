/**
 * Starts what the gateway benchmark runs against: a database of its own on the Postgres server
 * of DATABASE_URL, the fake Dropbox Sign, the worker and the gateway as child processes from
 * `dist/`, all on loopback. Bench scripts read the environment themselves to pass it on.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { runMigrations } from '@scimify/persistence';

// Compiled to dist/bench/, so the repository root is two folders up.
export const ROOT = join(__dirname, '..', '..');
const HOST = '127.0.0.1';
/** The V8 flags that the Dockerfile sets in NODE_OPTIONS, so that the processes run as in the image. */
const IMAGE_NODE_FLAGS = ['--max-semi-space-size=16'];

export interface BenchProcess {
  name: string;
  child: ChildProcess;
  url: string;
  logFile: string;
}

export interface BenchEnvironment {
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  fakeUrl: string;
  logDir: string;
  db: Client;
}

/** Creates the benchmark database, applies the migrations and starts the fake Dropbox Sign. */
export async function prepareEnvironment(): Promise<{ environment: BenchEnvironment; fake: BenchProcess }> {
  const serverUrl = process.env.DATABASE_URL ?? `postgres://postgres@${HOST}:5432/postgres`;
  const databaseUrl = await createDatabase(serverUrl);
  await runMigrations(databaseUrl);

  const fakePort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? `redis://${HOST}:6379`,
    SCIMIFY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SCIMIFY_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    DROPBOX_SIGN_API_URL: `http://${HOST}:${fakePort}/v3`,
    // The worker requires it too; each gateway gets its own URL in startGateway.
    PUBLIC_BASE_URL: `http://${HOST}`,
    LISTEN_HOST: HOST,
    QUEUE_PREFIX: `bench_${randomBytes(4).toString('hex')}`,
    FAKE_DROPBOX_SIGN_PORT: String(fakePort),
  };
  const logDir = tmpdir();
  const fake = startProcess('fake', 'dist/apps/dropbox-sign-fake/src/main.js', env, `http://${HOST}:${fakePort}`, logDir);
  await waitFor(fake, `${fake.url}/_fake/requests`);

  const db = new Client({ connectionString: databaseUrl });
  await db.connect();

  return { environment: { databaseUrl, env, fakeUrl: fake.url, logDir, db }, fake };
}

/** Starts the gateway with extra environment variables and waits until it is ready. */
export async function startGateway(environment: BenchEnvironment, extraEnv: Record<string, string>, label: string): Promise<BenchProcess> {
  const port = await freePort();
  const env = { ...environment.env, ...extraEnv, GATEWAY_PORT: String(port), PUBLIC_BASE_URL: `http://${HOST}:${port}` };
  const gateway = startProcess(label, 'dist/apps/gateway/src/main.js', env, `http://${HOST}:${port}`, environment.logDir);

  await waitFor(gateway, `${gateway.url}/health/ready`);
  return gateway;
}

export async function startWorker(environment: BenchEnvironment, extraEnv: Record<string, string>): Promise<BenchProcess> {
  const port = await freePort();
  const env = { ...environment.env, ...extraEnv, WORKER_PORT: String(port) };
  const worker = startProcess('worker', 'dist/apps/worker/src/main.js', env, `http://${HOST}:${port}`, environment.logDir);

  await waitFor(worker, `${worker.url}/health/ready`);
  return worker;
}

/** Resident memory of a child process in MiB, from /proc/<pid>/status (Linux only). */
export async function residentMemoryMiB(processInfo: BenchProcess): Promise<number> {
  const status = await readFile(`/proc/${processInfo.child.pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`VmRSS missing from /proc/${processInfo.child.pid}/status`);

  return Math.round(Number(match[1]) / 1024);
}

/** Stops a child process with SIGTERM, and with SIGKILL when it has not exited after 10 s. */
export function stopProcess(processInfo: BenchProcess): Promise<void> {
  const { child } = processInfo;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();

  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** Drops the benchmark database and deletes the Redis keys under the run's QUEUE_PREFIX. */
export async function dropEnvironment(environment: BenchEnvironment): Promise<void> {
  await environment.db.end();

  const url = new URL(environment.databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  await withClient(url.toString(), (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  await deleteRedisKeys(environment.env.REDIS_URL!, environment.env.QUEUE_PREFIX!);
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);

  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}

async function createDatabase(serverUrl: string): Promise<string> {
  const name = `scimify_bench_${randomBytes(5).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();

  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function startProcess(name: string, script: string, env: NodeJS.ProcessEnv, url: string, logDir: string): BenchProcess {
  const logFile = join(logDir, `scimify-bench-${name}-${process.pid}.log`);
  const log: WriteStream = createWriteStream(logFile);
  const child = spawn(process.execPath, [...IMAGE_NODE_FLAGS, join(ROOT, script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });

  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`${name} exited (${signal ?? code}); its log is ${logFile}\n`);
  });

  return { name, child, url, logFile };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(processInfo: BenchProcess, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline) {
    if (processInfo.child.exitCode !== null) throw new Error(`${processInfo.name} exited with ${processInfo.child.exitCode}; its log is ${processInfo.logFile}`);

    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  throw new Error(`${url} did not respond with 2xx within ${timeoutMs} ms`);
}
