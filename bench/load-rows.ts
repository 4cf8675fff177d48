/** The autocannon runs of the gateway benchmark, one per row of the results table. */
import autocannon, { AutocannonRequest, AutocannonResult } from 'autocannon';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { BenchIntegration, oktaCreateBody, SCIM_HEADERS, StoredUser } from './bench-data';

export interface RowResult {
  row: string;
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p97_5: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  /**
   * CPU time the gateway process spent per completed request (milliseconds). Unlike requests/s
   * it barely changes when other programs compete for the cores.
   */
  gatewayCpuMsPerRequest: number | null;
  /** The machine's one-minute load average when the row ended, the benchmark's own processes included. */
  loadAverage: number;
}

export interface LoadTarget {
  integration: BenchIntegration;
  users: StoredUser[];
  durationSeconds: number;
  /** Process id of the gateway, for its CPU time; null skips that measurement. */
  gatewayPid: number | null;
}

/** Measures Okta's lookup before it creates a user: `GET /Users?filter=userName eq "…"` for a random stored user. */
export function filterLookupRow(target: LoadTarget): Promise<RowResult> {
  return runRow('Okta filter lookup (userName eq)', target, 50, 'GET', (request) => {
    const filter = encodeURIComponent(`userName eq "${randomUser(target).userName}"`);
    return { ...request, path: `${basePath(target)}/Users?filter=${filter}&startIndex=1&count=100` };
  });
}

export function getByIdRow(target: LoadTarget): Promise<RowResult> {
  return runRow('GET /Users/{id}', target, 50, 'GET', (request) => ({ ...request, path: `${basePath(target)}/Users/${randomUser(target).id}` }));
}

/** Measures 100-user pages of the unfiltered list, at random offsets among the stored users. */
export function listPageRow(target: LoadTarget): Promise<RowResult> {
  const pages = Math.max(1, Math.floor(target.users.length / 100));

  return runRow('List page of 100 users', target, 10, 'GET', (request) => {
    const startIndex = Math.floor(Math.random() * pages) * 100 + 1;
    return { ...request, path: `${basePath(target)}/Users?startIndex=${startIndex}&count=100` };
  });
}

/** Measures POST /Users, each with a userName that no earlier request used. */
export function createRow(target: LoadTarget, label: string, runId: string): Promise<RowResult> {
  let sequence = 0;

  return runRow(label, target, 20, 'POST', (request) => ({
    ...request,
    path: `${basePath(target)}/Users`,
    body: oktaCreateBody(`load.${runId}.${sequence++}@bench.example.test`),
  }));
}

async function runRow(
  row: string,
  target: LoadTarget,
  connections: number,
  method: string,
  setupRequest: (request: AutocannonRequest) => AutocannonRequest,
): Promise<RowResult> {
  const cpuBefore = cpuTimeMs(target.gatewayPid);
  const result = await autocannon({
    url: new URL(target.integration.scimBaseUrl).origin,
    connections,
    duration: target.durationSeconds,
    timeout: 30,
    headers: { ...SCIM_HEADERS, Authorization: `Bearer ${target.integration.token}` },
    requests: [{ method, setupRequest }],
  });

  const cpuAfter = cpuTimeMs(target.gatewayPid);
  const cpuPerRequest = cpuBefore !== null && cpuAfter !== null && result.requests.total > 0 ? (cpuAfter - cpuBefore) / result.requests.total : null;

  return summarize(row, connections, result, cpuPerRequest);
}

function summarize(row: string, connections: number, result: AutocannonResult, cpuPerRequest: number | null): RowResult {
  return {
    row,
    connections,
    durationSeconds: result.duration,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    latencyMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    gatewayCpuMsPerRequest: cpuPerRequest === null ? null : Math.round(cpuPerRequest * 100) / 100,
    loadAverage: Math.round(loadavg()[0] * 10) / 10,
  };
}

/**
 * User plus system CPU time of a process from /proc/<pid>/stat (Linux only), in milliseconds;
 * null when unavailable. Fields 14 and 15 count clock ticks, 100 per second on Linux.
 */
function cpuTimeMs(pid: number | null): number | null {
  if (pid === null) return null;

  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function basePath(target: LoadTarget): string {
  return new URL(target.integration.scimBaseUrl).pathname;
}

function randomUser(target: LoadTarget): StoredUser {
  return target.users[Math.floor(Math.random() * target.users.length)];
}
