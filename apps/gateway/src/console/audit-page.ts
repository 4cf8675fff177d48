import { IntegrationView } from '@scimify/integrations';
import { AuditEventView, AuditPage } from '../admin/audit-query.service';
import { renderPage } from './console-page';
import { badge, formatTime, urlWithQuery } from './format';
import { html, SafeHtml } from './html';

/** The filter form's values as the administrator typed them. */
export type AuditFormValues = Partial<Record<'integrationId' | 'user' | 'action' | 'outcome' | 'from' | 'to', string>>;

export interface AuditPageModel {
  csrfToken: string;
  values: AuditFormValues;
  integrations: IntegrationView[];
  page: AuditPage | null;
  error: string | null;
}

/** Renders the audit trail with its filters, newest event first, a link to each user's timeline and the CSV export. */
export function auditPage(model: AuditPageModel): string {
  const names = new Map(model.integrations.map((integration) => [integration.id, integration.displayName]));
  const body = html`<h1>Audit trail</h1>
${filterForm(model)}
${model.error && html`<p class="notice bad" role="alert">${model.error}</p>`}
${model.page && eventsSection(model, model.page, names)}`;

  return renderPage({ title: 'Audit trail', body, csrfToken: model.csrfToken, section: 'audit' });
}

function filterForm(model: AuditPageModel): SafeHtml {
  const { values } = model;
  const options = model.integrations.map(
    (integration) => html`<option value="${integration.id}" ${values.integrationId === integration.id && html`selected`}>${integration.displayName}</option>`,
  );
  const outcomes = ['success', 'failure', 'info'].map((outcome) => html`<option value="${outcome}" ${values.outcome === outcome && html`selected`}>${outcome}</option>`);

  return html`<section class="card">
<form method="get" action="/admin/audit" class="filters" id="audit-filters">
<div><label for="integrationId">Integration</label><select id="integrationId" name="integrationId"><option value="">All</option>${options}</select></div>
<div><label for="user">User</label><input type="text" id="user" name="user" value="${values.user ?? ''}" placeholder="userName, email or SCIM id"></div>
<div><label for="action">Action</label><input type="text" id="action" name="action" value="${values.action ?? ''}" placeholder="user_created or dropbox_sign.*"></div>
<div><label for="outcome">Outcome</label><select id="outcome" name="outcome"><option value="">Any</option>${outcomes}</select></div>
<div><label for="from">From (UTC)</label><input type="datetime-local" id="from" name="from" value="${values.from ?? ''}"></div>
<div><label for="to">To (UTC)</label><input type="datetime-local" id="to" name="to" value="${values.to ?? ''}"></div>
<div class="actions"><button type="submit" id="filter-button">Filter</button><a class="button secondary" href="/admin/audit">Reset</a></div>
</form>
</section>`;
}

function eventsSection(model: AuditPageModel, page: AuditPage, names: Map<string, string>): SafeHtml {
  const exportUrl = urlWithQuery('/admin/api/audit.csv', model.values);
  const olderUrl = page.nextBefore && urlWithQuery('/admin/audit', { ...model.values, before: page.nextBefore });

  return html`<div class="actions"><a class="button secondary" href="${exportUrl}" id="export-csv">Export CSV</a></div>
<h2>Events</h2>
${page.events.length === 0 ? html`<p class="muted">No event matches these filters.</p>` : eventTable(page.events, names)}
${olderUrl && html`<div class="actions"><a class="button secondary" href="${olderUrl}">Older events</a></div>`}`;
}

function eventTable(events: AuditEventView[], names: Map<string, string>): SafeHtml {
  const rows = events.map(
    (event) => html`<tr>
<td>${formatTime(event.occurredAt)}</td>
<td>${event.integrationId ? (names.get(event.integrationId) ?? event.integrationId) : '—'}</td>
<td>${event.userId ? html`<a href="/admin/audit/users/${event.userId}" class="timeline-link">${userLabel(event)}</a>` : '—'}</td>
<td>${event.actor}</td>
<td>${event.action}</td>
<td>${outcomeBadge(event.outcome)}</td>
<td>${sourceOf(event)}</td>
<td class="details">${JSON.stringify(event.details)}</td>
</tr>`,
  );

  return html`<table><thead><tr><th>Time</th><th>Integration</th><th>User</th><th>Actor</th><th>Action</th><th>Outcome</th><th>Request or job</th><th>Details</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function sourceOf(event: AuditEventView): string {
  if (event.requestId) return `request ${event.requestId}`;
  if (event.jobId) return `job ${event.jobId}`;

  return '—';
}

function userLabel(event: AuditEventView): string {
  const name = event.details.userName ?? event.details.email;
  return typeof name === 'string' ? name : (event.userId ?? '');
}

export function outcomeBadge(outcome: string): SafeHtml {
  if (outcome === 'success') return badge('success', 'ok');
  if (outcome === 'failure') return badge('failure', 'bad');

  return badge(outcome, 'muted');
}
