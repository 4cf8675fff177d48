import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { dataSourceOptions } from './data-source';
import { AuditRepository } from './repositories/audit.repository';
import { DryRunRepository } from './repositories/dry-run.repository';
import { HeldRemovalRepository } from './repositories/held-removal.repository';
import { ScimUserRepository } from './repositories/scim-user.repository';
import { TeamSnapshotRepository } from './repositories/team-snapshot.repository';

const REPOSITORIES = [AuditRepository, DryRunRepository, HeldRemovalRepository, ScimUserRepository, TeamSnapshotRepository];

/** The Postgres connection (from DATABASE_URL) and the repositories, for every Nest app. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL),
        // Retry the first connection only briefly: compose restarts the container when Postgres is late.
        retryAttempts: 5,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: REPOSITORIES,
  exports: REPOSITORIES,
})
export class PersistenceModule {}
