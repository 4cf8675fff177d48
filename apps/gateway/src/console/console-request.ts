import { FastifyRequest } from 'fastify';
import { adminPrincipalOf } from '../admin/admin-auth.service';

/** Returns the CSRF token for the page's forms: the session's, or empty for a bearer-token request, which submits no forms. */
export function csrfTokenOf(request: FastifyRequest): string {
  const principal = adminPrincipalOf(request);
  return principal?.method === 'session' ? principal.session.csrfToken : '';
}

/** Returns a text field of a submitted form, or undefined when it is absent or not text. */
export function formField(form: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = form?.[name];
  return typeof value === 'string' ? value : undefined;
}
