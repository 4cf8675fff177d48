import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Job, Worker } from 'bullmq';
import { MetricsService } from './metrics.service';

/**
 * Records every job attempt of every BullMQ processor of the app from the worker's `completed`
 * and `failed` events. A job moved back to delayed (DelayedError) ends neither way and is not
 * counted here.
 */
@Injectable()
export class JobMetricsService implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      if (wrapper.instance instanceof WorkerHost) this.observe(wrapper.instance.worker);
    }
  }

  private observe(worker: Worker): void {
    worker.on('completed', (job: Job) => this.metrics.observeJob(job.queueName, job.name, 'completed', secondsRunning(job)));
    worker.on('failed', (job: Job | undefined) => {
      // BullMQ sets finishedOn only when the job will not be retried.
      if (job) this.metrics.observeJob(job.queueName, job.name, job.finishedOn ? 'failed' : 'retrying', secondsRunning(job));
    });
  }
}

function secondsRunning(job: Job): number {
  const started = job.processedOn ?? Date.now();
  return Math.max(0, ((job.finishedOn ?? Date.now()) - started) / 1000);
}
