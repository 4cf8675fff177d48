import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TeamInviteEntity, TeamMemberEntity } from '../entities';

export interface SnapshotMember {
  email: string;
  accountId: string | null;
  roleCode: string | null;
}

export interface SnapshotInvite {
  email: string;
  accountId: string | null;
}

export interface TeamSnapshot {
  members: SnapshotMember[];
  invites: SnapshotInvite[];
}

/** The snapshot rows of one email address: its membership and its pending invite, if any. */
export interface SnapshotEntry {
  member: SnapshotMember | null;
  invite: SnapshotInvite | null;
}

/**
 * Advisory locks on one integration's snapshot ($1: integration id). A team read takes it alone, and
 * single-email updates share it, so an update waits for a replace in progress and then sees its rows.
 */
export const SNAPSHOT_REPLACE_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtextextended('team-snapshot:' || $1::text, 0))`;
export const SNAPSHOT_UPDATE_LOCK_SQL = `SELECT pg_advisory_xact_lock_shared(hashtextextended('team-snapshot:' || $1::text, 0))`;

/** The integration's copy of its Dropbox Sign team (members and pending invites). */
@Injectable()
export class TeamSnapshotRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Replaces the whole snapshot with a fresh team read, in one transaction. */
  async replace(integrationId: string, team: TeamSnapshot, syncedAt: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(SNAPSHOT_REPLACE_LOCK_SQL, [integrationId]);
      await manager.delete(TeamMemberEntity, { integrationId });
      await manager.delete(TeamInviteEntity, { integrationId });
      await this.insertChunks(manager, TeamMemberEntity, team.members.map((member) => ({ ...member, integrationId, syncedAt })));
      await this.insertChunks(manager, TeamInviteEntity, team.invites.map((invite) => ({ ...invite, integrationId, syncedAt })));
      await manager.query(`UPDATE integration SET team_synced_at = $2 WHERE id = $1`, [integrationId, syncedAt]);
    });
  }

  /** Updates the rows of one email from a team that Dropbox Sign returned after a call. */
  async updateEntry(integrationId: string, email: string, entry: SnapshotEntry, syncedAt: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(SNAPSHOT_UPDATE_LOCK_SQL, [integrationId]);
      await manager.delete(TeamMemberEntity, { integrationId, email });
      await manager.delete(TeamInviteEntity, { integrationId, email });
      if (entry.member) await manager.insert(TeamMemberEntity, { ...entry.member, email, integrationId, syncedAt });
      if (entry.invite) await manager.insert(TeamInviteEntity, { ...entry.invite, email, integrationId, syncedAt });
    });
  }

  async findEntry(integrationId: string, email: string): Promise<SnapshotEntry> {
    const [member, invite] = await Promise.all([
      this.dataSource.getRepository(TeamMemberEntity).findOneBy({ integrationId, email }),
      this.dataSource.getRepository(TeamInviteEntity).findOneBy({ integrationId, email }),
    ]);

    return {
      member: member ? { email, accountId: member.accountId, roleCode: member.roleCode } : null,
      invite: invite ? { email, accountId: invite.accountId } : null,
    };
  }

  private async insertChunks<T extends TeamMemberEntity | TeamInviteEntity>(
    manager: EntityManager,
    target: new () => T,
    rows: QueryDeepPartialEntity<T>[],
  ): Promise<void> {
    const chunkSize = 1000;

    for (let start = 0; start < rows.length; start += chunkSize) {
      await manager.insert(target, rows.slice(start, start + chunkSize));
    }
  }
}
