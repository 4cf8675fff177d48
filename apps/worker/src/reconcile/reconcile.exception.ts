/** Codes of reconcile failures that do not come from Dropbox Sign. */
export enum ReconcileErrorCode {
  UserBusy = 'user_busy',
  NoEmail = 'no_email',
  StaleSnapshot = 'stale_snapshot',
}

/** Raised when another worker holds the user's lock; the job is delayed, not failed. */
export class UserBusyException extends Error {
  readonly code = ReconcileErrorCode.UserBusy;

  constructor(userId: string) {
    super(`User ${userId} is being reconciled by another worker`);
    this.name = 'UserBusyException';
  }
}

/** A failure that a retry cannot fix: the job is marked unrecoverable. */
export class PermanentReconcileException extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentReconcileException';
  }
}

/** A failure that a later attempt may fix: BullMQ retries the job with backoff. */
export class RetryableReconcileException extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RetryableReconcileException';
  }
}

/**
 * Dropbox Sign errors that concern the integration (its key or plan), not the user. A 401
 * pauses the integration's jobs until the key works. The others fail the job and leave the
 * user's change pending, and the sweep retries the job once the integration was changed.
 */
export const INTEGRATION_ERROR_CODES = new Set(['unauthorized', 'forbidden', 'payment_required', 'not_in_team']);
