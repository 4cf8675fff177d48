import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { constantTimeEquals } from '@scimify/integrations';
import { FastifyReply } from 'fastify';
import { MetricsService } from './metrics.service';

/**
 * Prometheus exposition at GET /metrics. It is open by default, because Prometheus usually
 * scrapes on a private network and the series contain no personal data or secret (labels are
 * route patterns, queue names, endpoints and statuses). With METRICS_BEARER_TOKEN set, a scrape
 * needs that token.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    this.authorize(authorization);

    const body = await this.metrics.render();
    await reply.header('Content-Type', this.metrics.contentType).header('Cache-Control', 'no-store').send(body);
  }

  private authorize(authorization: string | undefined): void {
    const expected = this.config.METRICS_BEARER_TOKEN;
    if (!expected) return;

    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (match && constantTimeEquals(match[1], expected)) return;

    throw new UnauthorizedException('Missing or invalid metrics token: send Authorization: Bearer <METRICS_BEARER_TOKEN>');
  }
}

