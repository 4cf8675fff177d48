import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { QUEUES } from '@scimify/jobs';
import { AuditRepository } from '@scimify/persistence';
import { Queue } from 'bullmq';

export interface BullBoardAction {
  /** Route pattern, such as /admin/queues/api/queues/:queueName/:jobId/retry. */
  route: string;
  params: Record<string, string>;
  statusCode: number;
  requestId: string;
}

/**
 * Records every state-changing Bull Board request (retry, clean, promote, pause, ...) in the
 * audit trail as an admin action. A job-level action carries the integration and user ids of
 * the job's payload when the job still exists.
 */
@Injectable()
export class BullBoardAuditService {
  private readonly logger = new Logger(BullBoardAuditService.name);
  private readonly queues: Map<string, Queue>;

  constructor(
    private readonly audit: AuditRepository,
    @InjectQueue(QUEUES.reconcile) reconcile: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
  ) {
    this.queues = new Map([reconcile, maintenance].map((queue) => [queue.name, queue]));
  }

  async record(action: BullBoardAction): Promise<void> {
    const operation = operationOf(action.route);
    const { queueName, jobId, queueStatus } = action.params;
    const ids = jobId ? await this.jobIds(queueName, jobId) : {};

    try {
      await this.audit.record({
        integrationId: ids.integrationId ?? null,
        userId: ids.userId ?? null,
        actor: 'admin',
        action: actionName(operation, jobId !== undefined),
        outcome: action.statusCode < 400 ? 'success' : 'failure',
        requestId: action.requestId,
        jobId: jobId ?? null,
        details: { source: 'bull_board', operation, queue: queueName ?? null, queueStatus: queueStatus ?? null, statusCode: action.statusCode },
      });
    } catch (error) {
      this.logger.error({ err: error, operation, queue: queueName, jobId }, 'Recording a Bull Board action in the audit trail failed');
    }
  }

  private async jobIds(queueName: string | undefined, jobId: string): Promise<{ integrationId?: string; userId?: string }> {
    const job = queueName ? await this.queues.get(queueName)?.getJob(jobId).catch(() => undefined) : undefined;
    const data = (job?.data ?? {}) as Record<string, unknown>;

    return {
      integrationId: typeof data.integrationId === 'string' ? data.integrationId : undefined,
      userId: typeof data.userId === 'string' ? data.userId : undefined,
    };
  }
}

/** Returns the static segments of a Bull Board API route after /api/queues, such as `retry` or `job-schedulers_remove`. */
function operationOf(route: string): string {
  const segments = route.split('/').filter((segment) => segment !== '' && !segment.startsWith(':'));
  const apiIndex = segments.indexOf('api');
  const rest = segments.slice(apiIndex + 1).filter((segment, index) => !(index === 0 && segment === 'queues'));

  return rest.join('_') || 'unknown';
}

function actionName(operation: string, forOneJob: boolean): string {
  if (operation === 'retry') return forOneJob ? 'job_retried' : 'jobs_retried';

  return `bull_board.${operation.replace(/-/g, '_')}`.slice(0, 64);
}
