import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditRepository } from './audit.repository';

/** A removal that the mass-removal guard holds for an operator. */
export interface HeldRemoval {
  userId: string;
  userName: string;
  email: string | null;
  observedState: string;
  deleted: boolean;
  heldAt: Date;
}

/** A user whose held removal an operator released or discarded, with the generation to reconcile. */
export interface HeldRemovalChange {
  id: string;
  userName: string;
  generation: number;
  /** Whether the user leaves the team: inactive or deleted. */
  deprovision: boolean;
}

/**
 * Lists, releases and discards the removals that the worker's mass-removal guard held. Both
 * decisions bump the desired generation, because the held job completed and a job id of the same
 * generation would be taken as done. The sweep reconciles the changed users. Callers that can
 * reach the queue enqueue them at once.
 */
@Injectable()
export class HeldRemovalRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  async list(integrationId: string): Promise<HeldRemoval[]> {
    return this.dataSource.query(
      `SELECT id AS "userId", user_name AS "userName", email, observed_state AS "observedState",
              deleted_at IS NOT NULL AS deleted, removal_held_at AS "heldAt"
       FROM scim_user WHERE integration_id = $1 AND removal_held_at IS NOT NULL ORDER BY removal_held_at, id`,
      [integrationId],
    );
  }

  async count(integrationIds: string[]): Promise<Map<string, number>> {
    const rows: Array<{ integrationId: string; count: number }> = await this.dataSource.query(
      `SELECT integration_id AS "integrationId", count(*)::int AS count FROM scim_user
       WHERE integration_id = ANY($1::uuid[]) AND removal_held_at IS NOT NULL GROUP BY integration_id`,
      [integrationIds],
    );

    return new Map(rows.map((row) => [row.integrationId, row.count]));
  }

  /** Clears the holds and lets exactly these removals pass the guard once, even over the limits. Without userIds it releases every held removal. */
  async release(integrationId: string, userIds: string[] | undefined, requestId: string): Promise<HeldRemovalChange[]> {
    return this.dataSource.transaction(async (manager) => {
      const released = await this.update(
        manager,
        `removal_held_at = NULL, removal_released_at = now(), desired_generation = desired_generation + 1`,
        integrationId,
        userIds,
      );
      await this.recordDecision(manager, integrationId, 'removal_released', released, requestId);
      return released;
    });
  }

  /**
   * Keeps the users in the team: a deactivated user becomes active again, so the IdP's next
   * deactivation is guarded anew. A deleted user stays deleted for SCIM, and its tombstone is
   * marked applied, so Scimify stops managing the Dropbox Sign membership that remains.
   */
  async discard(integrationId: string, userIds: string[] | undefined, requestId: string): Promise<HeldRemovalChange[]> {
    return this.dataSource.transaction(async (manager) => {
      const discarded = await this.update(
        manager,
        `removal_held_at = NULL, removal_released_at = NULL,
         active = CASE WHEN deleted_at IS NULL THEN true ELSE active END,
         version = CASE WHEN deleted_at IS NULL THEN version + 1 ELSE version END,
         desired_generation = desired_generation + 1,
         applied_generation = CASE WHEN deleted_at IS NULL THEN applied_generation ELSE desired_generation + 1 END`,
        integrationId,
        userIds,
      );
      await this.recordDecision(manager, integrationId, 'removal_discarded', discarded, requestId);
      return discarded;
    });
  }

  private async update(manager: EntityManager, assignments: string, integrationId: string, userIds: string[] | undefined): Promise<HeldRemovalChange[]> {
    const [rows]: [HeldRemovalChange[]] = await manager.query(
      `UPDATE scim_user SET ${assignments}
       WHERE integration_id = $1 AND removal_held_at IS NOT NULL AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
       RETURNING id, user_name AS "userName", desired_generation AS generation, (NOT active OR deleted_at IS NOT NULL) AS deprovision`,
      [integrationId, userIds ?? null],
    );
    return rows;
  }

  private async recordDecision(manager: EntityManager, integrationId: string, action: string, users: HeldRemovalChange[], requestId: string): Promise<void> {
    for (const user of users) {
      await this.audit.record(
        { integrationId, userId: user.id, actor: 'admin', action, outcome: 'success', requestId, details: { userName: user.userName, generation: user.generation } },
        manager,
      );
    }
  }
}
