import { csrfField, renderPage } from './console-page';
import { html } from './html';
import { transferEmailField } from './integration-page';

export interface NewIntegrationForm {
  displayName: string;
  transferEmail: string;
}

/** Renders the form that creates an integration. After an error it keeps the values, except the API key. */
export function newIntegrationPage(csrfToken: string, form: NewIntegrationForm, error: string | null): string {
  const body = html`<h1>New integration</h1>
<section class="card">
${error && html`<p class="notice bad" role="alert">${error}</p>`}
<form method="post" action="/admin/integrations">
${csrfField(csrfToken)}
<label for="displayName">Display name</label>
<input type="text" id="displayName" name="displayName" value="${form.displayName}" placeholder="Production Dropbox Sign Team" required maxlength="200">
<label for="apiKey">Dropbox Sign API key</label>
<input type="password" id="apiKey" name="apiKey" required autocomplete="off">
<p class="hint">From Dropbox Sign: Settings → API. Use the key of a team Admin. After saving, only its last four characters are shown.</p>
${transferEmailField(form.transferEmail || null)}
<div class="actions"><button type="submit" id="create-button">Create integration</button><a class="button secondary" href="/admin/integrations">Cancel</a></div>
</form>
<p class="hint">A new integration starts disabled: test its connection, then enable it and issue a SCIM token.</p>
</section>`;

  return renderPage({ title: 'New integration', body, csrfToken, section: 'integrations' });
}
