import { Injectable } from '@nestjs/common';
import { IntegrationView } from '@scimify/integrations';
import { DataSource } from 'typeorm';

/** How far an integration's users are from their desired state. */
export interface ProvisioningStatus {
  /** Users that SCIM still lists (not deleted). */
  users: number;
  /** Backlog: users whose latest change is not applied yet and whose last attempt did not fail. */
  pendingUsers: number;
  /** Users whose last reconcile failed; see their last error. */
  failedUsers: number;
}

/** An integration with its provisioning counts. */
export type IntegrationWithStatus = IntegrationView & { provisioning: ProvisioningStatus };

export interface FailedUser {
  id: string;
  userName: string;
  email: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
  updatedAt: string;
}

const EMPTY_STATUS: ProvisioningStatus = { users: 0, pendingUsers: 0, failedUsers: 0 };

/** Provisioning counts and failed users per integration, for the console and the admin API. */
@Injectable()
export class IntegrationStatusService {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds the provisioning counts to integrations, with one query for all of them. */
  async withStatus(integrations: IntegrationView[]): Promise<IntegrationWithStatus[]> {
    const rows = await this.queryStatus(integrations.length === 1 ? integrations[0].id : null);
    const byId = new Map(rows.map((row) => [row.integrationId, { users: row.users, pendingUsers: row.pendingUsers, failedUsers: row.failedUsers }]));

    return integrations.map((integration) => ({ ...integration, provisioning: byId.get(integration.id) ?? { ...EMPTY_STATUS } }));
  }

  /** Returns the most recently changed failed users of an integration. */
  async failedUsers(integrationId: string, limit: number): Promise<FailedUser[]> {
    const rows: Array<Omit<FailedUser, 'updatedAt'> & { updatedAt: Date }> = await this.dataSource.query(
      `SELECT id, user_name AS "userName", email, last_error_code AS "lastErrorCode", last_error AS "lastError", updated_at AS "updatedAt"
       FROM scim_user WHERE integration_id = $1 AND observed_state = 'failed'
       ORDER BY updated_at DESC LIMIT $2`,
      [integrationId, limit],
    );
    return rows.map((row) => ({ ...row, updatedAt: new Date(row.updatedAt).toISOString() }));
  }

  private async queryStatus(integrationId: string | null): Promise<Array<ProvisioningStatus & { integrationId: string }>> {
    return this.dataSource.query(
      `SELECT integration_id AS "integrationId",
              count(*) FILTER (WHERE deleted_at IS NULL)::int AS users,
              count(*) FILTER (WHERE applied_generation < desired_generation AND observed_state <> 'failed')::int AS "pendingUsers",
              count(*) FILTER (WHERE observed_state = 'failed')::int AS "failedUsers"
       FROM scim_user WHERE ($1::uuid IS NULL OR integration_id = $1)
       GROUP BY integration_id`,
      [integrationId],
    );
  }
}
