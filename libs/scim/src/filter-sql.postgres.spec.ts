import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { compileUserFilter } from './filter-sql';

/**
 * Runs compiled filters against a real Postgres. The table lives in a schema of its own that
 * the test drops afterwards. Needs DATABASE_URL or a local server with trust auth.
 */
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `scim_filter_test_${randomUUID().replace(/-/g, '')}`;
const INTEGRATION = randomUUID();
const OTHER_INTEGRATION = randomUUID();
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

interface Row {
  userName: string;
  integrationId?: string;
  externalId?: string;
  active?: boolean;
  role?: string;
  created?: string;
  resource?: Record<string, unknown>;
}

const ROWS: Row[] = [
  { userName: 'first+x@example.test', externalId: 'ext-1' },
  { userName: 'firstx@example.test' },
  { userName: 'a.b@example.test' },
  { userName: 'axb@example.test' },
  {
    userName: 'jo.tester@example.test',
    role: 'Admin',
    created: '2024-06-01T00:00:00Z',
    resource: {
      displayName: '100%_sure',
      title: 'CTO',
      emails: [
        { type: 'home', value: 'jo@home.example' },
        { type: 'work', value: 'jo@work.example', primary: true },
      ],
      [ENTERPRISE]: { employeeNumber: 'E-1001', manager: { value: 'm-1' } },
    },
  },
  { userName: 'inactive@example.test', active: false, resource: { displayName: '100 percent sure', emails: 'broken' } },
  { userName: 'first+x@example.test', integrationId: OTHER_INTEGRATION },
];

describe('compileUserFilter on Postgres', () => {
  const client = new Client({ connectionString: DATABASE_URL });

  beforeAll(async () => {
    await client.connect();
    await client.query(`CREATE SCHEMA ${SCHEMA}`);
    await client.query(`
      CREATE TABLE ${SCHEMA}.scim_user (
        id uuid PRIMARY KEY, integration_id uuid NOT NULL, user_name text NOT NULL, external_id text,
        email text, active boolean NOT NULL, role text NOT NULL, resource jsonb NOT NULL,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, version integer NOT NULL)`);
    await client.query(`CREATE INDEX ON ${SCHEMA}.scim_user (integration_id, lower(user_name))`);
    for (const row of ROWS) await insertRow(client, row);
    await client.query(`ANALYZE ${SCHEMA}.scim_user`);
  });

  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await client.end();
  });

  async function findUserNames(filter: string): Promise<string[]> {
    const compiled = compileUserFilter(filter, 2);
    const result = await client.query<{ user_name: string }>(
      `SELECT u.user_name FROM ${SCHEMA}.scim_user u WHERE u.integration_id = $1 AND (${compiled.sql}) ORDER BY u.user_name`,
      [INTEGRATION, ...compiled.params],
    );
    return result.rows.map((row) => row.user_name);
  }

  it('finds first+x@example.test exactly', async () => {
    expect(await findUserNames('userName eq "first+x@example.test"')).toEqual(['first+x@example.test']);
  });

  it('finds the userName ignoring case', async () => {
    expect(await findUserNames('userName eq "FIRST+X@EXAMPLE.TEST"')).toEqual(['first+x@example.test']);
  });

  it('never finds axb@example.test for a.b@example.test', async () => {
    expect(await findUserNames('userName eq "a.b@example.test"')).toEqual(['a.b@example.test']);
    expect(await findUserNames('userName co "a.b@"')).toEqual(['a.b@example.test']);
    expect(await findUserNames('userName sw "a.b"')).toEqual(['a.b@example.test']);
  });

  it('matches LIKE wildcards in values literally', async () => {
    expect(await findUserNames('displayName co "100%"')).toEqual(['jo.tester@example.test']);
    expect(await findUserNames('displayName co "%_"')).toEqual(['jo.tester@example.test']);
    expect(await findUserNames('userName sw "a_b"')).toEqual([]);
    expect(await findUserNames('userName co "+"')).toEqual(['first+x@example.test']);
  });

  it('finds by work email and not by home email', async () => {
    expect(await findUserNames('emails[type eq "work"].value eq "JO@work.example"')).toEqual(['jo.tester@example.test']);
    expect(await findUserNames('emails[type eq "work"].value eq "jo@home.example"')).toEqual([]);
    expect(await findUserNames('emails[type eq "work" and primary eq true]')).toEqual(['jo.tester@example.test']);
  });

  it('survives an emails value that is not an array', async () => {
    expect(await findUserNames('emails pr')).toEqual(['jo.tester@example.test']);
  });

  it('matches users without the attribute under not', async () => {
    expect(await findUserNames('not (title eq "cto")')).toEqual([
      'a.b@example.test',
      'axb@example.test',
      'first+x@example.test',
      'firstx@example.test',
      'inactive@example.test',
    ]);
  });

  it('filters externalId, active, role and enterprise attributes', async () => {
    expect(await findUserNames('externalId eq ext-1')).toEqual(['first+x@example.test']);
    expect(await findUserNames('active eq "False"')).toEqual(['inactive@example.test']);
    expect(await findUserNames('dropboxSign_role eq "admin"')).toEqual(['jo.tester@example.test']);
    expect(await findUserNames(`${ENTERPRISE}:manager.value eq "m-1"`)).toEqual(['jo.tester@example.test']);
  });

  it('compares meta.created as a timestamp', async () => {
    expect(await findUserNames('meta.created ge "2024-06-01T00:00:00Z"')).toEqual(['jo.tester@example.test']);
    expect(await findUserNames('meta.created lt "2024-06-01T00:00:00+00:00" and userName sw "a"')).toEqual([
      'a.b@example.test',
      'axb@example.test',
    ]);
  });

  it('uses the lower(user_name) index for the userName lookup', async () => {
    const compiled = compileUserFilter('userName eq "first+x@example.test"', 2);
    await client.query('SET enable_seqscan = off');
    const plan = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT 1 FROM ${SCHEMA}.scim_user u WHERE u.integration_id = $1 AND (${compiled.sql})`,
      [INTEGRATION, ...compiled.params],
    );
    await client.query('RESET enable_seqscan');
    expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(
      /Index Scan using \w+ on scim_user u[^\n]*\n\s*Index Cond: .*lower\(user_name\) = /,
    );
  });
});

async function insertRow(client: Client, row: Row): Promise<void> {
  const created = row.created ?? '2024-01-01T00:00:00Z';
  await client.query(
    `INSERT INTO ${SCHEMA}.scim_user
       (id, integration_id, user_name, external_id, email, active, role, resource, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, $8, 1)`,
    [
      randomUUID(),
      row.integrationId ?? INTEGRATION,
      row.userName,
      row.externalId ?? null,
      row.active ?? true,
      row.role ?? 'Member',
      JSON.stringify({ userName: row.userName, ...row.resource }),
      created,
    ],
  );
}
