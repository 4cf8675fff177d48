import { Injectable, Logger } from '@nestjs/common';
import { DropboxSignApiError, DropboxSignClient, DropboxSignTeam } from '@scimify/dropbox-sign';
import { IntegrationsService } from '@scimify/integrations';
import { AuditRepository, IntegrationEntity, ObservedState, ScimUserEntity, ScimUserRepository } from '@scimify/persistence';
import { ReconcileUserPayload } from '@scimify/jobs';
import { planReconcile, PlanStep } from '@scimify/provisioning';
import { DropboxSignRole } from '@scimify/scim';
import { DataSource } from 'typeorm';
import { TeamSnapshotService } from '../team/team-snapshot.service';
import {
  INTEGRATION_ERROR_CODES,
  PermanentReconcileException,
  ReconcileErrorCode,
  RetryableReconcileException,
  UserBusyException,
} from './reconcile.exception';
import { UserLockService } from './user-lock.service';

export type ReconcileOutcome = 'applied' | 'up_to_date' | 'integration_disabled' | 'user_not_found';

export interface JobContext {
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** True when a retryable failure of this attempt would exhaust the job's attempts. */
  lastAttempt: boolean;
}

interface ReconcileContext {
  integration: IntegrationEntity;
  user: ScimUserEntity;
  job: JobContext;
  generation: number;
  apiKey: string;
  email: string;
}

/** Changes to the user row that a reconcile accumulates and writes at its end. */
interface ObservedChange {
  observedState?: ObservedState;
  dropboxSignEmail?: string;
  dropboxSignAccountId?: string | null;
  invitedRole?: DropboxSignRole | null;
  invitedAt?: Date | null;
}

/** Brings one user's Dropbox Sign membership in line with its desired state. */
@Injectable()
export class ReconcileService {
  private readonly logger = new Logger(ReconcileService.name);

  constructor(
    private readonly users: ScimUserRepository,
    private readonly integrations: IntegrationsService,
    private readonly snapshots: TeamSnapshotService,
    private readonly client: DropboxSignClient,
    private readonly audit: AuditRepository,
    private readonly locks: UserLockService,
    private readonly dataSource: DataSource,
  ) {}

  async reconcile(payload: ReconcileUserPayload, job: JobContext): Promise<ReconcileOutcome> {
    const lock = await this.locks.tryLock(payload.userId);
    if (!lock) throw new UserBusyException(payload.userId);

    try {
      return await this.reconcileLocked(payload, job);
    } finally {
      await lock.release();
    }
  }

  private async reconcileLocked(payload: ReconcileUserPayload, job: JobContext): Promise<ReconcileOutcome> {
    const integration = await this.dataSource.getRepository(IntegrationEntity).findOneBy({ id: payload.integrationId });
    if (!integration?.enabled) return 'integration_disabled';

    const user = await this.users.findAny(integration.id, payload.userId);
    if (!user) return 'user_not_found';
    if (user.appliedGeneration >= user.desiredGeneration && !user.pendingOperation) return 'up_to_date';

    const email = user.dropboxSignEmail ?? user.email;
    const context = { integration, user, job, generation: user.desiredGeneration, apiKey: '', email: email ?? '' };

    try {
      if (!email) throw new PermanentReconcileException(ReconcileErrorCode.NoEmail, `User ${user.userName} has no email address to invite`);
      context.apiKey = this.integrations.apiKeyOf(integration);
      await this.apply(context);
      return 'applied';
    } catch (error) {
      throw await this.recordFailure(context, error);
    }
  }

