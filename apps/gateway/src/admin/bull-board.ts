import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { QUEUES } from '@scimify/jobs';
import { Queue } from 'bullmq';
import { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { requestIdOf } from '../scim/scim-request';
import { adminPrincipalOf } from './admin-auth.service';
import { BullBoardAuditService } from './bull-board-audit.service';

export const BULL_BOARD_PATH = '/admin/queues';
const BULL_BOARD_API = `${BULL_BOARD_PATH}/api/`;

/** The web font stylesheet that Bull Board's page links from fonts.googleapis.com. */
const EXTERNAL_FONT_LINK = /<link[^>]*fonts\.googleapis\.com[^>]*>/g;

/**
 * Keeps the browser from fetching anything outside the gateway for Bull Board, and from framing
 * it. Bull Board's page links a web font from fonts.googleapis.com. The link is removed as well,
 * so the UI uses system fonts and the browser reports no blocked request.
 */
const BULL_BOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/**
 * Serves Bull Board for both queues at /admin/queues. The admin access hook protects it like
 * every /admin route; state-changing requests are recorded in the audit trail.
 */
export async function registerBullBoard(app: NestFastifyApplication): Promise<void> {
  const serverAdapter = new BullBoardAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);

  const queues = [QUEUES.reconcile, QUEUES.maintenance].map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name))));
  createBullBoard({ queues, serverAdapter, options: { uiConfig: { boardTitle: 'Scimify queues' } } });

  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  addBullBoardHooks(fastify, app.get(BullBoardAuditService));
  await app.register(serverAdapter.registerPlugin() as FastifyPluginCallback, { prefix: BULL_BOARD_PATH });
}

function addBullBoardHooks(fastify: FastifyInstance, audit: BullBoardAuditService): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith(BULL_BOARD_PATH) || route.startsWith(BULL_BOARD_API)) return payload;

    reply.header('Content-Security-Policy', BULL_BOARD_CSP);
    return typeof payload === 'string' ? payload.replace(EXTERNAL_FONT_LINK, '') : payload;
  });

  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith(BULL_BOARD_API) || request.method === 'GET' || !adminPrincipalOf(request)) return;

    const params = (request.params ?? {}) as Record<string, string>;
    await audit.record({ route, params, statusCode: reply.statusCode, requestId: requestIdOf(request) });
  });
}
