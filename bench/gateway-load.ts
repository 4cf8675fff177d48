/**
 * `npm run bench:gateway`: measures the SCIM gateway under load on this machine. It starts the
 * fake Dropbox Sign, the worker and the gateway from `dist/` on loopback with a database of
 * their own, and stores BENCH_USERS users (default 10,000) through the SCIM API. Then it runs
 * autocannon for BENCH_DURATION_SECONDS (default 12) per row. The results go to
 * `bench/results/gateway.json` and to the "Gateway load" section of `docs/benchmarks.md`.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { BenchIntegration, createFakeTeam, createIntegration, seedUsers, StoredUser, waitForWorker } from './bench-data';
import { BenchEnvironment, BenchProcess, dropEnvironment, prepareEnvironment, residentMemoryMiB, startGateway, startWorker, stopProcess } from './bench-stack';
import { GatewayBenchResults, machineInfo, updateBenchmarksDoc, writeResults } from './benchmark-report';
import { createRow, filterLookupRow, getByIdRow, listPageRow, LoadTarget, RowResult } from './load-rows';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 12);
const WARM_UP_SECONDS = 2;
const SEED_CONCURRENCY = 20;
const WORKER_DRAIN_TIMEOUT_MS = 600_000;
const ROW_ORDER = [
  'Okta filter lookup (userName eq)',
  'GET /Users/{id}',
  'POST /Users, SCIM_SYNC_WAIT_MS=0',
  'POST /Users, SCIM_SYNC_WAIT_MS=10000 (default)',
  'List page of 100 users',
];

interface RunState {
  environment: BenchEnvironment;
  processes: BenchProcess[];
  rows: RowResult[];
  memory: Record<string, number>;
  notes: string[];
}

async function main(): Promise<void> {
  const { environment, fake } = await prepareEnvironment();
  const state: RunState = { environment, processes: [fake], rows: [], memory: {}, notes: [] };
  const interrupted = (): void => {
    process.stderr.write('Interrupted: stopping the processes and dropping the benchmark database\n');
    void cleanUp(state).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const worker = await startWorker(environment, {});
    state.processes.push(worker);
    const { integration, users } = await runWithoutWait(state);
    await runWithDefaultWait(state, integration, users);
    state.notes.push(await reconcileDurationNote(worker.logFile));
    await report(state);
  } finally {
    await cleanUp(state);
  }
}

/** Stops the started processes, newest first, and drops the database and Redis keys; runs once. */
let cleaning: Promise<void> | null = null;
function cleanUp(state: RunState): Promise<void> {
  cleaning ??= (async () => {
    for (const processInfo of [...state.processes].reverse()) await stopProcess(processInfo);
    await dropEnvironment(state.environment);
  })();
  return cleaning;
}

/** Seeds the users and measures creates on a gateway that responds without waiting for the worker. */
async function runWithoutWait(state: RunState): Promise<{ integration: BenchIntegration; users: StoredUser[] }> {
  const gateway = await startGateway(state.environment, { SCIM_SYNC_WAIT_MS: '0' }, 'gateway-no-wait');
  state.processes.push(gateway);

  const apiKey = await createFakeTeam(state.environment.fakeUrl);
  const integration = await createIntegration(gateway.url, state.environment.env.SCIMIFY_ADMIN_TOKEN!, apiKey);
  const users = await timed(state, `Storing ${USERS.toLocaleString('en-US')} users`, () => seedUsers(integration, USERS, SEED_CONCURRENCY));
  await timed(state, 'Worker applying the stored users', () => waitForWorker(state.environment.db, WORKER_DRAIN_TIMEOUT_MS));

  const target: LoadTarget = { integration, users, durationSeconds: DURATION_SECONDS, gatewayPid: gateway.child.pid ?? null };
  state.rows.push(await logRow(createRow(target, 'POST /Users, SCIM_SYNC_WAIT_MS=0', randomBytes(3).toString('hex'))));
  state.memory['gateway with SCIM_SYNC_WAIT_MS=0'] = await residentMemoryMiB(gateway);

  const drained = await waitForWorker(state.environment.db, WORKER_DRAIN_TIMEOUT_MS);
  state.notes.push(`After the SCIM_SYNC_WAIT_MS=0 row the worker needed ${drained.toFixed(0)} s more to invite every user created in it.`);
  await stopProcess(gateway);

  return { integration, users };
}

