import { compileUserFilter } from '@scimify/scim';
import { createTestDatabase, TestDatabase } from '@scimify/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { ScimUserEntity } from '../entities';
import { anyUserByIdSql, filteredPageSql, liveUserByIdSql, liveUsersWhere, ScimUserRepository, userColumns } from './scim-user.repository';

const INTEGRATION = '3d9f9a52-5d2c-4a36-9c55-1f4b2b7b6a01';
const OTHER_INTEGRATION = '8a1e6f0c-2b7d-4f44-8e0e-5b9c3a2d7e02';
const USERS_PER_INTEGRATION = 3000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Flattens a JSON plan into its nodes, root first. */
function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

describe('ScimUserRepository queries', () => {
  let database: TestDatabase;
  let db: Client;
  let dataSource: DataSource;
  let users: ScimUserRepository;

  async function explain(sql: string, params: unknown[]): Promise<PlanNode[]> {
    const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return planNodes(rows[0]['QUERY PLAN'][0].Plan);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();

    await db.query(
      `INSERT INTO integration (id, display_name, api_key_ciphertext, api_key_last4, enabled) VALUES ($1, 'A', 'x', '1234', true), ($2, 'B', 'x', '1234', true)`,
      [INTEGRATION, OTHER_INTEGRATION],
    );
    // Enough users in two integrations that a sequential scan is never the cheaper plan.
    await db.query(
      `INSERT INTO scim_user (integration_id, user_name, email, resource, active, role, created_at)
       SELECT CASE WHEN g % 2 = 0 THEN $1::uuid ELSE $2::uuid END, 'user.' || g || '@example.test', 'user.' || g || '@example.test',
         jsonb_build_object('userName', 'user.' || g || '@example.test'), true, 'Member', now() - g * interval '1 second'
       FROM generate_series(1, $3::int) g`,
      [INTEGRATION, OTHER_INTEGRATION, USERS_PER_INTEGRATION * 2],
    );
    await db.query('ANALYZE scim_user');

    dataSource = createDataSource(database.url);
    await dataSource.initialize();
    users = new ScimUserRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.end();
    await database?.drop();
  });

  it('plans the userName lookup on its index', async () => {
    const filter = compileUserFilter('userName eq "USER.42@example.test"', 2);
    const nodes = await explain(filteredPageSql(userColumns(dataSource), liveUsersWhere(filter.sql), 3), [INTEGRATION, ...filter.params, 100, 0]);

    expect(nodes.map((node) => node['Index Name'])).toContain('scim_user_integration_user_name_uq');
    expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
  });

  it('keeps the lookup on its index as a generic plan', async () => {
    const filter = compileUserFilter('userName eq "USER.42@example.test"', 2);
    await db.query(`PREPARE lookup AS ${filteredPageSql(userColumns(dataSource), liveUsersWhere(filter.sql), 3)}`);
    await db.query('SET plan_cache_mode = force_generic_plan');

    try {
      // EXECUTE takes no bind parameters, so the values go in as quoted literals.
      const values = [INTEGRATION, ...filter.params].map((value) => db.escapeLiteral(String(value)));
      const { rows } = await db.query(`EXPLAIN (FORMAT JSON) EXECUTE lookup(${values.join(', ')}, 100, 0)`);
      const nodes = planNodes(rows[0]['QUERY PLAN'][0].Plan);

      expect(nodes.map((node) => node['Index Name'])).toContain('scim_user_integration_user_name_uq');
      expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
    } finally {
      await db.query('RESET plan_cache_mode');
      await db.query('DEALLOCATE lookup');
    }
  });

  it('plans the read by id on the primary key', async () => {
    const { rows } = await db.query(`SELECT id FROM scim_user WHERE integration_id = $1 LIMIT 1`, [INTEGRATION]);
    const nodes = await explain(liveUserByIdSql(userColumns(dataSource)), [rows[0].id, INTEGRATION]);
    const scans = nodes.filter((node) => node['Node Type'] !== 'Subquery Scan');

    expect(scans.map((node) => node['Node Type'])).toEqual(['Index Scan']);
    expect(scans[0]['Index Name']).toMatch(/^PK_/);
  });

  it('finds a userName in any letter case', async () => {
    const filter = compileUserFilter('userName eq "USER.42@Example.TEST"', 2);
    const page = await users.listPage(INTEGRATION, filter, 1, 100);

    expect(page.totalResults).toBe(1);
    expect(page.users.map((user) => user.userName)).toEqual(['user.42@example.test']);
  });

  it('pages the unfiltered list with its total', async () => {
    const first = await users.listPage(INTEGRATION, null, 1, 100);
    const middle = await users.listPage(INTEGRATION, null, 1501, 100);

    expect(first.totalResults).toBe(USERS_PER_INTEGRATION);
    expect(first.users).toHaveLength(100);
    expect(middle.totalResults).toBe(USERS_PER_INTEGRATION);
    expect(middle.users).toHaveLength(100);
    expect(middle.users.every((user) => user.integrationId === INTEGRATION)).toBe(true);
    expect(new Set([...first.users, ...middle.users].map((user) => user.id)).size).toBe(200);
  });

  it('reports the total past the last page', async () => {
    const filter = compileUserFilter('active eq true', 2);
    const unfiltered = await users.listPage(INTEGRATION, null, USERS_PER_INTEGRATION + 1, 100);
    const filtered = await users.listPage(INTEGRATION, filter, USERS_PER_INTEGRATION + 1, 100);

    expect(unfiltered).toEqual({ users: [], totalResults: USERS_PER_INTEGRATION });
    expect(filtered).toEqual({ users: [], totalResults: USERS_PER_INTEGRATION });
  });

  it('reads a user by id only within its integration', async () => {
    const { rows } = await db.query(`SELECT id FROM scim_user WHERE integration_id = $1 LIMIT 1`, [INTEGRATION]);

    expect((await users.findLive(INTEGRATION, rows[0].id))?.id).toBe(rows[0].id);
    expect(await users.findLive(OTHER_INTEGRATION, rows[0].id)).toBeNull();
    expect(await users.findAny(OTHER_INTEGRATION, rows[0].id)).toBeNull();
  });

  it('locks a user only within its integration', async () => {
    const { rows } = await db.query(`SELECT id FROM scim_user WHERE integration_id = $1 LIMIT 2`, [INTEGRATION]);
    await db.query(`UPDATE scim_user SET deleted_at = now() WHERE id = $1`, [rows[1].id]);

    const locked = await dataSource.transaction(async (manager) => ({
      own: await users.lockLive(manager, INTEGRATION, rows[0].id),
      other: await users.lockLive(manager, OTHER_INTEGRATION, rows[0].id),
      deleted: await users.lockLive(manager, INTEGRATION, rows[1].id),
    }));

    expect(locked.own?.id).toBe(rows[0].id);
    expect(locked.other).toBeNull();
    expect(locked.deleted).toBeNull();
    await db.query(`UPDATE scim_user SET deleted_at = NULL WHERE id = $1`, [rows[1].id]);
  });

  it('returns rows shaped like the entity', async () => {
    const { rows } = await db.query(`SELECT id FROM scim_user WHERE integration_id = $1 LIMIT 1`, [INTEGRATION]);
    const user = await users.findAny(INTEGRATION, rows[0].id);
    const properties = dataSource.getMetadata(ScimUserEntity).columns.map((column) => column.propertyName);

    expect(Object.keys(user ?? {}).sort()).toEqual([...properties].sort());
    expect(user?.createdAt).toBeInstanceOf(Date);
    expect(user?.resource).toEqual({ userName: user?.userName });
    expect(typeof user?.desiredGeneration).toBe('number');
  });

  it('stores a create and its audit event together', async () => {
    const created = await users.insertWithAudit(
      { integrationId: INTEGRATION, userName: 'New.User@example.test', externalId: 'ext-1', email: 'new.user@example.test', resource: { userName: 'New.User@example.test' }, active: true, role: 'Member' },
      { actor: 'idp', action: 'user_created', outcome: 'success', requestId: 'req-1', details: { userName: 'New.User@example.test' } },
    );
    const { rows } = await db.query(`SELECT user_id, integration_id, action, request_id FROM audit_event WHERE user_id = $1`, [created.id]);

    expect(created).toMatchObject({ userName: 'New.User@example.test', desiredGeneration: 1, appliedGeneration: 0, version: 1, observedState: 'none' });
    expect(rows).toEqual([{ user_id: created.id, integration_id: INTEGRATION, action: 'user_created', request_id: 'req-1' }]);
  });

  it('rejects a taken userName and stores no audit event', async () => {
    const before = await db.query(`SELECT count(*)::int AS count FROM audit_event`);
    const attempt = users.insertWithAudit(
      { integrationId: INTEGRATION, userName: 'USER.8@EXAMPLE.TEST', externalId: null, email: 'user.8@example.test', resource: {}, active: true, role: 'Member' },
      { actor: 'idp', action: 'user_created', outcome: 'success' },
    );

    await expect(attempt).rejects.toMatchObject({ driverError: { code: '23505' } });
    const after = await db.query(`SELECT count(*)::int AS count FROM audit_event`);
    expect(after.rows[0].count).toBe(before.rows[0].count);
  });
});

