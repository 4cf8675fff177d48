import { INestApplication } from '@nestjs/common';
import { createGatewayApp } from '../apps/gateway/src/gateway-app';
import { createWorkerApp } from '../apps/worker/src/worker-app';
import { createIntegration, scim, ScimResponse, Stack, startStack } from './support/stack';
import { eventually } from './support/eventually';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ROLES = ['Member', 'Developer', 'Team Manager', 'Admin'];

describe('two gateways and two workers', () => {
  let stack: Stack;
  let secondGateway: INestApplication;
  let secondWorker: INestApplication;
  let gatewayUrls: string[];
  let integration: { id: string; token: string; scimBaseUrl: string };
  let teamId: string;
  let ownerEmail: string;

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '0', SWEEP_INTERVAL_SECONDS: '2', WORKER_CONCURRENCY: '4' });
    secondWorker = await createWorkerApp(stack.config);
    await secondWorker.listen(0, '127.0.0.1');
    secondGateway = await createGatewayApp(stack.config);
    await secondGateway.listen(0, '127.0.0.1');
    gatewayUrls = [stack.gatewayUrl, (await secondGateway.getUrl()).replace('[::1]', '127.0.0.1')];

    const team = await stack.fake.createTeam({ rateLimitPerMinute: 10_000 });
    teamId = team.teamId;
    ownerEmail = team.ownerEmail;
    integration = await createIntegration(stack, { displayName: 'Scale', apiKey: team.apiKey });
  });

  afterAll(async () => {
    await secondGateway?.close();
    await secondWorker?.close();
    await stack?.close();
  });

  /** Sends the request through one of the two gateways, alternating. */
  let turn = 0;
  function users(method: string, path: string, body?: unknown): Promise<ScimResponse> {
    turn += 1;
    const baseUrl = `${gatewayUrls[turn % 2]}/scim/v2/${integration.id}`;
    return scim(baseUrl, integration.token, method, path, body);
  }

  it('ends with the team equal to the desired state', async () => {
    const desired = new Map<string, { id: string; active: boolean; role: string; deleted: boolean }>();

    const creates = Array.from({ length: 30 }, (_, index) => {
      const email = `scale.user${index}@example.test`;
      const role = ROLES[index % ROLES.length];
      return users('POST', '/Users', { schemas: [CORE, CUSTOM], userName: email, active: true, [CUSTOM]: { dropboxSign_role: role } }).then((response) => {
        expect(response.status).toBe(201);
        desired.set(email, { id: response.body.id, active: true, role, deleted: false });
      });
    });
    await Promise.all(creates);

    const changes: Array<Promise<void>> = [];
    for (const [email, user] of [...desired.entries()].slice(0, 10)) {
      user.active = false;
      changes.push(users('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] }).then((response) => expect(response.status).toBe(200)));
      desired.set(email, user);
    }
    for (const [, user] of [...desired.entries()].slice(10, 15)) {
      user.role = 'Admin';
      changes.push(users('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: `${CUSTOM}:dropboxSign_role`, value: 'Admin' }] }).then((response) => expect(response.status).toBe(200)));
    }
    for (const [, user] of [...desired.entries()].slice(15, 20)) {
      user.deleted = true;
      changes.push(users('DELETE', `/Users/${user.id}`).then((response) => expect(response.status).toBe(204)));
    }
    await Promise.all(changes);

    const expectedInvites = [...desired.entries()]
      .filter(([, user]) => user.active && !user.deleted)
      .map(([email, user]) => `${email}:${user.role}`)
      .sort();

    const converged = await eventually(async () => {
      const team = await stack.fake.team(teamId);
      const invites = team.invites.map((invite) => `${invite.email}:${invite.role}`).sort();
      return JSON.stringify(invites) === JSON.stringify(expectedInvites);
    }, 90_000);

    const team = await stack.fake.team(teamId);
    expect(team.invites.map((invite) => `${invite.email}:${invite.role}`).sort()).toEqual(expectedInvites);
    // Nobody accepted an invite, so the key owner is the only member.
    expect(team.members.map((member) => member.email)).toEqual([ownerEmail]);
    expect(converged).toBe(true);

    // A worker records the outcome in Postgres just after the fake changed the team.
    const pendingQuery = `SELECT user_name, applied_generation, desired_generation, last_error_code FROM scim_user WHERE applied_generation < desired_generation ORDER BY user_name`;
    await eventually(async () => (await stack.db.query(pendingQuery)).rows.length === 0, 10_000);
    expect((await stack.db.query(pendingQuery)).rows).toEqual([]);
  });
});
