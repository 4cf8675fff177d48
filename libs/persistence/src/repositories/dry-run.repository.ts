import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditRepository } from './audit.repository';

export interface DryRunState {
  dryRun: boolean;
}

/**
 * Switches an integration's dry run (`settings.dryRun`). In dry run the worker audits the Dropbox
 * Sign calls it would make and makes none, but it still records the users' changes as applied.
 * Leaving dry run therefore bumps every user's desired generation, so that the sweep reconciles
 * each user against the real team.
 */
@Injectable()
export class DryRunRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  async isEnabled(integrationId: string): Promise<boolean> {
    const rows: Array<{ dryRun: boolean }> = await this.dataSource.query(
      `SELECT COALESCE((settings->>'dryRun')::boolean, false) AS "dryRun" FROM integration WHERE id = $1`,
      [integrationId],
    );
    return rows[0]?.dryRun ?? false;
  }

  async set(integrationId: string, dryRun: boolean, requestId: string): Promise<DryRunState> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE integration SET settings = jsonb_set(settings, '{dryRun}', to_jsonb($2::boolean)), updated_at = now() WHERE id = $1`, [integrationId, dryRun]);
      const [, requeued] = dryRun ? [[], 0] : await manager.query(`UPDATE scim_user SET desired_generation = desired_generation + 1 WHERE integration_id = $1`, [integrationId]);

      await this.audit.record(
        { integrationId, actor: 'admin', action: 'integration_dry_run_changed', outcome: 'success', requestId, details: { dryRun, requeuedUsers: requeued } },
        manager,
      );
    });

    return { dryRun };
  }
}
