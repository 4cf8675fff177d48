import { join } from 'node:path';
import { createIntegration, scim, Stack, startStack } from './support/stack';

/** The part of newman's run summary (newman 6) that this test reads. */
interface NewmanSummary {
  run: {
    stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
    failures: Array<{ source?: { name?: string }; error: { test?: string; message: string } }>;
  };
}

interface NewmanModule {
  run(
    options: { collection: string; envVar: Array<{ key: string; value: string }>; reporters: string[]; timeoutRequest: number },
    callback: (error: Error | null, summary: NewmanSummary) => void,
  ): unknown;
}

// newman ships no type declarations, so the module is typed by the interface above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const newman: NewmanModule = require('newman');

const COLLECTION = join(__dirname, 'conformance', 'okta', 'okta-scim20-spec.postman_collection.json');
const REQUESTS = 10;
const ASSERTIONS = 45;

function runCollection(scimBaseUrl: string, token: string): Promise<NewmanSummary> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection: COLLECTION,
        envVar: [
          { key: 'SCIMBaseURL', value: scimBaseUrl },
          { key: 'auth', value: `Bearer ${token}` },
        ],
        reporters: [],
        timeoutRequest: 20_000,
      },
      (error, summary) => (error ? reject(error) : resolve(summary)),
    );
  });
}

describe("Okta's SCIM 2.0 spec test", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '5000' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('passes every assertion of the collection', async () => {
    const team = await stack.fake.createTeam({ name: 'Okta Spec Test', rateLimitPerMinute: 1000 });
    const integration = await createIntegration(stack, { displayName: 'Okta spec test', apiKey: team.apiKey });
    // The first request reads the first stored user and needs its name and email.
    const seeded = await scim(integration.scimBaseUrl, integration.token, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'seed.user@example.test',
      name: { givenName: 'Seed', familyName: 'User' },
      emails: [{ primary: true, type: 'work', value: 'seed.user@example.test' }],
      active: true,
    });
    expect(seeded.status).toBe(201);

    const summary = await runCollection(integration.scimBaseUrl, integration.token);
    const failures = summary.run.failures.map((failure) => `${failure.source?.name ?? '?'}: ${failure.error.test ?? ''} ${failure.error.message}`);

    expect(failures).toEqual([]);
    expect(summary.run.stats.requests).toEqual(expect.objectContaining({ total: REQUESTS, failed: 0 }));
    expect(summary.run.stats.assertions).toEqual(expect.objectContaining({ total: ASSERTIONS, failed: 0 }));

    const created = await stack.db.query(`SELECT user_name FROM scim_user WHERE user_name LIKE 'Runscope%@atko.com'`);
    expect(created.rows).toHaveLength(1);
    const invites = (await stack.fake.team(team.teamId)).invites.map((invite) => invite.email);
    expect(invites).toContain(created.rows[0].user_name.toLowerCase());
  });
});