/**
 * The first Okta push can store thousands of users before autovacuum analyzes the table, and the
 * gateway's prepared statements switch to generic plans after five runs.
 */
describe('ScimUserRepository reads by id before ANALYZE', () => {
  let database: TestDatabase;
  let db: Client;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();

    await db.query(`ALTER TABLE scim_user SET (autovacuum_enabled = false)`);
    await db.query(`INSERT INTO integration (id, display_name, api_key_ciphertext, api_key_last4, enabled) VALUES ($1, 'A', 'x', '1234', true)`, [INTEGRATION]);
    await db.query(
      `INSERT INTO scim_user (integration_id, user_name, email, resource, active, role)
       SELECT $1::uuid, 'user.' || g || '@example.test', 'user.' || g || '@example.test', '{}'::jsonb, true, 'Member'
       FROM generate_series(1, 2000) g`,
      [INTEGRATION],
    );

    dataSource = createDataSource(database.url);
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.end();
    await database?.drop();
  });

  it.each([
    ['live user', liveUserByIdSql],
    ['any user', anyUserByIdSql],
  ])('plans the %s read on the primary key', async (_name, sql) => {
    const { rows: users } = await db.query(`SELECT id FROM scim_user ORDER BY created_at DESC LIMIT 1`);
    await db.query(`PREPARE read_by_id AS ${sql(userColumns(dataSource))}`);
    await db.query('SET plan_cache_mode = force_generic_plan');

    try {
      const { rows } = await db.query(`EXPLAIN (FORMAT JSON) EXECUTE read_by_id(${db.escapeLiteral(users[0].id)}, ${db.escapeLiteral(INTEGRATION)})`);
      const scans = planNodes(rows[0]['QUERY PLAN'][0].Plan).filter((node) => node['Node Type'] !== 'Subquery Scan');

      expect(scans.map((node) => node['Node Type'])).toEqual(['Index Scan']);
      expect(scans[0]['Index Name']).toMatch(/^PK_/);
    } finally {
      await db.query('RESET plan_cache_mode');
      await db.query('DEALLOCATE read_by_id');
    }
  });
});
