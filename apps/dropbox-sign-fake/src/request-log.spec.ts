import { FakeDropboxSignServer, startFakeDropboxSign } from './fake-server';
import { callApi, callControl, createTeam } from './fake-test-client';
import { LoggedRequest } from './request-log';

type LogBody = { requests: LoggedRequest[] };

describe('fake Dropbox Sign request log', () => {
  let server: FakeDropboxSignServer;

  beforeAll(async () => {
    server = await startFakeDropboxSign();
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(async () => {
    await callControl(server.url, 'DELETE', '/requests');
  });

  it('log records method, path, query, body and status', async () => {
    const team = await createTeam(server.url);
    const before = Date.now();
    await callApi(server.url, team.apiKey, 'PUT', '/team/add_member', {
      json: { email_address: 'logged@log.test', role: 'Admin' },
      query: { team_id: team.teamId },
    });

    const log = await callControl<LogBody>(server.url, 'GET', '/requests');

    expect(log.status).toBe(200);
    expect(log.body.requests).toEqual([
      {
        method: 'PUT',
        path: '/v3/team/add_member',
        query: { team_id: team.teamId },
        body: { email_address: 'logged@log.test', role: 'Admin' },
        status: 200,
        teamId: team.teamId,
        at: expect.any(String),
      },
    ]);
    expect(Date.parse(log.body.requests[0].at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('log records a form body as strings', async () => {
    const team = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'POST', '/team/remove_member', {
      form: { email_address: 'nobody@log.test' },
    });

    const log = await callControl<LogBody>(server.url, 'GET', '/requests');

    expect(log.body.requests[0].body).toEqual({ email_address: 'nobody@log.test' });
    expect(log.body.requests[0].status).toBe(404);
  });

  it('log keeps requests newest last', async () => {
    const team = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'GET', '/account');
    await callApi(server.url, team.apiKey, 'GET', '/team');
    await callApi(server.url, team.apiKey, 'GET', '/team/invites');

    const log = await callControl<LogBody>(server.url, 'GET', '/requests');

    expect(log.body.requests.map((entry) => entry.path)).toEqual(['/v3/account', '/v3/team', '/v3/team/invites']);
    expect(log.body.requests[0].body).toBeNull();
  });

  it('log records 401 requests without a team', async () => {
    await callApi(server.url, 'wrong-key', 'GET', '/team');

    const log = await callControl<LogBody>(server.url, 'GET', '/requests');

    expect(log.body.requests).toHaveLength(1);
    expect(log.body.requests[0].status).toBe(401);
    expect(log.body.requests[0].teamId).toBeNull();
  });

  it('log never contains the API key', async () => {
    const team = await createTeam(server.url, { apiKey: 'secret-key-that-must-not-be-logged' });
    await callApi(server.url, team.apiKey, 'GET', '/team');

    const response = await fetch(`${server.url}/_fake/requests`);
    const text = await response.text();

    expect(text).toContain('/v3/team');
    expect(text).not.toContain('secret-key-that-must-not-be-logged');
    expect(text).not.toContain(Buffer.from(`${team.apiKey}:`).toString('base64'));
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('log filters by teamId', async () => {
    const team = await createTeam(server.url);
    const otherTeam = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'GET', '/team');
    await callApi(server.url, otherTeam.apiKey, 'GET', '/account');

    const log = await callControl<LogBody>(server.url, 'GET', `/requests?teamId=${otherTeam.teamId}`);

    expect(log.body.requests.map((entry) => entry.path)).toEqual(['/v3/account']);
  });

  it('log excludes control requests', async () => {
    await createTeam(server.url);
    await callControl(server.url, 'GET', '/requests');

    const log = await callControl<LogBody>(server.url, 'GET', '/requests');

    expect(log.body.requests).toEqual([]);
  });

  it('log clearing returns 204 and empties it', async () => {
    const team = await createTeam(server.url);
    await callApi(server.url, team.apiKey, 'GET', '/team');

    const cleared = await callControl(server.url, 'DELETE', '/requests');
    const log = await callControl<LogBody>(server.url, 'GET', '/requests');

    expect(cleared.status).toBe(204);
    expect(cleared.body).toBeNull();
    expect(log.body.requests).toEqual([]);
  });
});
