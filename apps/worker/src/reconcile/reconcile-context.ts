import { IntegrationEntity, ObservedState, ScimUserEntity } from '@scimify/persistence';
import { DropboxSignRole } from '@scimify/scim';

/** Facts about the BullMQ job that runs a reconcile. */
export interface JobContext {
  jobId: string;
  /** 1 for the first attempt. Delays for rate limits, pauses and busy locks do not count. */
  attempt: number;
  /** True when a retryable failure of this attempt would exhaust the job's attempts. */
  lastAttempt: boolean;
  /** True for a job queued at the removal priority; it goes first when a paused integration resumes. */
  deprovision: boolean;
}

/** One reconcile attempt of one user. */
export interface ReconcileContext {
  integration: IntegrationEntity;
  user: ScimUserEntity;
  job: JobContext;
  generation: number;
  apiKey: string;
  email: string;
  startedAt: Date;
}

/** Changes to the user row that a reconcile accumulates and writes at its end. */
export interface ObservedChange {
  observedState?: ObservedState;
  dropboxSignEmail?: string;
  dropboxSignAccountId?: string | null;
  invitedRole?: DropboxSignRole | null;
  invitedAt?: Date | null;
}
