import { ScimError } from '@scimify/scim';
import { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/** The request media types of RFC 7644 §3.1 (and plain JSON, which Okta's spec test sends), with any parameters. */
export const SCIM_JSON_MEDIA_TYPE = /^application\/(scim\+)?json(\s*;.*)?$/i;

/**
 * Rejects a SCIM request body of another media type with 415 before Fastify reads it. Without
 * this check a form-encoded or text body would reach the Users endpoint as an object or a string
 * and fail with a less helpful 400. A request without a body, such as Okta's GET with a
 * Content-Type header, passes.
 */
export function rejectNonJsonScimBody(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const contentType = request.headers['content-type'] ?? '';
  if (!request.url.startsWith('/scim/') || !hasBody(request) || SCIM_JSON_MEDIA_TYPE.test(contentType)) {
    done();
    return;
  }

  done(new ScimError(415, `Content-Type ${JSON.stringify(contentType)} is not supported: send the body as application/scim+json or application/json`));
}

function hasBody(request: FastifyRequest): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return length > 0 || request.headers['transfer-encoding'] !== undefined;
}
