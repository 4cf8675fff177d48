import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

import { errorBody } from './api-error';
import { handleApiRequest } from './api-request-handler';
import { handleControlRequest } from './control-routes';
import { FakeContext } from './fake-context';
import { sendJson } from './http-io';
import { logger } from './logger';

export interface FakeDropboxSignServer {
  /** Base URL such as `http://127.0.0.1:PORT`, without a trailing slash. The API is under `${url}/v3`. */
  url: string;
  close(): Promise<void>;
}

export interface FakeDropboxSignOptions {
  /** Port to listen on. The default, 0, picks a free port. */
  port?: number;
  /** Address to listen on, by default 127.0.0.1. */
  host?: string;
}

/** Starts an in-memory fake of the Dropbox Sign API (under /v3) with its control API (under /_fake). */
export async function startFakeDropboxSign(options: FakeDropboxSignOptions = {}): Promise<FakeDropboxSignServer> {
  const host = options.host ?? '127.0.0.1';
  const ctx = new FakeContext();
  const server = createServer((req, res) => {
    handleRequest(ctx, req, res).catch((error: unknown) => handleUnexpectedError(error, req, res));
  });
  await listen(server, options.port ?? 0, host);

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    close: () => closeServer(server, ctx),
  };
}

function handleRequest(ctx: FakeContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  if (url.pathname === '/v3' || url.pathname.startsWith('/v3/')) {
    return handleApiRequest(ctx, req, res, url);
  }
  if (url.pathname === '/_fake' || url.pathname.startsWith('/_fake/')) {
    return handleControlRequest(ctx, req, res, url);
  }
  sendJson(res, 404, errorBody('not_found', `Nothing is served at ${url.pathname}; the API is under /v3.`));
  return Promise.resolve();
}

function handleUnexpectedError(error: unknown, req: IncomingMessage, res: ServerResponse): void {
  logger.error({ err: error, method: req.method, url: req.url }, 'Fake Dropbox Sign request failed');
  if (!res.headersSent && !res.destroyed) {
    sendJson(res, 500, errorBody('unknown', 'The fake server failed to handle the request.'));
  } else {
    res.destroy();
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops listening, ends open keep-alive connections and cancels pending fault delays. */
function closeServer(server: Server, ctx: FakeContext): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeAllConnections();
    ctx.cancelDelays();
  });
}
