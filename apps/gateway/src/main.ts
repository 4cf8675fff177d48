import 'reflect-metadata';
import { loadConfig } from '@scimify/config';
import { createGatewayApp } from './gateway-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createGatewayApp(config);
  await app.listen(config.GATEWAY_PORT, config.LISTEN_HOST);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
