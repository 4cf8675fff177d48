import { IntegrationWithStatus } from '../admin/integration-status.service';
import { csrfField, renderPage } from './console-page';
import { badge, formatTime } from './format';
import { html, SafeHtml } from './html';

/** Renders the list of integrations with their status. */
export function integrationsPage(integrations: IntegrationWithStatus[], csrfToken: string, heldRemovals: Map<string, number> = new Map()): string {
  const body = html`<h1>Integrations</h1>
<p class="hint">Each integration connects one identity provider app to one Dropbox Sign team, with a SCIM endpoint of its own.</p>
<div class="actions"><a class="button" href="/admin/integrations/new">New integration</a></div>
<h2>All integrations</h2>
${integrations.length === 0 ? html`<p class="muted">No integration yet.</p>` : integrationTable(integrations, csrfToken, heldRemovals)}`;

  return renderPage({ title: 'Integrations', body, csrfToken, section: 'integrations' });
}

function integrationTable(integrations: IntegrationWithStatus[], csrfToken: string, heldRemovals: Map<string, number>): SafeHtml {
  return html`<table>
<thead><tr><th>Name</th><th>Provisioning</th><th>Last connection test</th><th>Authentication</th><th>Backlog</th><th>Failed users</th><th>Held removals</th><th>SCIM tokens</th></tr></thead>
<tbody>
${integrations.map((integration) => integrationRow(integration, csrfToken, heldRemovals.get(integration.id) ?? 0))}
</tbody>
</table>
<p class="hint">Backlog: users whose latest change is not applied yet. Failed users: users whose last attempt failed; open the integration to retry them.
Held removals: removals over the mass-removal limits, which wait until you release them (the users leave the team) or discard them (the users stay, active).</p>`;
}

function integrationRow(integration: IntegrationWithStatus, csrfToken: string, heldRemovals: number): SafeHtml {
  return html`<tr data-integration-id="${integration.id}">
<td><a href="/admin/integrations/${integration.id}">${integration.displayName}</a><br><span class="muted">${integration.teamName ?? 'team not read yet'}</span></td>
<td>${integration.enabled ? badge('Enabled', 'ok') : badge('Disabled', 'muted')}</td>
<td>${connectionSummary(integration)}</td>
<td>${integration.authFailing ? badge('Failing: key rejected', 'bad') : badge('OK', 'ok')}</td>
<td>${integration.provisioning.pendingUsers}</td>
<td>${integration.provisioning.failedUsers > 0 ? html`<span class="bad">${integration.provisioning.failedUsers}</span>` : '0'}</td>
<td>${heldRemovals > 0 ? heldRemovalsCell(integration.id, heldRemovals, csrfToken) : '0'}</td>
<td>${integration.tokens.length}</td>
</tr>`;
}

function heldRemovalsCell(integrationId: string, count: number, csrfToken: string): SafeHtml {
  const action = `/admin/integrations/${integrationId}/held-removals`;

  return html`<span class="bad" data-held-removals="${count}">${count}</span>
<form method="post" action="${action}/release" class="inline" data-confirm="Release ${count} held removals? These users lose access to the Dropbox Sign team.">${csrfField(csrfToken)}<button type="submit" class="danger">Release</button></form>
<form method="post" action="${action}/discard" class="inline" data-confirm="Discard ${count} held removals? These users stay in the team and become active in Scimify.">${csrfField(csrfToken)}<button type="submit" class="secondary">Discard</button></form>`;
}

export function connectionSummary(integration: IntegrationWithStatus): SafeHtml {
  if (integration.connectionTestedAt === null) return html`<span class="muted">Never tested</span>`;

  const result = integration.connectionTestOk ? badge('Passed', 'ok') : badge('Failed', 'bad');
  return html`${result} <span class="muted">${formatTime(integration.connectionTestedAt)}</span><br><span class="hint">${integration.connectionTestMessage ?? ''}</span>`;
}
