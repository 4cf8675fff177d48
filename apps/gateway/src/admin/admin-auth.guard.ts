import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { constantTimeEquals } from '@scimify/integrations';
import { FastifyRequest } from 'fastify';

/** Accepts `Authorization: Bearer <SCIMIFY_ADMIN_TOKEN>`. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');

    if (!match || !constantTimeEquals(match[1], this.config.SCIMIFY_ADMIN_TOKEN)) {
      throw new UnauthorizedException('Missing or invalid admin token: send Authorization: Bearer <SCIMIFY_ADMIN_TOKEN>');
    }

    return true;
  }
}
