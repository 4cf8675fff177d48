import { IntegrationWithStatus } from '../admin/integration-status.service';
import { integrationPage } from './integration-page';

const INTEGRATION: IntegrationWithStatus = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  displayName: 'Legal <Team>',
  apiKeyLast4: 'wxyz',
  transferEmail: null,
  enabled: false,
  authFailing: false,
  teamId: null,
  teamName: null,
  connectionTestedAt: null,
  connectionTestOk: null,
  connectionTestMessage: null,
  scimBaseUrl: 'https://scimify.example/scim/v2/0f8fad5b-d9cb-469f-a165-70867728950e',
  tokens: [],
  createdAt: '2025-01-31T12:00:00.000Z',
  updatedAt: '2025-01-31T12:00:00.000Z',
  provisioning: { users: 0, pendingUsers: 0, failedUsers: 0 },
};

describe('integrationPage', () => {
  it('explains a key whose owner is not a team admin', () => {
    const page = integrationPage({
      integration: INTEGRATION,
      failedUsers: [],
      csrfToken: 'csrf',
      tokenFormKey: 'key',
      testResult: {
        ok: false,
        message: 'The key owner jo@example.test is not a team admin (role code "m"): use the API key of a team Admin',
        teamId: 'team-1',
        teamName: null,
        accountEmail: 'jo@example.test',
        roleCode: 'm',
        testedAt: '2025-01-31T12:00:00.000Z',
      },
    });

    expect(page).toContain('Connection test failed.');
    expect(page).toContain('is not a team admin');
    expect(page).toContain('Key owner: <strong>jo@example.test</strong>, role: <strong>Member</strong>.');
  });

  it('escapes the display name and puts the CSRF token in every form', () => {
    const page = integrationPage({ integration: INTEGRATION, failedUsers: [], csrfToken: 'csrf-token-value', tokenFormKey: 'key' });
    const forms = page.match(/<form method="post"/g) ?? [];
    const fields = page.match(/name="_csrf" value="csrf-token-value"/g) ?? [];

    expect(page).toContain('<h1>Legal &lt;Team&gt;</h1>');
    expect(page).not.toContain('Legal <Team>');
    expect(fields.length).toBe(forms.length);
  });

  it('shows a new token once with copy buttons next to the base URL', () => {
    const page = integrationPage({
      integration: INTEGRATION,
      failedUsers: [],
      csrfToken: 'csrf',
      tokenFormKey: 'key',
      issuedToken: { token: 'scimify_new-token', tokenId: 't1', scimBaseUrl: INTEGRATION.scimBaseUrl },
    });

    expect(page).toContain('<code id="scim-token">scimify_new-token</code>');
    expect(page).toContain('data-copy-target="scim-token"');
    expect(page).toContain('data-copy-target="scim-base-url-new"');
  });
});
