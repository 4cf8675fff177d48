import { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';

/**
 * Records every HTTP request of a Fastify app by its route pattern (never the raw URL, which
 * carries ids and filters) and status. Requests that match no route count as `unmatched`.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  // A callback hook, so that each request costs no promise here.
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeHttpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
