import { IssuedToken } from '@scimify/integrations';
import { TestConnectionResult } from '@scimify/jobs';
import { roleName } from '../admin/connection-test.service';
import { FailedUser, IntegrationWithStatus } from '../admin/integration-status.service';
import { csrfField, renderPage } from './console-page';
import { badge, formatTime } from './format';
import { html, SafeHtml } from './html';
import { connectionSummary } from './integrations-page';

/** Notices shown after a redirect, named in the `notice` query parameter; the text never comes from the URL. */
export const NOTICES = {
  created: 'Integration created. Test the connection, then enable it.',
  saved: 'Changes saved.',
  enabled: 'Provisioning enabled: the identity provider can now send changes to the SCIM endpoint.',
  disabled: 'Provisioning disabled: the SCIM endpoint answers 403 until you enable it again.',
  revoked: 'Token revoked.',
  retried: 'The user was queued again for provisioning.',
  removalsReleased: 'The held removals were released: the users are being removed from the team.',
  removalsDiscarded: 'The held removals were discarded: the users stay in the team and are active again.',
  dryRunOn: 'Dry run on: the worker records the Dropbox Sign calls it would make in the audit trail and makes none.',
  dryRunOff: 'Dry run off: every user is reconciled against the team again.',
  alreadyIssued: 'This form was submitted before, so no new token was issued. A token is shown only once: rotate again if you did not copy it.',
} as const;

export type NoticeName = keyof typeof NOTICES;

export interface IntegrationPageModel {
  integration: IntegrationWithStatus;
  failedUsers: FailedUser[];
  csrfToken: string;
  /** One-time key of the token form, so that submitting the same form again issues no second token. */
  tokenFormKey: string;
  notice?: NoticeName | null;
  testResult?: TestConnectionResult | null;
  issuedToken?: IssuedToken | null;
  formError?: string | null;
  /** True while the worker only records the Dropbox Sign calls it would make. */
  dryRun?: boolean;
}

/** Renders one integration: settings, connection test, provisioning state, failed users and SCIM tokens. */
export function integrationPage(model: IntegrationPageModel): string {
  const { integration } = model;
  const body = html`<h1>${integration.displayName}</h1>
${model.notice && html`<p class="notice ${model.notice === 'alreadyIssued' ? 'warn' : 'ok'}" role="status">${NOTICES[model.notice]}</p>`}
${model.testResult && testResultPanel(model.testResult)}
${model.issuedToken && issuedTokenPanel(model.issuedToken)}
${provisioningCard(model)}
${connectionCard(model)}
${scimCard(model)}
${settingsCard(model)}`;

  return renderPage({ title: integration.displayName, body, csrfToken: model.csrfToken, section: 'integrations' });
}

function testResultPanel(result: TestConnectionResult): SafeHtml {
  const owner = result.accountEmail && html`<p>Key owner: <strong>${result.accountEmail}</strong>, role: <strong>${roleName(result.roleCode)}</strong>.</p>`;
  // A failed test may carry the team name of an earlier test; only a team id shows that this key reached a team.
  const team = result.teamId && html`<p>Team: <strong>${result.teamName ?? 'name not read'}</strong> <span class="muted">(${result.teamId})</span></p>`;

  return html`<section class="notice ${result.ok ? 'ok' : 'bad'}" id="test-result" role="status">
<strong>${result.ok ? 'Connection test passed.' : 'Connection test failed.'}</strong>
<p>${result.message}</p>
${team}
${owner}
</section>`;
}

function issuedTokenPanel(issued: IssuedToken): SafeHtml {
  return html`<section class="notice warn" id="new-token">
<strong>New SCIM token. Copy it now: it is shown only once.</strong>
<p>Enter the base URL and the token in the identity provider (Okta: SCIM connector base URL and HTTP header token).</p>
<label>SCIM base URL</label>
<div class="secret"><code id="scim-base-url-new">${issued.scimBaseUrl}</code><button type="button" class="secondary" data-copy-target="scim-base-url-new">Copy</button></div>
<label>SCIM token</label>
<div class="secret"><code id="scim-token">${issued.token}</code><button type="button" class="secondary" data-copy-target="scim-token">Copy</button></div>
</section>`;
}

function provisioningCard(model: IntegrationPageModel): SafeHtml {
  const { integration, csrfToken } = model;
  const action = integration.enabled ? 'disable' : 'enable';

  return html`<section class="card" id="provisioning">
<h2>Provisioning</h2>
<dl class="facts">
<dt>State</dt><dd id="provisioning-state">${integration.enabled ? badge('Enabled', 'ok') : badge('Disabled', 'muted')}</dd>
<dt>Authentication</dt><dd>${integration.authFailing ? badge('Failing: Dropbox Sign rejected the API key; paste a valid key below', 'bad') : badge('OK', 'ok')}</dd>
<dt>Users</dt><dd>${integration.provisioning.users}</dd>
<dt>Backlog</dt><dd>${integration.provisioning.pendingUsers}</dd>
<dt>Failed users</dt><dd>${integration.provisioning.failedUsers}</dd>
<dt>Dry run</dt><dd id="dry-run-state">${model.dryRun ? html`${badge('On', 'warn')} <a href="/admin/audit?integrationId=${integration.id}">planned calls in the audit trail</a>` : badge('Off', 'muted')}</dd>
</dl>
<form method="post" action="/admin/integrations/${integration.id}/${action}" class="actions">
${csrfField(csrfToken)}
<button type="submit" id="${action}-button" class="${integration.enabled ? 'danger' : ''}">${integration.enabled ? 'Disable provisioning' : 'Enable provisioning'}</button>
</form>
<form method="post" action="/admin/integrations/${integration.id}/dry-run" class="actions">
${csrfField(csrfToken)}<input type="hidden" name="dryRun" value="${model.dryRun ? 'off' : 'on'}">
<button type="submit" id="dry-run-button" class="secondary">${model.dryRun ? 'Leave dry run' : 'Start dry run'}</button>
</form>
${model.failedUsers.length > 0 && failedUsersTable(model)}
</section>`;
}

