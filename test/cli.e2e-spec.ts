import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FakeTeam } from '@scimify/testing';
import { eventually } from './support/eventually';
import { scim, ScimResponse, Stack, startStack } from './support/stack';

const CLI = join(__dirname, '..', 'dist/apps/cli/src/main.js');
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const PROVISIONING = 'urn:scimify:params:scim:schemas:extension:provisioning:2.0:User';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

(existsSync(CLI) ? describe : describe.skip)('admin CLI', () => {
  let stack: Stack;
  let team: FakeTeam;
  let integration: { id: string; token: string; scimBaseUrl: string };
  const emails = ['leaver.0@example.test', 'leaver.1@example.test', 'leaver.2@example.test', 'leaver.3@example.test'];
  const ids = new Map<string, string>();

  /** Runs the built CLI with the stack's settings, as an operator would on the gateway's host. */
  function cli(args: string[], stdin?: string, overrides: Record<string, string> = {}): Promise<CliResult> {
    const { config } = stack;
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      QUEUE_PREFIX: config.QUEUE_PREFIX,
      SCIMIFY_ENCRYPTION_KEY: config.SCIMIFY_ENCRYPTION_KEY,
      SCIMIFY_ADMIN_TOKEN: config.SCIMIFY_ADMIN_TOKEN,
      PUBLIC_BASE_URL: config.PUBLIC_BASE_URL,
      SWEEP_INTERVAL_SECONDS: String(config.SWEEP_INTERVAL_SECONDS),
      LOG_LEVEL: 'warn',
      ...overrides,
    };

    return new Promise((resolve) => {
      const child = execFile(process.execPath, [CLI, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
      child.stdin?.end(stdin ?? '');
    });
  }

  const users = (method: string, path: string, body?: unknown): Promise<ScimResponse> => scim(integration.scimBaseUrl, integration.token, method, path, body);
  const field = (output: string, label: string): string | undefined => output.match(new RegExp(`^${label}: (.*)$`, 'm'))?.[1];
  const heldIds = async (): Promise<string[]> =>
    (await stack.db.query(`SELECT id FROM scim_user WHERE removal_held_at IS NOT NULL ORDER BY user_name`)).rows.map((row: { id: string }) => row.id);
  const removalsOf = async (email: string): Promise<number> =>
    (await stack.fake.requests(team.teamId)).filter((request) => request.path === '/v3/team/remove_member' && request.body?.email_address === email).length;

  beforeAll(async () => {
    // One removal an hour passes the guard, so that the test can hold the others.
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '5000', SWEEP_INTERVAL_SECONDS: '1', MASS_REMOVAL_MAX_COUNT: '1', MASS_REMOVAL_MAX_PERCENT: '100', MASS_REMOVAL_MIN_COUNT: '0' });
    team = await stack.fake.createTeam({ name: 'CLI Team', rateLimitPerMinute: 1000 });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('creates an integration with a token', async () => {
    const created = await cli(['integrations:create', '--name', 'From the CLI', '--api-key-stdin', '--enable', '--issue-token'], `${team.apiKey}\n`);

    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).not.toContain(team.apiKey);
    expect(field(created.stdout, 'enabled')).toBe('true');
    integration = { id: field(created.stdout, 'id')!, token: field(created.stdout, 'SCIM token')!, scimBaseUrl: field(created.stdout, 'SCIM base URL')! };
    integration.scimBaseUrl = integration.scimBaseUrl.replace(stack.config.PUBLIC_BASE_URL, stack.gatewayUrl);

    for (const email of emails) {
      const response = await users('POST', '/Users', { schemas: [CORE], userName: email, emails: [{ value: email, primary: true }], active: true });
      expect(response.status).toBe(201);
      ids.set(email, response.body.id);
    }
    expect(await eventually(async () => (await stack.fake.team(team.teamId)).invites.length === emails.length, 20_000)).toBe(true);
  });

  it('lists held removals', async () => {
    for (const email of emails) {
      const patched = await users('PATCH', `/Users/${ids.get(email)}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
      expect(patched.status).toBe(200);
    }
    expect(await eventually(async () => (await heldIds()).length === 3, 20_000)).toBe(true);

    const listed = await cli(['removals:list', integration.id]);

    expect(listed.code).toBe(0);
    for (const email of emails.slice(1)) {
      expect(listed.stdout).toContain(`userName: ${email}`);
      expect(listed.stdout).toContain(`user id: ${ids.get(email)}`);
    }
    expect(listed.stdout).not.toContain(`userName: ${emails[0]}`);
  });

  it('releases one held removal', async () => {
    const released = await cli(['removals:release', integration.id, '--user', ids.get(emails[1])!]);

    expect(released.code).toBe(0);
    expect(released.stdout).toContain('Released 1 held removal(s).');
    expect(released.stdout).toContain(emails[1]);
    expect(await eventually(async () => (await removalsOf(emails[1])) === 1, 20_000)).toBe(true);
    expect(await heldIds()).toEqual([ids.get(emails[2]), ids.get(emails[3])]);
  });

  it('discards the other held removals', async () => {
    const discarded = await cli(['removals:discard', integration.id]);

    expect(discarded.code).toBe(0);
    expect(discarded.stdout).toContain('Discarded 2 held removal(s).');
    expect(await heldIds()).toEqual([]);

    const user = await users('GET', `/Users/${ids.get(emails[2])}`);
    expect(user.body.active).toBe(true);
    expect(await eventually(async () => (await users('GET', `/Users/${ids.get(emails[2])}`)).body[PROVISIONING].state === 'invited', 20_000)).toBe(true);
    expect(await removalsOf(emails[2])).toBe(0);

    const audit = await stack.db.query(`SELECT action, actor, request_id AS "requestId" FROM audit_event WHERE user_id = $1 AND action LIKE 'removal_%' ORDER BY id`, [ids.get(emails[2])]);
    expect(audit.rows.map((row: { action: string }) => row.action)).toEqual(['removal_held', 'removal_discarded']);
    expect(audit.rows[1]).toMatchObject({ actor: 'admin', requestId: expect.stringMatching(/^cli-/) });
  });

  it('starts and stops dry run', async () => {
    const started = await cli(['dry-run:start', integration.id]);
    expect(started.code).toBe(0);
    expect(field(started.stdout, 'dry run')).toBe('true');
    expect((await stack.admin('GET', `/integrations/${integration.id}/dry-run`)).body).toEqual({ dryRun: true });

    const stopped = await cli(['dry-run:stop', integration.id]);
    expect(stopped.code).toBe(0);
    expect(field(stopped.stdout, 'dry run')).toBe('false');
    expect((await stack.admin('GET', `/integrations/${integration.id}/dry-run`)).body).toEqual({ dryRun: false });
  });

  it('rejects an invalid user id', async () => {
    const rejected = await cli(['removals:release', integration.id, '--user', 'leaver.2@example.test']);

    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('--user leaver.2@example.test is invalid: give a user id (UUID) from removals:list');
  });

  it('rejects a mismatched encryption key', async () => {
    const before = (await stack.db.query(`SELECT count(*)::int AS count FROM integration`)).rows[0].count;

    const mismatched = await cli(['integrations:create', '--name', 'Other key', '--api-key-stdin'], `${team.apiKey}\n`, { SCIMIFY_ENCRYPTION_KEY: 'c'.repeat(64) });

    expect(mismatched.code).toBe(1);
    expect(mismatched.stderr).toContain('SCIMIFY_ENCRYPTION_KEY does not decrypt the Dropbox Sign API keys stored in the database');
    expect((await stack.db.query(`SELECT count(*)::int AS count FROM integration`)).rows[0].count).toBe(before);
  });

  it('reports an unknown integration', async () => {
    const missing = await cli(['removals:list', '00000000-0000-4000-8000-000000000000']);

    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Integration 00000000-0000-4000-8000-000000000000 not found');
  });
});
