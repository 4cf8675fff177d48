import { startFakeDropboxSign } from './fake-server';
import { logger } from './logger';

const DEFAULT_PORT = 3010;

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') {
    return DEFAULT_PORT;
  }
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`FAKE_DROPBOX_SIGN_PORT must be a port number from 0 to 65535, got "${value}".`);
  }
  return port;
}

async function main(): Promise<void> {
  const port = readPort(process.env.FAKE_DROPBOX_SIGN_PORT);
  const host = process.env.FAKE_DROPBOX_SIGN_HOST || '127.0.0.1';
  const server = await startFakeDropboxSign({ port, host });

  const stop = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'Stopping the fake Dropbox Sign API');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Failed to close the fake Dropbox Sign API');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Logged after the signal handlers are in place, so a supervisor that waits for this line can stop the fake at once.
  logger.info({ url: server.url }, `Fake Dropbox Sign API listening on ${server.url}`);
}

main().catch((error: unknown) => {
  logger.error({ err: error }, 'Failed to start the fake Dropbox Sign API');
  process.exit(1);
});
