import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, loggingModule } from '@scimify/config';
import { IntegrationsService } from '@scimify/integrations';
import { ObservabilityModule, QueueModule } from '@scimify/jobs';
import { PersistenceModule } from '@scimify/persistence';
import { TestConnectionService } from './connection/test-connection.service';
import { dropboxSignClientProvider } from './dropbox-sign.provider';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { SweepService } from './maintenance/sweep.service';
import { CallPacerService } from './rate-limit/call-pacer.service';
import { IntegrationPauseService } from './rate-limit/integration-pause.service';
import { ReconcileFailureService } from './reconcile/reconcile-failure.service';
import { ReconcileProcessor, reconcileProcessorFor } from './reconcile/reconcile.processor';
import { ReconcileService } from './reconcile/reconcile.service';
import { UserLockService } from './reconcile/user-lock.service';
import { TeamSnapshotService } from './team/team-snapshot.service';
import { TeamSyncService } from './team/team-sync.service';
import { WorkerRedisService } from './worker-redis.service';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), loggingModule(config, 'worker'), PersistenceModule, QueueModule, ObservabilityModule.forRoot('worker')],
      providers: [
        dropboxSignClientProvider,
        IntegrationsService,
        TeamSnapshotService,
        TeamSyncService,
        UserLockService,
        ReconcileService,
        ReconcileFailureService,
        { provide: ReconcileProcessor, useClass: reconcileProcessorFor(config) },
        WorkerRedisService,
        CallPacerService,
        IntegrationPauseService,
        SweepService,
        MaintenanceProcessor,
        TestConnectionService,
      ],
    };
  }
}
