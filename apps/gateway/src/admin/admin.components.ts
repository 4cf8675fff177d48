import { Type } from '@nestjs/common';
import { AuditPageController } from '../console/audit-page.controller';
import { ConsoleAssetsController } from '../console/console-assets.controller';
import { IntegrationsPageController } from '../console/integrations-page.controller';
import { LoginController } from '../console/login.controller';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAuthService } from './admin-auth.service';
import { AdminRedisService } from './admin-redis.service';
import { AdminSessionService } from './admin-session.service';
import { AuditController } from './audit.controller';
import { AuditQueryService } from './audit-query.service';
import { BullBoardAuditService } from './bull-board-audit.service';
import { ConnectionTestService } from './connection-test.service';
import { FormReplayService } from './form-replay.service';
import { HeldRemovalsService } from './held-removals.service';
import { IntegrationStatusService } from './integration-status.service';
import { IntegrationsController } from './integrations.controller';
import { LoginLimiterService, ScimAuthLimiterService } from './login-limiter.service';
import { TestConnectionClient } from './test-connection.client';
import { UserRetryService } from './user-retry.service';

/** Controllers of the admin REST API and console pages, registered by the gateway module. */
export const ADMIN_CONTROLLERS: Type[] = [IntegrationsController, AuditController, LoginController, IntegrationsPageController, AuditPageController, ConsoleAssetsController];

/** Providers of admin authentication, the console and the admin API; they need IntegrationsService from the gateway module. */
export const ADMIN_PROVIDERS: Type[] = [
  AdminAuthGuard,
  AdminRedisService,
  AdminSessionService,
  LoginLimiterService,
  ScimAuthLimiterService,
  AdminAuthService,
  TestConnectionClient,
  ConnectionTestService,
  IntegrationStatusService,
  UserRetryService,
  AuditQueryService,
  BullBoardAuditService,
  FormReplayService,
  HeldRemovalsService,
];
