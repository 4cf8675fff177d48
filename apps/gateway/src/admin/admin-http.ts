import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { registerAdminAccessHooks } from './admin-access.hook';
import { AdminAuthService } from './admin-auth.service';
import { registerBullBoard } from './bull-board';

/**
 * Adds what the admin console needs at the Fastify level: the access hooks that protect every
 * /admin route and Bull Board. The gateway app parses the HTML form bodies
 * (application/x-www-form-urlencoded) that the console posts.
 */
export async function configureAdminHttp(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;

  registerAdminAccessHooks(fastify, app.get(AdminAuthService));
  await registerBullBoard(app);
}