  private async apply(context: ReconcileContext): Promise<void> {
    const { integration, user } = context;
    const teamId = await this.snapshots.ensureTeamId(integration, context.apiKey);
    // A call that was started but never recorded (crash) may have reached Dropbox Sign: re-read the team.
    const entry = await this.snapshots.lookup(integration, context.apiKey, context.email, user.pendingOperation !== null);

    const steps = planReconcile({
      desired: { active: user.active, deleted: user.deletedAt !== null, role: user.role as DropboxSignRole },
      observedState: user.observedState,
      invitedRole: user.invitedRole as DropboxSignRole | null,
      snapshot: entry,
      transferEmail: integration.transferEmail,
    });

    const change: ObservedChange = {};
    for (const step of steps) await this.execute(context, teamId, step, change);

    await this.recordApplied(context, change);
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

    await this.snapshots.applyTeamResponse(context.integration.id, context.email, team);
  }

  /** Runs one Dropbox Sign call with a crash marker on the user row and an audit record of its outcome. */
  private async call(
    context: ReconcileContext,
    endpoint: string,
    details: Record<string, unknown>,
    send: () => Promise<DropboxSignTeam>,
  ): Promise<DropboxSignTeam> {
    await this.dataSource.query(`UPDATE scim_user SET pending_operation = $2 WHERE id = $1`, [context.user.id, endpoint]);

    try {
      const team = await send();
      await this.note(context, `dropbox_sign.${endpoint}`, 'success', details);
      return team;
    } catch (error) {
      const failure = error instanceof DropboxSignApiError ? { status: error.status, errorName: error.code, message: error.message } : {};
      await this.note(context, `dropbox_sign.${endpoint}`, 'failure', { ...details, ...failure });
      throw error;
    }
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
         pending_operation = NULL, last_error = NULL, last_error_code = NULL
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

  /** Records a failure on the user (and the integration for a 401) and returns the error the job throws. */
  private async recordFailure(context: ReconcileContext, error: unknown): Promise<Error> {
    const classified = await this.classify(context, error);
    const code = 'code' in classified ? String(classified.code) : 'internal_error';
    const permanent = classified instanceof PermanentReconcileException;
    const integrationLevel = INTEGRATION_ERROR_CODES.has(code);

    if (code === 'unauthorized') {
      await this.dataSource.query(`UPDATE integration SET auth_failed_at = now() WHERE id = $1`, [context.integration.id]);
    }

    // A user-level permanent failure, or the last attempt, ends this generation: the user shows as failed.
    const failsUser = (permanent && !integrationLevel) || context.job.lastAttempt;
    await this.dataSource.query(
      `UPDATE scim_user SET last_error = $2, last_error_code = $3, pending_operation = NULL,
         observed_state = CASE WHEN $4::boolean THEN 'failed' ELSE observed_state END,
         applied_generation = CASE WHEN $5::boolean THEN GREATEST(applied_generation, $6) ELSE applied_generation END
       WHERE id = $1`,
      [context.user.id, classified.message.slice(0, 2000), code, failsUser, permanent && !integrationLevel, context.generation],
    );

    this.logger.warn({ userId: context.user.id, integrationId: context.integration.id, jobId: context.job.jobId, code, permanent }, `Reconcile failed: ${classified.message}`);
    return classified;
  }

  private async classify(context: ReconcileContext, error: unknown): Promise<Error> {
    if (error instanceof PermanentReconcileException || error instanceof RetryableReconcileException) return error;
    if (!(error instanceof DropboxSignApiError)) {
      const message = error instanceof Error ? error.message : String(error);
      return new RetryableReconcileException('internal_error', message);
    }

    if (error.retryable) return new RetryableReconcileException(error.code, error.message);

    // A 400 or 404 from add_member or remove_member contradicts the snapshot (the user was already
    // present, or already gone): read the team again and re-plan, once.
    const contradictsSnapshot = error.code === 'bad_request' || error.code === 'not_found';
    if (contradictsSnapshot && context.job.attempt === 1 && !context.job.lastAttempt) {
      await this.snapshots.invalidate(context.integration);
      return new RetryableReconcileException(ReconcileErrorCode.StaleSnapshot, `Dropbox Sign answered ${error.code}: ${error.message}; re-reading the team`);
    }

    return new PermanentReconcileException(error.code, `Dropbox Sign answered ${error.code}: ${error.message}`);
  }
}
