import { createTestDatabase, TestDatabase } from '@scimify/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { SNAPSHOT_REPLACE_LOCK_SQL, TeamSnapshotRepository } from './team-snapshot.repository';

const INTEGRATION = '5b0c3f7e-2a44-4d1e-9a6b-0c1d2e3f4a05';
const EMAIL = 'jo.tester@example.test';

describe('TeamSnapshotRepository', () => {
  let database: TestDatabase;
  let db: Client;
  let dataSource: DataSource;
  let snapshots: TeamSnapshotRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    await db.query(`INSERT INTO integration (id, display_name, api_key_ciphertext, api_key_last4, enabled) VALUES ($1, 'A', 'x', '1234', true)`, [INTEGRATION]);

    dataSource = createDataSource(database.url);
    await dataSource.initialize();
    snapshots = new TeamSnapshotRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.end();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.query(`DELETE FROM team_member`);
    await db.query(`DELETE FROM team_invite`);
  });

  it('updates an entry during a team read', async () => {
    // A team read that replaces the snapshot as replace() does, and has inserted the email's invite but not committed yet.
    const teamRead = new Client({ connectionString: database.url });
    await teamRead.connect();
    await teamRead.query('BEGIN');
    await teamRead.query(SNAPSHOT_REPLACE_LOCK_SQL, [INTEGRATION]);
    await teamRead.query(`DELETE FROM team_invite WHERE integration_id = $1`, [INTEGRATION]);
    await teamRead.query(`INSERT INTO team_invite (integration_id, email, account_id, synced_at) VALUES ($1, $2, NULL, now())`, [INTEGRATION, EMAIL]);

    const update = snapshots.updateEntry(INTEGRATION, EMAIL, { member: { email: EMAIL, accountId: 'acct-1', roleCode: 'm' }, invite: null }, new Date());
    await new Promise((resolve) => setTimeout(resolve, 200));
    await teamRead.query('COMMIT');
    await teamRead.end();

    await expect(update).resolves.toBeUndefined();
    expect(await snapshots.findEntry(INTEGRATION, EMAIL)).toEqual({ member: { email: EMAIL, accountId: 'acct-1', roleCode: 'm' }, invite: null });
  });

  it('records an invite after the same team read', async () => {
    const teamRead = new Client({ connectionString: database.url });
    await teamRead.connect();
    await teamRead.query('BEGIN');
    await teamRead.query(SNAPSHOT_REPLACE_LOCK_SQL, [INTEGRATION]);
    await teamRead.query(`INSERT INTO team_invite (integration_id, email, account_id, synced_at) VALUES ($1, $2, NULL, now())`, [INTEGRATION, EMAIL]);

    const update = snapshots.updateEntry(INTEGRATION, EMAIL, { member: null, invite: { email: EMAIL, accountId: 'acct-2' } }, new Date());
    await new Promise((resolve) => setTimeout(resolve, 200));
    await teamRead.query('COMMIT');
    await teamRead.end();

    await expect(update).resolves.toBeUndefined();
    expect(await snapshots.findEntry(INTEGRATION, EMAIL)).toEqual({ member: null, invite: { email: EMAIL, accountId: 'acct-2' } });
  });

  it('removes a departed email', async () => {
    await snapshots.updateEntry(INTEGRATION, EMAIL, { member: null, invite: { email: EMAIL, accountId: null } }, new Date());

    await snapshots.updateEntry(INTEGRATION, EMAIL, { member: null, invite: null }, new Date());

    expect(await snapshots.findEntry(INTEGRATION, EMAIL)).toEqual({ member: null, invite: null });
  });
});
