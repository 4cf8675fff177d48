import { IntegrationEntity } from '@scimify/persistence';
import { FastifyRequest } from 'fastify';

/** A SCIM request after ScimAuthGuard: it carries the integration its token belongs to. */
export type ScimRequest = FastifyRequest & { integration?: IntegrationEntity };

/** Returns the request id that nestjs-pino assigned, for audit records. */
export function requestIdOf(request: FastifyRequest): string {
  const raw = request.raw as { id?: unknown };
  return typeof raw.id === 'string' ? raw.id : String(request.id);
}
