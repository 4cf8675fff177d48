import fc from 'fast-check';
import { createIntegration, scim, Stack, startStack } from './support/stack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const RUNS_PER_PROPERTY = 300;

interface FuzzCase {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
}

/** Bodies that are not JSON at all, or JSON cut short. */
const malformedJson = fc.oneof(
  fc.string({ maxLength: 200 }).filter((text) => !isJson(text) && text.trim() !== ''),
  fc.json().map((text) => text.slice(0, Math.max(1, text.length - 1))).filter((text) => !isJson(text)),
  fc.constantFrom('{', '{"userName":', '[1,2', '{"a":1}}', 'nul', '{"userName":"x",}', '\u0000', '{"userName":"\\x"}'),
);

/** JSON values of the wrong type for every user attribute that has a type. */
const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }));

/** A create or replace body broken in exactly one way. */
const brokenUserBody = fc.oneof(
  wrongType.map((userName) => ({ schemas: [CORE], userName })),
  fc.record({ schemas: fc.constant([CORE]), userName: fc.constant('fuzz@example.test'), emails: wrongType.filter((value) => !Array.isArray(value) && value !== null) }),
  fc.record({ schemas: fc.constant([CORE]), userName: fc.constant('fuzz@example.test'), active: fc.oneof(fc.string({ maxLength: 8 }).filter((text) => !/^(true|false)$/i.test(text)), fc.integer(), fc.array(fc.boolean(), { maxLength: 2 })) }),
  fc.record({ schemas: fc.array(fc.webUrl(), { minLength: 1, maxLength: 3 }), userName: fc.constant('fuzz@example.test') }),
  fc.record({ schemas: fc.constant([CORE]), userName: fc.constant('fuzz@example.test'), 'urn:ietf:params:scim:schemas:extension:custom:2.0:User': fc.record({ dropboxSign_role: fc.string({ maxLength: 20 }).filter((text) => !/^\s*(member|developer|team ?manager|admin)?\s*$/i.test(text)) }) }),
  fc.constant({ schemas: [CORE], userName: 'x'.repeat(600_000) }),
  fc.constant({ schemas: [CORE], userName: '' }),
).map((body) => JSON.stringify(body));

