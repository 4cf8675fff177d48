import { renderPage } from './console-page';
import { html } from './html';

export type LoginProblem = 'invalid' | 'blocked' | 'expired' | null;

const PROBLEMS: Record<Exclude<LoginProblem, null>, string> = {
  invalid: 'The admin token is not valid. Paste the value of SCIMIFY_ADMIN_TOKEN from the gateway configuration.',
  blocked: 'Too many failed logins from this address.',
  expired: 'Your session ended. Log in again.',
};

/** Renders the login form, which exchanges the admin token for a session cookie. */
export function loginPage(next: string, problem: LoginProblem, retryAfterSeconds?: number): string {
  const message = problem === 'blocked' ? `${PROBLEMS.blocked} Retry after ${retryAfterSeconds ?? 0} seconds.` : problem ? PROBLEMS[problem] : null;

  const body = html`<section class="card login">
<h1>Scimify admin console</h1>
${message && html`<p class="notice bad" role="alert">${message}</p>`}
<form method="post" action="/admin/login">
<input type="hidden" name="next" value="${next}">
<label for="token">Admin token</label>
<input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
<p class="hint">The value of SCIMIFY_ADMIN_TOKEN. The session lasts until you log out or it expires.</p>
<div class="actions"><button type="submit">Log in</button></div>
</form>
</section>`;

  return renderPage({ title: 'Log in', body, csrfToken: null });
}
