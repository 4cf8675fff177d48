import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServerRedis } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, redisOptionsFromUrl } from '@scimify/config';
import { verifyEncryptionKeyOnStart } from '@scimify/integrations';
import { installJobLogContext, TestConnectionRequest, testConnectionPattern } from '@scimify/jobs';
import { Logger } from 'nestjs-pino';
import { TestConnectionService } from './connection/test-connection.service';
import { assertJobHandlers } from './job-handlers';
import { WorkerModule } from './worker.module';

/**
 * Builds the worker: BullMQ processors, the "test connection" responder on the Redis transport,
 * and an HTTP server for health checks. The caller starts it with `app.listen`.
 */
export async function createWorkerApp(config: AppConfig): Promise<INestApplication> {
  assertJobHandlers();
  installJobLogContext();

  const app = await NestFactory.create<NestFastifyApplication>(WorkerModule.forRoot(config), new FastifyAdapter(), { bufferLogs: true });
  await verifyEncryptionKeyOnStart(app);
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();

  // The pattern carries QUEUE_PREFIX, so deployments sharing one Redis do not answer each other.
  // Without retryAttempts, Nest's Redis transport stops reconnecting after the first dropped
  // connection, and connection tests would fail until the worker restarts.
  const server = new ServerRedis({ ...redisOptionsFromUrl(config.REDIS_URL), retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 1000 });
  const testConnection = app.get(TestConnectionService);
  server.addHandler(testConnectionPattern(config.QUEUE_PREFIX), async (request: TestConnectionRequest) => testConnection.test(request.integrationId));
  app.connectMicroservice({ strategy: server });
  await app.startAllMicroservices();

  return app;
}
