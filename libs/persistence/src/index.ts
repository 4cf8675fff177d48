export * from './entities';
export * from './data-source';
export * from './repositories/audit.repository';
export * from './repositories/scim-user.repository';
export * from './repositories/team-snapshot.repository';
export * from './persistence.module';
export * from './health/health';
export * from './health/database-errors';