/** Measures reads, list pages and creates on a gateway with the default SCIM_SYNC_WAIT_MS. */
async function runWithDefaultWait(state: RunState, seeded: BenchIntegration, users: StoredUser[]): Promise<void> {
  const gateway = await startGateway(state.environment, { SCIM_SYNC_WAIT_MS: '10000' }, 'gateway');
  state.processes.push(gateway);

  state.memory['gateway with default settings, at start'] = await residentMemoryMiB(gateway);
  const integration = { ...seeded, scimBaseUrl: `${gateway.url}/scim/v2/${seeded.id}` };
  const target: LoadTarget = { integration, users, durationSeconds: DURATION_SECONDS, gatewayPid: gateway.child.pid ?? null };
  await warmUp(target);

  state.rows.push(await logRow(filterLookupRow(target)));
  state.rows.push(await logRow(getByIdRow(target)));
  state.rows.push(await logRow(listPageRow(target)));
  state.rows.push(await logRow(createRow(target, 'POST /Users, SCIM_SYNC_WAIT_MS=10000 (default)', randomBytes(3).toString('hex'))));

  await waitForWorker(state.environment.db, WORKER_DRAIN_TIMEOUT_MS);
  state.memory['gateway with default settings, after every other row'] = await residentMemoryMiB(gateway);
}

/** Runs each read row briefly, unrecorded, so that the measured rows start with a warm JIT and pool. */
async function warmUp(target: LoadTarget): Promise<void> {
  const short = { ...target, durationSeconds: WARM_UP_SECONDS };

  await filterLookupRow(short);
  await getByIdRow(short);
  await listPageRow(short);
}

async function report(state: RunState): Promise<void> {
  const results: GatewayBenchResults = {
    date: new Date().toISOString().slice(0, 10),
    command: 'npm run bench:gateway',
    machine: machineInfo(await postgresVersion(state.environment), await redisVersion(state.environment)),
    users: USERS,
    rows: [...state.rows].sort((a, b) => ROW_ORDER.indexOf(a.row) - ROW_ORDER.indexOf(b.row)),
    gatewayMemoryMiB: state.memory,
    notes: state.notes,
  };

  process.stdout.write(`Results: ${await writeResults(results)}\nSection "Gateway load" updated in ${await updateBenchmarksDoc(results)}\n`);
}

/** Summarizes the durations that the worker logged with each finished reconcile job. */
async function reconcileDurationNote(workerLog: string): Promise<string> {
  const durations: number[] = [];
  for (const line of (await readFile(workerLog, 'utf8')).split('\n')) {
    if (!line.includes('"Reconcile finished"')) continue;

    const duration = (JSON.parse(line) as { durationMs?: unknown }).durationMs;
    if (typeof duration === 'number') durations.push(duration);
  }
  if (durations.length === 0) return 'The worker logged no reconcile durations.';

  durations.sort((a, b) => a - b);
  const percentile = (share: number): number => durations[Math.min(durations.length - 1, Math.floor(durations.length * share))];
  return `The worker's ${durations.length.toLocaleString('en-US')} reconciles took a median of ${percentile(0.5)} ms each (90th percentile ${percentile(0.9)} ms), at most ${process.env.WORKER_CONCURRENCY ?? 10} at a time.`;
}

async function logRow(run: Promise<RowResult>): Promise<RowResult> {
  const row = await run;
  const { p50, p97_5, p99 } = row.latencyMs;
  process.stdout.write(
    `${row.row}: ${row.requestsPerSecond} requests/s, p50 ${p50} ms, p97.5 ${p97_5} ms, p99 ${p99} ms, non-2xx ${row.non2xx}, errors ${row.errors}, gateway CPU ${row.gatewayCpuMsPerRequest} ms/request\n`,
  );

  return row;
}

async function timed<T>(state: RunState, label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  const seconds = (Date.now() - started) / 1000;

  process.stdout.write(`${label}: ${seconds.toFixed(1)} s\n`);
  state.notes.push(`${label} took ${seconds.toFixed(0)} s.`);
  return result;
}

async function postgresVersion(environment: BenchEnvironment): Promise<string> {
  const { rows } = await environment.db.query<{ server_version: string }>('SHOW server_version');
  return `PostgreSQL ${rows[0].server_version.split(' ')[0]}`;
}

async function redisVersion(environment: BenchEnvironment): Promise<string> {
  const redis = new Redis(environment.env.REDIS_URL!);

  try {
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Gateway benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
