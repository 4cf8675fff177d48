import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { CallThrottledError, DropboxSignApiError, DropboxSignClient, DropboxSignTeam } from '@scimify/dropbox-sign';
import { IntegrationsService } from '@scimify/integrations';
import { ReconcileUserPayload } from '@scimify/jobs';
import { AuditRepository, IntegrationEntity, ScimUserEntity, ScimUserRepository } from '@scimify/persistence';
import { isRemovalPlan, planReconcile, PlanStep } from '@scimify/provisioning';
import { DropboxSignRole } from '@scimify/scim';
import { DataSource } from 'typeorm';
import { IntegrationPauseService } from '../rate-limit/integration-pause.service';
import { TeamSnapshotService } from '../team/team-snapshot.service';
import { JobContext, ObservedChange, ReconcileContext } from './reconcile-context';
import { ReconcileFailureService } from './reconcile-failure.service';
import { PermanentReconcileException, ReconcileErrorCode, RetryableReconcileException, UserBusyException } from './reconcile.exception';
import { dryRunCalls, isDryRun } from './dry-run';
import { RemovalGuard } from './removal-guard';
import { UserLockService } from './user-lock.service';

export type ReconcileOutcome = 'applied' | 'dry_run' | 'removal_held' | 'up_to_date' | 'integration_disabled' | 'user_not_found';

/** Brings one user's Dropbox Sign membership in line with its desired state. */
@Injectable()
export class ReconcileService {
  private readonly removalGuard: RemovalGuard;

  constructor(
    private readonly users: ScimUserRepository,
    private readonly integrations: IntegrationsService,
    private readonly snapshots: TeamSnapshotService,
    private readonly client: DropboxSignClient,
    private readonly audit: AuditRepository,
    private readonly locks: UserLockService,
    private readonly pauses: IntegrationPauseService,
    private readonly failures: ReconcileFailureService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.removalGuard = new RemovalGuard(dataSource, audit, config);
  }

  /**
   * Reconciles the user, or throws when the job must wait: IntegrationPausedException while the
   * integration's jobs are paused, and UserBusyException while another worker reconciles the
   * user. The pause is checked before the user's lock is taken. A job with nothing left to do
   * finishes before that check, so that it takes no turn of a paused integration.
   */
  async reconcile(payload: ReconcileUserPayload, job: JobContext): Promise<ReconcileOutcome> {
    const integration = await this.dataSource.getRepository(IntegrationEntity).findOneBy({ id: payload.integrationId });
    if (!integration?.enabled) return 'integration_disabled';

    const user = await this.users.findAny(integration.id, payload.userId);
    if (!user) return 'user_not_found';
    if (isUpToDate(user)) return 'up_to_date';
    if (integration.authFailedAt) await this.failures.recordRejectedKey(user.id);
    await this.pauses.assertRunnable(integration, job);

    const lock = await this.locks.tryLock(payload.userId);
    if (!lock) throw new UserBusyException(payload.userId);

    try {
      return await this.reconcileLocked(integration, payload, job);
    } finally {
      await lock.release();
    }
  }

  private async reconcileLocked(integration: IntegrationEntity, payload: ReconcileUserPayload, job: JobContext): Promise<ReconcileOutcome> {
    // Read again under the lock: the previous holder may have applied the change meanwhile.
    const user = await this.users.findAny(integration.id, payload.userId);
    if (!user) return 'user_not_found';
    if (isUpToDate(user)) return 'up_to_date';

    const email = user.dropboxSignEmail ?? user.email ?? '';
    const context: ReconcileContext = { integration, user, job, generation: user.desiredGeneration, apiKey: '', email, startedAt: new Date() };

    try {
      if (!email) throw new PermanentReconcileException(ReconcileErrorCode.NoEmail, `User ${user.userName} has no email address to invite`);
      context.apiKey = this.integrations.apiKeyOf(integration);
      return await this.apply(context);
    } catch (error) {
      throw await this.failures.handle(context, error);
    }
  }

