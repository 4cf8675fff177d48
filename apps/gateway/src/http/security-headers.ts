import { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';

/** Helmet's policy for every gateway response. The console pages set their own Content-Security-Policy. */
export const SECURITY_HEADER_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: false,
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
};

/**
 * Returns the headers that helmet's middleware sets for `options`. They depend on the options
 * alone, so they are computed once here instead of by the middleware on every request.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name];
    },
  };

  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish setting its headers synchronously');

  return headers;
}

/** Adds helmet's security headers to every response of the app, routes outside Nest included. */
export function registerSecurityHeaders(fastify: FastifyInstance, options: Readonly<HelmetOptions> = SECURITY_HEADER_OPTIONS): void {
  const headers = securityHeaders(options);

  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}
