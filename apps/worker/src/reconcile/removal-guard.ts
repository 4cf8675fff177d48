import { AppConfig } from '@scimify/config';
import { AuditRepository, ScimUserEntity } from '@scimify/persistence';
import { decideRemoval, RemovalDecision, removalLimitsOf } from '@scimify/provisioning';
import { DataSource, EntityManager } from 'typeorm';
import { ReconcileContext } from './reconcile-context';

/**
 * The mass-removal guard: before a removal reaches Dropbox Sign it is counted against the
 * integration's limits, and a removal over the limits is held for an operator. An IdP that
 * unassigns everyone at once then removes only the first few users.
 */
export class RemovalGuard {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Records the start of the user's removal and returns true, or holds it and returns false.
   * Decisions of one integration are serialised by a transaction-scoped advisory lock, so that
   * two workers cannot both take the last removal the limits allow.
   */
  async admit(context: ReconcileContext): Promise<boolean> {
    const { user, integration } = context;
    const limits = removalLimitsOf(integration.settings ?? {}, this.defaultLimits());

    const decision = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('mass-removal:' || $1))`, [integration.id]);
      // Read here, not from the loaded user, because the user repository selects a fixed column list.
      const [marker]: Array<{ released: boolean }> = await manager.query(
        `SELECT removal_released_at IS NOT NULL AS released FROM scim_user WHERE id = $1 FOR UPDATE`,
        [user.id],
      );
      const released = marker?.released === true;
      const verdict = released ? null : decideRemoval(await this.countRemovals(manager, user, limits.windowMinutes), limits);

      if (verdict?.held) {
        await manager.query(`UPDATE scim_user SET removal_held_at = COALESCE(removal_held_at, now()) WHERE id = $1`, [user.id]);
      } else {
        await manager.query(`UPDATE scim_user SET removal_started_at = now() WHERE id = $1`, [user.id]);
      }

      return verdict;
    });

    if (decision?.held) await this.recordHeld(context, decision, limits);
    return !decision?.held;
  }

  private defaultLimits() {
    return {
      maxCount: this.config.MASS_REMOVAL_MAX_COUNT,
      maxPercent: this.config.MASS_REMOVAL_MAX_PERCENT,
      minCount: this.config.MASS_REMOVAL_MIN_COUNT,
      windowMinutes: this.config.MASS_REMOVAL_WINDOW_MINUTES,
    };
  }

  /** Counts the integration's other removals in the window (indexed) and the users that had access when it began. */
  private async countRemovals(manager: EntityManager, user: ScimUserEntity, windowMinutes: number) {
    const [removed]: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM scim_user
       WHERE integration_id = $1 AND removal_started_at > now() - make_interval(mins => $2) AND id <> $3`,
      [user.integrationId, windowMinutes, user.id],
    );
    // NOTE: this count reads every user row of the integration once per removal, which is linear in the team size.
    const [withAccess]: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM scim_user
       WHERE integration_id = $1 AND (observed_state IN ('invited', 'member') OR removal_started_at > now() - make_interval(mins => $2))`,
      [user.integrationId, windowMinutes],
    );

    // Users removed in the window had access at its start, so they stay in the base of the percent limit.
    return { removedInWindow: removed.count, baseUsers: withAccess.count };
  }

  private async recordHeld(context: ReconcileContext, decision: RemovalDecision, limits: ReturnType<typeof removalLimitsOf>): Promise<void> {
    await this.audit.record({
      integrationId: context.integration.id,
      userId: context.user.id,
      actor: 'worker',
      action: 'removal_held',
      outcome: 'info',
      jobId: context.job.jobId,
      details: { email: context.email, removalsAfter: decision.removalsAfter, allowed: decision.allowed, ...limits, generation: context.generation },
    });
  }
}
