export * from './job-catalog';
export * from './queue.module';
export * from './health.controller';
export * from './worker-heartbeat.service';
export * from './observability.module';
export * from './metrics/metrics.service';
export * from './job-log-context';
export * from './metrics/http-metrics.hook';
