import { FakeDropboxSignServer, startFakeDropboxSign } from './fake-server';
import {
  callApi,
  callControl,
  createAccount,
  createTeam,
  ErrorResult,
  getTeamState,
  TeamBody,
  TeamStateBody,
} from './fake-test-client';

describe('fake Dropbox Sign add_member', () => {
  let server: FakeDropboxSignServer;

  beforeAll(async () => {
    server = await startFakeDropboxSign();
  });

  afterAll(async () => {
    await server.close();
  });

  it('add_member invites a new email as Member', async () => {
    const team = await createTeam(server.url);
    const result = await callApi<TeamBody>(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'new@add.test' },
    });

    expect(result.status).toBe(200);
    expect(result.body.team.invited_emails).toEqual(['new@add.test']);
    expect(result.body.team.invited_accounts).toEqual([]);
    expect(result.body.team.accounts).toHaveLength(1);
    const state = await getTeamState(server.url, team.teamId);
    expect(state.invites).toEqual([
      { email: 'new@add.test', role: 'Member', accountId: null, sentAt: expect.any(String) },
    ]);
  });

  it('add_member ignores role without team_id', async () => {
    const team = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'admin-wanted@add.test', role: 'Admin' },
    });

    const state = await getTeamState(server.url, team.teamId);
    expect(state.invites[0].role).toBe('Member');
  });

  it('add_member honours role with own team_id', async () => {
    const team = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'admin@add.test', role: 'Team Manager' },
      query: { team_id: team.teamId },
    });

    const state = await getTeamState(server.url, team.teamId);
    expect(state.invites[0].role).toBe('Team Manager');
  });

  it('add_member ignores role with a foreign team_id', async () => {
    const team = await createTeam(server.url);
    const otherTeam = await createTeam(server.url);
    const result = await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'foreign@add.test', role: 'Admin' },
      query: { team_id: otherTeam.teamId },
    });

    expect(result.status).toBe(200);
    const state = await getTeamState(server.url, team.teamId);
    expect(state.invites[0].role).toBe('Member');
  });

  it('add_member accepts a form-encoded body', async () => {
    const team = await createTeam(server.url);
    const result = await callApi<TeamBody>(server.url, team.apiKey, 'PUT', '/team/add_member', {
      form: { email_address: 'form@add.test', role: 'Team Manager' },
      query: { team_id: team.teamId },
    });

    expect(result.status).toBe(200);
    expect(result.body.team.invited_emails).toEqual(['form@add.test']);
    const state = await getTeamState(server.url, team.teamId);
    expect(state.invites[0].role).toBe('Team Manager');
  });

  it('add_member lists an existing account as invited', async () => {
    const team = await createTeam(server.url);
    const personal = await createAccount(server.url, { email: 'personal@add.test' });
    const result = await callApi<TeamBody>(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { account_id: personal.accountId, email_address: 'ignored@add.test' },
    });

    expect(result.status).toBe(200);
    expect(result.body.team.invited_accounts.map((account) => account.account_id)).toEqual([personal.accountId]);
    expect(result.body.team.invited_emails).toEqual([]);
  });

  it('add_member rejects an invalid role', async () => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'x@add.test', role: 'Owner' },
      query: { team_id: team.teamId },
    });

    expect(result.status).toBe(400);
    expect(result.body.error.error_name).toBe('bad_request');
    expect(result.body.error.error_path).toBe('role');
  });

  it('add_member requires email or account_id', async () => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { role: 'Member' },
    });

    expect(result.status).toBe(400);
    expect(result.body.error.error_name).toBe('bad_request');
  });

  it('add_member rejects a malformed email', async () => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'not an email' },
    });

    expect(result.status).toBe(400);
    expect(result.body.error.error_path).toBe('email_address');
  });

  it('add_member returns 404 for an unknown account_id', async () => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { account_id: 'f'.repeat(40) },
    });

    expect(result.status).toBe(404);
    expect(result.body.error.error_name).toBe('not_found');
  });

  it('add_member fails for another team member', async () => {
    const team = await createTeam(server.url);
    const otherTeam = await createTeam(server.url);
    await createAccount(server.url, { email: 'taken@add.test', teamId: otherTeam.teamId });

    const result: ErrorResult = await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'TAKEN@add.test' },
    });

    expect(result.status).toBe(403);
    expect(result.body.error.error_name).toBe('team_invite_failed');
    const state = await getTeamState(server.url, team.teamId);
    expect(state.invites).toEqual([]);
  });

  it('add_member rejects an existing member', async () => {
    const team = await createTeam(server.url);
    await createAccount(server.url, { email: 'member@add.test', teamId: team.teamId });

    const result: ErrorResult = await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'Member@Add.test' },
    });

    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({
      error_msg: 'Member@Add.test is already a member of your team.',
      error_name: 'bad_request',
      error_path: 'email_address',
    });
  });

  it('add_member rejects a second invite case-insensitively', async () => {
    const team = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', { json: { email_address: 'twice@add.test' } });

    const result: ErrorResult = await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'TWICE@add.test' },
    });

    expect(result.status).toBe(400);
    expect(result.body.error.error_msg).toContain('already has a pending invitation');
    expect(result.body.error.error_path).toBe('email_address');
    const state = await getTeamState(server.url, team.teamId);
    expect(state.invites).toHaveLength(1);
  });

  it('accept grants the invited role', async () => {
    const team = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'joiner@add.test', role: 'Developer' },
      query: { team_id: team.teamId },
    });

    const accepted = await callControl<TeamStateBody>(server.url, 'POST', `/teams/${team.teamId}/invites/accept`, {
      email: 'Joiner@add.test',
    });

    expect(accepted.status).toBe(200);
    expect(accepted.body.invites).toEqual([]);
    const roles = accepted.body.members.map((member) => [member.email, member.role]);
    expect(roles).toContainEqual(['joiner@add.test', 'Developer']);
    const teamResult = await callApi<TeamBody>(server.url, team.apiKey, 'GET', '/team');
    const joined = teamResult.body.team.accounts.find((account) => account.email_address === 'joiner@add.test');
    expect(joined?.role_code).toBe('d');
    expect(joined?.team_id).toBe(team.teamId);
  });

  it('accept keeps the existing account of an invitee', async () => {
    const team = await createTeam(server.url);
    const personal = await createAccount(server.url, { email: 'existing@add.test' });
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', { json: { email_address: 'existing@add.test' } });

    const accepted = await callControl<TeamStateBody>(server.url, 'POST', `/teams/${team.teamId}/invites/accept`, {
      email: 'existing@add.test',
    });

    expect(accepted.body.members.map((member) => member.accountId)).toContain(personal.accountId);
  });

  it('accept returns 404 without an invite', async () => {
    const team = await createTeam(server.url);
    const result = await callControl(server.url, 'POST', `/teams/${team.teamId}/invites/accept`, {
      email: 'none@add.test',
    });

    expect(result.status).toBe(404);
  });
});