/** A user whose `name` is nested thousands of levels deep, built as text so that no test code recurses. */
const deeplyNested = `{"schemas":["${CORE}"],"userName":"nested@example.test","name":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;

/** PATCH bodies whose operations or paths are invalid. */
const brokenPatchBody = fc.oneof(
  fc.record({ schemas: fc.constant([PATCH_OP]), Operations: wrongType.filter((value) => !Array.isArray(value)) }),
  fc.record({ schemas: fc.constant([PATCH_OP]), Operations: fc.constant([]) }),
  fc.record({
    schemas: fc.constant([PATCH_OP]),
    Operations: fc.tuple(fc.constantFrom('replace', 'add', 'remove'), fc.constantFrom('emails[type eq', 'name..givenName', '[value eq "x"]', 'emails[type eq "work"]]', 'a b c', 'id', 'meta.created', 'userName[', '"quoted"'), wrongType).map(([op, path, value]) => [{ op, path, value }]),
  }),
  fc.record({ schemas: fc.constant([PATCH_OP]), Operations: fc.string({ maxLength: 10 }).filter((op) => !/^(add|replace|remove)$/i.test(op)).map((op) => [{ op, path: 'active', value: false }]) }),
  fc.constant({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: 'maybe' } }] }),
  fc.constant({ schemas: [PATCH_OP], Operations: [{ op: 'remove' }] }),
);

/** Filters that are not valid RFC 7644 filters, or name attributes that do not exist. */
const brokenFilter = fc.oneof(
  fc.constantFrom('userName', 'userName eq', 'userName xx "a"', '(userName eq "a"', 'userName eq "a" and', 'not', 'emails[type eq "work"', 'unknownAttr eq "x"', 'userName eq "a" or or', 'meta.created gt "not a date"', 'active gt true', '"userName" eq "x"', 'userName eq "unterminated'),
  fc.string({ maxLength: 60 }).filter((text) => /[()[\]"]/.test(text)),
);

/** Strings with lone UTF-16 surrogates and NUL characters, which Postgres cannot store. */
const invalidUnicode = fc.constantFrom('\\ud800', '\\udfff', 'a\\ud83dz', '\\u0000', 'x\\u0000y').map((escape) => `{"schemas":["${CORE}"],"userName":"fuzz${escape}@example.test"}`);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('SCIM endpoints under malformed input', () => {
  let stack: Stack;
  let integration: { id: string; token: string; scimBaseUrl: string };
  let userId: string;
  let casesRun = 0;

  const snapshot = async (): Promise<string> => {
    // Only the columns that SCIM requests write: the worker may update the observed state meanwhile.
    const { rows } = await stack.db.query(
      `SELECT md5(string_agg(concat_ws('|', id, user_name, external_id, email, resource::text, active, role, desired_generation, version, deleted_at), ',' ORDER BY id)) AS digest,
              count(*) AS users FROM scim_user`,
    );
    return `${rows[0].users}:${rows[0].digest}`;
  };

  async function expectScimError(fuzzCase: FuzzCase): Promise<void> {
    casesRun += 1;
    const response = await scim(integration.scimBaseUrl, integration.token, fuzzCase.method, fuzzCase.path, fuzzCase.body, fuzzCase.contentType);
    const described = `${fuzzCase.method} ${fuzzCase.path.slice(0, 120)} ${String(fuzzCase.body ?? '').slice(0, 120)} → ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;

    if (response.status < 400 || response.status >= 500) throw new Error(`expected a 4xx: ${described}`);
    if (!response.body?.schemas?.includes('urn:ietf:params:scim:api:messages:2.0:Error')) throw new Error(`expected a SCIM error body: ${described}`);
    if (typeof response.body.detail !== 'string' || /\bat .*\.(js|ts):\d+/.test(response.body.detail)) throw new Error(`expected a detail without a stack: ${described}`);
  }

  beforeAll(async () => {
    stack = await startStack({ SCIM_SYNC_WAIT_MS: '0' });
    const team = await stack.fake.createTeam({ rateLimitPerMinute: 10_000 });
    integration = await createIntegration(stack, { displayName: 'Fuzz', apiKey: team.apiKey });
    const created = await scim(integration.scimBaseUrl, integration.token, 'POST', '/Users', { schemas: [CORE], userName: 'baseline@example.test' });
    userId = created.body.id;
  });

  afterAll(async () => {
    process.stdout.write(`SCIM fuzz: ${casesRun} cases run\n`);
    await stack?.close();
  });

  it('rejects malformed JSON everywhere', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(malformedJson, fc.constantFrom('POST /Users', `PUT /Users/ID`, `PATCH /Users/ID`), async (body, route) => {
        const [method, path] = route.replace('ID', userId).split(' ');
        await expectScimError({ method, path, body });
      }),
      { numRuns: RUNS_PER_PROPERTY },
    );
    expect(await snapshot()).toBe(before);
  });

  it('rejects broken user bodies on create and replace', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(brokenUserBody, fc.constantFrom('POST /Users', 'PUT /Users/ID'), async (body, route) => {
        const [method, path] = route.replace('ID', userId).split(' ');
        await expectScimError({ method, path, body });
      }),
      { numRuns: RUNS_PER_PROPERTY },
    );
    await expectScimError({ method: 'POST', path: '/Users', body: deeplyNested });
    await expectScimError({ method: 'PUT', path: `/Users/${userId}`, body: deeplyNested });
    expect(await snapshot()).toBe(before);
  });

  it('rejects broken PATCH operations and paths', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(brokenPatchBody, async (body) => {
        await expectScimError({ method: 'PATCH', path: `/Users/${userId}`, body: JSON.stringify(body) });
      }),
      { numRuns: RUNS_PER_PROPERTY },
    );
    expect(await snapshot()).toBe(before);
  });

  it('rejects broken filters and list parameters', async () => {
    await fc.assert(
      fc.asyncProperty(brokenFilter, fc.constantFrom('/Users', '/Groups'), async (filter, resource) => {
        if (resource === '/Groups') return;
        await expectScimError({ method: 'GET', path: `${resource}?filter=${encodeURIComponent(filter)}` });
      }),
      { numRuns: RUNS_PER_PROPERTY },
    );
    for (const query of ['startIndex=abc', 'count=1.5', 'count=-x']) await expectScimError({ method: 'GET', path: `/Users?${query}` });
  });

  it('rejects invalid Unicode and unknown resources', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(invalidUnicode, async (body) => {
        await expectScimError({ method: 'POST', path: '/Users', body });
      }),
      { numRuns: 20 },
    );
    await expectScimError({ method: 'GET', path: '/Users/not-a-uuid' });
    await expectScimError({ method: 'GET', path: '/Users/00000000-0000-4000-8000-000000000000' });
    await expectScimError({ method: 'GET', path: '/Nothing' });
    await expectScimError({ method: 'POST', path: '/Users', body: 'userName=x', contentType: 'application/x-www-form-urlencoded' });
    expect(await snapshot()).toBe(before);
  });

  it('stays up after the fuzzing', async () => {
    const health = await fetch(`${stack.gatewayUrl}/health/live`);
    const read = await scim(integration.scimBaseUrl, integration.token, 'GET', `/Users/${userId}`);

    expect(health.status).toBe(200);
    expect(read.status).toBe(200);
    expect(casesRun).toBeGreaterThan(500);
  });
});
