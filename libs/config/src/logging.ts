import { DynamicModule } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { AppConfig } from './app-config';

/**
 * Paths that pino replaces with "[Redacted]": credentials in request headers and any field that
 * is named like a secret, wherever a log line carries it. A wildcard matches one level only, so
 * the fields of an error object (`err.config` of an HTTP client error) are listed too.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.password',
  '*.authorization',
  '*.cookie',
  '*.csrfToken',
  '*.sessionId',
  '*.auth',
  'err.config.auth',
  'err.config.headers.Authorization',
  'err.config.data',
];

/** Fields that every log line written inside `runWithLogContext` carries, such as a job's ids. */
const logContext = new AsyncLocalStorage<Record<string, unknown>>();

/** Runs `work` so that every log line it writes, in any module, carries `fields`. */
export function runWithLogContext<T>(fields: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
  return logContext.run({ ...logContext.getStore(), ...fields }, work);
}

let destinationOverride: DestinationStream | null = null;

/**
 * Sends the log lines of apps created from now on to `destination` instead of stdout; null
 * restores stdout. Tests use it to read what the apps logged.
 */
export function setLogDestination(destination: DestinationStream | null): void {
  destinationOverride = destination;
}

/**
 * nestjs-pino with JSON lines, a request id on every line of a request, the ids of the job on
 * every line of a job (see `runWithLogContext`), and secrets redacted.
 */
export function loggingModule(config: AppConfig, service: string): DynamicModule {
  const options = {
    level: config.LOG_LEVEL,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    // A field the log call passes itself wins over the same field of the context.
    mixin: () => logContext.getStore() ?? {},
    genReqId: (request: IncomingMessage) => {
      const header = request.headers['x-request-id'];
      return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
    },
    // Health probes and metric scrapes would drown the log.
    autoLogging: { ignore: (request: IncomingMessage) => isProbe(request.url ?? '') },
    serializers: {
      req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: stripQuery(request.url) }),
    },
  };

  return LoggerModule.forRoot({ pinoHttp: destinationOverride ? [options, destinationOverride] : options });
}

function isProbe(url: string): boolean {
  return url.startsWith('/health') || url.startsWith('/metrics');
}

/** Drops the query string, which may carry a filter with personal data. */
function stripQuery(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : url.slice(0, index);
}
