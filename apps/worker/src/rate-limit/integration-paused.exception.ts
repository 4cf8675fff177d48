/** Reason that an integration's jobs wait: its API key has no allowance left, or Dropbox Sign rejected the key. */
export type PauseReason = 'rate_limited' | 'auth_failed';

/**
 * Raised when a job belongs to an integration whose jobs must wait. The processor delays the
 * job until `retryAt` without counting an attempt, so that the worker slot takes other work.
 */
export class IntegrationPausedException extends Error {
  constructor(
    readonly integrationId: string,
    readonly reason: PauseReason,
    /** Unix time in milliseconds at which the job runs again. */
    readonly retryAt: number,
  ) {
    super(`Jobs of integration ${integrationId} wait until ${new Date(retryAt).toISOString()} (${reason})`);
    this.name = 'IntegrationPausedException';
  }
}
