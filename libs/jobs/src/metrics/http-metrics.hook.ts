import { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';

/**
 * Records every HTTP request of a Fastify app by its route pattern (never the raw URL, which
 * carries ids and filters) and status. Requests that match no route count as `unmatched`.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.observeHttpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
}
