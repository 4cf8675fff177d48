import { Stack } from './stack';

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json(): any;
}

/** Sends one request to the gateway without following redirects. */
export async function http(stack: Stack, method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<HttpResult> {
  const response = await fetch(`${stack.gatewayUrl}${path}`, { method, headers: options.headers, body: options.body, redirect: 'manual' });
  const text = await response.text();

  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** Builds a form body and its content type as a browser sends them. */
export function form(fields: Record<string, string>): { headers: Record<string, string>; body: string } {
  return { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

export interface ConsoleSession {
  /** The Cookie header value. */
  cookie: string;
  csrfToken: string;
  /** The raw Set-Cookie header of the login. */
  setCookie: string;
}

/** Logs in through the login form and reads the session's CSRF token from a console page. */
export async function loginToConsole(stack: Stack, token = stack.config.SCIMIFY_ADMIN_TOKEN): Promise<ConsoleSession> {
  const login = await http(stack, 'POST', '/admin/login', form({ token, next: '/admin/integrations' }));
  if (login.status !== 303) throw new Error(`login returned HTTP ${login.status}: ${login.text}`);

  const setCookie = login.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  const page = await http(stack, 'GET', '/admin/integrations', { headers: { Cookie: cookie } });
  const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
  if (!match) throw new Error(`no CSRF token on the integrations page (HTTP ${page.status})`);

  return { cookie, csrfToken: match[1], setCookie };
}
