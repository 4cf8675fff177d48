import { AuditEventView, TimelineJob, TimelineUser, UserTimeline } from '../admin/audit-query.service';
import { outcomeBadge } from './audit-page';
import { renderPage } from './console-page';
import { formatTime } from './format';
import { html, SafeHtml } from './html';

/**
 * One user's history, oldest first: each identity provider request, each job attempt and each
 * Dropbox Sign call with its result, and the user's reconcile jobs as BullMQ stores them.
 */
export function timelinePage(timeline: UserTimeline, csrfToken: string): string {
  const title = timeline.user?.userName ?? timeline.userId;
  const body = html`<h1>Timeline of ${title}</h1>
${userFacts(timeline)}
<h2>Reconcile jobs</h2>
${timeline.jobs.length === 0 ? html`<p class="muted">BullMQ holds no job of this user (finished jobs are kept for a day).</p>` : jobTable(timeline.jobs)}
<h2>Events</h2>
${eventTable(timeline.events)}`;

  return renderPage({ title: `Timeline of ${title}`, body, csrfToken, section: 'audit' });
}

function userFacts(timeline: UserTimeline): SafeHtml {
  const user = timeline.user;
  if (!user) return html`<p class="notice warn">This user is no longer stored: only its audit records remain (for example after Dropbox Sign rejected its creation).</p>`;

  return html`<section class="card" id="user-facts">
<dl class="facts">
<dt>SCIM id</dt><dd><code>${user.id}</code></dd>
<dt>userName</dt><dd>${user.userName}</dd>
<dt>Email</dt><dd>${user.email ?? '—'}</dd>
<dt>Desired</dt><dd>${desiredState(user)}, role ${user.role}</dd>
<dt>In Dropbox Sign</dt><dd>${user.observedState}</dd>
<dt>Generations</dt><dd>desired ${user.desiredGeneration}, applied ${user.appliedGeneration}</dd>
<dt>Last error</dt><dd>${user.lastError ?? '—'}</dd>
</dl>
<p class="hint"><a href="/admin/integrations/${user.integrationId}">Open the integration</a></p>
</section>`;
}

function jobTable(jobs: TimelineJob[]): SafeHtml {
  const rows = jobs.map(
    (job) => html`<tr><td><code>${job.jobId}</code></td><td>${job.state}</td><td>${job.attemptsMade} of ${job.attempts}</td>
<td>${formatTime(job.createdAt)}</td><td>${formatTime(job.finishedAt)}</td><td>${job.failedReason ?? ''}</td></tr>`,
  );

  return html`<table><thead><tr><th>Job</th><th>State</th><th>Attempts</th><th>Created</th><th>Finished</th><th>Failure</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function eventTable(events: AuditEventView[]): SafeHtml {
  const rows = events.map(
    (event) => html`<tr data-action="${event.action}">
<td>${formatTime(event.occurredAt)}</td><td>${stepOf(event)}</td><td>${event.action}</td><td>${outcomeBadge(event.outcome)}</td>
<td>${sourceOf(event)}</td>
<td class="details">${JSON.stringify(event.details)}</td>
</tr>`,
  );

  return html`<table class="timeline" id="timeline-events"><thead><tr><th>Time</th><th>Step</th><th>Action</th><th>Outcome</th><th>Request or job</th><th>Details</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function desiredState(user: TimelineUser): string {
  if (user.deletedAt) return `deleted ${formatTime(user.deletedAt)}`;

  return user.active ? 'active' : 'inactive';
}

function sourceOf(event: AuditEventView): string {
  if (event.requestId) return `request ${event.requestId}`;
  if (event.jobId) return `job ${event.jobId}, attempt ${String(event.details.attempt ?? '?')}`;

  return '—';
}

function stepOf(event: AuditEventView): string {
  if (event.action.startsWith('dropbox_sign.')) return 'Dropbox Sign call';
  if (event.actor === 'idp') return 'Identity provider request';
  if (event.actor === 'admin') return 'Operator action';

  return 'Job attempt';
}
