import { JobsOptions } from 'bullmq';

/**
 * Every queue, job name and payload of Scimify. Job names are stable string literals: jobs
 * already queued keep working across renames of the classes that handle them. Payloads carry
 * ids only, never an API key, token, email address or other personal data.
 */
export const QUEUES = {
  reconcile: 'reconcile',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  /** Make one user's Dropbox Sign membership match its desired state. */
  reconcileUser: 'reconcile-user',
  /** Read one integration's team and turn accepted invites into members. */
  syncTeam: 'sync-team',
  /** Schedule a team sync for every enabled integration. */
  syncAllTeams: 'sync-all-teams',
  /** Enqueue every user whose desired state was not applied. */
  sweepPending: 'sweep-pending',
} as const;

export type JobName = (typeof JOBS)[keyof typeof JOBS];

export interface ReconcileUserPayload {
  integrationId: string;
  userId: string;
  /** The desired generation that triggered the job; the worker always applies the latest one. */
  generation: number;
}

export interface SyncTeamPayload {
  integrationId: string;
}

export type EmptyPayload = Record<string, never>;

export interface JobPayloads {
  [JOBS.reconcileUser]: ReconcileUserPayload;
  [JOBS.syncTeam]: SyncTeamPayload;
  [JOBS.syncAllTeams]: EmptyPayload;
  [JOBS.sweepPending]: EmptyPayload;
}

/** The queue each job runs on. */
export const JOB_QUEUES: Record<JobName, QueueName> = {
  [JOBS.reconcileUser]: QUEUES.reconcile,
  [JOBS.syncTeam]: QUEUES.maintenance,
  [JOBS.syncAllTeams]: QUEUES.maintenance,
  [JOBS.sweepPending]: QUEUES.maintenance,
};

/** BullMQ priorities: lower runs first. Removals go before invitations so that leavers lose access first. */
export const PRIORITY = { deprovision: 1, provision: 5 } as const;

/**
 * One job id per user and generation: a change enqueued twice (by the gateway and the sweep)
 * runs once, while a newer generation gets a job of its own.
 */
export function reconcileJobId(userId: string, generation: number): string {
  return `user-${userId}-g${generation}`;
}

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/** Job options of a reconcile job; the one place that decides retries and retention. */
export function reconcileJobOptions(payload: ReconcileUserPayload, deprovision: boolean, retry: RetryPolicy): JobsOptions {
  return {
    jobId: reconcileJobId(payload.userId, payload.generation),
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    priority: deprovision ? PRIORITY.deprovision : PRIORITY.provision,
    removeOnComplete: { age: 24 * 3600, count: 5000 },
    // Failed jobs stay in the failed set, visible in Bull Board, until an operator retries or removes them.
    removeOnFail: false,
  };
}

/** Message pattern of the gateway → worker "test connection" request (Redis transport). */
export function testConnectionPattern(prefix: string): string {
  return `${prefix}.integration.test-connection`;
}

export interface TestConnectionRequest {
  integrationId: string;
}

export interface TestConnectionResult {
  ok: boolean;
  message: string;
  teamId: string | null;
  teamName: string | null;
  accountEmail: string | null;
  roleCode: string | null;
  testedAt: string;
}
