import { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

import { ApiError, badRequest } from './api-error';

export type JsonObject = Record<string, unknown>;

/** Maximum request body size in bytes. The fake rejects bigger bodies with 400. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole request body as UTF-8 and returns null when it exceeds `MAX_BODY_BYTES`. */
export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Result of parsing a body: the object, or the error to send once the route is known to exist. */
export interface ParsedBody {
  body: JsonObject | null;
  error: ApiError | null;
}

/**
 * Parses a JSON or `application/x-www-form-urlencoded` body. An empty body parses to null.
 * A body without a Content-Type is parsed as JSON.
 */
export function parseBody(raw: string | null, contentType: string | undefined): ParsedBody {
  if (raw === null) {
    return { body: null, error: badRequest(`The request body exceeds ${MAX_BODY_BYTES} bytes.`) };
  }
  if (raw.trim() === '') {
    return { body: null, error: null };
  }
  const mediaType = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') {
    return { body: Object.fromEntries(new URLSearchParams(raw)), error: null };
  }
  if (mediaType === 'application/json') {
    return parseJsonObject(raw);
  }
  const message = `Unsupported Content-Type "${mediaType}". Use application/json or application/x-www-form-urlencoded.`;
  return { body: null, error: badRequest(message) };
}

function parseJsonObject(raw: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { body: null, error: badRequest('The request body is not valid JSON.') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { body: null, error: badRequest('The request body must be a JSON object.') };
  }
  return { body: value as JsonObject, error: null };
}

/** Returns the query parameters. For a repeated parameter the last value wins. */
export function queryRecord(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}
