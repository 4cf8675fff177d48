import { ProcessorDecoratorService } from '@nestjs/bullmq';
import { runWithLogContext } from '@scimify/config';
import { Job } from 'bullmq';

/** Returns the fields of a job's log lines: its ids and attempt, and no payload field other than ids. */
export function jobLogFields(job: Job): Record<string, unknown> {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const fields: Record<string, unknown> = { jobId: job.id, jobName: job.name, queue: job.queueName, attempt: job.attemptsMade + 1 };

  if (typeof data.integrationId === 'string') fields.integrationId = data.integrationId;
  if (typeof data.userId === 'string') fields.userId = data.userId;

  return fields;
}

let installed = false;

/**
 * Makes every BullMQ processor registered through @nestjs/bullmq run inside a log context with
 * the job id, job name, queue, attempt and the integration and user ids of its payload. Each log
 * line of a job then names them, whichever service writes it. @nestjs/bullmq wraps each processor
 * with `ProcessorDecoratorService.decorate`, whose documentation invites overriding it. The
 * service is private to BullModule, so its prototype is extended here. The wrapper keeps no app
 * state, so several apps in one process (tests) can share it.
 */
export function installJobLogContext(): void {
  if (installed) return;
  installed = true;

  const decorate = ProcessorDecoratorService.prototype.decorate;
  ProcessorDecoratorService.prototype.decorate = function decorateWithLogContext(processor) {
    const inner = decorate.call(this, processor);
    return (job: Job, token?: string, signal?: AbortSignal) => runWithLogContext(jobLogFields(job), () => inner(job, token, signal));
  };
}