function failedUsersTable(model: IntegrationPageModel): SafeHtml {
  const rows = model.failedUsers.map(
    (user) => html`<tr>
<td>${user.userName}</td><td>${user.lastErrorCode ?? ''}</td><td>${user.lastError ?? ''}</td><td>${formatTime(user.updatedAt)}</td>
<td><a href="/admin/audit/users/${user.id}">Timeline</a>
<form method="post" action="/admin/integrations/${model.integration.id}/users/${user.id}/retry" class="inline">${csrfField(model.csrfToken)}<button type="submit" class="secondary">Retry</button></form></td>
</tr>`,
  );

  return html`<h2>Failed users</h2>
<table><thead><tr><th>userName</th><th>Error</th><th>Message</th><th>Changed</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function connectionCard(model: IntegrationPageModel): SafeHtml {
  const { integration, csrfToken } = model;

  return html`<section class="card" id="connection">
<h2>Dropbox Sign connection</h2>
<dl class="facts">
<dt>Team</dt><dd>${integration.teamName ?? '—'} ${integration.teamId && html`<span class="muted">(${integration.teamId})</span>`}</dd>
<dt>API key</dt><dd>•••• ${integration.apiKeyLast4}</dd>
<dt>Last test</dt><dd>${connectionSummary(integration)}</dd>
</dl>
<form method="post" action="/admin/integrations/${integration.id}/test-connection" class="actions">
${csrfField(csrfToken)}
<button type="submit" id="test-connection-button">Test connection</button>
</form>
<p class="hint">A worker calls GET /account and GET /team with the key: the key owner must be an Admin of the team.</p>
</section>`;
}

function scimCard(model: IntegrationPageModel): SafeHtml {
  const { integration, csrfToken } = model;
  const rotating = integration.tokens.length >= 2;
  const confirm = rotating ? 'Two tokens are active: issuing a new one revokes the older one. Continue?' : null;

  return html`<section class="card" id="scim">
<h2>SCIM endpoint</h2>
<label>SCIM base URL</label>
<div class="secret"><code id="scim-base-url">${integration.scimBaseUrl}</code><button type="button" class="secondary" data-copy-target="scim-base-url">Copy</button></div>
<h2>SCIM tokens</h2>
${integration.tokens.length === 0 ? html`<p class="muted">No active token: issue one for the identity provider.</p>` : tokenTable(model)}
<form method="post" action="/admin/integrations/${integration.id}/tokens" class="actions" data-confirm="${confirm}">
${csrfField(csrfToken)}
<input type="hidden" name="formKey" value="${model.tokenFormKey}">
<button type="submit" id="issue-token-button">${integration.tokens.length === 0 ? 'Issue token' : 'Rotate token'}</button>
</form>
<p class="hint">Two tokens stay valid during a rotation: put the new one in the identity provider, check that provisioning works, then revoke the old one.</p>
</section>`;
}

function tokenTable(model: IntegrationPageModel): SafeHtml {
  const rows = model.integration.tokens.map(
    (token) => html`<tr>
<td><code>${token.id}</code></td><td>${formatTime(token.createdAt)}</td><td>${token.lastUsedAt ? formatTime(token.lastUsedAt) : 'never'}</td>
<td><form method="post" action="/admin/integrations/${model.integration.id}/tokens/${token.id}/revoke" class="inline" data-confirm="Revoke this token? The identity provider gets 401 with it from now on.">
${csrfField(model.csrfToken)}<button type="submit" class="danger">Revoke</button></form></td>
</tr>`,
  );

  return html`<table><thead><tr><th>Token id</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function settingsCard(model: IntegrationPageModel): SafeHtml {
  const { integration, csrfToken } = model;

  return html`<section class="card" id="settings">
<h2>Settings</h2>
${model.formError && html`<p class="notice bad" role="alert">${model.formError}</p>`}
<form method="post" action="/admin/integrations/${integration.id}">
${csrfField(csrfToken)}
<label for="displayName">Display name</label>
<input type="text" id="displayName" name="displayName" value="${integration.displayName}" required maxlength="200">
<label for="apiKey">Dropbox Sign API key</label>
<input type="password" id="apiKey" name="apiKey" placeholder="•••• ${integration.apiKeyLast4} (leave empty to keep)" autocomplete="off">
<p class="hint">The key is stored encrypted and shown only by its last four characters.</p>
${transferEmailField(integration.transferEmail)}
<div class="actions"><button type="submit" id="save-button">Save changes</button></div>
</form>
<p class="hint">Integration id: <code>${integration.id}</code></p>
</section>`;
}

/** Renders the transfer email field with its plan note, for the create and edit forms. */
export function transferEmailField(value: string | null): SafeHtml {
  return html`<label for="transferEmail">Document transfer email (optional)</label>
<input type="email" id="transferEmail" name="transferEmail" value="${value ?? ''}">
<p class="hint">When a member is removed, Dropbox Sign moves their documents to this team member. This needs a Dropbox Sign Enterprise plan: on other plans such removals fail and are shown as failed users.</p>`;
}
