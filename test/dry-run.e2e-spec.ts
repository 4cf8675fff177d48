import { FakeRequest, FakeTeam } from '@scimify/testing';
import { form, http, loginToConsole } from './support/admin-http';
import { createIntegration, scim, ScimResponse, Stack, startStack } from './support/stack';
import { waitUntil } from './support/eventually';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';

function writes(requests: FakeRequest[]): FakeRequest[] {
  return requests.filter((request) => request.path === '/v3/team/add_member' || request.path === '/v3/team/remove_member');
}

describe('dry run', () => {
  let stack: Stack;
  let team: FakeTeam;
  let integration: { id: string; token: string; scimBaseUrl: string };
  const newcomer = 'newcomer@example.test';
  const member = 'member@example.test';

  const users = (method: string, path: string, body?: unknown): Promise<ScimResponse> => scim(integration.scimBaseUrl, integration.token, method, path, body);
  const auditOf = async (action: string): Promise<Array<{ details: Record<string, unknown> }>> =>
    (await stack.db.query(`SELECT details FROM audit_event WHERE integration_id = $1 AND action = $2 ORDER BY id`, [integration.id, action])).rows;

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '5000', SWEEP_INTERVAL_SECONDS: '1' });
    team = await stack.fake.createTeam({ name: 'Shadow Team', rateLimitPerMinute: 1000 });
    await stack.fake.createAccount(member, team.teamId);
    integration = await createIntegration(stack, { displayName: 'Shadow', apiKey: team.apiKey });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('rejects a dry-run flag that is not boolean', async () => {
    const rejected = await stack.admin('PUT', `/integrations/${integration.id}/dry-run`, { dryRun: 'yes' });

    expect(rejected.status).toBe(400);
    expect((await stack.admin('GET', `/integrations/${integration.id}/dry-run`)).body).toEqual({ dryRun: false });
  });

  it('is switched on through the admin API', async () => {
    const switched = await stack.admin('PUT', `/integrations/${integration.id}/dry-run`, { dryRun: true });

    expect(switched.status).toBe(200);
    expect(switched.body).toEqual({ dryRun: true });
    expect((await stack.admin('GET', `/integrations/${integration.id}/dry-run`)).body).toEqual({ dryRun: true });
  });

  it('records an invite without sending it', async () => {
    const created = await users('POST', '/Users', { schemas: [CORE, CUSTOM], userName: newcomer, emails: [{ value: newcomer, primary: true }], active: true, [CUSTOM]: { dropboxSign_role: 'Admin' } });
    expect(created.status).toBe(201);

    await waitUntil(async () => (await auditOf('dry_run.add_member')).length === 1, 20_000, 'the planned invite is audited');
    expect((await auditOf('dry_run.add_member'))[0].details).toMatchObject({ email: newcomer, role: 'Admin', teamId: team.teamId });
    expect(writes(await stack.fake.requests(team.teamId))).toEqual([]);
    expect((await stack.fake.team(team.teamId)).invites).toEqual([]);
    const row = await stack.db.query(`SELECT observed_state FROM scim_user WHERE id = $1`, [created.body.id]);
    expect(row.rows[0].observed_state).toBe('none');
  });

  it('records a removal without sending it', async () => {
    const created = await users('POST', '/Users', { schemas: [CORE], userName: member, emails: [{ value: member, primary: true }], active: false });
    expect(created.status).toBe(201);

    await waitUntil(async () => (await auditOf('dry_run.remove_member')).length === 1, 20_000, 'the planned removal is audited');
    expect((await auditOf('dry_run.remove_member'))[0].details).toMatchObject({ email: member, operation: 'remove_member', newOwnerEmail: null });
    expect(writes(await stack.fake.requests(team.teamId))).toEqual([]);
    expect((await stack.fake.team(team.teamId)).members.map((account) => account.email)).toContain(member);
  });

  it('shows dry run in the console', async () => {
    const session = await loginToConsole(stack);
    const page = await http(stack, 'GET', `/admin/integrations/${integration.id}`, { headers: { Cookie: session.cookie } });

    expect(page.status).toBe(200);
    expect(page.text).toContain('Leave dry run');
  });

  it('leaving dry run applies the changes', async () => {
    const session = await loginToConsole(stack);
    const request = form({ _csrf: session.csrfToken, dryRun: 'off' });
    const posted = await http(stack, 'POST', `/admin/integrations/${integration.id}/dry-run`, { headers: { ...request.headers, Cookie: session.cookie }, body: request.body });
    expect(posted.status).toBe(303);

    await waitUntil(
      async () => {
        const state = await stack.fake.team(team.teamId);
        return state.invites.some((invite) => invite.email === newcomer) && !state.members.some((account) => account.email === member);
      },
      20_000,
      'the invite and the removal reach Dropbox Sign',
    );
    const invite = (await stack.fake.team(team.teamId)).invites.find((entry) => entry.email === newcomer);
    expect(invite?.role).toBe('Admin');
    expect((await auditOf('integration_dry_run_changed')).map((event) => event.details.dryRun)).toEqual([true, false]);
  });
});
