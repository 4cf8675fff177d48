import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ScimUserEntity } from '../entities';

export interface UserPage {
  users: ScimUserEntity[];
  totalResults: number;
}

/** Columns selected by list and lookup queries; the names match ScimUserEntity's properties. */
const USER_COLUMNS = `u.id, u.integration_id AS "integrationId", u.user_name AS "userName", u.external_id AS "externalId",
  u.email, u.resource, u.active, u.role, u.observed_state AS "observedState", u.dropbox_sign_email AS "dropboxSignEmail",
  u.dropbox_sign_account_id AS "dropboxSignAccountId", u.invited_role AS "invitedRole", u.invited_at AS "invitedAt",
  u.last_error AS "lastError", u.last_error_code AS "lastErrorCode", u.desired_generation AS "desiredGeneration",
  u.applied_generation AS "appliedGeneration", u.pending_operation AS "pendingOperation", u.version,
  u.created_at AS "createdAt", u.updated_at AS "updatedAt", u.deleted_at AS "deletedAt"`;

@Injectable()
export class ScimUserRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns a live (not deleted) user of the integration, or null. */
  async findLive(integrationId: string, id: string, manager?: EntityManager): Promise<ScimUserEntity | null> {
    const repository = (manager ?? this.dataSource.manager).getRepository(ScimUserEntity);
    return repository.findOneBy({ integrationId, id, deletedAt: IsNull() });
  }

  /** Returns a user of the integration, deleted or not, or null. */
  async findAny(integrationId: string, id: string): Promise<ScimUserEntity | null> {
    return this.dataSource.getRepository(ScimUserEntity).findOneBy({ integrationId, id });
  }

  /** Locks a live user row for the rest of the caller's transaction. */
  async lockLive(manager: EntityManager, integrationId: string, id: string): Promise<ScimUserEntity | null> {
    return manager
      .getRepository(ScimUserEntity)
      .createQueryBuilder('u')
      .setLock('pessimistic_write')
      .where('u.integration_id = :integrationId AND u.id = :id AND u.deleted_at IS NULL', { integrationId, id })
      .getOne();
  }

  /**
   * Returns one page of live users ordered by creation, so that pages stay stable between
   * requests (RFC 7644 §3.4.2.4). `filterSql` uses alias `u` and parameters from $2 on.
   */
  async listPage(
    integrationId: string,
    filter: { sql: string; params: unknown[] } | null,
    startIndex: number,
    count: number,
  ): Promise<UserPage> {
    const where = `u.integration_id = $1 AND u.deleted_at IS NULL${filter ? ` AND (${filter.sql})` : ''}`;
    const params = [integrationId, ...(filter?.params ?? [])];
    const limitIndex = params.length + 1;

    const rows: Array<ScimUserEntity & { total: string }> = await this.dataSource.query(
      `SELECT ${USER_COLUMNS}, count(*) OVER () AS total FROM scim_user u WHERE ${where}
       ORDER BY u.created_at, u.id LIMIT $${limitIndex} OFFSET $${limitIndex + 1}`,
      [...params, count, startIndex - 1],
    );

    if (rows.length > 0 || startIndex === 1) {
      return { users: rows, totalResults: rows.length > 0 ? Number(rows[0].total) : 0 };
    }

    const [{ total }] = await this.dataSource.query(`SELECT count(*) AS total FROM scim_user u WHERE ${where}`, params);
    return { users: [], totalResults: Number(total) };
  }
}
