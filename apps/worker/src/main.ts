import 'reflect-metadata';
import { loadConfig } from '@scimify/config';
import { createWorkerApp } from './worker-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createWorkerApp(config);
  await app.listen(config.WORKER_PORT, config.LISTEN_HOST);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
