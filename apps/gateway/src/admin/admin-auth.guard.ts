import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { adminPrincipalOf } from './admin-auth.service';

/**
 * Lets a request through only when the admin access hook authenticated it (bearer token or
 * console session). The hook rejects unauthenticated requests itself, and this guard keeps an
 * admin controller closed even if it were served without the hook.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (adminPrincipalOf(request)) return true;

    throw new UnauthorizedException('Missing or invalid admin credentials: log in to the admin console or send Authorization: Bearer <SCIMIFY_ADMIN_TOKEN>');
  }
}
