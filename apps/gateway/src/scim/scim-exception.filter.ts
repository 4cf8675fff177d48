import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { IntegrationErrorCode, IntegrationException } from '@scimify/integrations';
import { ScimError } from '@scimify/scim';
import { FastifyReply, FastifyRequest } from 'fastify';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/**
 * Turns every error into a response: a SCIM error body (RFC 7644 §3.12) under /scim, a JSON
 * error elsewhere. Unexpected exceptions are logged and answered with a generic 500, never with
 * a stack trace.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = this.toScimError(exception, request);

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
    if (exception instanceof HttpException) return new ScimError(exception.getStatus(), httpMessage(exception));
    if (exception instanceof IntegrationException) {
      return new ScimError(exception.code === IntegrationErrorCode.NotFound ? 404 : 400, exception.message);
    }

    const status = statusOf(exception);
    if (status !== null) return new ScimError(status, (exception as Error).message);

    this.logger.error({ err: exception, url: request.url.split('?')[0] }, 'Unexpected error while handling a request');
    return new ScimError(500, 'Internal error: the request was not completed; retry it, and report it if it persists');
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

