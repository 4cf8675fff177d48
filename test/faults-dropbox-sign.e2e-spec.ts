import { createIntegration, scim, Stack, startStack } from './support/stack';
import { eventually } from './support/eventually';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('Dropbox Sign faults', () => {
  let stack: Stack;
  let integration: { id: string; token: string; scimBaseUrl: string };
  let teamId: string;

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '0', DROPBOX_SIGN_TIMEOUT_MS: '1000', RECONCILE_ATTEMPTS: '12', RECONCILE_BACKOFF_MS: '100', SWEEP_INTERVAL_SECONDS: '2' });
    const team = await stack.fake.createTeam({ plan: 'enterprise', rateLimitPerMinute: 10_000 });
    teamId = team.teamId;
    integration = await createIntegration(stack, { displayName: 'Faults', apiKey: team.apiKey });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('applies every change once after 5xx, maintenance, timeouts and dropped connections', async () => {
    await stack.fake.addFault({ status: 500, errorName: 'unknown', count: 3, path: '/team/add_member' });
    await stack.fake.addFault({ status: 503, errorName: 'maintenance', count: 3 });
    await stack.fake.addFault({ status: 0, dropConnection: true, count: 2 });
    // The fake carries out these calls after the client gave up, as a slow real API would.
    await stack.fake.addFault({ status: 0, latencyMs: 1500, count: 2, path: '/team/add_member' });

    const emails = Array.from({ length: 8 }, (_, index) => `fault.user${index}@example.test`);
    const ids: string[] = [];
    for (const email of emails) {
      const created = await scim(integration.scimBaseUrl, integration.token, 'POST', '/Users', { schemas: [CORE], userName: email });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }

    const allInvited = await eventually(async () => {
      const team = await stack.fake.team(teamId);
      return emails.every((email) => team.invites.some((invite) => invite.email === email));
    }, 60_000);
    if (!allInvited) await expectNothingPending();
    expect(allInvited).toBe(true);

    await stack.fake.addFault({ status: 503, errorName: 'unavailable', count: 2, path: '/team/remove_member' });
    for (const id of ids.slice(0, 3)) {
      const patched = await scim(integration.scimBaseUrl, integration.token, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
      expect(patched.status).toBe(200);
    }

    const removed = await eventually(async () => {
      const team = await stack.fake.team(teamId);
      return emails.slice(0, 3).every((email) => !team.invites.some((invite) => invite.email === email));
    }, 60_000);
    if (!removed) await expectNothingPending();
    expect(removed).toBe(true);

    const requests = await stack.fake.requests(teamId);
    for (const email of emails) {
      const applied = requests.filter((request) => request.path === '/v3/team/add_member' && request.status === 200 && request.body?.email_address === email);
      expect({ email, invites: applied.length }).toEqual({ email, invites: 1 });
    }
    // The worker records the outcome in Postgres just after the fake changed the team.
    const settled = await eventually(async () => {
      const { rows } = await stack.db.query(`SELECT count(*)::int AS pending FROM scim_user WHERE applied_generation < desired_generation`);
      return rows[0].pending === 0;
    }, 10_000);
    if (!settled) await expectNothingPending();
    expect(settled).toBe(true);
    // Unlucky ordering can hand most faults to one job, whose exponential backoff then adds up to about a minute.
  }, 150_000);

  /** Fails with the users whose change is not applied, and their last errors, so that a CI log shows why. */
  async function expectNothingPending(): Promise<void> {
    const { rows } = await stack.db.query(
      `SELECT user_name, observed_state, desired_generation, applied_generation, last_error_code, last_error FROM scim_user WHERE applied_generation < desired_generation ORDER BY user_name`,
    );
    expect(rows).toEqual([]);
  }
});
