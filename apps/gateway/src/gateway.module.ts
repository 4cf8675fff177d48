import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppConfig, ConfigModule, loggingModule } from '@scimify/config';
import { IntegrationsService } from '@scimify/integrations';
import { ObservabilityModule, QueueModule } from '@scimify/jobs';
import { PersistenceModule } from '@scimify/persistence';
import { ADMIN_CONTROLLERS, ADMIN_PROVIDERS } from './admin/admin.components';
import { DiscoveryController } from './scim/discovery.controller';
import { GroupsController } from './scim/groups.controller';
import { ProvisioningQueueService } from './scim/provisioning-queue.service';
import { ScimAuthGuard } from './scim/scim-auth.guard';
import { AllExceptionsFilter } from './scim/scim-exception.filter';
import { TokenCacheService } from './scim/token-cache.service';
import { UnsupportedEndpointsController } from './scim/unsupported-endpoints.controller';
import { UsersController } from './scim/users.controller';
import { UsersService } from './scim/users.service';

@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ConfigModule.forRoot(config), loggingModule(config, 'gateway'), PersistenceModule, QueueModule, ObservabilityModule.forRoot('gateway')],
      controllers: [UsersController, GroupsController, DiscoveryController, UnsupportedEndpointsController, ...ADMIN_CONTROLLERS],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        IntegrationsService,
        UsersService,
        ProvisioningQueueService,
        ScimAuthGuard,
        TokenCacheService,
        ...ADMIN_PROVIDERS,
      ],
    };
  }
}