  /** Plans and executes the steps, unless the integration is in dry run or the mass-removal guard holds the user's removal. */
  private async apply(context: ReconcileContext): Promise<ReconcileOutcome> {
    const { integration, user } = context;
    const teamId = await this.prepareSnapshot(context);
    const entry = await this.snapshots.entryFor(integration.id, context.email);

    const steps = planReconcile({
      desired: { active: user.active, deleted: user.deletedAt !== null, role: user.role as DropboxSignRole },
      observedState: user.observedState,
      invitedRole: user.invitedRole as DropboxSignRole | null,
      snapshot: entry,
      transferEmail: integration.transferEmail,
    });

    if (isDryRun(integration)) return this.recordDryRun(context, teamId, steps);

    // A held removal leaves applied_generation behind, so the change stays pending until an operator decides.
    if (isRemovalPlan(steps) && !(await this.removalGuard.admit(context))) return 'removal_held';

    const change: ObservedChange = {};
    for (const step of steps) await this.execute(context, teamId, step, change);

    await this.recordApplied(context, change);
    return 'applied';
  }

  /**
   * Audits the calls the plan would make and makes none. The observed state stays as it is, but
   * the generation counts as applied, so that the sweep does not plan the user again and again.
   */
  private async recordDryRun(context: ReconcileContext, teamId: string, steps: PlanStep[]): Promise<ReconcileOutcome> {
    for (const call of dryRunCalls(steps, context.email, teamId)) await this.note(context, call.action, 'info', call.details);

    await this.recordApplied(context, {});
    return 'dry_run';
  }

  /**
   * Makes sure the snapshot is fresh and returns the team id. A call that was started but never
   * recorded (crash, timeout) may have reached Dropbox Sign, and a result that contradicted the
   * snapshot shows it is wrong: either way the team is read after this attempt started.
   */
  private async prepareSnapshot(context: ReconcileContext): Promise<string> {
    const { integration, user } = context;
    const forced = user.pendingOperation !== null || user.lastErrorCode === ReconcileErrorCode.StaleSnapshot;
    const teamId = await this.snapshots.prepare(integration, context.apiKey, this.snapshots.freshAfter(forced ? context.startedAt : null));

    if (forced) {
      // The snapshot now shows the outcome of the earlier call, so the markers have done their work.
      await this.dataSource.query(
        `UPDATE scim_user SET pending_operation = NULL,
           last_error_code = CASE WHEN last_error_code = $2 THEN NULL ELSE last_error_code END
         WHERE id = $1`,
        [user.id, ReconcileErrorCode.StaleSnapshot],
      );
    }

    return teamId;
  }

  private async execute(context: ReconcileContext, teamId: string, step: PlanStep, change: ObservedChange): Promise<void> {
    switch (step.kind) {
      case 'invite':
        return this.invite(context, teamId, step.role, change);
      case 'cancel_invite':
        await this.remove(context, 'cancel_invite', null);
        Object.assign(change, { observedState: 'removed', invitedRole: null, invitedAt: null });
        return;
      case 'remove_member':
        await this.remove(context, 'remove_member', step.newOwnerEmail);
        Object.assign(change, { observedState: 'removed', invitedRole: null });
        return;
      case 'link_member':
        Object.assign(change, { observedState: 'member', dropboxSignEmail: context.email, dropboxSignAccountId: step.accountId });
        return this.note(context, 'member_linked', 'success', { email: context.email, accountId: step.accountId });
      case 'link_invite':
        Object.assign(change, { observedState: 'invited', dropboxSignEmail: context.email, invitedRole: step.assumedRole });
        return this.note(context, 'invite_linked', 'success', { email: context.email, assumedRole: step.assumedRole });
      case 'note_role_not_applied':
        return this.note(context, 'role_not_applied', 'info', {
          email: context.email,
          currentRole: step.currentRole,
          desiredRole: step.desiredRole,
          reason: 'Dropbox Sign offers no API call that changes the role of a team member',
        });
      case 'mark_removed':
        change.observedState = 'removed';
        return;
    }
  }

  private async invite(context: ReconcileContext, teamId: string, role: DropboxSignRole, change: ObservedChange): Promise<void> {
    const team = await this.call(context, 'add_member', { email: context.email, role }, () =>
      this.client.addMember(context.apiKey, { email: context.email, role, teamId }),
    );
    const entry = await this.snapshots.applyTeamResponse(context.integration.id, context.email, team);
    if (!entry.member && !entry.invite) await this.rejectUnexpectedTeam(context, 'add_member');

    change.dropboxSignEmail = context.email;
    if (entry.member) {
      Object.assign(change, { observedState: 'member', dropboxSignAccountId: entry.member.accountId, invitedRole: role });
      return;
    }

    Object.assign(change, { observedState: 'invited', invitedRole: role, invitedAt: new Date() });
  }

