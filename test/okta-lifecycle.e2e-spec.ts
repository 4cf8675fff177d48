import { FakeRequest, FakeTeam } from '@scimify/testing';
import { TeamSyncService } from '../apps/worker/src/team/team-sync.service';
import { createIntegration, scim, ScimResponse, Stack, startStack } from './support/stack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';
const PROVISIONING = 'urn:scimify:params:scim:schemas:extension:provisioning:2.0:User';

/** Builds the body Okta sends on assignment, with the role in the custom extension. */
function oktaCreateBody(email: string, role: string | undefined): Record<string, unknown> {
  return {
    schemas: [CORE, CUSTOM],
    userName: email,
    name: { givenName: 'Jo', familyName: 'Tester' },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: 'Jo Tester',
    locale: 'en-US',
    externalId: `00u${email.length}abc`,
    groups: [],
    password: 'Okta-Random-Password-1!',
    active: true,
    ...(role === undefined ? {} : { [CUSTOM]: { dropboxSign_role: role } }),
  };
}

function callsTo(requests: FakeRequest[], endpoint: string): FakeRequest[] {
  return requests.filter((request) => request.path === `/v3/team/${endpoint}`);
}

describe('Okta user lifecycle end to end', () => {
  let stack: Stack;
  let team: FakeTeam;
  let integration: { id: string; token: string; scimBaseUrl: string };
  let jo: { id: string };
  let requestMark = 0;
  const transferEmail = 'archive@example.test';
  const started = Date.now();

  const users = (method: string, path: string, body?: unknown): Promise<ScimResponse> =>
    scim(integration.scimBaseUrl, integration.token, method, path, body);

  /** Dropbox Sign requests that the fake received since the previous call. */
  async function newRequests(): Promise<FakeRequest[]> {
    const all = await stack.fake.requests(team.teamId);
    const fresh = all.slice(requestMark);
    requestMark = all.length;
    return fresh;
  }

  async function auditActions(userId: string): Promise<string[]> {
    const { rows } = await stack.db.query(`SELECT action FROM audit_event WHERE user_id = $1 ORDER BY id`, [userId]);
    return rows.map((row: { action: string }) => row.action);
  }

  beforeAll(async () => {
    stack = await startStack();
    team = await stack.fake.createTeam({ name: 'Acme Legal', plan: 'enterprise', rateLimitPerMinute: 1000 });
    await stack.fake.createAccount(transferEmail, team.teamId);
    await stack.fake.createAccount('already.member@example.test', team.teamId);
    // An invitation sent from Dropbox Sign's own UI before Scimify was connected.
    await fetch(`${stack.fake.apiUrl}/team/add_member`, {
      method: 'PUT',
      headers: { Authorization: `Basic ${Buffer.from(`${team.apiKey}:`).toString('base64')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email_address: 'already.invited@example.test' }),
    });
    integration = await createIntegration(stack, { displayName: 'Production Dropbox Sign Team', apiKey: team.apiKey, transferEmail });
    await newRequests();
  });

  afterAll(async () => {
    if (!stack) return;
    const total = (await stack.fake.requests(team.teamId)).length;
    process.stdout.write(`Okta lifecycle: ${total} Dropbox Sign requests, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    await stack.close();
  });

  it('answers the connection test with an empty list', async () => {
    const response = await users('GET', '/Users?startIndex=1&count=2');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/scim+json');
    expect(response.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('invites an assigned user once with the requested role', async () => {
    const lookup = await users('GET', `/Users?filter=${encodeURIComponent('userName eq "jo.tester@example.test"')}&startIndex=1&count=100`);
    expect(lookup.status).toBe(200);
    expect(lookup.body.totalResults).toBe(0);
    expect(lookup.body.Resources).toEqual([]);

    const created = await users('POST', '/Users', oktaCreateBody('jo.tester@example.test', 'Developer'));
    expect(created.status).toBe(201);
    expect(created.body.password).toBeUndefined();
    expect(created.body[CUSTOM].dropboxSign_role).toBe('Developer');
    expect(created.body[PROVISIONING].state).toBe('invited');
    jo = created.body;

    const adds = callsTo(await newRequests(), 'add_member');
    expect(adds).toHaveLength(1);
    expect(adds[0].query.team_id).toBe(team.teamId);
    expect(adds[0].body).toMatchObject({ email_address: 'jo.tester@example.test', role: 'Developer' });

    const state = await stack.fake.team(team.teamId);
    expect(state.invites).toContainEqual(expect.objectContaining({ email: 'jo.tester@example.test', role: 'Developer' }));
    expect(await auditActions(jo.id)).toEqual(['user_created', 'dropbox_sign.add_member']);

    const found = await users('GET', `/Users?filter=${encodeURIComponent('userName eq "JO.TESTER@example.test"')}`);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(jo.id);
  });

  it('links an existing member and an existing invite without add_member', async () => {
    const member = await users('POST', '/Users', oktaCreateBody('already.member@example.test', undefined));
    const invited = await users('POST', '/Users', oktaCreateBody('already.invited@example.test', undefined));

    expect(member.status).toBe(201);
    expect(member.body[PROVISIONING].state).toBe('member');
    expect(invited.status).toBe(201);
    expect(invited.body[PROVISIONING].state).toBe('invited');
    expect(member.body[CUSTOM].dropboxSign_role).toBe('Member');
    expect(callsTo(await newRequests(), 'add_member')).toHaveLength(0);
    expect(await auditActions(member.body.id)).toContain('member_linked');
    expect(await auditActions(invited.body.id)).toContain('invite_linked');
  });

  it('cancels and re-sends a pending invite on a role change', async () => {
    const current = await users('GET', `/Users/${jo.id}`);
    const body = { ...current.body, password: 'another', groups: [], [CUSTOM]: { dropboxSign_role: 'Admin' } };

    const replaced = await users('PUT', `/Users/${jo.id}`, body);
    expect(replaced.status).toBe(200);
    expect(replaced.body[CUSTOM].dropboxSign_role).toBe('Admin');

    const requests = await newRequests();
    const removes = callsTo(requests, 'remove_member');
    const adds = callsTo(requests, 'add_member');
    expect(removes).toHaveLength(1);
    expect(removes[0].body).toMatchObject({ email_address: 'jo.tester@example.test' });
    expect(removes[0].body).not.toHaveProperty('new_owner_email_address');
    expect(adds).toHaveLength(1);
    expect(adds[0].body).toMatchObject({ role: 'Admin' });
    expect(requests.indexOf(removes[0])).toBeLessThan(requests.indexOf(adds[0]));

    const state = await stack.fake.team(team.teamId);
    expect(state.invites.filter((invite) => invite.email === 'jo.tester@example.test')).toEqual([expect.objectContaining({ role: 'Admin' })]);
  });

  it('turns an accepted invite into a member and only notes a later role change', async () => {
    await stack.fake.acceptInvite(team.teamId, 'jo.tester@example.test');
    const promoted = await stack.worker.get(TeamSyncService).syncTeam(integration.id, 'test-sync');
    expect(promoted).toBe(1);

    const read = await users('GET', `/Users/${jo.id}`);
    expect(read.body[PROVISIONING].state).toBe('member');
    expect(read.body[PROVISIONING].dropboxSignAccountId).toEqual(expect.any(String));
    await newRequests();

    const changed = await users('PUT', `/Users/${jo.id}`, { ...read.body, [CUSTOM]: { dropboxSign_role: 'Member' } });
    expect(changed.status).toBe(200);
    expect(await newRequests()).toEqual([]);
    expect(await auditActions(jo.id)).toContain('role_not_applied');
    expect((await stack.fake.team(team.teamId)).members).toContainEqual(expect.objectContaining({ email: 'jo.tester@example.test', role: 'Admin' }));
  });

  it('removes a deactivated member with the transfer email and keeps the user readable', async () => {
    const patched = await users('PATCH', `/Users/${jo.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.active).toBe(false);

    const removes = callsTo(await newRequests(), 'remove_member');
    expect(removes).toHaveLength(1);
    expect(removes[0].body).toMatchObject({ email_address: 'jo.tester@example.test', new_owner_email_address: transferEmail });

    const state = await stack.fake.team(team.teamId);
    expect(state.members.map((member) => member.email)).not.toContain('jo.tester@example.test');
    expect(state.transfers).toContainEqual({ fromEmail: 'jo.tester@example.test', toEmail: transferEmail });

    const read = await users('GET', `/Users/${jo.id}`);
    expect(read.status).toBe(200);
    expect(read.body.active).toBe(false);
    expect(read.body[PROVISIONING].state).toBe('removed');
  });

  it('invites a reactivated user again', async () => {
    const patched = await users('PATCH', `/Users/${jo.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body[PROVISIONING].state).toBe('invited');

    const adds = callsTo(await newRequests(), 'add_member');
    expect(adds).toHaveLength(1);
    expect(adds[0].body).toMatchObject({ email_address: 'jo.tester@example.test', role: 'Member' });
  });

  it('rejects an address of another team and stores nothing', async () => {
    const other = await stack.fake.createTeam({ name: 'Other Co' });
    await stack.fake.createAccount('taken@example.test', other.teamId);

    const created = await users('POST', '/Users', oktaCreateBody('taken@example.test', 'Member'));
    expect(created.status).toBe(409);
    expect(created.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect(created.body.detail).toContain('team_invite_failed');

    const lookup = await users('GET', `/Users?filter=${encodeURIComponent('userName eq "taken@example.test"')}`);
    expect(lookup.body.totalResults).toBe(0);
    const { rows } = await stack.db.query(`SELECT count(*)::int AS count FROM scim_user WHERE user_name = 'taken@example.test'`);
    expect(rows[0].count).toBe(0);
  });

  it('rejects an invalid role naming the valid values', async () => {
    const created = await users('POST', '/Users', oktaCreateBody('role.test@example.test', 'Owner'));

    expect(created.status).toBe(400);
    expect(created.body.scimType).toBe('invalidValue');
    expect(created.body.detail).toContain('Owner');
    expect(created.body.detail).toContain('Member, Developer, Team Manager, Admin');
    const { rows } = await stack.db.query(`SELECT count(*)::int AS count FROM scim_user WHERE user_name = 'role.test@example.test'`);
    expect(rows[0].count).toBe(0);
  });

  it('rejects a wrong token and a token of another integration', async () => {
    const wrong = await scim(integration.scimBaseUrl, 'not-a-token', 'GET', '/Users');
    expect(wrong.status).toBe(401);
    expect(wrong.body.status).toBe('401');

    const otherTeam = await stack.fake.createTeam({ name: 'Second Team' });
    const other = await createIntegration(stack, { displayName: 'Second', apiKey: otherTeam.apiKey });
    const crossed = await scim(integration.scimBaseUrl, other.token, 'GET', `/Users/${jo.id}`);
    expect(crossed.status).toBe(401);
  });

  it('keeps API keys and tokens out of the audit trail', async () => {
    const { rows } = await stack.db.query(`SELECT details::text AS details FROM audit_event`);
    const text = rows.map((row: { details: string }) => row.details).join('\n');

    expect(rows.length).toBeGreaterThan(10);
    expect(text).not.toContain(team.apiKey);
    expect(text).not.toContain(integration.token);
  });
});
