import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@scimify/config';
import { verifyEncryptionKeyOnStart } from '@scimify/integrations';
import { MetricsService, registerHttpMetrics } from '@scimify/jobs';
import { ScimError } from '@scimify/scim';
import { FastifyInstance } from 'fastify';
import { parse as parseQueryString } from 'fast-querystring';
import { Logger } from 'nestjs-pino';
import { configureAdminHttp } from './admin/admin-http';
import { registerSecurityHeaders } from './http/security-headers';
import { GatewayModule } from './gateway.module';
import { parseJsonBody } from './scim/json-body';
import { SCIM_CONTENT_TYPE } from './scim/scim-exception.filter';
import { rejectNonJsonScimBody } from './scim/scim-media-type';

/** Builds the gateway: SCIM endpoints, admin API and health checks. The caller starts it with `app.listen`. */
export async function createGatewayApp(config: AppConfig): Promise<INestApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.SCIM_MAX_BODY_BYTES, trustProxy: true });
  // Nest's own body parsers would take application/json away from the parser registered below.
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, { bufferLogs: true, bodyParser: false });

  await verifyEncryptionKeyOnStart(app);
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  registerSecurityHeaders(fastify);
  configureFastify(fastify);
  registerHttpMetrics(fastify, app.get(MetricsService));
  await configureAdminHttp(app);

  return app;
}

function configureFastify(fastify: FastifyInstance): void {
  // SCIM clients send application/scim+json (RFC 7644 §3.1) or application/json, with or without a
  // charset. One parser takes both, for SCIM and admin routes alike, and an empty body is no body.
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(/^application\/(scim\+)?json(\s*;.*)?$/i, { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);

    try {
      done(null, parseJsonBody(text));
    } catch (error) {
      done(error as ScimError, undefined);
    }
  });

  // The HTML forms of the admin console.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseQueryString(String(body)));
  });

  fastify.addHook('onRequest', rejectNonJsonScimBody);

  // Every SCIM response is application/scim+json, errors included.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/scim/') && String(reply.getHeader('content-type') ?? '').startsWith('application/json')) {
      void reply.header('Content-Type', SCIM_CONTENT_TYPE);
    }
    done(null, payload);
  });
}
