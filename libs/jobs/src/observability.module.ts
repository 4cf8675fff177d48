import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HealthController } from './health.controller';
import { JobMetricsService } from './metrics/job-metrics.service';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { QueueMetricsService } from './metrics/queue-metrics.service';
import { QueueModule } from './queue.module';
import { HEALTH_ROLE, HealthRole, WorkerHeartbeatService } from './worker-heartbeat.service';

/**
 * Health checks, the worker heartbeat and Prometheus metrics of one app. Global, so that any
 * service can inject MetricsService to record what it measures.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(role: HealthRole): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [QueueModule, DiscoveryModule],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: HEALTH_ROLE, useValue: role }, WorkerHeartbeatService, MetricsService, QueueMetricsService, JobMetricsService],
      exports: [MetricsService, WorkerHeartbeatService, HEALTH_ROLE],
    };
  }
}
