import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, loggingModule } from '@scimify/config';
import { IntegrationsService } from '@scimify/integrations';
import { HealthController, QueueModule } from '@scimify/jobs';
import { PersistenceModule } from '@scimify/persistence';
import { TestConnectionService } from './connection/test-connection.service';
import { dropboxSignClientProvider } from './dropbox-sign.provider';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { SweepService } from './maintenance/sweep.service';
import { ReconcileProcessor } from './reconcile/reconcile.processor';
import { ReconcileService } from './reconcile/reconcile.service';
import { UserLockService } from './reconcile/user-lock.service';
import { TeamSnapshotService } from './team/team-snapshot.service';
import { TeamSyncService } from './team/team-sync.service';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), loggingModule(config, 'worker'), PersistenceModule, QueueModule],
      controllers: [HealthController],
      providers: [
        dropboxSignClientProvider,
        IntegrationsService,
        TeamSnapshotService,
        TeamSyncService,
        UserLockService,
        ReconcileService,
        ReconcileProcessor,
        SweepService,
        MaintenanceProcessor,
        TestConnectionService,
      ],
    };
  }
}
