import { JOBS } from '@scimify/jobs';
import { MAINTENANCE_HANDLED_JOBS } from './maintenance/maintenance.processor';
import { RECONCILE_HANDLED_JOBS } from './reconcile/reconcile.processor';

/** Throws unless every job of the catalog has exactly one handler. */
export function assertJobHandlers(): void {
  const handled = [...RECONCILE_HANDLED_JOBS, ...MAINTENANCE_HANDLED_JOBS] as string[];
  const problems: string[] = [];

  for (const name of Object.values(JOBS)) {
    const count = handled.filter((handledName) => handledName === name).length;
    if (count !== 1) problems.push(`job "${name}" has ${count} handlers, expected 1`);
  }

  if (problems.length > 0) throw new Error(`Invalid job catalog: ${problems.join('; ')}`);
}
