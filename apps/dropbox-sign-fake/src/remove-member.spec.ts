import { FakeDropboxSignServer, startFakeDropboxSign } from './fake-server';
import {
  AccountBody,
  callApi,
  createAccount,
  createTeam,
  ErrorResult,
  getTeamState,
  TeamBody,
} from './fake-test-client';

describe('fake Dropbox Sign remove_member', () => {
  let server: FakeDropboxSignServer;

  beforeAll(async () => {
    server = await startFakeDropboxSign();
  });

  afterAll(async () => {
    await server.close();
  });

  it('remove_member keeps a personal account', async () => {
    const team = await createTeam(server.url);
    const member = await createAccount(server.url, { email: 'leaver@remove.test', teamId: team.teamId });

    const result = await callApi<TeamBody>(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'LEAVER@remove.test' },
    });

    expect(result.status).toBe(201);
    expect(result.body.team.accounts.map((account) => account.email_address)).not.toContain('leaver@remove.test');
    const account = await callApi<AccountBody>(server.url, team.apiKey, 'GET', '/account', {
      query: { account_id: member.accountId },
    });
    expect(account.status).toBe(200);
    expect(account.body.account.team_id).toBeNull();
    expect(account.body.account.role_code).toBeNull();
    expect(account.body.account.is_paid_hs).toBe(false);
  });

  it('remove_member accepts account_id in a form body', async () => {
    const team = await createTeam(server.url);
    const member = await createAccount(server.url, { email: 'form-leaver@remove.test', teamId: team.teamId });

    const result = await callApi<TeamBody>(server.url, team.apiKey, 'POST', '/team/remove_member', {
      form: { account_id: member.accountId },
    });

    expect(result.status).toBe(201);
    const state = await getTeamState(server.url, team.teamId);
    expect(state.members.map((entry) => entry.accountId)).not.toContain(member.accountId);
  });

  it('remove_member expires a pending invite', async () => {
    const team = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'invitee@remove.test' },
    });

    const result = await callApi<TeamBody>(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'invitee@remove.test' },
    });

    expect(result.status).toBe(201);
    expect(result.body.team.invited_emails).toEqual([]);
    const state = await getTeamState(server.url, team.teamId);
    expect(state.invites).toEqual([]);
  });

  it('remove_member returns 404 for an unknown email', async () => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'stranger@remove.test' },
    });

    expect(result.status).toBe(404);
    expect(result.body.error.error_name).toBe('not_found');
  });

  it('remove_member returns 404 for a member of another team', async () => {
    const team = await createTeam(server.url);
    const otherTeam = await createTeam(server.url);
    await createAccount(server.url, { email: 'elsewhere@remove.test', teamId: otherTeam.teamId });

    const result: ErrorResult = await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'elsewhere@remove.test' },
    });

    expect(result.status).toBe(404);
    const otherState = await getTeamState(server.url, otherTeam.teamId);
    expect(otherState.members.map((member) => member.email)).toContain('elsewhere@remove.test');
  });

  it('remove_member requires email or account_id', async () => {
    const team = await createTeam(server.url);
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', { json: {} });

    expect(result.status).toBe(400);
    expect(result.body.error.error_name).toBe('bad_request');
  });

  it('remove_member forbids removing the key owner', async () => {
    const team = await createTeam(server.url, { ownerEmail: 'boss@remove.test' });
    const result: ErrorResult = await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'boss@remove.test' },
    });

    expect(result.status).toBe(403);
    expect(result.body.error.error_name).toBe('forbidden');
  });

  it('transfer on standard plan returns 403', async () => {
    const team = await createTeam(server.url, { plan: 'standard' });
    await createAccount(server.url, { email: 'from@standard.test', teamId: team.teamId });
    await createAccount(server.url, { email: 'to@standard.test', teamId: team.teamId });

    const result: ErrorResult = await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'from@standard.test', new_owner_email_address: 'to@standard.test' },
    });

    expect(result.status).toBe(403);
    expect(result.body.error.error_name).toBe('forbidden');
    expect(result.body.error.error_msg).toContain('Enterprise');
    const state = await getTeamState(server.url, team.teamId);
    expect(state.members.map((member) => member.email)).toContain('from@standard.test');
    expect(state.transfers).toEqual([]);
  });

  it('transfer on enterprise plan is recorded', async () => {
    const team = await createTeam(server.url, { plan: 'enterprise' });
    await createAccount(server.url, { email: 'from@enterprise.test', teamId: team.teamId });
    await createAccount(server.url, { email: 'to@enterprise.test', teamId: team.teamId });

    const result = await callApi<TeamBody>(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'from@enterprise.test', new_owner_email_address: 'TO@enterprise.test' },
    });

    expect(result.status).toBe(201);
    const state = await getTeamState(server.url, team.teamId);
    expect(state.transfers).toEqual([{ fromEmail: 'from@enterprise.test', toEmail: 'to@enterprise.test' }]);
    expect(state.members.map((member) => member.email)).not.toContain('from@enterprise.test');
  });

  it('transfer to a non-member returns 400', async () => {
    const team = await createTeam(server.url, { plan: 'enterprise' });
    await createAccount(server.url, { email: 'from@outsider.test', teamId: team.teamId });
    await createAccount(server.url, { email: 'outsider@outsider.test' });

    const result: ErrorResult = await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'from@outsider.test', new_owner_email_address: 'outsider@outsider.test' },
    });

    expect(result.status).toBe(400);
    expect(result.body.error.error_path).toBe('new_owner_email_address');
    const state = await getTeamState(server.url, team.teamId);
    expect(state.members.map((member) => member.email)).toContain('from@outsider.test');
  });

  it('transfer to the removed member returns 400', async () => {
    const team = await createTeam(server.url, { plan: 'enterprise' });
    await createAccount(server.url, { email: 'self@transfer.test', teamId: team.teamId });

    const result: ErrorResult = await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'self@transfer.test', new_owner_email_address: 'self@transfer.test' },
    });

    expect(result.status).toBe(400);
    expect(result.body.error.error_path).toBe('new_owner_email_address');
  });

  it('new_team_id moves the member with new_role', async () => {
    const team = await createTeam(server.url);
    const targetTeam = await createTeam(server.url);
    const member = await createAccount(server.url, { email: 'mover@move.test', teamId: team.teamId });

    const result = await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { account_id: member.accountId, new_team_id: targetTeam.teamId, new_role: 'Developer' },
    });

    expect(result.status).toBe(201);
    const targetState = await getTeamState(server.url, targetTeam.teamId);
    expect(targetState.members).toContainEqual({
      accountId: member.accountId, email: 'mover@move.test', role: 'Developer',
    });
  });

  it('new_team_id of an unknown team returns 404', async () => {
    const team = await createTeam(server.url);
    await createAccount(server.url, { email: 'stay@move.test', teamId: team.teamId });

    const result: ErrorResult = await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'stay@move.test', new_team_id: 'a'.repeat(40) },
    });

    expect(result.status).toBe(404);
    expect(result.body.error.error_path).toBe('new_team_id');
  });

  it('new_role rejects an unknown role', async () => {
    const team = await createTeam(server.url);
    await createAccount(server.url, { email: 'role@move.test', teamId: team.teamId });

    const result: ErrorResult = await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', {
      json: { email_address: 'role@move.test', new_role: 'Boss' },
    });

    expect(result.status).toBe(400);
    expect(result.body.error.error_path).toBe('new_role');
  });
});
