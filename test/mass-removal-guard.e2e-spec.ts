import { FakeRequest, FakeTeam } from '@scimify/testing';
import { form, http, loginToConsole } from './support/admin-http';
import { createIntegration, scim, ScimResponse, Stack, startStack } from './support/stack';
import { waitUntil } from './support/eventually';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function removalsOf(requests: FakeRequest[], email: string): FakeRequest[] {
  return requests.filter((request) => request.path === '/v3/team/remove_member' && request.body?.email_address === email);
}

describe('mass-removal guard', () => {
  let stack: Stack;
  let team: FakeTeam;
  let integration: { id: string; token: string; scimBaseUrl: string };
  const ids = new Map<string, string>();
  const emails = Array.from({ length: 5 }, (_, index) => `leaver.${index}@example.test`);

  const users = (method: string, path: string, body?: unknown): Promise<ScimResponse> => scim(integration.scimBaseUrl, integration.token, method, path, body);
  const heldIds = async (): Promise<string[]> =>
    (await stack.db.query(`SELECT id FROM scim_user WHERE removal_held_at IS NOT NULL ORDER BY id`)).rows.map((row: { id: string }) => row.id);

  async function createUser(email: string): Promise<string> {
    const created = await users('POST', '/Users', { schemas: [CORE], userName: email, emails: [{ value: email, primary: true }], active: true });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  beforeAll(async () => {
    // At most two removals an hour, whatever the share of the team.
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '5000', SWEEP_INTERVAL_SECONDS: '1', MASS_REMOVAL_MAX_COUNT: '2', MASS_REMOVAL_MAX_PERCENT: '100', MASS_REMOVAL_MIN_COUNT: '0' });
    team = await stack.fake.createTeam({ name: 'Guarded Team', rateLimitPerMinute: 1000 });
    integration = await createIntegration(stack, { displayName: 'Guarded', apiKey: team.apiKey });

    for (const email of emails) ids.set(email, await createUser(email));
    await waitUntil(async () => (await stack.fake.team(team.teamId)).invites.length === emails.length, 20_000, 'every leaver is invited');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('holds removals over the limit', async () => {
    for (const email of emails) {
      const patched = await users('PATCH', `/Users/${ids.get(email)}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
      expect(patched.status).toBe(200);
    }
    await waitUntil(async () => (await heldIds()).length === 3, 20_000, 'three removals are held');

    const requests = await stack.fake.requests(team.teamId);
    expect(removalsOf(requests, emails[0])).toHaveLength(1);
    expect(removalsOf(requests, emails[1])).toHaveLength(1);
    for (const email of emails.slice(2)) expect(removalsOf(requests, email)).toHaveLength(0);

    const invited = (await stack.fake.team(team.teamId)).invites.map((invite) => invite.email).sort();
    expect(invited).toEqual(emails.slice(2));

    const held = await users('GET', `/Users/${ids.get(emails[2])}`);
    expect(held.body['urn:scimify:params:scim:schemas:extension:provisioning:2.0:User'].state).toBe('pending');
    const audit = await stack.db.query(`SELECT details FROM audit_event WHERE action = 'removal_held' AND user_id = $1`, [ids.get(emails[2])]);
    expect(audit.rows[0].details).toMatchObject({ removalsAfter: 3, allowed: 2, maxCount: 2 });
  });

  it('still invites a new user meanwhile', async () => {
    const newcomer = 'newcomer@example.test';
    await createUser(newcomer);

    await waitUntil(async () => (await stack.fake.team(team.teamId)).invites.some((invite) => invite.email === newcomer), 20_000, 'the newcomer is invited');
  });

  it('keeps holding across sweeps', async () => {
    // The sweep runs every second; three sweeps later the held removals are still not sent.
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const requests = await stack.fake.requests(team.teamId);
    for (const email of emails.slice(2)) expect(removalsOf(requests, email)).toHaveLength(0);
    expect(await heldIds()).toHaveLength(3);
  });

  it('lists the held removals', async () => {
    const listed = await stack.admin('GET', `/integrations/${integration.id}/held-removals`);

    expect(listed.status).toBe(200);
    expect(listed.body.heldRemovals.map((held: { userName: string }) => held.userName).sort()).toEqual(emails.slice(2));
  });

  it('shows the held count in the console', async () => {
    const session = await loginToConsole(stack);
    const page = await http(stack, 'GET', '/admin/integrations', { headers: { Cookie: session.cookie } });

    expect(page.status).toBe(200);
    expect(page.text).toContain('data-held-removals="3"');
    expect(page.text).toContain(`action="/admin/integrations/${integration.id}/held-removals/release"`);
    expect(page.text).toContain(`action="/admin/integrations/${integration.id}/held-removals/discard"`);
  });

  it('console rejects a decision without CSRF token', async () => {
    const session = await loginToConsole(stack);
    const request = form({});
    const posted = await http(stack, 'POST', `/admin/integrations/${integration.id}/held-removals/discard`, { headers: { ...request.headers, Cookie: session.cookie }, body: request.body });

    expect(posted.status).toBe(403);
    expect(await heldIds()).toHaveLength(3);
  });

  it('rejects malformed userIds', async () => {
    const rejected = await stack.admin('POST', `/integrations/${integration.id}/held-removals/release`, { userIds: ['not-a-uuid'] });

    expect(rejected.status).toBe(400);
    expect(await heldIds()).toHaveLength(3);
  });

  it('release applies the selected removals', async () => {
    const selected = [ids.get(emails[2])!, ids.get(emails[3])!];
    const released = await stack.admin('POST', `/integrations/${integration.id}/held-removals/release`, { userIds: selected });

    expect(released.status).toBe(202);
    expect(released.body.userIds.sort()).toEqual([...selected].sort());
    await waitUntil(async () => (await stack.fake.team(team.teamId)).invites.every((invite) => invite.email !== emails[2] && invite.email !== emails[3]), 20_000, 'the released removals are applied');

    const requests = await stack.fake.requests(team.teamId);
    expect(removalsOf(requests, emails[2])).toHaveLength(1);
    expect(removalsOf(requests, emails[3])).toHaveLength(1);
    expect(await heldIds()).toEqual([ids.get(emails[4])]);
    const audit = await stack.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'removal_released' AND actor = 'admin'`);
    expect(audit.rows[0].n).toBe(2);
  });

  it('console discard keeps the user invited and active', async () => {
    const userId = ids.get(emails[4])!;
    const session = await loginToConsole(stack);
    const request = form({ _csrf: session.csrfToken });
    const posted = await http(stack, 'POST', `/admin/integrations/${integration.id}/held-removals/discard`, { headers: { ...request.headers, Cookie: session.cookie }, body: request.body });

    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`/admin/integrations/${integration.id}?notice=removalsDiscarded`);
    await waitUntil(async () => (await stack.db.query(`SELECT applied_generation >= desired_generation AS done FROM scim_user WHERE id = $1`, [userId])).rows[0].done, 20_000, 'the discard is applied');

    const user = await users('GET', `/Users/${userId}`);
    expect(user.body.active).toBe(true);
    expect((await stack.fake.team(team.teamId)).invites.map((invite) => invite.email)).toContain(emails[4]);
    expect(removalsOf(await stack.fake.requests(team.teamId), emails[4])).toHaveLength(0);
    expect(await heldIds()).toEqual([]);
    const audit = await stack.db.query(`SELECT actor FROM audit_event WHERE action = 'removal_discarded' AND user_id = $1`, [userId]);
    expect(audit.rows).toEqual([{ actor: 'admin' }]);
  });
});
