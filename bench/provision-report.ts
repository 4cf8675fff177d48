/** Figures of a provisioning benchmark run, computed from the fake Dropbox Sign's request log. */

/** One entry of the fake's request log (GET /_fake/requests). */
export interface FakeRequest {
  method: string;
  path: string;
  status: number;
  /** ISO time at which the request arrived. */
  at: string;
  body: Record<string, unknown> | null;
}

export interface ProvisionResult {
  users: number;
  deactivated: number;
  /** Invitations plus removals that Dropbox Sign had to see: one API call each at best. */
  changes: number;
  /** Every request the fake received for the team, 429 responses included. */
  apiCalls: number;
  callsPerChange: number;
  count429: number;
  rateLimitPerMinute: number;
  /** apiCalls divided by `seconds`, per minute. */
  achievedCallsPerMinute: number;
  /** From the first SCIM request until every change was applied. */
  seconds: number;
  /** Time the SCIM client took to send every create request. */
  scimCreateSeconds: number;
  addMemberCalls: number;
  removeMemberCalls: number;
  teamReads: number;
  accountReads: number;
  /** Emails that received add_member more than once. */
  duplicateInvites: number;
  /** Requests the fake accepted in each of its one-minute windows, in order. */
  acceptedPerWindow: number[];
  maxAcceptedInAWindow: number;
  failedUsers: number;
  machine: string;
  finishedAt: string;
}

export interface RunRecord {
  settings: { users: number; deactivate: number; rateLimitPerMinute: number };
  requests: FakeRequest[];
  startedAt: number;
  provisionedAt: number;
  finishedAt: number;
  failedUsers: number;
  machine: string;
}

/** The fake opens a window with the first request after the previous window ended, and it lasts a minute. */
const FAKE_WINDOW_MS = 60_000;

export function summarizeRun(run: RunRecord): ProvisionResult {
  const { settings, requests } = run;
  const changes = settings.users + settings.deactivate;
  const seconds = (run.finishedAt - run.startedAt) / 1000;
  const adds = requests.filter((request) => request.path === '/v3/team/add_member');

  return {
    users: settings.users,
    deactivated: settings.deactivate,
    changes,
    apiCalls: requests.length,
    callsPerChange: round(requests.length / changes, 4),
    count429: requests.filter((request) => request.status === 429).length,
    rateLimitPerMinute: settings.rateLimitPerMinute,
    achievedCallsPerMinute: round((requests.length / seconds) * 60, 1),
    seconds: round(seconds, 1),
    scimCreateSeconds: round((run.provisionedAt - run.startedAt) / 1000, 1),
    addMemberCalls: adds.length,
    removeMemberCalls: requests.filter((request) => request.path === '/v3/team/remove_member').length,
    teamReads: requests.filter((request) => request.method === 'GET' && request.path === '/v3/team').length,
    accountReads: requests.filter((request) => request.path === '/v3/account').length,
    duplicateInvites: countDuplicates(adds.map((request) => String(request.body?.email_address ?? ''))),
    acceptedPerWindow: acceptedPerWindow(requests),
    maxAcceptedInAWindow: maxAcceptedInAWindow(requests),
    failedUsers: run.failedUsers,
    machine: run.machine,
    finishedAt: new Date(run.finishedAt).toISOString(),
  };
}

/** Replays the fake's fixed windows over the log and returns the requests it accepted in each window. */
export function acceptedPerWindow(requests: FakeRequest[]): number[] {
  const times = requests.map((request) => Date.parse(request.at)).sort((a, b) => a - b);
  const accepted = requests.filter((request) => request.status !== 429).map((request) => Date.parse(request.at));
  const counts: number[] = [];
  let windowStart = -Infinity;

  for (const time of times) {
    if (time < windowStart + FAKE_WINDOW_MS) continue;
    windowStart = time;
    counts.push(accepted.filter((at) => at >= windowStart && at < windowStart + FAKE_WINDOW_MS).length);
  }

  return counts;
}

/** Returns the most requests the fake accepted in one of its windows. */
export function maxAcceptedInAWindow(requests: FakeRequest[]): number {
  return Math.max(0, ...acceptedPerWindow(requests));
}

function countDuplicates(values: string[]): number {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);

  return [...counts.values()].filter((count) => count > 1).length;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
