import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { AdminAuthGuard } from '../admin/admin-auth.guard';
import { CONSOLE_SCRIPT } from './console-script';

/** The console's script, served by the gateway itself so that the console needs nothing from the internet. */
@Controller('admin/assets')
@UseGuards(AdminAuthGuard)
export class ConsoleAssetsController {
  @Get('console.js')
  async script(@Res() reply: FastifyReply): Promise<void> {
    await reply
      .header('Content-Type', 'text/javascript; charset=utf-8')
      .header('Cache-Control', 'private, max-age=300')
      .header('X-Content-Type-Options', 'nosniff')
      .send(CONSOLE_SCRIPT);
  }
}
