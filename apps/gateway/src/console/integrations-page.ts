import { IntegrationWithStatus } from '../admin/integration-status.service';
import { renderPage } from './console-page';
import { badge, formatTime } from './format';
import { html, SafeHtml } from './html';

/** Renders the list of integrations with their status. */
export function integrationsPage(integrations: IntegrationWithStatus[], csrfToken: string): string {
  const body = html`<h1>Integrations</h1>
<p class="hint">Each integration connects one identity provider app to one Dropbox Sign team, with a SCIM endpoint of its own.</p>
<div class="actions"><a class="button" href="/admin/integrations/new">New integration</a></div>
<h2>All integrations</h2>
${integrations.length === 0 ? html`<p class="muted">No integration yet.</p>` : integrationTable(integrations)}`;

  return renderPage({ title: 'Integrations', body, csrfToken, section: 'integrations' });
}

function integrationTable(integrations: IntegrationWithStatus[]): SafeHtml {
  return html`<table>
<thead><tr><th>Name</th><th>Provisioning</th><th>Last connection test</th><th>Authentication</th><th>Backlog</th><th>Failed users</th><th>SCIM tokens</th></tr></thead>
<tbody>
${integrations.map((integration) => integrationRow(integration))}
</tbody>
</table>
<p class="hint">Backlog: users whose latest change is not applied yet. Failed users: users whose last attempt failed; open the integration to retry them.</p>`;
}

function integrationRow(integration: IntegrationWithStatus): SafeHtml {
  return html`<tr data-integration-id="${integration.id}">
<td><a href="/admin/integrations/${integration.id}">${integration.displayName}</a><br><span class="muted">${integration.teamName ?? 'team not read yet'}</span></td>
<td>${integration.enabled ? badge('Enabled', 'ok') : badge('Disabled', 'muted')}</td>
<td>${connectionSummary(integration)}</td>
<td>${integration.authFailing ? badge('Failing: key rejected', 'bad') : badge('OK', 'ok')}</td>
<td>${integration.provisioning.pendingUsers}</td>
<td>${integration.provisioning.failedUsers > 0 ? html`<span class="bad">${integration.provisioning.failedUsers}</span>` : '0'}</td>
<td>${integration.tokens.length}</td>
</tr>`;
}

export function connectionSummary(integration: IntegrationWithStatus): SafeHtml {
  if (integration.connectionTestedAt === null) return html`<span class="muted">Never tested</span>`;

  const result = integration.connectionTestOk ? badge('Passed', 'ok') : badge('Failed', 'bad');
  return html`${result} <span class="muted">${formatTime(integration.connectionTestedAt)}</span><br><span class="hint">${integration.connectionTestMessage ?? ''}</span>`;
}
