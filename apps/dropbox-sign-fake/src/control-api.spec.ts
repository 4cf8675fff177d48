import { FakeDropboxSignServer, startFakeDropboxSign } from './fake-server';
import {
  callApi,
  callControl,
  createAccount,
  createTeam,
  CreatedTeam,
  ErrorResult,
  getTeamState,
  TeamStateBody,
} from './fake-test-client';

describe('fake Dropbox Sign control API', () => {
  let server: FakeDropboxSignServer;

  beforeAll(async () => {
    server = await startFakeDropboxSign();
  });

  afterAll(async () => {
    await server.close();
  });

  it('teams create with defaults', async () => {
    const result = await callControl<CreatedTeam>(server.url, 'POST', '/teams', {});

    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      teamId: expect.stringMatching(/^[0-9a-f]{40}$/),
      name: expect.any(String),
      apiKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      plan: 'standard',
      rateLimitPerMinute: 100,
      ownerAccountId: expect.stringMatching(/^[0-9a-f]{40}$/),
      ownerEmail: expect.stringContaining('@'),
    });
  });

  it('teams create with given values', async () => {
    const team = await createTeam(server.url, {
      name: 'Given',
      apiKey: 'given-key',
      plan: 'enterprise',
      rateLimitPerMinute: 7,
      ownerEmail: 'given@control.test',
    });

    expect(team).toMatchObject({
      name: 'Given',
      apiKey: 'given-key',
      plan: 'enterprise',
      rateLimitPerMinute: 7,
      ownerEmail: 'given@control.test',
    });
    const state = await getTeamState(server.url, team.teamId);
    expect(state).toEqual({
      teamId: team.teamId,
      name: 'Given',
      plan: 'enterprise',
      rateLimitPerMinute: 7,
      members: [{ accountId: team.ownerAccountId, email: 'given@control.test', role: 'Admin' }],
      invites: [],
      transfers: [],
    });
  });

  it('teams reject a duplicate apiKey', async () => {
    await createTeam(server.url, { apiKey: 'duplicate-key' });
    const result = await callControl(server.url, 'POST', '/teams', { apiKey: 'duplicate-key' });

    expect(result.status).toBe(409);
  });

  it.each([
    [{ plan: 'gold' }, 'plan'],
    [{ rateLimitPerMinute: 0 }, 'rateLimitPerMinute'],
    [{ ownerEmail: 'no-at-sign' }, 'ownerEmail'],
  ])('teams reject input %j', async (input, errorPath) => {
    const result: ErrorResult = await callControl(server.url, 'POST', '/teams', input);

    expect(result.status).toBe(400);
    expect(result.body.error.error_path).toBe(errorPath);
  });

  it('team state returns 404 for an unknown team', async () => {
    const result = await callControl(server.url, 'GET', `/teams/${'0'.repeat(40)}`);

    expect(result.status).toBe(404);
  });

  it('team patch changes plan and rate limit', async () => {
    const team = await createTeam(server.url);
    const result = await callControl<TeamStateBody>(server.url, 'PATCH', `/teams/${team.teamId}`, {
      plan: 'enterprise',
      rateLimitPerMinute: 5,
    });

    expect(result.status).toBe(200);
    expect(result.body.plan).toBe('enterprise');
    expect(result.body.rateLimitPerMinute).toBe(5);
  });

  it('accounts create with and without a team', async () => {
    const team = await createTeam(server.url);
    const personal = await createAccount(server.url, { email: 'solo@control.test' });
    const member = await createAccount(server.url, {
      email: 'dev@control.test', teamId: team.teamId, role: 'Developer',
    });

    expect(personal).toEqual({
      accountId: expect.stringMatching(/^[0-9a-f]{40}$/), email: 'solo@control.test', teamId: null,
    });
    expect(member.teamId).toBe(team.teamId);
    const state = await getTeamState(server.url, team.teamId);
    expect(state.members).toContainEqual({ accountId: member.accountId, email: 'dev@control.test', role: 'Developer' });
  });

  it('accounts reject a duplicate email', async () => {
    await createAccount(server.url, { email: 'dup@control.test' });
    const result = await callControl(server.url, 'POST', '/accounts', { email: 'DUP@control.test' });

    expect(result.status).toBe(409);
  });

  it('accounts reject an unknown team', async () => {
    const result = await callControl(server.url, 'POST', '/accounts', {
      email: 'lost@control.test', teamId: 'f'.repeat(40),
    });

    expect(result.status).toBe(404);
  });

  it('accept fails for an account in another team', async () => {
    const team = await createTeam(server.url);
    const otherTeam = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', { json: { email_address: 'late@control.test' } });
    await createAccount(server.url, { email: 'late@control.test', teamId: otherTeam.teamId });

    const result = await callControl(server.url, 'POST', `/teams/${team.teamId}/invites/accept`, {
      email: 'late@control.test',
    });

    expect(result.status).toBe(409);
  });

  it('control returns 405 for a wrong method', async () => {
    const result = await callControl(server.url, 'PUT', '/faults');

    expect(result.status).toBe(405);
  });

  it('reset forgets teams and keys', async () => {
    const ownServer = await startFakeDropboxSign();
    try {
      const team = await createTeam(ownServer.url);
      await callApi(ownServer.url, team.apiKey, 'GET', '/team');

      const reset = await callControl(ownServer.url, 'DELETE', '');
      const afterReset = await callApi(ownServer.url, team.apiKey, 'GET', '/team');
      const state = await callControl(ownServer.url, 'GET', `/teams/${team.teamId}`);
      const log = await callControl<{ requests: unknown[] }>(ownServer.url, 'GET', '/requests');

      expect(reset.status).toBe(204);
      expect(afterReset.status).toBe(401);
      expect(state.status).toBe(404);
      expect(log.body.requests).toHaveLength(1);
    } finally {
      await ownServer.close();
    }
  });
});
