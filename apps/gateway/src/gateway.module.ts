import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppConfig, ConfigModule, loggingModule } from '@scimify/config';
import { IntegrationsService } from '@scimify/integrations';
import { HealthController, QueueModule } from '@scimify/jobs';
import { PersistenceModule } from '@scimify/persistence';
import { IntegrationsController } from './admin/integrations.controller';
import { AdminAuthGuard } from './admin/admin-auth.guard';
import { TestConnectionClient } from './admin/test-connection.client';
import { GroupsController } from './scim/groups.controller';
import { ProvisioningQueueService } from './scim/provisioning-queue.service';
import { ScimAuthGuard } from './scim/scim-auth.guard';
import { AllExceptionsFilter } from './scim/scim-exception.filter';
import { UsersController } from './scim/users.controller';
import { UsersService } from './scim/users.service';

@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ConfigModule.forRoot(config), loggingModule(config, 'gateway'), PersistenceModule, QueueModule],
      controllers: [UsersController, GroupsController, IntegrationsController, HealthController],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        IntegrationsService,
        UsersService,
        ProvisioningQueueService,
        ScimAuthGuard,
        AdminAuthGuard,
        TestConnectionClient,
      ],
    };
  }
}
