export * from './job-catalog';
export * from './queue.module';
export * from './health.controller';
