import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { IntegrationErrorCode, IntegrationException } from '@scimify/integrations';
import { isDatabaseUnavailable } from '@scimify/persistence';
import { ScimError } from '@scimify/scim';
import { FastifyReply, FastifyRequest } from 'fastify';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** Seconds an identity provider should wait before it retries while Postgres is unavailable. */
const DATABASE_RETRY_AFTER_SECONDS = 30;

/**
 * Turns every error into a response: a SCIM error body (RFC 7644 §3.12) under /scim, a JSON
 * error elsewhere. Unexpected exceptions are logged and get a generic 500 response, never a
 * stack trace.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = this.toScimError(exception, request);

    // Okta reschedules a request that gets 503 or 429 after Retry-After instead of failing it.
    if (error.status === 503) reply.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));

    if (request.url.startsWith('/scim/')) {
      if (error.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="scimify"');
      void reply.status(error.status).header('Content-Type', SCIM_CONTENT_TYPE).send(error.toBody());
      return;
    }

    const body = exception instanceof HttpException ? exception.getResponse() : { statusCode: error.status, message: error.detail };
    void reply.status(error.status).send(typeof body === 'string' ? { statusCode: error.status, message: body } : body);
  }

  private toScimError(exception: unknown, request: FastifyRequest): ScimError {
    if (exception instanceof ScimError) return exception;
    if (exception instanceof HttpException) return this.bodyError(exception.getStatus(), httpMessage(exception));
    if (exception instanceof IntegrationException) {
      return new ScimError(exception.code === IntegrationErrorCode.NotFound ? 404 : 400, exception.message);
    }

    const status = statusOf(exception);
    if (status !== null) return this.bodyError(status, (exception as Error).message);

    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ url: request.url.split('?')[0], error: (exception as Error).message }, 'Postgres is unavailable');
      return new ScimError(503, 'The Scimify database is unavailable, so the request was not processed: retry it later');
    }

    this.logger.error({ err: exception, url: request.url.split('?')[0] }, 'Unexpected error while handling a request');
    return new ScimError(500, 'Internal error: the request was not completed; retry it, and report it if it persists');
  }

  /**
   * Rewords the body errors that Fastify raises before a controller runs (Nest passes them on as
   * HttpException, other code paths as Fastify's own error with a `statusCode`), adding the limit and the fix.
   */
  private bodyError(status: number, message: string): ScimError {
    switch (status) {
      case 413:
        return new ScimError(
          413,
          `The request body is larger than ${this.config.SCIM_MAX_BODY_BYTES} bytes (SCIM_MAX_BODY_BYTES): send a smaller body, or raise SCIM_MAX_BODY_BYTES on the gateway`,
        );
      case 415:
        return new ScimError(415, 'The Content-Type of the request is not supported: send the body as application/scim+json or application/json');
      default:
        return new ScimError(status, message);
    }
  }
}

function httpMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;

  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}

/** Fastify's own errors (body too large, bad content type) carry a 4xx `statusCode`. */
function statusOf(exception: unknown): number | null {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

