import { DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './app-config';

/**
 * Paths that pino replaces with "[Redacted]": credentials in request headers and any field that
 * is named like a secret, wherever a log line carries it.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.password',
  '*.authorization',
];

/** nestjs-pino with JSON lines, a request id on every line of a request, and secrets redacted. */
export function loggingModule(config: AppConfig, service: string): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.LOG_LEVEL,
      base: { service },
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      genReqId: (request: IncomingMessage) => {
        const header = request.headers['x-request-id'];
        return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
      },
      // Health probes would drown the log.
      autoLogging: { ignore: (request: IncomingMessage) => (request.url ?? '').startsWith('/health') },
      serializers: {
        req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: stripQuery(request.url) }),
      },
    },
  });
}

/** Drops the query string, which may carry a filter with personal data. */
function stripQuery(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : url.slice(0, index);
}
