import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { IntegrationErrorCode, IntegrationException } from '@scimify/integrations';
import { FastifyReply, FastifyRequest } from 'fastify';
import { adminPrincipalOf } from '../admin/admin-auth.service';
import { renderPage, sendPage } from './console-page';
import { html } from './html';

/** Renders errors of console pages as an HTML page. An unexpected error is logged and shown without its details. */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ConsoleExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, message } = this.describe(exception, request);
    const principal = adminPrincipalOf(request);
    const csrfToken = principal?.method === 'session' ? principal.session.csrfToken : '';

    const body = html`<h1>${status === 404 ? 'Not found' : 'The request failed'}</h1>
<p class="notice bad" role="alert">${message}</p>
<p><a href="/admin/integrations">Back to the integrations</a></p>`;
    void sendPage(reply, status, renderPage({ title: 'Error', body, csrfToken }));
  }

  private describe(exception: unknown, request: FastifyRequest): { status: number; message: string } {
    if (exception instanceof IntegrationException) {
      return { status: exception.code === IntegrationErrorCode.NotFound ? 404 : 400, message: exception.message };
    }
    if (exception instanceof HttpException) return { status: exception.getStatus(), message: exception.message };

    this.logger.error({ err: exception, url: request.url.split('?')[0] }, 'Unexpected error while rendering a console page');
    return { status: 500, message: 'Internal error: the page could not be shown; retry, and report it if it persists' };
  }
}
