import { FakeDropboxSignServer, startFakeDropboxSign } from './fake-server';
import {
  callApi,
  createAccount,
  createTeam,
  ErrorResult,
  TeamBody,
  TeamInvitesBody,
  TeamMembersBody,
} from './fake-test-client';

describe('fake Dropbox Sign team reads', () => {
  let server: FakeDropboxSignServer;

  beforeAll(async () => {
    server = await startFakeDropboxSign();
  });

  afterAll(async () => {
    await server.close();
  });

  async function teamWithMembers(count: number): Promise<{ apiKey: string; teamId: string }> {
    const team = await createTeam(server.url);
    for (let i = 0; i < count; i += 1) {
      await createAccount(server.url, { email: `member${i}-${team.teamId}@read.test`, teamId: team.teamId });
    }
    return team;
  }

  it('team lists members, invited accounts and invited emails', async () => {
    const team = await createTeam(server.url, { name: 'Read Team', ownerEmail: 'owner@read.test' });
    await createAccount(server.url, { email: 'dev@read.test', teamId: team.teamId, role: 'Developer' });
    await createAccount(server.url, { email: 'manager@read.test', teamId: team.teamId, role: 'Team Manager' });
    await createAccount(server.url, { email: 'member@read.test', teamId: team.teamId });
    const personal = await createAccount(server.url, { email: 'personal@read.test' });
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'personal@read.test' },
    });
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', { json: { email_address: 'new@read.test' } });

    const result = await callApi<TeamBody>(server.url, team.apiKey, 'GET', '/team');

    expect(result.status).toBe(200);
    expect(result.body.team.name).toBe('Read Team');
    const roleCodes = result.body.team.accounts.map((account) => [account.email_address, account.role_code]);
    expect(roleCodes).toEqual([
      ['owner@read.test', 'a'],
      ['dev@read.test', 'd'],
      ['manager@read.test', 't'],
      ['member@read.test', 'm'],
    ]);
    expect(result.body.team.invited_accounts).toHaveLength(1);
    expect(result.body.team.invited_accounts[0].account_id).toBe(personal.accountId);
    expect(result.body.team.invited_accounts[0]).not.toHaveProperty('role_code');
    expect(result.body.team.invited_emails).toEqual(['new@read.test']);
  });

  it('members returns the first page with list_info', async () => {
    const team = await teamWithMembers(24);
    const result = await callApi<TeamMembersBody>(server.url, team.apiKey, 'GET', `/team/members/${team.teamId}`);

    expect(result.status).toBe(200);
    expect(result.body.team_members).toHaveLength(20);
    expect(result.body.team_members[0].role).toBe('Admin');
    expect(result.body.team_members[1]).toEqual({
      account_id: expect.stringMatching(/^[0-9a-f]{40}$/),
      email_address: `member0-${team.teamId}@read.test`,
      role: 'Member',
    });
    expect(result.body.list_info).toEqual({ page: 1, num_pages: 2, num_results: 25, page_size: 20 });
  });

  it('members returns a later page', async () => {
    const team = await teamWithMembers(24);
    const result = await callApi<TeamMembersBody>(server.url, team.apiKey, 'GET', `/team/members/${team.teamId}`, {
      query: { page: '3', page_size: '10' },
    });

    expect(result.status).toBe(200);
    expect(result.body.team_members.map((member) => member.email_address)).toEqual(
      [19, 20, 21, 22, 23].map((i) => `member${i}-${team.teamId}@read.test`),
    );
    expect(result.body.list_info).toEqual({ page: 3, num_pages: 3, num_results: 25, page_size: 10 });
  });

  it('members page past the end is empty', async () => {
    const team = await teamWithMembers(1);
    const result = await callApi<TeamMembersBody>(server.url, team.apiKey, 'GET', `/team/members/${team.teamId}`, {
      query: { page: '2', page_size: '100' },
    });

    expect(result.status).toBe(200);
    expect(result.body.team_members).toEqual([]);
    expect(result.body.list_info).toEqual({ page: 2, num_pages: 1, num_results: 2, page_size: 100 });
  });

  it.each([
    ['page_size', '0'],
    ['page_size', '101'],
    ['page_size', 'ten'],
    ['page', '0'],
    ['page', '-1'],
  ])('members rejects %s=%s with 400', async (name, value) => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'GET', `/team/members/${team.teamId}`, {
      query: { [name]: value },
    });

    expect(result.status).toBe(400);
    expect(result.body.error.error_name).toBe('bad_request');
    expect(result.body.error.error_path).toBe(name);
  });

  it('members of another team returns 404', async () => {
    const team = await createTeam(server.url);
    const otherTeam = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'GET', `/team/members/${otherTeam.teamId}`);

    expect(result.status).toBe(404);
    expect(result.body.error).toEqual({
      error_msg: 'Team does not exist', error_name: 'not_found', error_path: 'team_id',
    });
  });

  it('invites lists pending invites of the team', async () => {
    const team = await createTeam(server.url);
    const before = Math.floor(Date.now() / 1000);
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', { json: { email_address: 'one@invites.test' } });
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'two@invites.test', role: 'Developer' },
      query: { team_id: team.teamId },
    });

    const result = await callApi<TeamInvitesBody>(server.url, team.apiKey, 'GET', '/team/invites');

    expect(result.status).toBe(200);
    expect(result.body.team_invites).toHaveLength(2);
    const [first, second] = result.body.team_invites;
    expect(first).toEqual({
      email_address: 'one@invites.test',
      team_id: team.teamId,
      role: 'Member',
      sent_at: expect.any(Number),
      redeemed_at: null,
      expires_at: expect.any(Number),
    });
    expect(first.sent_at).toBeGreaterThanOrEqual(before);
    expect(first.expires_at).toBeGreaterThan(first.sent_at);
    expect(second.role).toBe('Developer');
  });

  it('invites filters by email_address', async () => {
    const team = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', { json: { email_address: 'a@filter.test' } });
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', { json: { email_address: 'b@filter.test' } });

    const result = await callApi<TeamInvitesBody>(server.url, team.apiKey, 'GET', '/team/invites', {
      query: { email_address: 'B@filter.test' },
    });

    expect(result.body.team_invites.map((invite) => invite.email_address)).toEqual(['b@filter.test']);
  });

  it('invites excludes other teams', async () => {
    const team = await createTeam(server.url);
    const otherTeam = await createTeam(server.url);
    await callApi(server.url, otherTeam.apiKey, 'PUT', '/team/add_member', { json: { email_address: 'x@other.test' } });

    const result = await callApi<TeamInvitesBody>(server.url, team.apiKey, 'GET', '/team/invites');

    expect(result.body.team_invites).toEqual([]);
  });
});