  private async remove(context: ReconcileContext, operation: string, newOwnerEmail: string | null): Promise<void> {
    const details = { email: context.email, operation, newOwnerEmail };
    const team = await this.call(context, 'remove_member', details, () =>
      this.client.removeMember(context.apiKey, { email: context.email, newOwnerEmail }),
    );

    const entry = await this.snapshots.applyTeamResponse(context.integration.id, context.email, team);
    if (entry.member || entry.invite) await this.rejectUnexpectedTeam(context, 'remove_member');
  }

  /** Invalidates the snapshot and throws, because the team returned by a successful call contradicts the call (the user missing after add_member, present after remove_member). */
  private async rejectUnexpectedTeam(context: ReconcileContext, endpoint: string): Promise<never> {
    await this.snapshots.invalidate(context.integration);

    throw new RetryableReconcileException(
      ReconcileErrorCode.StaleSnapshot,
      `Dropbox Sign returned a team that contradicts the ${endpoint} call for ${context.email}, so the team is read again`,
    );
  }

  /** Runs one Dropbox Sign call with a crash marker on the user row and an audit record of its outcome. */
  private async call(
    context: ReconcileContext,
    endpoint: string,
    details: Record<string, unknown>,
    send: () => Promise<DropboxSignTeam>,
  ): Promise<DropboxSignTeam> {
    await this.setPendingOperation(context.user.id, endpoint);

    try {
      const team = await send();
      await this.note(context, `dropbox_sign.${endpoint}`, 'success', details);
      return team;
    } catch (error) {
      if (!mayHaveApplied(error)) await this.setPendingOperation(context.user.id, null);
      // A call that the pacer held back never left this worker.
      if (error instanceof CallThrottledError) throw error;

      const failure = error instanceof DropboxSignApiError ? { status: error.status, errorName: error.code, message: error.message } : {};
      await this.note(context, `dropbox_sign.${endpoint}`, 'failure', { ...details, ...failure });
      throw error;
    }
  }

  private async setPendingOperation(userId: string, endpoint: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE scim_user SET pending_operation = $2 WHERE id = $1`, [userId, endpoint]);
  }

  private async note(context: ReconcileContext, action: string, outcome: 'success' | 'failure' | 'info', details: Record<string, unknown>): Promise<void> {
    await this.audit.record({
      integrationId: context.integration.id,
      userId: context.user.id,
      actor: 'worker',
      action,
      outcome,
      jobId: context.job.jobId,
      details: { ...details, generation: context.generation, attempt: context.job.attempt },
    });
  }

  private async recordApplied(context: ReconcileContext, change: ObservedChange): Promise<void> {
    await this.dataSource.query(
      `UPDATE scim_user SET
         observed_state = COALESCE($2, observed_state),
         dropbox_sign_email = COALESCE($3, dropbox_sign_email),
         dropbox_sign_account_id = CASE WHEN $4::boolean THEN $5 ELSE dropbox_sign_account_id END,
         invited_role = CASE WHEN $6::boolean THEN $7 ELSE invited_role END,
         invited_at = CASE WHEN $8::boolean THEN $9::timestamptz ELSE invited_at END,
         applied_generation = GREATEST(applied_generation, $10),
         pending_operation = NULL, last_error = NULL, last_error_code = NULL,
         removal_held_at = NULL, removal_released_at = NULL
       WHERE id = $1`,
      [
        context.user.id,
        change.observedState ?? null,
        change.dropboxSignEmail ?? null,
        'dropboxSignAccountId' in change,
        change.dropboxSignAccountId ?? null,
        'invitedRole' in change,
        change.invitedRole ?? null,
        'invitedAt' in change,
        change.invitedAt ?? null,
        context.generation,
      ],
    );
  }
}

function isUpToDate(user: ScimUserEntity): boolean {
  return user.appliedGeneration >= user.desiredGeneration && !user.pendingOperation;
}

/**
 * Returns false when the error shows that Dropbox Sign did not apply the call: the pacer held it
 * back, or the API responded with a 4xx other than 409 ("an identical request is already being
 * processed"). Timeouts, dropped connections and 5xx leave the outcome unknown.
 */
function mayHaveApplied(error: unknown): boolean {
  if (error instanceof CallThrottledError) return false;
  if (!(error instanceof DropboxSignApiError) || error.status === null) return true;

  return error.status === 409 || error.status < 400 || error.status >= 500;
}
