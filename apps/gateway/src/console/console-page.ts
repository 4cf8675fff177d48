import { FastifyReply } from 'fastify';
import { CONSOLE_CSS, CONSOLE_CSS_HASH } from './console-style';
import { html, SafeHtml } from './html';

export type ConsoleSection = 'integrations' | 'audit';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** The session's CSRF token for the logout form; null on pages shown before login. */
  csrfToken: string | null;
  section?: ConsoleSection;
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src ${CONSOLE_CSS_HASH}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Renders a whole console page: navigation, the content, the inline stylesheet and the local script. */
export function renderPage(options: PageOptions): string {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Scimify</title>
<style>${new SafeHtml(CONSOLE_CSS)}</style>
${options.csrfToken !== null && html`<script src="/admin/assets/console.js" defer></script>`}
</head>
<body>
${options.csrfToken !== null && navigation(options.csrfToken, options.section)}
<main>
${options.body}
</main>
</body>
</html>
`;
  return page.value;
}

function navigation(csrfToken: string, section: ConsoleSection | undefined): SafeHtml {
  const link = (href: string, label: string, name: ConsoleSection) => html`<a href="${href}" class="${section === name ? 'active' : ''}">${label}</a>`;

  return html`<header>
<span class="brand">Scimify</span>
<nav>${link('/admin/integrations', 'Integrations', 'integrations')}${link('/admin/audit', 'Audit trail', 'audit')}<a href="/admin/queues">Queues</a></nav>
<form method="post" action="/admin/logout" class="inline">${csrfField(csrfToken)}<button type="submit" class="secondary">Log out</button></form>
</header>`;
}

/** Renders the hidden form field that carries the session's CSRF token. */
export function csrfField(csrfToken: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrfToken}">`;
}

/**
 * Sends a console page with its security headers: a strict CSP (local script and the inline
 * stylesheet only), no caching (pages may show a new SCIM token), no framing, no referrer.
 */
export async function sendPage(reply: FastifyReply, status: number, page: string): Promise<void> {
  await reply
    .code(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .send(page);
}

/** Responds to a form submission with 303 See Other, so that reloading the next page does not submit again. */
export async function redirect(reply: FastifyReply, location: string): Promise<void> {
  await reply.code(303).header('Location', location).header('Cache-Control', 'no-store').send();
}
